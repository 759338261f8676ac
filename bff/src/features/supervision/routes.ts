import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BreachListResponse, ErrorResponse, Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { listBreaches } from './breaches';

/**
 * Supervisors (监管): every breach of the service rules — door visits not reached in time (1 hour for "as soon
 * as possible"), results not delivered within 2 working days of issue, logistics exceptions (failed delivery,
 * proxy receipt without relation/ID, parcel point or gatehouse, returned), and cases past their promised date.
 * Computed from the live tables, so a breach shows the moment its deadline passes.
 */
export default async function supervisionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/supervision/breaches',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'Every SLA breach: visits, result delivery, logistics exceptions, overdue cases',
        response: { 200: BreachListResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => listBreaches(app.database.db, { now: new Date() }),
  );
}
