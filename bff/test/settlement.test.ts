import { randomInt } from 'node:crypto';
import type { ShipmentLeg } from '@zyt/shared';
import { and, eq, ne } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlets, settlementContracts, settlementReconciliations, shipments } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { beijingMonth } from '../src/features/settlement/months';
import { logisticsOrderNo, requestShipment } from '../src/features/shipments/shipments';
import { formatEmsTime } from '../src/integrations/ems/time';
import { testCase, testParty } from './emsLegs';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, SERVING_CENTRE } from './journey';

/**
 * 政府买单: a centre's contract (计件 or 包干), its monthly statement of every leg it pays for, the export, and
 * reconciliation against the post's monthly bill with the discrepancies the EMS simulator is told to make.
 */
let t: TestApp;
const { resident, staff } = journey(() => t);
let supervisor: { id: string; h: Record<string, string> };
let clerk: { id: string; h: Record<string, string> };
let otherCentre: string;

const THIS_MONTH = beijingMonth(new Date());
const LAST_MONTH = (() => {
  const [y, m] = THIS_MONTH.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
})();
/** 10:00 Beijing on the 10th of last month. */
const IN_LAST_MONTH = new Date(`${LAST_MONTH}-10T02:00:00Z`);

const api = (path: string) => `/api/v1/staff/settlement${path}`;
const statementUrl = (centre: string, month: string) => api(`/centres/${centre}/statements/${month}`);
const reconcileUrl = (centre: string, month: string) => api(`/centres/${centre}/reconciliations/${month}`);

const PRICES = { materials_to_centre: 1500, supplement_to_centre: 1000, result_to_applicant: 1200 };
/** The simulator's tariff for pieces up to 500 g: a contract at these prices agrees with an honest bill. */
const AT_TARIFF = { materials_to_centre: 1200, supplement_to_centre: 1200, result_to_applicant: 1200 };

async function putContract(centre: string, body: object, h = supervisor.h) {
  return t.app.inject({ method: 'PUT', url: api(`/centres/${centre}/contract`), headers: h, payload: body });
}

/**
 * A leg the centre pays for, ordered at the EMS simulator under the centre's 项目号 and recorded as the
 * create-order job leaves it, both dated `at` (the simulator's 收寄 date moved to match). Returns the waybill.
 */
async function leg(
  centre: string,
  kind: ShipmentLeg,
  opts: { weight?: number; at?: Date; status?: string } = {},
): Promise<string> {
  const weight = opts.weight ?? 300;
  const at = opts.at ?? IN_LAST_MONTH;
  const { waybillNo } = await t.app.ems.createOrder({
    logisticsOrderNo: `ZYT${randomInt(1e9, 1e10 - 1)}`,
    ecommerceUserId: 'user-1',
    weight,
    pickupType: '0',
    projectId: centre,
    sender: testParty,
    receiver: testParty,
    cargos: [{ cargoName: '政务材料' }],
  });
  await t.ems.admin('/sim/admin/posting-date', { waybillNos: [waybillNo], postedAt: formatEmsTime(at) });
  await t.app.database.db.insert(shipments).values({
    leg: kind,
    subjectKind: 'case',
    caseId: await testCase(t.app.database.db),
    centreOutletId: centre,
    senderSealed: 'sealed',
    receiverSealed: 'sealed',
    weightGrams: weight,
    status: opts.status ?? 'in_transit',
    waybillNo,
    orderedAt: at,
    lastHeardAt: at,
  });
  return waybillNo;
}

/** Last month's legs of the serving centre: 2 materials, 1 supplement, 3 results (plus legs that don't count). */
const ours: Record<'m1' | 'm2' | 's1' | 'r1' | 'r2' | 'r3', string> = {} as never;

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
  const [other] = await t.app.database.db
    .select({ id: outlets.id })
    .from(outlets)
    .where(and(eq(outlets.kind, 'service_centre'), ne(outlets.id, SERVING_CENTRE)));
  otherCentre = other!.id;
  supervisor = await staff('supervisor');
  clerk = await staff('centre_clerk');

  ours.m1 = await leg(SERVING_CENTRE, 'materials_to_centre', { weight: 500 });
  ours.m2 = await leg(SERVING_CENTRE, 'materials_to_centre', { weight: 500 });
  ours.s1 = await leg(SERVING_CENTRE, 'supplement_to_centre');
  ours.r1 = await leg(SERVING_CENTRE, 'result_to_applicant', { weight: 200 });
  ours.r2 = await leg(SERVING_CENTRE, 'result_to_applicant', { weight: 200 });
  ours.r3 = await leg(SERVING_CENTRE, 'result_to_applicant', { weight: 200 });
  // Not on the statement: cancelled before pickup, another centre's, and this month's.
  const cancelled = await leg(SERVING_CENTRE, 'result_to_applicant', { status: 'cancelled' });
  await t.app.ems.cancelOrder({
    logisticsOrderNo: (
      await t.ems.admin<{ orders: { waybillNo: string; logisticsOrderNo: string }[] }>('/sim/orders')
    ).orders.find((o) => o.waybillNo === cancelled)!.logisticsOrderNo,
    waybillNo: cancelled,
    reason: '测试撤单',
  });
  await leg(otherCentre, 'result_to_applicant');
  await leg(SERVING_CENTRE, 'result_to_applicant', { at: new Date() });
}, 180_000);
afterAll(() => t?.close());

describe('legs and the centre that pays', () => {
  it('a leg carries its centre to EMS as the 项目号 the monthly bill is split by', async () => {
    const id = await t.app.database.db.transaction(async (tx) =>
      requestShipment(tx, t.app, {
        leg: 'result_to_applicant',
        centreId: SERVING_CENTRE,
        subject: { kind: 'case', id: await testCase(tx) },
        sender: testParty,
        receiver: testParty,
        weightGrams: 400,
        pickup: { from: new Date(), to: new Date(Date.now() + 3_600_000) },
      }),
    );
    await expect
      .poll(
        async () =>
          (
            await t.ems.admin<{ orders: { logisticsOrderNo: string; projectId: string; weight: number }[] }>(
              '/sim/orders',
            )
          ).orders.find((o) => o.logisticsOrderNo === logisticsOrderNo(id)),
        { timeout: 20_000, interval: 200 },
      )
      .toMatchObject({ projectId: SERVING_CENTRE, weight: 400 });
    const [row] = await t.app.database.db.select().from(shipments).where(eq(shipments.id, id));
    expect(row!.centreOutletId).toBe(SERVING_CENTRE);
  });
});

describe('contracts', () => {
  it('a supervisor sets a per-piece or lump-sum contract from a month on; the latest not after a month governs it', async () => {
    const first = await putContract(SERVING_CENTRE, {
      mode: 'per_piece',
      validFrom: '2020-01',
      pricesFen: PRICES,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      mode: 'per_piece',
      modeLabel: '计件结算',
      pricesFen: PRICES,
      monthlyFen: null,
    });
    // A later contract (from next year) does not govern last month.
    await putContract(SERVING_CENTRE, { mode: 'lump_sum', validFrom: '2999-01', monthlyFen: 1 });
    const list = await t.app.inject({ url: api('/centres'), headers: supervisor.h });
    expect(list.json().items.find((c: { id: string }) => c.id === SERVING_CENTRE).contract).toMatchObject({
      mode: 'per_piece',
      validFrom: '2020-01',
    });
    const statement = await t.app.inject({
      url: statementUrl(SERVING_CENTRE, LAST_MONTH),
      headers: supervisor.h,
    });
    expect(statement.json().contract.mode).toBe('per_piece');
  });

  it('refuses a contract without its prices or amount, an unknown centre, and anyone but a supervisor; nothing written', async () => {
    const before = await t.app.database.db.select().from(settlementContracts);
    const bad = [
      { mode: 'per_piece', validFrom: LAST_MONTH },
      { mode: 'per_piece', validFrom: LAST_MONTH, pricesFen: { materials_to_centre: 100 } },
      { mode: 'lump_sum', validFrom: LAST_MONTH, monthlyFen: -5 },
      { mode: 'lump_sum', validFrom: '2026-13', monthlyFen: 100 },
      { mode: 'monthly', validFrom: LAST_MONTH, monthlyFen: 100 },
    ];
    for (const body of bad) {
      const res = await putContract(SERVING_CENTRE, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    }
    const nowhere = await putContract('NO-SUCH-CENTRE', {
      mode: 'lump_sum',
      validFrom: LAST_MONTH,
      monthlyFen: 100,
    });
    expect(nowhere.statusCode).toBe(404);
    expect(errorOf(nowhere)).toMatchObject({ code: 'SETTLEMENT_CENTRE_NOT_FOUND' });
    const byClerk = await putContract(
      SERVING_CENTRE,
      { mode: 'lump_sum', validFrom: LAST_MONTH, monthlyFen: 1 },
      clerk.h,
    );
    expect(byClerk.statusCode).toBe(403);
    expect(await t.app.database.db.select().from(settlementContracts)).toEqual(before);
  });
});

describe('monthly statement', () => {
  it('per piece: each leg at its kind’s price; cancelled legs, other centres and other months are not on it', async () => {
    await putContract(SERVING_CENTRE, { mode: 'per_piece', validFrom: LAST_MONTH, pricesFen: PRICES });
    const res = await t.app.inject({ url: statementUrl(SERVING_CENTRE, LAST_MONTH), headers: supervisor.h });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({
      month: LAST_MONTH,
      pieces: 6,
      totalFen: 2 * 1500 + 1000 + 3 * 1200,
      linesTotal: 6,
    });
    expect(s.byLeg).toEqual([
      { leg: 'materials_to_centre', legLabel: '申请材料寄往中心', pieces: 2, amountFen: 3000 },
      { leg: 'supplement_to_centre', legLabel: '补正材料寄往中心（替你跑）', pieces: 1, amountFen: 1000 },
      { leg: 'result_to_applicant', legLabel: '办理结果寄给群众', pieces: 3, amountFen: 3600 },
    ]);
    expect(s.lines.map((l: { waybillNo: string }) => l.waybillNo).sort()).toEqual(Object.values(ours).sort());
    expect(s.lines.find((l: { waybillNo: string }) => l.waybillNo === ours.s1)).toMatchObject({
      leg: 'supplement_to_centre',
      weightGrams: 300,
      amountFen: 1000,
    });
    const page = await t.app.inject({
      url: `${statementUrl(SERVING_CENTRE, LAST_MONTH)}?limit=2&offset=4`,
      headers: supervisor.h,
    });
    expect(page.json().lines).toHaveLength(2);
    expect(page.json().linesTotal).toBe(6);
  });

  it('lump sum: the month’s amount whatever the count, no price per leg', async () => {
    await putContract(SERVING_CENTRE, { mode: 'lump_sum', validFrom: LAST_MONTH, monthlyFen: 500_000 });
    const s = (
      await t.app.inject({ url: statementUrl(SERVING_CENTRE, LAST_MONTH), headers: supervisor.h })
    ).json();
    expect(s).toMatchObject({
      pieces: 6,
      totalFen: 500_000,
      contract: { mode: 'lump_sum', modeLabel: '包干结算' },
    });
    expect(s.byLeg.map((l: { pieces: number; amountFen: null }) => [l.pieces, l.amountFen])).toEqual([
      [2, null],
      [1, null],
      [3, null],
    ]);
    expect(s.lines.every((l: { amountFen: null }) => l.amountFen === null)).toBe(true);
    await putContract(SERVING_CENTRE, { mode: 'per_piece', validFrom: LAST_MONTH, pricesFen: PRICES });
  });

  it('refuses a month not yet over with a stable code and a Chinese message (statement, export, reconciliation)', async () => {
    for (const [method, url] of [
      ['GET', statementUrl(SERVING_CENTRE, THIS_MONTH)],
      ['GET', `${statementUrl(SERVING_CENTRE, THIS_MONTH)}/export?format=xlsx`],
      ['POST', reconcileUrl(SERVING_CENTRE, THIS_MONTH)],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: supervisor.h });
      expect(res.statusCode, url).toBe(409);
      expect(errorOf(res).code).toBe('SETTLEMENT_MONTH_NOT_CLOSED');
      expect(errorOf(res).message).toContain(`${Number(THIS_MONTH.slice(5))}月尚未结束`);
    }
    expect(await t.app.database.db.select().from(settlementReconciliations)).toEqual([]);
  });

  it('refuses a month no contract governs, and a malformed month; nothing written', async () => {
    const noContract = await t.app.inject({
      url: statementUrl(otherCentre, LAST_MONTH),
      headers: supervisor.h,
    });
    expect(noContract.statusCode).toBe(422);
    expect(errorOf(noContract)).toMatchObject({ code: 'SETTLEMENT_CONTRACT_MISSING' });
    expect(errorOf(noContract).message).toContain('没有生效的结算合同');
    const reconcile = await t.app.inject({
      method: 'POST',
      url: reconcileUrl(otherCentre, LAST_MONTH),
      headers: supervisor.h,
    });
    expect(reconcile.statusCode).toBe(422);
    for (const month of ['2026-13', '2026-1', 'last']) {
      const res = await t.app.inject({ url: statementUrl(SERVING_CENTRE, month), headers: supervisor.h });
      expect(res.statusCode, month).toBe(400);
    }
    expect(await t.app.database.db.select().from(settlementReconciliations)).toEqual([]);
  });

  it('a centre clerk reads their own centre only (another answers 404); residents are refused', async () => {
    expect(
      (await t.app.inject({ url: statementUrl(SERVING_CENTRE, LAST_MONTH), headers: clerk.h })).statusCode,
    ).toBe(200);
    const foreign = await t.app.inject({ url: statementUrl(otherCentre, LAST_MONTH), headers: clerk.h });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('SETTLEMENT_CENTRE_NOT_FOUND');
    expect(
      (await t.app.inject({ url: api('/centres'), headers: clerk.h }))
        .json()
        .items.map((c: { id: string }) => c.id),
    ).toEqual([SERVING_CENTRE]);
    const byClerk = await t.app.inject({
      method: 'POST',
      url: reconcileUrl(SERVING_CENTRE, LAST_MONTH),
      headers: clerk.h,
    });
    expect(byClerk.statusCode).toBe(403);
    const r = await resident();
    expect(
      (await t.app.inject({ url: statementUrl(SERVING_CENTRE, LAST_MONTH), headers: r.h })).statusCode,
    ).toBe(403);
  });
});

describe('export', () => {
  it('XLSX: streamed with its type and a Chinese file name; read back, it is the statement', async () => {
    const res = await t.app.inject({
      url: `${statementUrl(SERVING_CENTRE, LAST_MONTH)}/export?format=xlsx`,
      headers: supervisor.h,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="statement-${SERVING_CENTRE}-${LAST_MONTH}.xlsx"; filename*=UTF-8''${encodeURIComponent(
        `政府买单对账单-`,
      )}${(res.headers['content-disposition'] as string).split(encodeURIComponent('政府买单对账单-'))[1]}`,
    );
    expect(decodeURIComponent(res.headers['content-disposition'] as string)).toContain(`政府买单对账单-`);
    const statement = (
      await t.app.inject({ url: statementUrl(SERVING_CENTRE, LAST_MONTH), headers: supervisor.h })
    ).json();

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('对账单')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(String(rows[0]![0])).toContain(`${Number(LAST_MONTH.slice(5))}月政府买单寄递对账单`);
    expect(String(rows[1]![0])).toContain('计件结算');
    const header = rows.findIndex((r) => r[0] === '序号');
    const lines = rows.slice(header + 1).filter((r) => typeof r[0] === 'number');
    expect(lines.map((r) => [r[1], r[2], r[4], r[5]])).toEqual(
      statement.lines.map(
        (l: { waybillNo: string; legLabel: string; weightGrams: number; amountFen: number }) => [
          l.waybillNo,
          l.legLabel,
          l.weightGrams,
          l.amountFen / 100,
        ],
      ),
    );
    const total = rows.find((r) => r[0] === '合计')!;
    expect(total[4]).toBe(`${statement.pieces} 件`);
    expect(total[5]).toBe(statement.totalFen / 100);
    const subtotals = rows.filter((r) => r[0] === '小计');
    expect(subtotals.map((r) => r[5])).toEqual(
      statement.byLeg.map((l: { amountFen: number }) => l.amountFen / 100),
    );
  });

  it('CSV: UTF-8 with a BOM, the table and its total', async () => {
    const res = await t.app.inject({
      url: `${statementUrl(SERVING_CENTRE, LAST_MONTH)}/export?format=csv`,
      headers: clerk.h,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="statement-.*\.csv"; filename\*=UTF-8''/,
    );
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = res.rawPayload.subarray(3).toString('utf8').trim().split('\n');
    expect(text[0]).toBe('序号,运单号,寄递类型,下单时间（北京时间）,重量（克）,金额（元）');
    expect(text.filter((l) => /^\d+,/.test(l))).toHaveLength(6);
    expect(text.find((l) => l.includes(ours.s1))).toMatch(/,补正材料寄往中心（替你跑）,.*,300,10\.00$/);
    expect(text.at(-1)).toBe('合计,,计件结算,,6 件,76.00');
  });

  it('refuses an unknown format', async () => {
    const res = await t.app.inject({
      url: `${statementUrl(SERVING_CENTRE, LAST_MONTH)}/export?format=pdf`,
      headers: supervisor.h,
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('reconciliation with the post’s monthly bill', () => {
  async function reconciled() {
    const started = await t.app.inject({
      method: 'POST',
      url: reconcileUrl(SERVING_CENTRE, LAST_MONTH),
      headers: supervisor.h,
    });
    expect(started.statusCode).toBe(202);
    expect(started.json().status).toBe('pending');
    await expect
      .poll(
        async () =>
          (
            await t.app.inject({ url: reconcileUrl(SERVING_CENTRE, LAST_MONTH), headers: supervisor.h })
          ).json().status,
        {
          timeout: 20_000,
          interval: 200,
        },
      )
      .toBe('done');
    return (await t.app.inject({ url: reconcileUrl(SERVING_CENTRE, LAST_MONTH), headers: clerk.h })).json();
  }

  it('before asking, there is none', async () => {
    const res = await t.app.inject({ url: reconcileUrl(SERVING_CENTRE, LAST_MONTH), headers: supervisor.h });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('RECONCILIATION_NOT_FOUND');
  });

  it('an honest bill at contract prices matches', async () => {
    await putContract(SERVING_CENTRE, { mode: 'per_piece', validFrom: LAST_MONTH, pricesFen: AT_TARIFF });
    await t.ems.admin('/sim/admin/bill-discrepancies', { billMonth: LAST_MONTH, discrepancies: [] });
    const r = await reconciled();
    expect(r).toMatchObject({
      status: 'done',
      bill: { pieces: 6, totalFen: 7200 },
      ours: { pieces: 6, totalFen: 7200 },
      mismatches: [],
    });
  });

  it('finds every injected discrepancy, each with its kind', async () => {
    await t.ems.admin('/sim/admin/bill-discrepancies', {
      billMonth: LAST_MONTH,
      discrepancies: [
        { kind: 'duplicate', waybillNo: ours.r1 },
        { kind: 'unknown', projectId: SERVING_CENTRE, waybillNo: '1199999999990' },
        { kind: 'weight', waybillNo: ours.m1, weightGrams: 1500 },
        { kind: 'price', waybillNo: ours.s1, postageFen: 1800 },
        { kind: 'omit', waybillNo: ours.r2 },
      ],
    });
    const r = await reconciled();
    const found = r.mismatches.map((m: { kind: string; waybillNo: string }) => [m.kind, m.waybillNo]);
    expect(found.sort()).toEqual(
      [
        ['billed_twice', ours.r1],
        ['unknown_piece', '1199999999990'],
        ['weight_mismatch', ours.m1],
        // Billed heavier, so dearer too.
        ['price_mismatch', ours.m1],
        ['price_mismatch', ours.s1],
        ['missing_from_bill', ours.r2],
      ].sort(),
    );
    const byKind = (kind: string) => r.mismatches.find((m: { kind: string }) => m.kind === kind);
    expect(byKind('billed_twice')).toMatchObject({
      kindLabel: '重复计费',
      billed: { times: 2 },
      detail: '账单中出现 2 次，应只计 1 次',
    });
    expect(byKind('weight_mismatch')).toMatchObject({
      ours: { weightGrams: 500, amountFen: 1200 },
      billed: { weightGrams: 1500, amountFen: 1600, times: 1 },
      detail: '我方记录 500 克，账单 1500 克',
    });
    expect(byKind('unknown_piece')).toMatchObject({
      leg: null,
      ours: null,
      kindLabel: '账单中有我方没有的邮件',
    });
    expect(byKind('missing_from_bill')).toMatchObject({ leg: 'result_to_applicant', billed: null });
    // 6 of ours − 1 left out + 1 twice + 1 unknown; m1 billed at 1500 g (¥16), s1 at ¥18.
    expect(r.bill).toEqual({ pieces: 7, totalFen: 1600 + 1200 + 1800 + 2 * 1200 + 1200 + 1200 });

    // The export carries the findings on their own sheet.
    const res = await t.app.inject({
      url: `${statementUrl(SERVING_CENTRE, LAST_MONTH)}/export?format=xlsx`,
      headers: supervisor.h,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const diff = workbook.getWorksheet('对账差异')!;
    expect(diff.rowCount).toBe(1 + 6);
    expect(diff.getRow(2).getCell(1).value).toBeTruthy();
  });

  it('under a lump sum no price is checked per piece; asking again replaces the result', async () => {
    await putContract(SERVING_CENTRE, { mode: 'lump_sum', validFrom: LAST_MONTH, monthlyFen: 500_000 });
    const r = await reconciled();
    expect(r.mismatches.map((m: { kind: string }) => m.kind).sort()).toEqual(
      ['billed_twice', 'missing_from_bill', 'unknown_piece', 'weight_mismatch'].sort(),
    );
    expect(r.ours).toEqual({ pieces: 6, totalFen: 500_000 });
    expect(await t.app.database.db.select().from(settlementReconciliations)).toHaveLength(1);
  });
});
