import type { FastifyInstance } from 'fastify';
import { appliedMigrations, migrationsAtHead } from '../../db/client';

export default async function healthRoutes(app: FastifyInstance) {
  const head = migrationsAtHead();

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  // Ready = the database answers and its schema is at the migrations this build ships. The answer says ready or
  // not and nothing more (it is public: no database kind, no versions); the reason goes to the log.
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      const applied = await appliedMigrations(app.database);
      if (applied === head) return { status: 'ready' };
      req.log.warn({ applied, head }, 'not ready: migrations behind');
    } catch (err) {
      req.log.warn({ err: { message: (err as Error).message } }, 'not ready: database unreachable');
    }
    return reply.code(503).send({ status: 'not ready' });
  });
}
