import { randomInt } from 'node:crypto';
import { validateResidentId } from '@zyt/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeTrackPush } from '../simulators/ems/push';
import { shipmentEvents, shipments } from '../src/db/schema';
import { REPORT_MATERIALS_ARRIVAL } from '../src/features/cases/materialsArrival';
import {
  notifyShipmentChanges,
  onShipmentChanged,
  refreshLegs,
  type ShipmentChange,
} from '../src/features/shipments/shipments';
import {
  deliveredAt,
  deliveryFlags,
  type EmsTrackEvent,
  effectiveTimeline,
  parseTrackEvents,
} from '../src/integrations/ems/tracking';
import { orderedLeg, testCase } from './emsLegs';
import { buildTestApp, EMS, type TestApp } from './helpers';
import { until } from './until';

/** Delivery facts from EMS events: status, deliveredAt and flags of a leg, through the real push endpoint. */

const PROXY_ID = '11010519491231002X';

const ev = (waybillNo: string, opCode: string, opTime: string, extra: Partial<EmsTrackEvent> = {}) => ({
  waybillNo,
  opTime,
  opCode,
  opName: `op${opCode}`,
  opDesc: '',
  opOrgProvName: '广东省',
  opOrgCity: '广州市',
  opOrgCode: '51000001',
  opOrgName: '广州市黄埔区揽投部',
  operatorNo: '20000001',
  operatorName: '王师傅',
  ...extra,
});
/** 203 … 702 of one leg, the part every story shares. */
const travel = (w: string) => [
  ev(w, '203', '2026-11-20 09:00:00'),
  ev(w, '305', '2026-11-20 11:00:00'),
  ev(w, '954', '2026-11-20 16:00:00'),
  ev(w, '702', '2026-11-21 08:00:00'),
];

describe('parseTrackEvents: proxy fields of our binding', () => {
  const base = ev('1100000000012', '704', '2026-11-21 10:00:00', { deliverCode: '20' });

  it('keeps a relation and an ID number, trimmed; blank or null means absent', () => {
    const parsed = parseTrackEvents([
      { ...base, signerRelation: ' 家属 ', signerIdNo: '11010519491231002x' },
      { ...base, signerRelation: '', signerIdNo: null },
    ]);
    expect(parsed).toEqual({
      ok: true,
      events: [{ ...base, signerRelation: '家属', signerIdNo: PROXY_ID }, base],
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a numeric ID', { signerIdNo: 110105194912310020 }],
    ['an ID with spaces inside', { signerIdNo: '110105 19491231002X' }],
    ['a relation that is an object', { signerRelation: { text: '家属' } }],
    ['a relation longer than 20 characters', { signerRelation: '家'.repeat(21) }],
  ])('refuses %s, without quoting the value', (_label, extra) => {
    const parsed = parseTrackEvents([{ ...base, ...extra }]);
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toMatch(/1101051949|家/);
  });
});

describe('deliveryFlags', () => {
  const w = '1100000000029';
  const flags = (events: ReturnType<typeof ev>[]) => deliveryFlags(effectiveTimeline(events));

  it('raises nothing for a delivery to the addressee, and dates it from the 704', () => {
    const timeline = effectiveTimeline([
      ...travel(w),
      ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '10' }),
    ]);
    expect(deliveryFlags(timeline)).toEqual([]);
    expect(deliveredAt(timeline)?.toISOString()).toBe('2026-11-21T02:00:00.000Z');
  });

  it.each([
    ['30', '驿站代收'],
    ['50', '快递柜'],
    ['60', '收发室'],
    ['70', '物业（门卫）'],
  ])('deliverCode %s is a parcel point: %s', (deliverCode, place) => {
    const [flag] = flags([...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode })]);
    expect(flag).toMatchObject({ code: 'parcel_point', at: '2026-11-21T02:00:00.000Z' });
    expect(flag!.detail).toContain(place);
  });

  it('a proxy needs both relation and ID', () => {
    const proxy = (extra: Partial<EmsTrackEvent>) =>
      flags([...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '20', ...extra })]);
    for (const extra of [{}, { signerRelation: '家属' }, { signerIdNo: PROXY_ID }]) {
      expect(proxy(extra)).toEqual([
        {
          code: 'proxy_unverified',
          at: '2026-11-21T02:00:00.000Z',
          detail: '他人代收，未登记与收件人关系和身份证件',
        },
      ]);
    }
    expect(proxy({ signerRelation: '家属', signerIdNo: PROXY_ID })).toEqual([]);
  });

  it('a returned leg shows why delivery failed and that it came back; no delivery time', () => {
    const timeline = effectiveTimeline([
      ...travel(w),
      ev(w, '705', '2026-11-21 10:00:00', { attemptDeliveryCode: '7' }),
      ev(w, '708', '2026-11-21 12:00:00'),
      ev(w, '711', '2026-11-23 09:00:00'),
    ]);
    expect(deliveryFlags(timeline)).toEqual([
      { code: 'delivery_failed', at: '2026-11-21T02:00:00.000Z', detail: '未妥投：收件人拒收' },
      { code: 'returned', at: '2026-11-23T01:00:00.000Z', detail: '邮件已退回寄件人' },
    ]);
    expect(deliveredAt(timeline)).toBeNull();
  });

  it('a reversed 704 raises nothing and leaves no delivery time', () => {
    const timeline = effectiveTimeline([
      ...travel(w),
      ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '30' }),
      ev(w, '743', '2026-11-21 10:30:00'),
    ]);
    expect(deliveryFlags(timeline)).toEqual([]);
    expect(deliveredAt(timeline)).toBeNull();
  });
});

describe('tracking pushes into the BFF', () => {
  let t: TestApp;
  let hook: string;
  /** Set to make the next change listener call throw. */
  let listenerFails = false;
  const heard: ShipmentChange[] = [];

  beforeAll(async () => {
    t = await buildTestApp({}, (app) =>
      onShipmentChanged(app, async (_tx, changes) => {
        if (listenerFails) throw new Error('listener failed on purpose');
        heard.push(...changes);
      }),
    );
    hook = `${await t.listen()}/api/v1/hooks/ems/track`;
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    listenerFails = false;
    heard.length = 0;
  });

  const db = () => t.app.database.db;
  /** A leg of ours with a fresh waybill, as the create-order job leaves it. */
  async function legRow(kind: 'result_to_applicant' | 'materials_to_centre' = 'result_to_applicant') {
    const waybillNo = `11${String(randomInt(1e10, 1e11 - 1)).padStart(11, '0')}`;
    const [row] = await db()
      .insert(shipments)
      .values({
        leg: kind,
        subjectKind: 'case',
        caseId: await testCase(db()),
        senderSealed: 'sealed',
        receiverSealed: 'sealed',
        waybillNo,
        orderedAt: new Date(),
      })
      .returning({ id: shipments.id });
    return { waybillNo, id: row!.id };
  }
  const leg = async () => (await legRow()).waybillNo;
  const push = async (events: unknown[]) => {
    const res = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(encodeTrackPush(events, EMS)),
    });
    return { status: res.status, body: (await res.json()) as { code: string; codeMessage: string } };
  };
  const pushOk = async (events: unknown[]) => expect((await push(events)).body.code).toBe('00000');
  const shipment = async (waybillNo: string) =>
    (await db().select().from(shipments).where(eq(shipments.waybillNo, waybillNo)))[0]!;
  const rows = (waybillNo: string) =>
    db()
      .select()
      .from(shipmentEvents)
      .where(eq(shipmentEvents.waybillNo, waybillNo))
      .orderBy(shipmentEvents.opTime, shipmentEvents.id);

  it('duplicates, out-of-order batches and a 704-743-704 reversal give one row each and the right leg', async () => {
    const w = await leg();
    const [picked, sealed, arrived, out] = travel(w);
    const first = ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '30' });
    const voided = ev(w, '743', '2026-11-21 10:30:00');
    const second = ev(w, '704', '2026-11-21 11:00:00', { deliverCode: '10' });

    await pushOk([out, picked, first]); // the delivery arrives before the transit scans
    expect(await shipment(w)).toMatchObject({
      status: 'delivered',
      deliveredAt: new Date('2026-11-21T02:00:00Z'),
      flags: [{ code: 'parcel_point', at: '2026-11-21T02:00:00.000Z' }],
    });
    await pushOk([voided, sealed, picked, picked]);
    expect(await shipment(w)).toMatchObject({ status: 'out_for_delivery', deliveredAt: null, flags: [] });
    await pushOk([second, arrived, first, voided]);
    await pushOk([second, out]); // all already stored: nothing changes
    const after = await shipment(w);
    expect(after).toMatchObject({
      status: 'delivered',
      deliveredAt: new Date('2026-11-21T03:00:00Z'),
      flags: [],
    });
    expect(after.lastHeardAt).toBeInstanceOf(Date);
    expect((await rows(w)).map((r) => r.opCode)).toEqual(['203', '305', '954', '702', '704', '743', '704']);
    // Listeners heard each change of the leg once, and not the push that changed nothing.
    expect(
      heard.filter((c) => c.shipment.waybillNo === w).map((c) => [c.previousStatus, c.shipment.status]),
    ).toEqual([
      ['pending', 'delivered'],
      ['delivered', 'out_for_delivery'],
      ['out_for_delivery', 'delivered'],
    ]);
  });

  it('flags a proxy signature without relation and ID', async () => {
    const w = await leg();
    await pushOk([...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '20' })]);
    expect((await shipment(w)).flags).toEqual([
      {
        code: 'proxy_unverified',
        at: '2026-11-21T02:00:00.000Z',
        detail: '他人代收，未登记与收件人关系和身份证件',
      },
    ]);
  });

  it('does not flag a proxy with relation and ID, and keeps the ID sealed, out of raw and out of the logs', async () => {
    const w = await leg();
    const signed = ev(w, '704', '2026-11-21 10:00:00', {
      deliverCode: '20',
      signerRelation: '家属',
      signerIdNo: PROXY_ID,
    });
    await pushOk([...travel(w), signed]);
    expect(await shipment(w)).toMatchObject({ status: 'delivered', flags: [] });
    const [row] = (await rows(w)).filter((r) => r.opCode === '704');
    expect(row!.signerRelation).toBe('家属');
    expect(row!.raw).not.toHaveProperty('signerIdNo');
    expect(t.app.pii.decrypt(row!.signerIdSealed!, `shipment_events/${row!.eventKey}/signer_id`)).toBe(
      PROXY_ID,
    );
    // No column holds it in clear, in any case or part.
    const [whole] = await t.app.database.rows<{ text: string }>(
      sql`select string_agg(to_jsonb(e)::text, '') as text from shipment_events e where waybill_no = ${w}`,
    );
    expect(whole!.text.toUpperCase()).not.toContain('1101051949');
    expect(t.logs.text()).not.toContain('1101051949');
  });

  it('flags a parcel point: a locker (747) and the 704 that follows', async () => {
    const w = await leg();
    await pushOk([...travel(w), ev(w, '747', '2026-11-21 09:00:00')]);
    expect(await shipment(w)).toMatchObject({
      status: 'out_for_delivery',
      flags: [{ code: 'parcel_point', at: '2026-11-21T01:00:00.000Z' }],
    });
    await pushOk([ev(w, '704', '2026-11-21 18:00:00', { deliverCode: '50' })]);
    const after = await shipment(w);
    expect(after.status).toBe('delivered');
    expect(after.flags).toEqual([
      { code: 'parcel_point', at: '2026-11-21T10:00:00.000Z', detail: expect.stringContaining('快递柜') },
    ]);
  });

  it('shows the 705 reason while delivery has failed, and clears it with a later 704', async () => {
    const w = await leg();
    await pushOk([...travel(w), ev(w, '705', '2026-11-21 10:00:00', { attemptDeliveryCode: '4' })]);
    expect(await shipment(w)).toMatchObject({
      status: 'delivery_failed',
      deliveredAt: null,
      flags: [{ code: 'delivery_failed', at: '2026-11-21T02:00:00.000Z', detail: '未妥投：收件人不在' }],
    });
    await pushOk([
      ev(w, '702', '2026-11-22 08:00:00'),
      ev(w, '704', '2026-11-22 10:00:00', { deliverCode: '10' }),
    ]);
    expect(await shipment(w)).toMatchObject({
      status: 'delivered',
      deliveredAt: new Date('2026-11-22T02:00:00Z'),
      flags: [],
    });
  });

  it('a change listener that throws refuses the push and stores nothing; the re-push then goes through', async () => {
    const w = await leg();
    const events = [...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '10' })];
    listenerFails = true;
    const refused = await push(events);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.body.code).not.toBe('00000');
    expect(await rows(w)).toEqual([]);
    expect(await shipment(w)).toMatchObject({
      status: 'pending',
      deliveredAt: null,
      flags: [],
      lastHeardAt: null,
    });

    listenerFails = false;
    await pushOk(events);
    expect(await rows(w)).toHaveLength(5);
    expect((await shipment(w)).status).toBe('delivered');
  });

  it('concurrent pushes over the same legs, shuffled and repeated, end in the state of the whole history', async () => {
    const waybills = await Promise.all(Array.from({ length: 12 }, () => leg()));
    const story = (w: string, i: number) =>
      i % 3 === 0
        ? [
            ...travel(w),
            ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '10' }),
            ev(w, '743', '2026-11-21 10:30:00'),
            ev(w, '705', '2026-11-21 11:00:00', { attemptDeliveryCode: '5' }),
          ]
        : i % 3 === 1
          ? [...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '60' })]
          : [
              ...travel(w),
              ev(w, '705', '2026-11-21 10:00:00', { attemptDeliveryCode: '4' }),
              ev(w, '702', '2026-11-22 08:00:00'),
              ev(w, '704', '2026-11-22 10:00:00', { deliverCode: '10' }),
            ];
    const all = waybills.flatMap(story);
    // Every event twice, in a fixed scramble, in pushes of 5 that mix legs; all sent at once.
    const sent = [...all, ...all].map((e, i) => ({ e, k: (i * 7919) % 97 })).sort((a, b) => a.k - b.k);
    const batches: unknown[][] = [];
    for (let i = 0; i < sent.length; i += 5) batches.push(sent.slice(i, i + 5).map((x) => x.e));
    const answers = await Promise.all(batches.map((b) => push(b)));
    expect(answers.map((a) => a.body.code)).toEqual(batches.map(() => '00000'));

    for (const [i, w] of waybills.entries()) {
      const s = await shipment(w);
      expect((await rows(w)).length).toBe(story(w, i).length);
      if (i % 3 === 0) {
        expect(s).toMatchObject({ status: 'delivery_failed', deliveredAt: null });
        expect(s.flags.map((f) => f.detail)).toEqual(['未妥投：收件人要求改日投递']);
      } else if (i % 3 === 1) {
        expect(s).toMatchObject({ status: 'delivered', deliveredAt: new Date('2026-11-21T02:00:00Z') });
        expect(s.flags.map((f) => f.code)).toEqual(['parcel_point']);
      } else {
        expect(s).toMatchObject({
          status: 'delivered',
          deliveredAt: new Date('2026-11-22T02:00:00Z'),
          flags: [],
        });
      }
    }
  });

  it('reports each materials leg signed for in one push once, as jobs enqueued with it; a replay adds none', async () => {
    const materials = () => legRow('materials_to_centre');
    const [a, b, moving] = [await materials(), await materials(), await materials()];
    const signed = (w: string) => [...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '10' })];
    const events = [...signed(a.waybillNo), ...signed(b.waybillNo), ...travel(moving.waybillNo)];
    const reports = () =>
      t.app.database.rows<{ shipment_id: string; retry_limit: number; dead_letter: string | null }>(sql`
        select data->>'shipmentId' as shipment_id, retry_limit, dead_letter from pgboss.job
        where name = ${REPORT_MATERIALS_ARRIVAL}
          and data->>'shipmentId' in (${a.id}, ${b.id}, ${moving.id})
        order by 1`);
    await pushOk(events);
    const jobs = await reports();
    expect(jobs.map((j) => j.shipment_id)).toEqual([a.id, b.id].sort());
    // The queue's policy applies as for a single enqueue: retries, then the dead-letter queue.
    for (const j of jobs) {
      expect(j.retry_limit).toBeGreaterThan(0);
      expect(j.dead_letter).toBe(`${REPORT_MATERIALS_ARRIVAL}.dead`);
    }
    await pushOk(events);
    expect(await reports()).toHaveLength(2);
  });

  it('events for a waybill that is not ours are stored and change no leg', async () => {
    const w = '1199999999990';
    await pushOk([ev(w, '203', '2026-11-20 09:00:00')]);
    expect(await rows(w)).toHaveLength(1);
    expect(heard).toEqual([]);
  });

  it('scans pushed before the waybill was saved apply once the leg has it (refreshLegs, as the order job does)', async () => {
    const w = `12${String(randomInt(1e10, 1e11 - 1)).padStart(11, '0')}`;
    await pushOk([...travel(w), ev(w, '704', '2026-11-21 10:00:00', { deliverCode: '10' })]);
    await db()
      .insert(shipments)
      .values({
        leg: 'result_to_applicant',
        subjectKind: 'case',
        caseId: await testCase(db()),
        senderSealed: 'sealed',
        receiverSealed: 'sealed',
        waybillNo: w,
        orderedAt: new Date(),
      });
    expect((await shipment(w)).status).toBe('pending');
    await db().transaction(async (tx) => notifyShipmentChanges(t.app, tx, await refreshLegs(tx, [w])));
    expect(await shipment(w)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(Date) });
    expect(heard.map((c) => [c.shipment.waybillNo, c.previousStatus, c.shipment.status])).toEqual([
      [w, 'pending', 'delivered'],
    ]);
  });
});

describe('simulator outcomes through the BFF', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    t.ems.sim.setPushUrl(`${await t.listen()}/api/v1/hooks/ems/track`);
  });
  afterAll(() => t?.close());

  const order = (logisticsOrderNo?: string) => orderedLeg(t, { logisticsOrderNo });
  const legOf = async (waybillNo: string) =>
    (await t.app.database.db.select().from(shipments).where(eq(shipments.waybillNo, waybillNo)))[0]!;
  const settled = (waybillNo: string) =>
    until(async () => {
      const s = await legOf(waybillNo);
      return s.status === 'delivered' && s;
    });

  it('a default outcome applies to every new order until set back to the mix; reset restores it', async () => {
    const bad = await t.ems.admin<{ error?: { code: string } }>('/sim/admin/script', {
      defaultOutcome: 'lost',
    });
    expect(bad.error?.code).toBe('VALIDATION_FAILED');
    const waybills: Record<string, string[]> = {};
    for (const outcome of ['proxy_unverified', 'proxy_recorded', 'parcel_point']) {
      expect(await t.ems.admin('/sim/admin/script', { defaultOutcome: outcome })).toEqual({
        defaultOutcome: outcome,
      });
      waybills[outcome] = [await order(), await order(), await order(), await order()];
    }
    expect(await t.ems.admin('/sim/admin/script', { defaultOutcome: null })).toEqual({
      defaultOutcome: null,
    });
    await t.ems.admin('/sim/admin/clock', { speed: 720_000 });

    for (const w of waybills.proxy_unverified!) {
      expect((await settled(w)).flags.map((f) => f.code)).toEqual(['proxy_unverified']);
    }
    for (const w of waybills.proxy_recorded!) {
      expect((await settled(w)).flags).toEqual([]);
      const [signed] = await t.app.database.db
        .select()
        .from(shipmentEvents)
        .where(sql`${shipmentEvents.waybillNo} = ${w} and ${shipmentEvents.opCode} = '704'`);
      expect(signed!.signerRelation).toBe('家属');
      const id = t.app.pii.decrypt(signed!.signerIdSealed!, `shipment_events/${signed!.eventKey}/signer_id`);
      expect(validateResidentId(id).ok).toBe(true);
      expect(JSON.stringify(signed!.raw)).not.toContain(id);
    }
    for (const w of waybills.parcel_point!) {
      expect((await settled(w)).flags.map((f) => f.code)).toEqual(['parcel_point']);
    }

    const { orders } = await t.ems.admin<{ orders: { waybillNo: string; outcome: string }[] }>('/sim/orders');
    const outcomeOf = new Map(orders.map((o) => [o.waybillNo, o.outcome]));
    for (const [outcome, list] of Object.entries(waybills)) {
      expect(list.map((w) => outcomeOf.get(w))).toEqual(list.map(() => outcome));
    }
    const outcomes = async (ids: string[]) => {
      const { orders: all } = await t.ems.admin<{ orders: { logisticsOrderNo: string; outcome: string }[] }>(
        '/sim/orders',
      );
      return new Set(all.filter((o) => ids.includes(o.logisticsOrderNo)).map((o) => o.outcome));
    };
    // The mix is a hash of the order number: forty fixed numbers spread over several outcomes.
    const mixIds = Array.from({ length: 40 }, (_, i) => `ZYTMIX${i}`);
    for (const id of mixIds) await order(id);
    expect((await outcomes(mixIds)).size).toBeGreaterThan(1);

    await t.ems.admin('/sim/admin/reset', {});
    await t.ems.admin('/sim/admin/script', { defaultOutcome: 'returned' });
    for (const id of mixIds) await order(id);
    expect([...(await outcomes(mixIds))]).toEqual(['returned']);
    await t.ems.admin('/sim/admin/reset', {});
    for (const id of mixIds) await order(id);
    expect((await outcomes(mixIds)).size).toBeGreaterThan(1);
  });
});
