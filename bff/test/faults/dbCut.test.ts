/**
 * The database connection is cut under load (a TCP proxy between the BFF and PostgreSQL closes every
 * connection and refuses new ones): the BFF process stays up, answers 503 DATABASE_UNAVAILABLE with
 * Retry-After while cut, serves again within 10 s of reconnection, and logs no SQL parameters.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BffProcess,
  bookingBody,
  call,
  FAULT_WAIT,
  type FaultStack,
  type HttpAnswer,
  startFaultStack,
} from './stack';
import { startTcpProxy } from './tcpProxy';

let stack: FaultStack;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let bff: BffProcess;

beforeAll(async () => {
  stack = await startFaultStack();
  const pg = new URL(stack.database.url);
  proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  stack.defer(() => proxy.close());
  const viaProxy = new URL(stack.database.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  bff = await stack.startBff({ DATABASE_URL: viaProxy.toString() });
  await stack.catalogueReady();
});
afterAll(() => stack?.close());

const CLIENTS = 12;
const MAX_REQUESTS_PER_CLIENT = 3_000;

describe('database cut under load', () => {
  it('stays up, answers 503 while cut, serves again within 10 s of reconnection', async () => {
    const residents = await stack.residents(bff.url, 'cut', 4);
    const answers: { at: number; phase: string; res: HttpAnswer; key: string }[] = [];
    let phase = 'before';
    let stop = false;
    const secretPhone = '13912340000';
    const client = async (n: number) => {
      const r = residents[n % residents.length]!;
      for (let i = 0; i < MAX_REQUESTS_PER_CLIENT && !stop; i++) {
        const key = `cut-${n}-${i}-${randomBytes(3).toString('hex')}`;
        const at = phase;
        const res = await call(bff.url, 'POST', '/api/v1/bookings', {
          token: r.token,
          headers: { 'idempotency-key': key },
          body: bookingBody({ contact: { name: '李四', phone: secretPhone } }),
        });
        answers.push({ at: Date.now(), phase: at, res, key });
        // A client that is told to wait, waits a little (not the whole Retry-After: keep the pressure on).
        if (res.status === 503) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const created = () => answers.filter((a) => a.res.status === 201);
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

    await expect.poll(() => created().length, { timeout: FAULT_WAIT }).toBeGreaterThan(50);
    phase = 'cut';
    proxy.cut();
    const unavailable = () => answers.filter((a) => a.phase === 'cut' && a.res.status === 503);
    await expect
      .poll(() => unavailable().length, { timeout: FAULT_WAIT })
      .toBeGreaterThan(300)
      .catch((err) => {
        const cut = answers.filter((a) => a.phase === 'cut');
        const first = cut.slice(0, 5).map((a) => [a.res.status, a.res.body]);
        console.log(cut.length, first, bff.output().slice(-3000));
        throw err;
      });
    expect(bff.exited()).toBe(false);

    phase = 'restored';
    proxy.restore();
    const restoredAt = Date.now();
    await expect
      .poll(() => answers.some((a) => a.phase === 'restored' && a.res.status === 201), {
        timeout: FAULT_WAIT,
      })
      .toBe(true);
    const servedAgainMs =
      answers.find((a) => a.phase === 'restored' && a.res.status === 201)!.at - restoredAt;
    // Keep the load on a moment after recovery: nothing breaks once connections are back.
    const after = created().length;
    await expect.poll(() => created().length, { timeout: FAULT_WAIT }).toBeGreaterThan(after + 50);
    stop = true;
    await load;

    expect(bff.exited()).toBe(false);
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.res.status, (statuses.get(a.res.status) ?? 0) + 1);
    console.log('answers by status', Object.fromEntries(statuses), `served again after ${servedAgainMs} ms`);
    // Every answer is a booking or "database unavailable": no 500, no dropped connection.
    expect([...statuses.keys()].sort()).toEqual([201, 503]);
    for (const a of unavailable()) {
      expect(a.res.body.error).toEqual({
        code: 'DATABASE_UNAVAILABLE',
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
      });
      expect(Number(a.res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Every acknowledged booking exists, once.
    const keys = created().map((a) => a.key);
    const [stored] = await stack.database.handle.rows<{ n: number; distinct_keys: number }>(
      sql`select count(*)::int as n, count(distinct idempotency_key)::int as distinct_keys
          from bookings where idempotency_key = any(${`{${keys.join(',')}}`}::text[])`,
    );
    expect(stored).toEqual({ n: keys.length, distinct_keys: keys.length });

    // The outage was logged, without SQL parameters, bodies or personal data.
    const logs = bff.output();
    expect(logs).toContain('database unavailable');
    expect(logs).not.toContain('params:');
    expect(logs).not.toContain(secretPhone);
    expect(logs).not.toContain('李四');
    expect(logs).not.toMatch(/"key":"cut-|idempotency_key.*cut-\d+-\d+-/);
    for (const key of keys.slice(0, 50)) expect(logs).not.toContain(key);
  });
});
