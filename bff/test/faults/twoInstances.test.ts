/**
 * Two BFF processes on one PostgreSQL, each serving the API and working jobs, under load; one is killed with
 * SIGKILL mid-load. Clients retry what got no answer on the survivor (same Idempotency-Key). Then: every
 * acknowledged booking exists once, every collection has exactly one EMS order and one platform case, and
 * the survivor drains every job (the dead one's active jobs included, once they expire).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBMIT_CASE } from '../../src/features/bookings/jobs';
import { CREATE_EMS_ORDER, logisticsOrderNo } from '../../src/features/shipments/shipments';
import {
  type BffProcess,
  bookingBody,
  call,
  FAULT_WAIT,
  type FaultStack,
  type HttpAnswer,
  startFaultStack,
} from './stack';

let stack: FaultStack;
let a: BffProcess;
let b: BffProcess;

beforeAll(async () => {
  stack = await startFaultStack();
  const env = {
    // A killed worker's jobs are retried after this (production: the job's real timeout, ~30-60 s).
    FAULT_JOB_EXPIRE_SECONDS: '8',
    FAULT_MAINTENANCE_SECONDS: '2',
    FAULT_RETRY_CAP_SECONDS: '1',
  };
  [a, b] = await Promise.all([stack.startBff(env), stack.startBff(env)]);
  await stack.catalogueReady();
});
afterAll(() => stack?.close());

const BOOKINGS = 40;
const FLOWS = 8;
const KILL_AFTER_COLLECTED = 10;

describe('two instances, one killed mid-load', () => {
  it('loses and duplicates nothing; the survivor drains every job', async () => {
    const residents = await stack.residents(b.url, 'two', 4);
    const agent = await stack.staff(b.url, 'two-agent', 'postal_agent');
    // Slow outside systems keep jobs in flight on both instances, so the killed one dies holding some.
    await stack.sims.ems.admin('/sim/admin/faults', { latencyMs: 1500 });
    await stack.sims.gov.admin('/sim/admin/faults', { latencyMs: 1500 });

    let killed = false;
    let turn = 0;
    const noAnswer = { count: 0 };
    /** A call to either instance; no answer (the instance died) → the same call again on the survivor. */
    const send = async (
      method: string,
      url: string,
      opts: Parameters<typeof call>[3],
    ): Promise<{ res: HttpAnswer; retried: boolean }> => {
      const first = !killed && turn++ % 2 === 0 ? a : b;
      const res = await call(first.url, method, url, opts);
      if (res.status !== 0) return { res, retried: false };
      noAnswer.count++;
      return { res: await call(b.url, method, url, opts), retried: true };
    };

    const acknowledged: { key: string; id: string }[] = [];
    const collected: string[] = [];
    const step = async (id: string, name: string, body?: unknown) => {
      const { res, retried } = await send('POST', `/api/v1/staff/visits/${id}/${name}`, {
        token: agent.token,
        body: body ?? {},
      });
      // A step that did happen on the killed instance, then was sent again, is a state conflict: fine.
      if (res.status === 409 && retried) return;
      if (res.status !== 200) throw new Error(`${name} ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const flow = async (i: number) => {
      const key = `two-instances-${i}`;
      const { res } = await send('POST', '/api/v1/bookings', {
        token: residents[i % residents.length]!.token,
        headers: { 'idempotency-key': key },
        body: bookingBody(),
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`booking ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      const id = res.body.id as string;
      acknowledged.push({ key, id });
      for (const name of ['accept', 'depart', 'arrive', 'start-review']) await step(id, name);
      const detail = await send('GET', `/api/v1/staff/visits/${id}`, { token: agent.token });
      const items = (detail.res.body.checklist as { materialId: string; count: number }[]).map((m) => ({
        materialId: m.materialId,
        present: true,
        copies: m.count,
      }));
      await step(id, 'review', { items });
      collected.push(id);
      if (collected.length >= KILL_AFTER_COLLECTED && !killed) {
        killed = true;
        a.child.kill('SIGKILL');
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: FLOWS }, async () => {
        while (next < BOOKINGS) await flow(next++);
      }),
    );
    expect(killed).toBe(true);
    expect(await a.stop('SIGKILL')).toBe(null); // it died of the signal
    expect(collected).toHaveLength(BOOKINGS);

    // The survivor drains every job, the dead instance's included.
    const pending = async () =>
      (
        await stack.database.handle.rows<{ n: number }>(sql`
          select count(*)::int as n from pgboss.job
          where name in (${CREATE_EMS_ORDER}, ${SUBMIT_CASE}) and state in ('created', 'retry', 'active')`)
      )[0]!.n;
    const ids = `{${collected.join(',')}}`;
    const done = async () =>
      (
        await stack.database.handle.rows<{ n: number }>(sql`
          select count(*)::int as n from bookings bk join shipments s on s.id = bk.shipment_id
          where bk.id = any(${ids}::uuid[]) and s.waybill_no is not null and bk.case_number is not null`)
      )[0]!.n;
    await expect.poll(done, { timeout: FAULT_WAIT, interval: 500 }).toBe(BOOKINGS);
    await expect.poll(pending, { timeout: FAULT_WAIT, interval: 500 }).toBe(0);
    const [failed] = await stack.database.handle.rows<{ n: number }>(sql`
      select count(*)::int as n from pgboss.job
      where name like ${`${CREATE_EMS_ORDER}%`} or name like ${`${SUBMIT_CASE}%`}
      group by state having state = 'failed'`);
    expect(failed?.n ?? 0).toBe(0);
    expect(b.exited()).toBe(false);

    // Every acknowledged booking exists once.
    const keys = `{${acknowledged.map((x) => x.key).join(',')}}`;
    const stored = await stack.database.handle.rows<{ key: string; id: string; n: number }>(sql`
      select idempotency_key as key, min(id::text) as id, count(*)::int as n from bookings
      where idempotency_key = any(${keys}::text[]) group by 1`);
    expect(stored).toHaveLength(BOOKINGS);
    expect(stored.every((s) => s.n === 1)).toBe(true);
    expect(new Map(stored.map((s) => [s.key, s.id]))).toEqual(
      new Map(acknowledged.map((x) => [x.key, x.id])),
    );

    // Every collection: one materials shipment, one EMS order, one platform case.
    const legs = await stack.database.handle.rows<{
      booking: string;
      shipment: string;
      n: number;
      case_number: string;
      case_id: string;
    }>(sql`
      select bk.id as booking, bk.shipment_id as shipment, bk.case_number,
        (select c.id::text from cases c where c.booking_id = bk.id) as case_id,
        (select count(*)::int from shipments s join cases c on c.id = s.case_id
          where c.booking_id = bk.id and s.leg = 'materials_to_centre') as n
      from bookings bk where bk.id = any(${ids}::uuid[])`);
    expect(legs.every((l) => l.n === 1)).toBe(true);
    const { orders } = await stack.sims.ems.admin<{ orders: { logisticsOrderNo: string }[] }>('/sim/orders');
    const orderCount = new Map<string, number>();
    for (const o of orders) orderCount.set(o.logisticsOrderNo, (orderCount.get(o.logisticsOrderNo) ?? 0) + 1);
    expect(legs.map((l) => orderCount.get(logisticsOrderNo(l.shipment)))).toEqual(legs.map(() => 1));
    const { cases } = await stack.sims.gov.admin<{ cases: { ourId: string; projId: string }[] }>(
      '/sim/cases',
    );
    for (const l of legs) {
      // The platform knows the case by our case id (ourId), which is not the booking's id.
      const mine = cases.filter((c) => c.ourId === l.case_id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.projId).toBe(l.case_number);
    }
    // Jobs that ran more than once: those the killed instance held (nothing else fails in this test).
    const [rerun] = await stack.database.handle.rows<{ n: number }>(sql`
      select count(*)::int as n from pgboss.job
      where name in (${CREATE_EMS_ORDER}, ${SUBMIT_CASE}) and retry_count > 0`);
    console.log(
      `killed one instance after ${KILL_AFTER_COLLECTED} collections; ${noAnswer.count} calls re-sent; ` +
        `${rerun!.n} jobs it held were run again by the survivor`,
    );
  });
});
