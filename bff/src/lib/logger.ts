import type { FastifyServerOptions } from 'fastify';
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
