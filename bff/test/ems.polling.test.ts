import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipmentEvents, shipments } from '../src/db/schema';
import { POLL_EMS_TRACKING, pollSilentShipments, requestShipment } from '../src/features/shipments/shipments';
import { orderedLeg, testCase, testParty } from './emsLegs';
import { buildTestApp, type TestApp } from './helpers';
import { until } from './until';

/** Legs EMS went silent about are polled with 040001; what the poll finds is stored once. */
let t: TestApp;
let hook: string;
beforeAll(async () => {
  t = await buildTestApp();
  hook = `${await t.listen()}/api/v1/hooks/ems/track`;
  await t.ems.admin('/sim/admin/push-url', { url: null }); // EMS holds every push
});
afterAll(() => t?.close());

const silentMinutes = () => t.app.config.tracking.silentAfterMinutes;
/** As seen by a sweep this long after now. */
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

const legOf = async (waybillNo: string) =>
  (await t.app.database.db.select().from(shipments).where(eq(shipments.waybillNo, waybillNo)))[0]!;
const eventCount = async (waybillNo: string) =>
  (
    await t.app.database.rows<{ n: number }>(
      sql`select count(*)::int as n from ${shipmentEvents} where waybill_no = ${waybillNo}`,
    )
  )[0]!.n;
const pollJobs = async (waybillNo: string) =>
  (
    await t.app.database.rows<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = ${POLL_EMS_TRACKING} and data->>'waybillNo' = ${waybillNo}`,
    )
  )[0]!.n;

describe('polling silent legs (040001)', () => {
  it('finds a leg whose pushes are held, stores its events once, and ignores the pushes that follow', async () => {
    const w = await orderedLeg(t, { outcome: 'failed_then_delivered' });
    await t.ems.admin('/sim/admin/clock', { advanceMinutes: 48 * 60 }); // the whole story happened at EMS
    const { orders } = await t.ems.admin<{ orders: { waybillNo: string; events: unknown[] }[] }>(
      '/sim/orders',
    );
    const atEms = orders.find((o) => o.waybillNo === w)!.events.length;
    expect(atEms).toBe(8); // 203, 305, 954, 305 within the city, 702, 705, 702, 704
    expect(await eventCount(w)).toBe(0);

    // Not silent yet: nothing to poll.
    expect(await pollSilentShipments(t.app, later(silentMinutes() - 1))).toBe(0);
    expect(await pollSilentShipments(t.app, later(silentMinutes() + 1))).toBe(1);
    // A second sweep (or another instance) while the first query is queued or done asks nothing more.
    expect(await pollSilentShipments(t.app, later(silentMinutes() + 1))).toBe(0);

    const leg = await until(async () => {
      const s = await legOf(w);
      return s.status === 'delivered' && s;
    });
    expect(await eventCount(w)).toBe(atEms);
    expect(leg.deliveredAt).toBeInstanceOf(Date);
    expect(leg.flags).toEqual([]);
    expect(await pollJobs(w)).toBe(1);
    // Delivered legs are final: never polled again.
    expect(await pollSilentShipments(t.app, later(10 * silentMinutes()))).toBe(0);

    // EMS now delivers the held pushes: every event is already there.
    await t.ems.admin('/sim/admin/push-url', { url: hook });
    await until(async () => {
      const pushes = await t.ems.admin<{ pending: unknown[] }>('/sim/pushes');
      return pushes.pending.length === 0;
    });
    expect(await eventCount(w)).toBe(atEms);
    await t.ems.admin('/sim/admin/push-url', { url: null });
  });

  it('marks a leg as heard even when EMS has nothing new, so it is not asked again at once', async () => {
    const orderedAt = new Date(Date.now() - (silentMinutes() + 5) * 60_000);
    const w = await orderedLeg(t, { outcome: 'delivered', orderedAt }); // picked up an hour after the order: no event yet
    expect(await pollSilentShipments(t.app)).toBe(1);
    const heard = await until(async () => {
      const s = await legOf(w);
      return s.lastHeardAt && s.lastHeardAt > orderedAt && s;
    });
    expect(heard.status).toBe('pending');
    expect(await eventCount(w)).toBe(0);
    expect(await pollSilentShipments(t.app)).toBe(0);
  });

  it('sets lastHeardAt when the create-order job assigns the waybill', async () => {
    const id = await t.app.database.db.transaction(async (tx) =>
      requestShipment(tx, t.app, {
        leg: 'result_to_applicant',
        centreId: 'HP-SC-01',
        subject: { kind: 'case', id: await testCase(tx) },
        sender: testParty,
        receiver: testParty,
        pickup: { from: new Date(Date.now() + 3600_000), to: new Date(Date.now() + 7200_000) },
      }),
    );
    const ordered = await until(async () => {
      const [s] = await t.app.database.db.select().from(shipments).where(eq(shipments.id, id));
      return s?.waybillNo && s;
    });
    expect(ordered.lastHeardAt).toEqual(ordered.orderedAt);
  });
});
