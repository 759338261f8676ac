import { DrizzleQueryError } from 'drizzle-orm';

/** Socket errors of a lost or refused database connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is shutting down, starting, or full (class 08 is checked on its own). */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres and pg-pool say these in words, without a code. */
const CONNECTION_LOST =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout/;

function* causes(err: unknown): Generator<Error & { code?: unknown }> {
  let current = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    yield current;
    current = current.cause;
  }
}

/**
 * The database can't be reached right now (connection refused, dropped or timed out, server shutting down):
 * the request may succeed if tried again shortly, unlike a failing query.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true;
    if (CONNECTION_LOST.test(e.message)) return true;
  }
  return false;
}

/** What node-postgres puts on a server error, besides its message. */
interface PgServerError extends Error {
  code?: string;
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
}

const firstStackFrame = (stack: string | undefined) => stack?.slice(stack.indexOf('\n    at ') + 1);

/**
 * An error as it may be logged: SQL parameters never are. Drizzle's query error carries the parameters in its
 * message (and stack); a server error's `detail` repeats row values, and a data exception's message quotes the
 * value it could not read. Kept: the statement text, SQLSTATE, constraint/table/column names.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  if (err instanceof DrizzleQueryError) {
    return {
      type: 'DrizzleQueryError',
      message: 'Failed query',
      query: err.query,
      stack: firstStackFrame(err.stack),
      cause: err.cause === undefined ? undefined : loggableError(err.cause),
    };
  }
  const e = err as PgServerError;
  if (typeof e.severity === 'string' && typeof e.code === 'string') {
    return {
      type: 'DatabaseError',
      // Not `code`: log redaction censors any `code` field (WeChat login codes).
      sqlState: e.code,
      severity: e.severity,
      // Class 22 (data exception) messages quote the offending value.
      message: e.code.startsWith('22') ? 'data exception' : e.message,
      constraint: e.constraint,
      table: e.table,
      column: e.column,
      routine: e.routine,
    };
  }
  return {
    type: err.name,
    message: err.message,
    errorCode: typeof e.code === 'string' ? e.code : undefined,
    statusCode: (err as { statusCode?: unknown }).statusCode,
    stack: err.stack,
    cause: err.cause === undefined ? undefined : loggableError(err.cause),
  };
}

/** One line about an error, safe to store or show (a failed job's output): no SQL parameters. */
export function errorSummary(err: unknown): string {
  const e = loggableError(err);
  const cause = e.cause as Record<string, unknown> | undefined;
  if (e.type !== 'DrizzleQueryError') return String(e.message);
  const why = cause ? [cause.sqlState, cause.message].filter(Boolean).join(' ') : '';
  return `database query failed${why ? `: ${why}` : ''}`;
}

/**
 * PostgreSQL's unique_violation (23505). drizzle wraps driver errors (the code is on `cause`); postgres.js and
 * PGlite put it on the error itself.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
