import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { loggableError } from '../db/errors';

/**
 * Log options. Tokens, ID numbers, phone numbers, names and addresses never reach a log line: request bodies
 * are not logged, and any object that carries such a field is censored wherever it appears. Errors are logged
 * without SQL parameters (`loggableError`).
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-ems-signature"]',
  'req.headers["x-gov-signature"]',
  ...[
    'accessToken',
    'refreshToken',
    'token',
    'code',
    'js_code',
    'secret',
    'idNumber',
    'name',
    'phone',
    'mobile',
    'address',
    'session_key',
  ].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: loggableError as never },
    ...(stream ? { stream } : {}),
  };
}

/** Every request is logged at debug, not info: at info the log shows errors, jobs and what people did. */
export class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest) {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, _request: FastifyRequest, reply: FastifyReply) {
    if (error)
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
