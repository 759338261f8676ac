/**
 * SIGTERM: the BFF stops taking requests and jobs, finishes what is in flight (a request waiting on the
 * platform, a job calling it), closes the database and exits 0.
 */
import net from 'node:net';
import { errorMessages } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBMIT_CASE } from '../../src/features/bookings/jobs';
import { type BffProcess, bookingBody, call, FAULT_WAIT, type FaultStack, startFaultStack } from './stack';

let stack: FaultStack;
let bff: BffProcess;

beforeAll(async () => {
  stack = await startFaultStack();
  // Request lines are logged at debug: the test reads them to know a request is in flight.
  bff = await stack.startBff({ LOG_LEVEL: 'debug' });
  await stack.catalogueReady();
});
afterAll(() => stack?.close());

/** The case submission job of a booking's case (a case has its own id), or of a bare job key. */
const jobState = async (bookingOrKey: string) =>
  (
    await stack.database.handle.rows<{ state: string }>(sql`
      select j.state from pgboss.job j
      where j.name = ${SUBMIT_CASE}
        and (j.data->>'caseId' = ${bookingOrKey}
          or j.data->>'caseId' in (select c.id::text from cases c where c.booking_id::text = ${bookingOrKey}))`)
  )[0]?.state;

/**
 * A kept-alive connection holding a request whose body is still on its way: Fastify stays on it during the drain,
 * so a request sent on it after SIGTERM reaches the server (a new connection would be refused).
 */
async function keptAliveConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    received += d;
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `POST /api/v1/drain-probe HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{`,
  );
  return {
    /** Finishes the held request and sends another on the same connection; resolves with all that came back. */
    async sendAnother(path: string) {
      socket.write(`}GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      await closed;
      return received;
    },
  };
}

describe('graceful shutdown', () => {
  it('finishes the request and the job in flight, takes no new job, exits 0', async () => {
    const resident = await stack.resident(bff.url, 'term-resident');
    const agent = await stack.staff(bff.url, 'term-agent', 'postal_agent');
    const booked = await call(bff.url, 'POST', '/api/v1/bookings', {
      token: resident.token,
      headers: { 'idempotency-key': 'sigterm-booking-1' },
      body: bookingBody(),
    });
    const id = booked.body.id as string;
    const step = (name: string, body: unknown = {}) =>
      call(bff.url, 'POST', `/api/v1/staff/visits/${id}/${name}`, { token: agent.token, body });
    for (const name of ['accept', 'depart', 'arrive', 'start-review'])
      expect((await step(name)).status).toBe(200);
    const detail = await call(bff.url, 'GET', `/api/v1/staff/visits/${id}`, { token: agent.token });
    const items = (detail.body.checklist as { materialId: string; count: number }[]).map((m) => ({
      materialId: m.materialId,
      present: true,
      copies: m.count,
    }));

    const keptAlive = await keptAliveConnection(bff.url);

    // The platform answers slowly: the case submission job and an identity check are in flight at SIGTERM.
    await stack.sims.gov.admin('/sim/admin/faults', { latencyMs: 3000 });
    expect((await step('review', { items })).status).toBe(200);
    await expect.poll(() => jobState(id), { timeout: FAULT_WAIT, interval: 100 }).toBe('active');
    const inFlight = call(bff.url, 'POST', '/api/v1/me/identity', {
      token: resident.token,
      body: { name: '张三', idNumber: '11010519491231002X' },
      headers: { 'x-request-id': 'identity-in-flight' },
    });
    await expect
      .poll(() => bff.output().includes('"reqId":"identity-in-flight"'), { timeout: FAULT_WAIT })
      .toBe(true);

    bff.child.kill('SIGTERM');
    await expect.poll(() => bff.output().includes('shutting down'), { timeout: FAULT_WAIT }).toBe(true);
    // A request arriving during the drain is refused in our error shape, with when to try again.
    const answers = (await keptAlive.sendAnother('/api/v1/matters')).split(/(?=HTTP\/1\.1 )/);
    const refused = answers.at(-1)!;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(refused).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'SERVER_CLOSING', message: errorMessages.SERVER_CLOSING },
    });
    // Enqueued after SIGTERM (by another instance, say): this process must not take it.
    await stack.database.handle.rows(sql`
      insert into pgboss.job (name, data) values (${SUBMIT_CASE}, ${JSON.stringify({ caseId: 'after-sigterm' })}::jsonb)`);

    expect((await inFlight).status).toBe(200);
    const code = await bff.exit();
    if (code !== 0) console.log(bff.output().slice(bff.output().indexOf('shutting down') - 200));
    expect(code).toBe(0);
    expect(await jobState(id)).toBe('completed');
    const [booking] = await stack.database.handle.rows<{ case_number: string | null }>(
      sql`select case_number from bookings where id = ${id}::uuid`,
    );
    expect(booking!.case_number).toBeTruthy();
    expect(await jobState('after-sigterm')).toBe('created');
  });
});
