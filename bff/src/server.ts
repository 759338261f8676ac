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
    trustProxy: opts.config.trustProxy,
    // Opening PGlite and migrating took over Fastify's default 10 s on a loaded 2-core machine.
    pluginTimeout: 60_000,
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

async function main() {
  const config = loadConfig();
  const server = await createServer({ config });
  const close = async (signal: string) => {
    server.log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await server.listen({ host: config.host, port: config.port });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
