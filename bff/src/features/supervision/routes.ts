import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BreachListResponse, ErrorResponse, HandleFindingBody, Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../lib/errors';
import { listBreaches } from './breaches';
import { handleFinding } from './findings';

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
    async () =>
      listBreaches(app.database.db, {
        now: new Date(),
        pii: app.pii,
        promiseMinutes: app.config.visits.promiseMinutes,
      }),
  );

  app.post(
    '/supervision/findings/:findingId/handle',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'Mark a logistics exception handled, with what was done (who and when are recorded)',
        params: Type.Object({ findingId: Type.String({ format: 'uuid' }) }),
        body: HandleFindingBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await handleFinding(app.database.db, {
        shipmentId: req.params.findingId,
        supervisorId: req.userId,
        note: req.body.note.trim(),
      });
      return reply.code(204).send(null);
    },
  );
}
