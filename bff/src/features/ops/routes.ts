import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../../lib/errors';

const OutsideSystems = Type.Object({
  wechat: Type.Object({ apiBase: Type.String(), appId: Type.String() }),
  ems: Type.Object({ apiBase: Type.String(), senderNo: Type.String() }),
  gov: Type.Object({ apiBase: Type.String(), appId: Type.String() }),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const FailedJob = Type.Object({
  id: Type.String(),
  name: Type.String(),
  retryCount: Type.Integer(),
  createdOn: Type.String(),
  completedOn: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

/** Supervisors see jobs that ran out of retries (dead letters) and re-drive them once the cause is fixed. */
export default async function opsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/ops/jobs/failed',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['ops'],
        summary: 'Jobs that ran out of retries',
        querystring: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 100 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(FailedJob) }),
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (req) => {
      const jobs = await app.jobs.listFailed({ name: req.query.name, limit: req.query.limit });
      // The job's data may carry ids of people's records; only what staff need to decide is shown.
      return {
        items: jobs.map((j) => ({
          id: j.id,
          name: j.name,
          retryCount: j.retryCount,
          createdOn: new Date(j.createdOn).toISOString(),
          completedOn: j.completedOn ? new Date(j.completedOn).toISOString() : null,
          error: (j.output as { message?: string } | null)?.message ?? null,
        })),
      };
    },
  );

  app.post(
    '/ops/jobs/:name/:id/redrive',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['ops'],
        summary: 'Put a failed job back in line',
        params: Type.Object({ name: Type.String({ maxLength: 100 }), id: Type.String({ format: 'uuid' }) }),
        response: {
          202: Type.Object({ id: Type.String(), state: Type.Literal('retry') }),
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      if (!(await app.jobs.redrive(req.params.name, req.params.id))) throw notFound();
      req.log.info({ job: req.params.name, jobId: req.params.id }, 'job re-driven');
      return reply.code(202).send({ id: req.params.id, state: 'retry' as const });
    },
  );

  // For `pnpm run doctor` on the same machine: which outside systems this BFF talks to (no secrets). Only a
  // direct connection from this host is answered: the socket's own address (not X-Forwarded-For, which
  // trustProxy would believe), and nothing relayed by a proxy.
  app.get(
    '/ops/outside-systems',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'The outside systems this BFF is configured with (answered to this host only)',
        response: { 200: OutsideSystems, 403: ErrorResponse },
      },
    },
    async (req) => {
      const relayed = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
      if (relayed || !LOOPBACK.has(req.socket.remoteAddress ?? ''))
        throw new AppError(403, 'FORBIDDEN', '仅限本机运维检查');
      const { wechat, ems, gov } = app.config;
      return {
        wechat: { apiBase: wechat.apiBase, appId: wechat.appId },
        ems: { apiBase: ems.apiBase, senderNo: ems.senderNo },
        gov: { apiBase: gov.apiBase, appId: gov.appId },
      };
    },
  );
}
