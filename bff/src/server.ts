import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ErrorCode, errorMessages } from '@zyt/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import app, { type AppOptions } from './app';
import { type Config, loadConfig } from './config';
import { type DatabaseHandle, openDatabase } from './db/client';
import { loggerOptions, QuietRequestLog } from './lib/logger';
import { frameworkErrors } from './plugins/errors';

const REQUEST_ID = /^[\w-]{8,64}$/;
/** What a request arriving during a shutdown is told: another instance (or this one restarted) takes it soon. */
const CLOSING_RETRY_AFTER_SECONDS = 5;

export interface ServerOptions extends Omit<AppOptions, 'database'> {
  /** Where log lines go (tests capture them); stdout otherwise. */
  logStream?: DestinationStream;
  /** Opens and migrates the database (tests slow it down); `openDatabase` otherwise. */
  openDatabase?: (config: Config, onError?: (err: Error) => void) => Promise<DatabaseHandle>;
  /** Fastify's plugin timeout (tests shorten it); Fastify's default otherwise. */
  pluginTimeout?: number;
}

/**
 * Builds a ready-to-listen Fastify instance with the BFF registered. The database is opened and migrated
 * first, outside Fastify's plugin timeout: how long that takes depends on the machine, not on a bug.
 */
export async function createServer(opts: ServerOptions): Promise<FastifyInstance> {
  // A pooled connection that dies while idle (database restarted, network cut) is dropped and replaced; it is
  // logged by the server's logger once there is one.
  let log: FastifyInstance['log'] | undefined;
  const database = await (opts.openDatabase ?? openDatabase)(opts.config, (err) =>
    log?.warn({ err }, 'database connection lost'),
  );
  try {
    const server = await buildServer(opts, database);
    log = server.log;
    return server;
  } catch (err) {
    await database.close();
    throw err;
  }
}

async function buildServer(opts: ServerOptions, database: DatabaseHandle): Promise<FastifyInstance> {
  const server = Fastify({
    ...(opts.pluginTimeout === undefined ? {} : { pluginTimeout: opts.pluginTimeout }),
    logger: loggerOptions(opts.config.logLevel, opts.logStream),
    // A caller's request id is kept when it is well-formed, so one id follows a request across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // Requests arriving during a shutdown get our error shape (below), not Fastify's own 503 body.
    return503OnClosing: false,
    logController: new QuietRequestLog(),
    bodyLimit: 1024 * 1024,
    trustProxy: opts.config.trustProxy,
    frameworkErrors,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  // Callback style, as the other app-wide hooks: an async hook costs a promise and a microtask per request.
  server.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    if (closing) {
      // A kept-alive connection still sends requests while in-flight ones finish: refuse them, and close it.
      // Answered here, so `done` is not called.
      reply
        .code(503)
        .header('connection', 'close')
        .header('retry-after', String(CLOSING_RETRY_AFTER_SECONDS))
        .send({ error: { code: ErrorCode.SERVER_CLOSING, message: errorMessages.SERVER_CLOSING } });
      return;
    }
    // A POST without a body (e.g. 接单) is "no body" whatever its content-type says; a route that needs a body
    // still refuses it with VALIDATION_FAILED.
    const empty =
      (req.headers['content-length'] ?? '0') === '0' && req.headers['transfer-encoding'] === undefined;
    if (empty && req.headers['content-type']?.startsWith('application/json')) {
      delete req.headers['content-type'];
    }
    done();
  });
  await server.register(app, { config: opts.config, wechat: opts.wechat, jobs: opts.jobs, database });
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
