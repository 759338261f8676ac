import { DrizzleQueryError } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { errorSummary, isDatabaseUnavailable } from '../src/db/errors';
import { loggerOptions } from '../src/lib/logger';
import { logCapture } from './helpers';

/** A server error as node-postgres raises it. */
const serverError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { severity: 'ERROR', code, ...extra });

function logged(err: unknown): string {
  const logs = logCapture();
  const options = loggerOptions('info', logs.stream) as pino.LoggerOptions & {
    stream: pino.DestinationStream;
  };
  pino(options, options.stream).error({ err }, 'request failed');
  return logs.text();
}

describe('errors in logs', () => {
  it('never carry SQL parameters, row values from a detail, or a quoted bad value', () => {
    const params = ['13912340000', '李四', 'idem-key-secret-1'];
    const unique = new DrizzleQueryError(
      'insert into bookings (contact_sealed, idempotency_key) values ($1, $2)',
      params,
      serverError('23505', 'duplicate key value violates unique constraint "bookings_user_key"', {
        detail: 'Key (user_id, idempotency_key)=(u1, idem-key-secret-1) already exists.',
        constraint: 'bookings_user_key',
        table: 'bookings',
      }),
    );
    const text = logged(unique);
    for (const p of params) expect(text).not.toContain(p);
    expect(text).not.toContain('params');
    // What a person needs to find the fault is kept.
    expect(text).toContain('insert into bookings');
    expect(text).toContain('23505');
    expect(text).toContain('bookings_user_key');

    const badValue = new DrizzleQueryError(
      'select * from bookings where id = $1',
      ['13912340000'],
      serverError('22P02', 'invalid input syntax for type uuid: "13912340000"'),
    );
    expect(logged(badValue)).not.toContain('13912340000');
    // A failed job's stored output (shown to supervisors) is summarised the same way.
    expect(errorSummary(unique)).toBe(
      'database query failed: 23505 duplicate key value violates unique constraint "bookings_user_key"',
    );
    expect(errorSummary(badValue)).not.toContain('13912340000');
  });

  it('tells an unreachable database from a failing query', () => {
    const lost = new DrizzleQueryError('select 1', [], new Error('Connection terminated unexpectedly'));
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = serverError('57P01', 'terminating connection due to administrator command');
    expect([lost, refused, shutdown].map(isDatabaseUnavailable)).toEqual([true, true, true]);
    const failing = new DrizzleQueryError('select x', [], serverError('42703', 'column "x" does not exist'));
    expect(isDatabaseUnavailable(failing)).toBe(false);
  });
});
