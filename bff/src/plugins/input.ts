import type { FieldIssue } from '@zyt/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors';

/**
 * Input no route can store or compute with, refused once for every route before any handler runs:
 * - a NUL character (PostgreSQL text cannot hold it: the insert or query fails) or a lone UTF-16 surrogate
 *   (not a character; stored, it comes back as garbage) in any string or key of the query, params, body or
 *   headers;
 * - a number that is not finite. Ajv's type coercion turns `page=Infinity` into Infinity and then skips
 *   minimum/maximum (they only apply to finite numbers), and JSON.parse reads 1e400 as Infinity.
 * Runs as a preHandler, i.e. after schema validation and coercion, so it sees the values handlers get.
 */

// U+0000, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const BAD_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const TEXT_MESSAGE = '含有无法识别的字符，请删除后重试';
const NUMBER_MESSAGE = '数值超出范围';

/**
 * What JSON and query parsers build. Anything else is left alone: a body passed on as a stream (the demo
 * launcher's proxy) is a graph of sockets with cycles, and a Buffer is bytes, not text.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  // The query parser's objects inherit from a bare prototype (`Object.create(null)`).
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** The first unusable value in `root`, walked without recursion (a deeply nested body cannot overflow the stack). */
export function findBadInput(root: unknown, base: string): FieldIssue | undefined {
  const stack: [unknown, string][] = [[root, base]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [value, field] = stack.pop()!;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    if (typeof value === 'string') {
      if (BAD_TEXT.test(value)) return { field, message: TEXT_MESSAGE };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { field, message: NUMBER_MESSAGE };
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push([v, `${field}.${i}`]);
      });
    } else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        // A bad key is reported at its parent: the caller never gets the bad characters back.
        if (BAD_TEXT.test(k)) return { field, message: TEXT_MESSAGE };
        stack.push([v, `${field}.${k.slice(0, 40)}`]);
      }
    }
  }
  return undefined;
}

/**
 * Whether `root` holds an unusable value: the same walk as findBadInput without building field names, for the
 * common case (every request passes here; nearly all are fine). Scalars and flat objects allocate nothing.
 */
function hasBadInput(root: unknown): boolean {
  if (typeof root === 'string') return BAD_TEXT.test(root);
  if (typeof root === 'number') return !Number.isFinite(root);
  if (typeof root !== 'object' || root === null) return false;
  const stack: unknown[] = [root];
  let seen: Set<object> | undefined;
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (BAD_TEXT.test(value)) return true;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return true;
    } else if (typeof value === 'object' && value !== null) {
      seen ??= new Set();
      if (seen.has(value)) continue;
      seen.add(value);
      if (Array.isArray(value)) {
        for (const v of value) stack.push(v);
      } else if (isPlainObject(value)) {
        for (const k in value) {
          if (!Object.hasOwn(value, k)) continue;
          if (BAD_TEXT.test(k)) return true;
          stack.push(value[k]);
        }
      }
    }
  }
  return false;
}

function checkRequest(req: FastifyRequest): void {
  if (
    !hasBadInput(req.params) &&
    !hasBadInput(req.query) &&
    !hasBadInput(req.body) &&
    !hasBadInput(req.headers)
  )
    return;
  const issue =
    findBadInput(req.params, 'params') ??
    findBadInput(req.query, 'query') ??
    findBadInput(req.body, 'body') ??
    findBadInput(req.headers, 'headers');
  if (!issue) return;
  const field = issue.field.replace(/^(params|query|body|headers)\.?/, '') || '(body)';
  throw new AppError(400, 'VALIDATION_FAILED', undefined, [{ field, message: issue.message }]);
}

export default fp(
  async function inputGuard(app: FastifyInstance) {
    app.addHook('preHandler', (req, _reply, done) => {
      checkRequest(req);
      done();
    });
  },
  { name: 'input-guard' },
);
