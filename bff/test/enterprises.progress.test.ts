import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenedRow, syntheticCreditCode } from '../simulators/gov/enterprises';
import { cases, enterprises, subsidyConfirmations, subsidyRounds } from '../src/db/schema';
import { openCase } from '../src/features/cases/cases';
import { importRoundList } from '../src/features/enterprises/subsidies';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey } from './journey';

/**
 * Supervisors follow a 免申即享 round: on the list, confirmed, accepted, paid, overdue (unpaid past the 21
 * working days), claims by post by channel, per Beijing day; the same as CSV with every enterprise on the list.
 */
let t: TestApp;
const { staff, resident } = journey(() => t);
const DAY = 86_400_000;
let sup: { h: Record<string, string> };
let roundId: string;
let emptyRoundId: string;
const codes = Array.from({ length: 6 }, (_, i) => syntheticCreditCode(4_200_000 + i));
const [A, B, C, D, E, F] = codes as [string, string, string, string, string, string];

/** One enterprise's confirmation and where its case stands, at chosen instants. */
async function confirmation(
  userId: string,
  creditCode: string,
  at: {
    confirmedAt: string;
    acceptedAt?: string;
    status?: 'received' | 'refused';
    payBy?: Date;
    paidOn?: string;
  },
) {
  const db = t.app.database.db;
  const c = await openCase(db, {
    userId,
    channel: 'enterprise_claim',
    applicant: { kind: 'enterprise', name: `企业${creditCode.slice(-4)}`, creditCode },
    matter: { code: 'BENCH-MATTER', name: '稳岗补贴区配套资助', promisedWorkingDays: 20 },
    payWorkingDays: 21,
  });
  await db
    .update(cases)
    .set({
      projId: `P${creditCode.slice(-6)}`,
      status: at.status ?? (at.acceptedAt ? 'received' : 'submitting'),
      acceptedAt: at.acceptedAt ? new Date(at.acceptedAt) : null,
      payBy: at.payBy ?? null,
      payment: at.paidOn
        ? { amountFen: 1_000_000, paidOn: at.paidOn, account: '****3456', reportedAt: at.paidOn }
        : null,
    })
    .where(eq(cases.id, c.id));
  await db.insert(subsidyConfirmations).values({
    roundId,
    creditCode,
    userId,
    caseId: c.id,
    amountFen: 1_000_000,
    sizeClass: 'small',
    headcount: 10,
    bankName: '中国工商银行',
    bankAccountSealed: 'sealed',
    bankAccountLast4: '3456',
    contactPhoneSealed: 'sealed',
    confirmedAt: new Date(at.confirmedAt),
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  sup = await staff('supervisor');
  const db = t.app.database.db;
  const newRound = async (name: string, publishedAt: string, size: number) =>
    (
      await db
        .insert(subsidyRounds)
        .values({
          platformRoundId: `progress-${name}`,
          name,
          rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
          matterCode: 'BENCH-MATTER',
          deadline: new Date(Date.now() + 10 * DAY),
          listSize: size,
          publishedAt: new Date(publishedAt),
        })
        .returning()
    )[0]!;
  const round = await newRound('2026年稳岗补贴区配套资助（第一批）', '2026-11-01T01:00:00Z', codes.length);
  roundId = round.id;
  emptyRoundId = (await newRound('2026年稳岗补贴区配套资助（第二批）', '2026-11-20T01:00:00Z', 0)).id;
  await db.insert(enterprises).values(
    codes.map((c) => ({
      creditCode: c,
      name: `企业${c.slice(-4)}`,
      address: '黄埔区',
      legalRepresentativeMasked: '林*',
    })),
  );
  // 2,000,000 fen last year → 1,000,000 screened each.
  await importRoundList(
    db,
    round,
    codes.map((c) => screenedRow(c, `企业${c.slice(-4)}`, 2_000_000)),
  );
  const clerk = await t.signIn();
  const u = clerk.user.id;
  // Beijing is UTC+8: 16:30Z on 2 Nov is 00:30 on 3 Nov in Beijing.
  await confirmation(u, A, {
    confirmedAt: '2026-11-02T16:30:00Z',
    acceptedAt: '2026-11-03T02:00:00Z',
    payBy: new Date(Date.now() + 20 * DAY),
    paidOn: '2026-11-10',
  });
  await confirmation(u, B, {
    confirmedAt: '2026-11-02T15:30:00Z', // 23:30 on 2 Nov
    acceptedAt: '2026-11-03T17:00:00Z', // 01:00 on 4 Nov
    payBy: new Date(Date.now() - DAY), // unpaid past its deadline
  });
  await confirmation(u, C, { confirmedAt: '2026-11-03T03:00:00Z' });
  await confirmation(u, D, { confirmedAt: '2026-11-03T04:00:00Z', status: 'refused' });
  await confirmation(u, E, {
    confirmedAt: '2026-11-03T05:00:00Z',
    acceptedAt: '2026-11-03T06:00:00Z',
    payBy: new Date('2026-11-05T15:59:59.999Z'), // end of 5 Nov in Beijing
    paidOn: '2026-11-10', // paid, but late
  });
  // F is on the list and has not confirmed.
});
afterAll(() => t?.close());

const get = (url: string, h: Record<string, string> = sup.h) =>
  t.app.inject({ url: `/api/v1${url}`, headers: h });

describe("a round's progress", () => {
  it('lists rounds newest first with their headline counts', async () => {
    const res = await get('/supervision/rounds');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; counts: Record<string, number>; statusLabel: string }[];
    const mine = items.filter((r) => r.id === roundId || r.id === emptyRoundId);
    expect(mine.map((r) => r.id)).toEqual([emptyRoundId, roundId]);
    expect(mine[0]!.counts).toMatchObject({ listed: 0, confirmed: 0, paid: 0, overdue: 0 });
    expect(mine[0]!.statusLabel).toBe('名单导入中');
    expect(mine[1]!.statusLabel).toBe('确认中');
    expect(mine[1]!.counts).toEqual({
      listed: 6,
      listedFen: 6_000_000,
      confirmed: 5,
      confirmedFen: 5_000_000,
      accepted: 3,
      refused: 1,
      paid: 2,
      paidFen: 2_000_000,
      overdue: 1,
      paidLate: 1,
    });
  });

  it('counts on the list, confirmed, accepted, paid and overdue, and buckets days by Beijing date', async () => {
    const res = await get(`/supervision/rounds/${roundId}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.round).toMatchObject({ id: roundId, closed: false });
    expect(p.round.counts).toMatchObject({ listed: 6, confirmed: 5, accepted: 3, paid: 2, overdue: 1 });
    expect(p.claims).toEqual({ received: 0, byChannel: { ems_pickup: 0, door_visit: 0, self_post: 0 } });
    expect(p.oldestOverdueDue).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(p.days).toEqual([
      { date: '2026-11-02', confirmed: 1, accepted: 0, paid: 0, paidFen: 0 },
      { date: '2026-11-03', confirmed: 4, accepted: 2, paid: 0, paidFen: 0 },
      { date: '2026-11-04', confirmed: 0, accepted: 1, paid: 0, paidFen: 0 },
      { date: '2026-11-10', confirmed: 0, accepted: 0, paid: 2, paidFen: 2_000_000 },
    ]);
  });

  it('exports the counts, the days and every enterprise as CSV with a BOM', async () => {
    const res = await get(`/supervision/rounds/${roundId}/progress.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const text = res.body;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toContain('名单内,6,60000.00');
    expect(lines).toContain('已拨付,2,20000.00');
    expect(lines).toContain('超期未拨付,1,');
    expect(lines).toContain('日期,确认,受理,拨付,拨付金额（元）');
    expect(lines).toContain('2026-11-03,4,2,0,0.00');
    expect(lines).toContain('2026-11-10,0,0,2,20000.00');
    expect(lines).toContain('EMS免费上门取件,0');
    const row = (code: string) => lines.find((l) => l.startsWith(`${code},`))!.split(',');
    expect(row(A)[3]).toBe('已拨付');
    expect(row(B)[3]).toBe('超期未拨付');
    expect(row(C)[3]).toBe('已确认，待受理');
    expect(row(D)[3]).toBe('不予受理');
    expect(row(E)[3]).toBe('已拨付（超期）');
    expect(row(F)).toEqual([F, `企业${F.slice(-4)}`, '10000.00', '未确认', '', '', '', '', '', '']);
    expect(row(A)[4]).toBe('2026-11-03 00:30');
  });

  it('is for supervisors only; an unknown round is 404, a malformed id 400', async () => {
    const someone = await resident(false);
    const agent = await staff('postal_agent');
    for (const url of [
      '/supervision/rounds',
      `/supervision/rounds/${roundId}`,
      `/supervision/rounds/${roundId}/progress.csv`,
    ]) {
      expect((await get(url, someone.h)).statusCode).toBe(403);
      expect((await get(url, agent.h)).statusCode).toBe(403);
      expect((await get(url, {})).statusCode).toBe(401);
    }
    const missing = await get('/supervision/rounds/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({
      code: 'ROUND_NOT_FOUND',
      message: expect.stringContaining('批次'),
    });
    const missingCsv = await get('/supervision/rounds/00000000-0000-4000-8000-000000000000/progress.csv');
    expect(missingCsv.statusCode).toBe(404);
    expect((await get('/supervision/rounds/not-a-round')).statusCode).toBe(400);
  });
});
