import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTrackPush } from '../simulators/ems/push';
import { shipmentEvents, shipments } from '../src/db/schema';
import { logisticsOrderNo, requestShipment } from '../src/features/shipments/shipments';
import { testCase } from './emsLegs';
import { buildTestApp, EMS, type TestApp } from './helpers';
import { until } from './until';

/** EMS through the BFF: orders via jobs (outbox), tracking pushes into the real endpoint. */
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await t.listen();
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
});
afterAll(() => t?.close());

/** The EMS simulator's GET /sim/pushes: batches still to deliver, and each batch's deliveries so far. */
interface Pushes {
  pending: { serialNo: string }[];
  log: { serialNo: string; attempts: number; acknowledged: boolean }[];
}

const pickup = { from: new Date(Date.now() + 3600_000), to: new Date(Date.now() + 3 * 3600_000) };
const party = (name: string) => ({
  name,
  mobile: '13800138000',
  prov: '广东省',
  city: '广州市',
  county: '黄埔区',
  address: '香雪大道1号',
});

describe('EMS orders as jobs', () => {
  it('creates every order exactly once after EMS was down for 30 s', async () => {
    await t.ems.admin('/sim/admin/faults', { downForSeconds: 30 });
    const ids = await t.app.database.db.transaction(async (tx) => {
      const out: string[] = [];
      const caseId = await testCase(tx);
      for (let i = 0; i < 100; i++) {
        out.push(
          await requestShipment(tx, t.app, {
            leg: 'materials_to_centre',
            centreId: 'HP-SC-01',
            subject: { kind: 'case', id: caseId },
            sender: party('张三'),
            receiver: party('黄埔区政务服务中心'),
            pickup,
          }),
        );
      }
      return out;
    });
    const ordered = async () =>
      (
        await t.app.database.db
          .select({ n: count() })
          .from(shipments)
          .where(and(isNotNull(shipments.waybillNo), inArray(shipments.id, ids)))
      )[0]!.n;
    // EMS is down: attempts are refused and retried (nothing lost), however long the machine takes to get there.
    await until(
      async () =>
        (
          await t.app.database.rows<{ n: number }>(
            sql`select count(*)::int as n from pgboss.job where name = 'ems.create-order' and retry_count > 0`,
          )
        )[0]!.n > 0,
    );
    await until(async () => (await ordered()) === 100).catch(async (err) => {
      console.log(
        await t.app.database.rows(
          sql`select state, retry_count, count(*)::int from pgboss.job where name = 'ems.create-order' group by 1, 2`,
        ),
      );
      throw err;
    });

    const { orders } = await t.ems.admin<{ orders: { logisticsOrderNo: string; createCalls: number }[] }>(
      '/sim/orders',
    );
    const ours = new Set(ids.map(logisticsOrderNo));
    const created = orders.filter((o) => ours.has(o.logisticsOrderNo));
    expect(created).toHaveLength(100);
    expect(created.every((o) => o.createCalls === 1)).toBe(true);
    const rows = await t.app.database.db
      .select({ w: shipments.waybillNo })
      .from(shipments)
      .where(inArray(shipments.id, ids));
    expect(new Set(rows.map((r) => r.w)).size).toBe(100);
    expect(rows.every((r) => /^\d{13}$/.test(r.w ?? ''))).toBe(true);
    // 30 s of outage plus retry backoff: a limit for a runaway test, not a speed check.
  }, 600_000);

  it('keeps names and phones of the parties sealed at rest', async () => {
    const id = await t.app.database.db.transaction(async (tx) =>
      requestShipment(tx, t.app, {
        leg: 'result_to_applicant',
        centreId: 'HP-SC-01',
        subject: { kind: 'case', id: await testCase(tx) },
        sender: party('黄埔区政务服务中心'),
        receiver: party('欧阳娜娜'),
        pickup,
      }),
    );
    const [row] = await t.app.database.db.select().from(shipments).where(eq(shipments.id, id));
    expect(row!.receiverSealed).not.toContain('欧阳');
    expect(row!.receiverSealed).not.toContain('13800138000');
  });
});

describe('EMS tracking push (040002)', () => {
  const waybillNo = '1199900000017';
  const ev = (opCode: string, opTime: string, extra: Record<string, string> = {}) => ({
    waybillNo,
    opTime,
    opCode,
    opName: `op${opCode}`,
    opDesc: '',
    opOrgProvName: '广东省',
    opOrgCity: '广州市',
    opOrgCode: '51000000',
    opOrgName: '广州黄埔揽投部',
    operatorNo: '001',
    operatorName: '投递员',
    ...extra,
  });
  const stored = () =>
    t.app.database.db
      .select()
      .from(shipmentEvents)
      .where(eq(shipmentEvents.waybillNo, waybillNo))
      .orderBy(shipmentEvents.opTime, shipmentEvents.id);

  it('stores each event once, in opTime order, from a push delivered three times and out of order', async () => {
    const events = [
      ev('704', '2026-11-20 15:00:00', { deliverCode: '10' }),
      ev('203', '2026-11-20 09:00:00'),
      ev('702', '2026-11-20 13:00:00'),
    ];
    const sent = [
      await t.ems.admin<{ serialNo: string }>('/sim/admin/push', { events, repeat: 3 }),
      await t.ems.admin<{ serialNo: string }>('/sim/admin/push', {
        events: [ev('954', '2026-11-20 11:00:00'), ev('203', '2026-11-20 09:00:00')],
      }),
    ].map((r) => r.serialNo);
    // Every delivery (3 + 1) answered by the hook, which stores before it answers: then count.
    await until(async () => {
      const { pending, log } = await t.ems.admin<Pushes>('/sim/pushes');
      return sent.every(
        (serialNo) =>
          !pending.some((p) => p.serialNo === serialNo) &&
          log.some((p) => p.serialNo === serialNo && p.acknowledged),
      );
    });
    const { log } = await t.ems.admin<Pushes>('/sim/pushes');
    expect(sent.map((serialNo) => log.find((p) => p.serialNo === serialNo)?.attempts)).toEqual([3, 1]);
    expect((await stored()).map((e) => e.opCode)).toEqual(['203', '954', '702', '704']);
  });

  const push = (body: unknown) =>
    fetch(`${base}/api/v1/hooks/ems/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const count = async () =>
    (await t.app.database.rows<{ n: number }>(sql`select count(*)::int as n from shipment_events`))[0]!.n;

  it('refuses a push for another senderNo, a bad ciphertext, and malformed events, storing nothing', async () => {
    const before = await count();
    const good = encodeTrackPush([ev('203', '2026-11-21 09:00:00')], EMS);
    const wrongSender = await push({
      ...encodeTrackPush([ev('203', '2026-11-21 09:00:00')], { ...EMS, senderNo: '1100000000001' }),
    });
    expect(wrongSender.status).toBe(400);
    expect(await wrongSender.json()).toMatchObject({ code: 'S00001', codeMessage: 'SENDER_MISMATCH' });
    const forged = await push({
      ...good,
      logitcsInterface: encodeTrackPush([ev('203', '2026-11-21 09:00:00')], {
        ...EMS,
        signKey: Buffer.from('another-key-1234').toString('base64'),
      }).logitcsInterface,
    });
    expect(((await forged.json()) as { codeMessage: string }).codeMessage).toBe('BAD_CIPHERTEXT');
    const garbage = await push({ ...good, logitcsInterface: '|$4|bm90IGNpcGhlcnRleHQ=' });
    expect(((await garbage.json()) as { codeMessage: string }).codeMessage).toBe('BAD_CIPHERTEXT');
    const malformed = await push(encodeTrackPush([{ waybillNo, opCode: 704 }], EMS));
    expect(((await malformed.json()) as { codeMessage: string }).codeMessage).toBe('BAD_PAYLOAD');
    expect(await count()).toBe(before);
    const ok = await push(good);
    expect(await ok.json()).toMatchObject({ serialNo: good.serialNo, code: '00000' });
    expect(await count()).toBe(before + 1);
  });
});
