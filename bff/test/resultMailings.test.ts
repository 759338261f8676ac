import { randomUUID } from 'node:crypto';
import { parseReceiptCode, receiptUrl } from '@zyt/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters as simMatters } from '../simulators/gov/catalogue';
import { cases, resultMailings, settlementItems, shipments } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, until } from './journey';

/**
 * 单程寄递: a resident adds a case applied for at a window or online (by its receipt's code or its number) and
 * its result ships by EMS when issued; a service centre orders mailing for many results at once, one EMS order
 * per parcel, each exactly once.
 */
let t: TestApp;
const { resident, staff } = journey(() => t);

const mailable = simMatters.find(
  (m) => m.applicantType === 'person' && m.channels.mail !== 'none' && m.result.kind === 'physical',
)!;
const notMailable = simMatters.find((m) => m.applicantType === 'person' && m.channels.mail === 'none')!;
/** The demo identity journey() gives every real-name resident. */
const ME = { name: '张三', idNumber: '11010519491231002X' };
const SOMEONE_ELSE = { name: '李四', idNumber: '11010519491231001X' };
const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' };
const contact = { name: '张三', phone: '13800138000' };

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

/** A case applied for at a window: the platform has it, we do not. */
async function windowCase(over: Record<string, unknown> = {}) {
  return t.gov.admin<{ projId: string; queryCode: string }>('/sim/admin/elsewhere-cases', {
    serviceCode: mailable.serviceCode,
    applicant: ME,
    ...over,
  });
}
const simCase = async (projId: string) =>
  (await t.gov.admin<{ cases: { projId: string; stage: string }[] }>('/sim/cases')).cases.find(
    (c) => c.projId === projId,
  )!;
/** Runs the platform's clock until the case reaches a stage. */
async function untilStage(projId: string, stage: string) {
  await until(async () => {
    if ((await simCase(projId)).stage === stage) return true;
    await t.gov.admin('/sim/admin/clock', { advanceSeconds: 600 });
    return false;
  }, 20);
}

const add = (h: Record<string, string>, payload: object, key = `rm-${randomUUID()}`) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/cases/result-mailings',
    headers: { ...h, 'idempotency-key': key },
    payload,
  });
const counts = async (userId: string) => {
  const db = t.app.database.db;
  const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(cases).where(eq(cases.userId, userId));
  const [m] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(resultMailings)
    .where(eq(resultMailings.orderedById, userId));
  return { cases: c!.n, mailings: m!.n };
};

describe('a resident adds a window case for result mailing', () => {
  it('by scanning the receipt code: the case is tracked, and its result ships by EMS when issued', async () => {
    const r = await resident();
    const w = await windowCase();
    // What the receipt's QR holds, read as the mini-program reads it.
    const scanned = parseReceiptCode(receiptUrl('https://zyt.example.gov.cn', w.projId, w.queryCode));
    expect(scanned.ok).toBe(true);
    if (!scanned.ok) return;
    const res = await add(r.h, {
      caseNumber: scanned.caseNumber,
      queryCode: scanned.queryCode,
      address,
      contact,
    });
    expect(res.statusCode, res.body).toBe(201);
    const added = res.json();
    expect(added.case).toMatchObject({ caseNumber: w.projId, matterName: mailable.name });
    expect(added.receiver).toEqual({ name: '张*', phone: '138****8000', address: '广东省广州市黄埔区****' });

    const detail = async () =>
      (await t.app.inject({ url: `/api/v1/cases/${added.case.id}`, headers: r.h })).json();
    expect((await detail()).channel).toBe('outlet_window');
    await untilStage(w.projId, '4');
    await until(async () => (await detail()).status === 'delivered');
    const d = await detail();
    expect(d.result).toMatchObject({ kind: 'physical', deliveredAt: expect.any(String) });
    expect(d.shipments.map((s: { leg: string }) => s.leg)).toEqual(['result_to_applicant']);
    expect(d.timeline.some((i: { stage?: string }) => i.stage === '4')).toBe(true);
    // Paid by the government: one piece settled.
    const settled = await t.app.database.db
      .select()
      .from(settlementItems)
      .where(eq(settlementItems.caseId, added.case.id));
    expect(settled).toHaveLength(1);
  });

  it('by typing the number and query code, after the result was issued: ships at once', async () => {
    const r = await resident();
    const w = await windowCase({ applyChannel: 'online' });
    await untilStage(w.projId, '4');
    const spaced = w.projId.replace(/(\d{4})/g, '$1 ');
    const res = await add(r.h, { caseNumber: spaced, queryCode: w.queryCode, address, contact });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().case.id;
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect(c).toMatchObject({ channel: 'online', status: 'completed', projId: w.projId });
    expect(c!.resultShipmentId).toBeTruthy();
    const [leg] = await t.app.database.db
      .select()
      .from(shipments)
      .where(eq(shipments.id, c!.resultShipmentId!));
    expect(leg).toMatchObject({ leg: 'result_to_applicant', caseId: id });
    // To the address chosen, from the centre serving it.
    const orders = await until(async () => {
      const o = (
        await t.ems.admin<{ orders: { logisticsOrderNo: string; receiver: { county: string } }[] }>(
          '/sim/orders',
        )
      ).orders.find((x) => x.logisticsOrderNo === leg!.id.replaceAll('-', ''));
      return o;
    });
    expect(orders.receiver.county).toBe('黄埔区');
  });

  it('answers a retry with the same case, and refuses the key reused for another case', async () => {
    const r = await resident();
    const w = await windowCase();
    const body = { caseNumber: w.projId, queryCode: w.queryCode, address, contact };
    const first = await add(r.h, body, 'same-key-0001');
    const again = await add(r.h, body, 'same-key-0001');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().case.id).toBe(first.json().case.id);
    const other = await add(
      r.h,
      { ...body, address: { ...address, detail: '另一个地址8号' } },
      'same-key-0001',
    );
    expect(other.statusCode).toBe(422);
    expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts(r.user.id)).toEqual({ cases: 1, mailings: 1 });
  });

  it('refuses with stable codes and writes nothing', async () => {
    const r = await resident();
    const w = await windowCase();
    const body = (over: object = {}) => ({
      caseNumber: w.projId,
      queryCode: w.queryCode,
      address,
      contact,
      ...over,
    });
    const refused = async (payload: object, status: number, code: string, h = r.h) => {
      const res = await add(h, payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(errorOf(res).code).toBe(code);
      expect(errorOf(res).message).toMatch(/\p{Script=Han}/u);
      return errorOf(res);
    };
    // An unknown case and a wrong query code get the same answer.
    const unknown = await refused(
      body({ caseNumber: '44011299990101000001' }),
      404,
      'RESULT_MAILING_CASE_NOT_FOUND',
    );
    const wrongCode = await refused(
      body({ queryCode: w.queryCode === '000000' ? '000001' : '000000' }),
      404,
      'RESULT_MAILING_CASE_NOT_FOUND',
    );
    expect(wrongCode).toEqual(unknown);
    await refused(body({ queryCode: '12ab' }), 422, 'RECEIPT_CODE_INVALID');
    await refused(body({ address: { ...address, county: '天河区' } }), 422, 'AREA_NOT_SERVED');
    const theirs = await windowCase({ applicant: SOMEONE_ELSE });
    await refused(
      body({ caseNumber: theirs.projId, queryCode: theirs.queryCode }),
      403,
      'RESULT_MAILING_APPLICANT_MISMATCH',
    );
    const noMail = await windowCase({ serviceCode: notMailable.serviceCode });
    await refused(
      body({ caseNumber: noMail.projId, queryCode: noMail.queryCode }),
      422,
      'RESULT_MAILING_NOT_SUPPORTED',
    );
    const refusedCase = await windowCase({ outcome: 'refused' });
    await untilStage(refusedCase.projId, '99');
    await refused(
      body({ caseNumber: refusedCase.projId, queryCode: refusedCase.queryCode }),
      409,
      'RESULT_MAILING_CASE_CLOSED',
    );
    const collected = await windowCase();
    await untilStage(collected.projId, '4');
    await t.gov.admin(`/sim/admin/cases/${collected.projId}/collect`, {});
    await refused(
      body({ caseNumber: collected.projId, queryCode: collected.queryCode }),
      409,
      'RESULT_ALREADY_COLLECTED',
    );
    const unverified = await resident(false);
    await refused(body(), 403, 'REAL_NAME_REQUIRED', unverified.h);
    expect(await counts(r.user.id)).toEqual({ cases: 0, mailings: 0 });

    // Added once; adding again (another key) is refused, and nothing more is written.
    expect((await add(r.h, body())).statusCode).toBe(201);
    await refused(body(), 409, 'RESULT_MAILING_ALREADY_ADDED');
    expect(await counts(r.user.id)).toEqual({ cases: 1, mailings: 1 });
  });
});

describe('a service centre orders result mailing in bulk', () => {
  it('makes one EMS order per parcel, each exactly once, even with EMS down for a while', async () => {
    const clerk = await staff('centre_clerk');
    const r = await resident();
    const added = await windowCase();
    expect(
      (await add(r.h, { caseNumber: added.projId, queryCode: added.queryCode, address, contact })).statusCode,
    ).toBe(201);

    const serial = Date.now().toString().slice(-8);
    const number = (i: number) => `440112${serial}${String(i).padStart(6, '0')}`;
    const item = (i: number, who: { name: string; phone: string }, detail = '开创大道100号') => ({
      caseNumber: number(i),
      matterCode: mailable.serviceCode,
      address: { ...address, detail },
      contact: who,
    });
    const wang = { name: '王五', phone: '13900139000' };
    const zhao = { name: '赵六', phone: '13700137000' };
    const items = [
      item(1, wang),
      item(2, wang),
      item(3, wang, '开创大道 100号'), // same address, spaced differently: same parcel
      item(4, { ...wang, phone: '13900139001' }), // another phone: another parcel
      ...[5, 6, 7, 8, 9, 10].map((i) => item(i, zhao, '科学城1号')), // 6 for one person: 5 + 1
      { caseNumber: added.projId, matterCode: mailable.serviceCode, address, contact }, // the resident's already
    ];
    await t.ems.admin('/sim/admin/faults', { downForSeconds: 2 });
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/result-mailings',
        headers: clerk.h,
        payload: { items },
      });
    const res = await post();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ordered: 10, parcels: 4 });
    const parcelOf = (i: number) => body.items[i].parcelId;
    expect(new Set([0, 1, 2].map(parcelOf)).size).toBe(1);
    expect(parcelOf(3)).not.toBe(parcelOf(0));
    expect(new Set([4, 5, 6, 7, 8].map(parcelOf)).size).toBe(1);
    expect(parcelOf(9)).not.toBe(parcelOf(4));
    expect(body.items[10]).toMatchObject({ outcome: 'already_ordered' });

    // The same list again: nothing new.
    const again = await post();
    expect(again.json()).toMatchObject({ ordered: 0, parcels: 0 });
    expect(again.json().items.every((i: { outcome: string }) => i.outcome === 'already_ordered')).toBe(true);

    const parcelIds = [
      ...new Set(body.items.slice(0, 10).map((i: { parcelId: string }) => i.parcelId)),
    ] as string[];
    const legs = await until(async () => {
      const rows = await t.app.database.db.select().from(shipments).where(inArray(shipments.id, parcelIds));
      return rows.length === 4 && rows.every((s) => s.waybillNo) && rows;
    });
    expect(new Set(legs.map((l) => l.waybillNo)).size).toBe(4);
    const orders = (
      await t.ems.admin<{ orders: { logisticsOrderNo: string; createCalls: number }[] }>('/sim/orders')
    ).orders.filter((o) => parcelIds.map((p) => p.replaceAll('-', '')).includes(o.logisticsOrderNo));
    expect(orders).toHaveLength(4);
    // Settled per parcel (计件): four pieces of postage for ten results.
    const settled = await t.app.database.db
      .select()
      .from(settlementItems)
      .where(inArray(settlementItems.shipmentId, parcelIds));
    expect(settled).toHaveLength(4);
    // Each case follows its parcel to the door.
    await until(async () => {
      const rows = await t.app.database.db
        .select({ status: cases.status })
        .from(cases)
        .where(
          inArray(
            cases.projId,
            items.slice(0, 10).map((i) => i.caseNumber),
          ),
        );
      return rows.length === 10 && rows.every((c) => c.status === 'delivered');
    });
  });

  it('refuses a list with an item it cannot mail, writing nothing; only centre clerks may order', async () => {
    const clerk = await staff('centre_clerk');
    const n = `440112${Date.now().toString().slice(-8)}999999`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/result-mailings',
      headers: clerk.h,
      payload: {
        items: [
          { caseNumber: n, matterCode: mailable.serviceCode, address, contact },
          { caseNumber: `${n.slice(0, -1)}8`, matterCode: notMailable.serviceCode, address, contact },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'RESULT_MAILING_LIST_INVALID' });
    expect(errorOf(res).details?.[0]?.field).toBe('items.1.matterCode');
    expect(await t.app.database.db.select().from(cases).where(eq(cases.projId, n))).toHaveLength(0);

    const agent = await staff('postal_agent');
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/result-mailings',
      headers: agent.h,
      payload: { items: [{ caseNumber: n, matterCode: mailable.serviceCode, address, contact }] },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});
