import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Role, RoundIdParam, RoundList, RoundProgress } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../lib/errors';
import { listRounds, roundEnterprises, roundProgress, roundProgressCsv } from './progress';

/**
 * Supervisors: 免申即享 rounds and each one's progress (on the list, confirmed, accepted, paid, overdue, claims by
 * post by channel, per Beijing day), and the same as a CSV with every enterprise on the list. Read-only.
 */
export default async function roundProgressRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/supervision/rounds',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: '免申即享 rounds, newest first, each with its headline counts',
        response: { 200: RoundList, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listRounds(db) }),
  );

  app.get(
    '/supervision/rounds/:id',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary:
          "A round's progress: on the list, confirmed, accepted, paid, overdue, claims by channel, and per Beijing day",
        params: RoundIdParam,
        response: { 200: RoundProgress, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => roundProgress(db, req.params.id),
  );

  app.get(
    '/supervision/rounds/:id/progress.csv',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary:
          "A round's progress as CSV (UTF-8 with BOM): counts, per-day table, every enterprise on the list",
        params: RoundIdParam,
        response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const now = new Date();
      const progress = await roundProgress(db, req.params.id, now);
      const enterprises = await roundEnterprises(db, req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="round-${req.params.id}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(roundProgressCsv(progress, enterprises, now));
    },
  );
}
