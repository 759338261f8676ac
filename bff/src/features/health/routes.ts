import type { FastifyInstance } from 'fastify';
import { appliedMigrations, migrationsAtHead } from '../../db/client';

export default async function healthRoutes(app: FastifyInstance) {
  const head = migrationsAtHead();

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  // Ready = the database answers and its schema is at the migrations this build ships.
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      const applied = await appliedMigrations(app.database);
      if (applied !== head)
        return reply.code(503).send({ status: 'not ready', reason: `migrations ${applied}/${head}` });
      return { status: 'ready', database: app.database.kind, migrations: applied };
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'not ready', reason: 'database unreachable' });
    }
  });
}
