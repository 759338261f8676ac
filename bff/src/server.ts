import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import app, { type AppOptions } from './app';
import { loadConfig } from './config';
import { loggerOptions } from './lib/logger';
import { frameworkErrors } from './plugins/errors';

const REQUEST_ID = /^[\w-]{8,64}$/;

export interface ServerOptions extends AppOptions {
  /** Where log lines go (tests capture them); stdout otherwise. */
  logStream?: DestinationStream;
}

/** Builds a ready-to-listen Fastify instance with the BFF registered. */
export async function createServer(opts: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: loggerOptions(opts.config.logLevel, opts.logStream),
    // A caller's request id is kept when it is well-formed, so one id follows a request across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Opening the database runs migrations (PGlite also starts up): on a busy machine that takes longer than
    // Fastify's default 10 s.
    pluginTimeout: 120_000,
    trustProxy: opts.config.trustProxy,
    frameworkErrors,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });
  server.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // A POST without a body (e.g. 接单) is "no body" whatever its content-type says; a route that needs a body
    // still refuses it with VALIDATION_FAILED.
    const empty =
      (req.headers['content-length'] ?? '0') === '0' && req.headers['transfer-encoding'] === undefined;
    if (empty && req.headers['content-type']?.startsWith('application/json')) {
      delete req.headers['content-type'];
    }
  });
  await server.register(app, opts);
  return server;
}

/** How long a shutdown may take before the process exits anyway (requests and jobs still running are cut). */
const SHUTDOWN_DEADLINE_MS = 40_000;

/**
 * SIGTERM/SIGINT: stop taking requests (new ones get 503) and jobs, let running ones finish, close the
 * database, exit 0. A second signal or the deadline exits at once.
 */
export function closeOnSignals(server: FastifyInstance): void {
  let closing = false;
  const close = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    server.log.info({ signal }, 'shutting down: finishing requests and jobs in flight');
    setTimeout(() => {
      server.log.error('shutdown deadline passed: exiting with work still running');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // A keep-alive connection whose request finishes during the drain would stay open (and hold the close) for
    // the keep-alive timeout: close each one as soon as it is idle.
    setInterval(() => server.server.closeIdleConnections(), 250).unref();
    server.close().then(
      () => {
        server.log.info('shut down');
        process.exit(0);
      },
      (err: Error) => {
        server.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => close('SIGINT'));
  process.on('SIGTERM', () => close('SIGTERM'));
}

async function main() {
  const config = loadConfig();
  const server = await createServer({ config });
  closeOnSignals(server);
  await server.listen({ host: config.host, port: config.port });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
