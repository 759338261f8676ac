import { type ErrorCode, errorMessages, type FieldIssue } from '@zyt/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/errors';
import { AppError } from '../lib/errors';

/** Seconds a client is asked to wait while the database is unreachable (connections are retried meanwhile). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Chinese wording for the schema keywords a caller can get wrong. */
function describe(issue: { keyword: string; params: Record<string, unknown> }): string {
  switch (issue.keyword) {
    case 'required':
      return '此项必填';
    case 'minLength':
      return Number(issue.params.limit) <= 1 ? '不能为空' : `至少${issue.params.limit}个字符`;
    case 'maxLength':
      return `不能超过${issue.params.limit}个字符`;
    case 'additionalProperties':
      return '不支持此字段';
    case 'type':
      return '类型不正确';
    case 'format':
    case 'pattern':
      return '格式不正确';
    default:
      return '取值不正确';
  }
}

function fieldOf(issue: { instancePath: string; keyword: string; params: Record<string, unknown> }): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = (issue.params.missingProperty ?? issue.params.additionalProperty) as string | undefined;
  return [base, extra].filter(Boolean).join('.') || '(body)';
}

// Fastify's own 4xx errors, mapped to stable codes.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URL_TOO_LONG',
};

/**
 * Errors the router raises before any route runs (a malformed or over-long URL): Fastify's `frameworkErrors`
 * option. Same shape as everything else, and the URL is not echoed back.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const code = fastifyCodes[err.code] ?? 'BAD_REQUEST';
  req.log.info({ code: err.code }, 'request refused by the router');
  reply.code(status).send({ error: { code, message: errorMessages[code] } });
}

/** One error shape everywhere: `{ error: { code, message, details? } }`; 5xx never shows internals. */
export default fp(async function errorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply
        .code(err.statusCode)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) {
      const details: FieldIssue[] = err.validation.map((v) => ({
        field: fieldOf(v as never),
        message: describe(v as never),
      }));
      return reply
        .code(400)
        .send({ error: { code: 'VALIDATION_FAILED', message: errorMessages.VALIDATION_FAILED, details } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = fastifyCodes[err.code] ?? (status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST');
      return reply.code(status).send({ error: { code, message: errorMessages[code] } });
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'DATABASE_UNAVAILABLE', message: errorMessages.DATABASE_UNAVAILABLE } });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: errorMessages.INTERNAL } });
  });

  // The URL is not echoed: it is the caller's input, and a 404 page that reflects it is a reflection vector.
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: errorMessages.ROUTE_NOT_FOUND } }),
  );
});
