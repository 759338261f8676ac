import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEnterprises, screenedRow } from '../simulators/gov/enterprises';
import { bookings, cases, shipments, subsidyClaims, subsidyRounds } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, until } from './journey';

/**
 * 邮寄申领: an enterprise the screening missed claims in a round with materials. The round's rate computes the
 * amount from last year's subsidy; the materials travel by a free EMS pickup, a door visit, or the enterprise's
 * own post with a cover sheet the centre enters on arrival; the claim becomes the enterprise's case on the
 * platform. One claim per enterprise and round; every refusal writes nothing.
 */
let t: TestApp;
const { staff, collectAll } = journey(() => t);
const [precision, logistics, restaurant] = registryEnterprises as [
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
];
const CLERK = { name: '王五', idNumber: '110105194912310038' };
const DAY = 86_400_000;
const claimBody = (over: Record<string, unknown> = {}) => ({
  lastYearFen: 3_000_001,
  headcount: 36,
  bankName: '中国建设银行广州开发区支行',
  bankAccount: '4400 1234 5678 9012',
  contact: { name: '王五', phone: '13800138000' },
  address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '科学大道18号A栋' },
  channel: 'ems_pickup',
  ...over,
});

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
  t.gov.sim.setSpeed(2000);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
let serial = 0;
async function person(who: { name: string; idNumber: string }) {
  const s = await t.signIn();
  const h = bearer(s.accessToken);
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/consent',
    headers: h,
    payload: { version: PRIVACY_GUIDE_VERSION },
  });
  await t.app.inject({ method: 'POST', url: '/api/v1/me/identity', headers: h, payload: who });
  return { id: s.user.id, h };
}
const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const post = (h: Record<string, string>, url: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: payload ? h : { ...h, 'content-type': 'application/json' },
    payload: payload ?? '',
  });
const claim = (
  h: Record<string, string>,
  creditCode: string,
  roundId: string,
  body: object,
  key = `claim-${Date.now()}-${serial++}`,
) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/enterprises/${creditCode}/rounds/${roundId}/claim`,
    headers: { ...h, 'idempotency-key': key },
    payload: body,
  });
/** The enterprise's legal representative, bound as admin, and a clerk they approved. */
async function boundEnterprise(e: (typeof registryEnterprises)[number]) {
  const admin = await person(e.legalRepresentative);
  await post(admin.h, '/enterprises/bindings', { creditCode: e.creditCode });
  const clerk = await person(CLERK);
  const { binding } = (await post(clerk.h, '/enterprises/bindings', { creditCode: e.creditCode })).json();
  await post(admin.h, `/enterprises/${e.creditCode}/members/${binding.id}/approve`);
  return { admin, clerk };
}
/** The platform publishes a round listing only the restaurant; resolves once our import job has opened it. */
async function publishRound(body: Record<string, unknown> = {}) {
  const { roundId } = await t.gov.admin<{ roundId: string }>('/sim/admin/rounds', {
    deadline: new Date(Date.now() + 10 * DAY).toISOString(),
    includeSeeded: false,
    rows: [screenedRow(restaurant.creditCode, restaurant.name, 2_400_000)],
    ...body,
  });
  return until(async () => {
    const [r] = await db().select().from(subsidyRounds).where(eq(subsidyRounds.platformRoundId, roundId));
    return r?.status === 'open' && r;
  }, 30);
}
interface SimCase {
  projId: string;
  stage: string;
  applicant: { applyType: number; cardType: string; cardNumber: string; operatorCardType?: string };
  claim: { amountFen: number; lastYearFen: number; ratePercent: number; bankAccount: string } | null;
  materialsWaybill: string | null;
  payment: { amountFen: number } | null;
}
const simCaseOf = async (ourId: string) =>
  (await t.gov.admin<{ cases: (SimCase & { busMode?: string })[] }>(`/sim/cases?ourId=${ourId}`)).cases[0];
const counts = async () => ({
  claims: (await db().select({ n: count() }).from(subsidyClaims))[0]!.n,
  cases: (await db().select({ n: count() }).from(cases))[0]!.n,
  bookings: (await db().select({ n: count() }).from(bookings))[0]!.n,
  shipments: (await db().select({ n: count() }).from(shipments))[0]!.n,
});

describe('claims by post', () => {
  let round: Awaited<ReturnType<typeof publishRound>>;
  let precisionTeam: Awaited<ReturnType<typeof boundEnterprise>>;
  let logisticsTeam: Awaited<ReturnType<typeof boundEnterprise>>;
  let restaurantTeam: Awaited<ReturnType<typeof boundEnterprise>>;

  beforeAll(async () => {
    precisionTeam = await boundEnterprise(precision);
    logisticsTeam = await boundEnterprise(logistics);
    restaurantTeam = await boundEnterprise(restaurant);
    round = await publishRound();
  });

  it('shows an enterprise the screening missed the rule, the checklist and the round open to claim', async () => {
    expect(round.ratePercent).toBe(50);
    const res = await get(precisionTeam.clerk.h, `/enterprises/${precision.creditCode}/claims`);
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json().items.find((r: { roundId: string }) => r.roundId === round.id);
    expect(mine).toMatchObject({ ratePercent: 50, state: 'open', claim: null });
    expect(mine.matterName).toContain('稳岗补贴区配套资助');
    expect(mine.materials.length).toBeGreaterThanOrEqual(5);
    expect(mine.materials[0]).toMatchObject({ required: true, formLabel: '原件' });
    // The screened restaurant confirms instead: the round is not offered to it for a claim.
    const listed = await get(restaurantTeam.clerk.h, `/enterprises/${restaurant.creditCode}/claims`);
    expect(listed.json().items.some((r: { roundId: string }) => r.roundId === round.id)).toBe(false);
  });

  it('refuses every bad claim with a stable code and writes nothing', async () => {
    const before = await counts();
    const url = (code: string) => `/enterprises/${code}/rounds/${round.id}/claim`;
    const h = precisionTeam.clerk.h;

    const malformed = await claim(h, 'ABC123', round.id, claimBody());
    expect(malformed.statusCode).toBe(422);
    expect(errorOf(malformed).code).toBe('CREDIT_CODE_INVALID');
    expect(errorOf(malformed).message).toContain('统一社会信用代码');

    // A clerk of another enterprise (the restaurant's) acting for this one: as for any foreign record.
    const foreign = await claim(restaurantTeam.clerk.h, precision.creditCode, round.id, claimBody());
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('ENTERPRISE_NOT_FOUND');
    expect((await get(restaurantTeam.clerk.h, url(precision.creditCode))).statusCode).toBe(404);

    const screened = await claim(restaurantTeam.clerk.h, restaurant.creditCode, round.id, claimBody());
    expect(screened.statusCode).toBe(409);
    expect(errorOf(screened).code).toBe('CLAIM_SCREENED');
    expect(errorOf(screened).message).toContain('免申即享');

    const bank = await claim(h, precision.creditCode, round.id, claimBody({ bankAccount: '12-AB' }));
    expect(bank.statusCode).toBe(422);
    expect(errorOf(bank).code).toBe('BANK_ACCOUNT_INVALID');
    const phone = await claim(
      h,
      precision.creditCode,
      round.id,
      claimBody({ contact: { name: '王五', phone: '12345' } }),
    );
    expect(errorOf(phone).code).toBe('CONTACT_INVALID');
    const area = await claim(
      h,
      precision.creditCode,
      round.id,
      claimBody({ address: { province: '甘肃省', city: '兰州市', county: '城关区', detail: '庆阳路1号' } }),
    );
    expect(area.statusCode).toBe(422);
    expect(errorOf(area).code).toBe('AREA_NOT_SERVED');
    const zero = await claim(h, precision.creditCode, round.id, claimBody({ lastYearFen: 0 }));
    expect(zero.statusCode).toBe(400);
    const noKey = await t.app.inject({
      method: 'POST',
      url: `/api/v1${url(precision.creditCode)}`,
      headers: h,
      payload: claimBody(),
    });
    expect(noKey.statusCode).toBe(400);
    expect(errorOf(noKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    // A round without a rate (nothing to compute a claim by) and an unknown round.
    const rateless = await publishRound({ ratePercent: 0, name: '无配套比例批次' });
    const noRate = await claim(h, precision.creditCode, rateless.id, claimBody());
    expect(noRate.statusCode).toBe(404);
    expect(errorOf(noRate).code).toBe('CLAIM_ROUND_NOT_FOUND');
    const unknown = await claim(h, precision.creditCode, crypto.randomUUID(), claimBody());
    expect(errorOf(unknown).code).toBe('CLAIM_ROUND_NOT_FOUND');

    // After the deadline.
    const closed = await publishRound({
      deadline: new Date(Date.now() - DAY).toISOString(),
      name: '已截止批次',
    });
    const late = await claim(h, precision.creditCode, closed.id, claimBody());
    expect(late.statusCode).toBe(409);
    expect(errorOf(late).code).toBe('CLAIM_DEADLINE_PASSED');
    expect(errorOf(late).message).toContain('期限已过');

    expect(await counts()).toEqual(before);
  });

  it('a claim with an EMS pickup: one claim however often sent, the pickup ordered, the materials at the centre, the case on the platform', async () => {
    const key = `ems-pickup-${Date.now()}`;
    const body = claimBody();
    const res = await claim(precisionTeam.clerk.h, precision.creditCode, round.id, body, key);
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    expect(view.state).toBe('claimed');
    expect(view.claim).toMatchObject({
      channel: 'ems_pickup',
      amountFen: 1_500_001,
      working: '上年度稳岗补贴 ¥30,000.01 × 50% = ¥15,000.01',
      bankAccount: '****9012',
      coverSheet: null,
    });
    expect(res.body).not.toContain('4400123456789012');

    // A retry (lost answer) gets the same claim; a second claim in the round, by anyone, is refused.
    const again = await claim(precisionTeam.clerk.h, precision.creditCode, round.id, body, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().claim.id).toBe(view.claim.id);
    const reused = await claim(
      precisionTeam.clerk.h,
      precision.creditCode,
      round.id,
      { ...body, headcount: 40 },
      key,
    );
    expect(errorOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const second = await claim(precisionTeam.admin.h, precision.creditCode, round.id, body);
    expect(second.statusCode).toBe(409);
    expect(errorOf(second).code).toBe('CLAIM_ALREADY_MADE');
    const [{ n }] = (await db()
      .select({ n: count() })
      .from(subsidyClaims)
      .where(eq(subsidyClaims.roundId, round.id))) as [{ n: number }];
    expect(n).toBe(1);

    const caseId = view.claim.case.id;
    const [c] = await db().select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({
      channel: 'enterprise_claim',
      applicantKind: 'enterprise',
      enterpriseCreditCode: precision.creditCode,
      payWorkingDays: 21,
      userId: precisionTeam.clerk.id,
    });

    // The free pickup: an EMS order from the enterprise's address to the centre, paid by the government.
    const [leg] = await db().select().from(shipments).where(eq(shipments.caseId, caseId));
    expect(leg).toMatchObject({ leg: 'materials_to_centre', centreOutletId: c!.centreId });
    const order = await until(async () => {
      const { orders } = await t.ems.admin<{
        orders: {
          logisticsOrderNo: string;
          waybillNo: string;
          projectId: string;
          sender: { county: string };
        }[];
      }>('/sim/orders');
      return orders.find((o) => o.logisticsOrderNo === leg!.id.replaceAll('-', ''));
    });
    expect(order).toMatchObject({ projectId: c!.centreId, sender: { county: '黄埔区' } });

    // Submitted as 快递送达 with the enterprise as applicant and the claim; examined once the leg is signed for.
    const sim = await until(() => simCaseOf(caseId));
    expect(sim.applicant).toMatchObject({
      applyType: 1,
      cardType: '001',
      cardNumber: precision.creditCode,
      operatorCardType: '111',
    });
    expect(sim.claim).toMatchObject({
      amountFen: 1_500_001,
      ratePercent: 50,
      bankAccount: '4400123456789012',
    });
    const arrived = await until(async () => (await simCaseOf(caseId))?.materialsWaybill);
    expect(arrived).toBe(order.waybillNo);
    const after = await until(async () => {
      const r = (
        await get(precisionTeam.clerk.h, `/enterprises/${precision.creditCode}/rounds/${round.id}/claim`)
      ).json();
      return r.claim.state === 'materials_received' && r.claim.case.caseNumber && r;
    });
    expect(after.claim).toMatchObject({ waybillNo: order.waybillNo, stateLabel: '政务中心已收到材料' });

    // The platform accepts, concludes and pays the claimed amount.
    await until(async () => {
      if ((await simCaseOf(caseId))?.payment) return true;
      await t.gov.admin('/sim/admin/clock', { advanceSeconds: 600 });
      return false;
    });
    const paid = await until(async () => {
      const [row] = await db().select().from(cases).where(eq(cases.id, caseId));
      return row?.payment && row;
    });
    expect(paid.payment).toMatchObject({ amountFen: 1_500_001, account: '****9012' });
  });

  it('self-post: a cover sheet to print, its code entered by the centre on arrival, then the case is submitted', async () => {
    const res = await claim(
      logisticsTeam.clerk.h,
      logistics.creditCode,
      round.id,
      claimBody({ channel: 'self_post', lastYearFen: 1_000_000 }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const sheet = res.json().claim.coverSheet;
    expect(sheet.code).toMatch(/^\d{12}$/);
    expect(sheet.codeLabel).toBe(sheet.code.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(sheet.centre.name).toContain('政务服务中心');
    expect(res.json().claim).toMatchObject({ state: 'awaiting_materials', amountFen: 500_000 });
    const caseId = res.json().claim.case.id;
    expect(res.json().claim.case).toMatchObject({
      status: 'awaiting_materials',
      statusLabel: '等待申领材料送达',
    });
    expect(sheet.centre.address).toMatch(/^广东省广州市黄埔区/);
    expect(sheet.centre.address).not.toMatch(/黄埔区.*黄埔区/);

    // Nothing travels to the platform until the centre has the envelope.
    expect(await db().select().from(shipments).where(eq(shipments.caseId, caseId))).toHaveLength(0);
    expect(await simCaseOf(caseId)).toBeUndefined();

    const detail = (await get(logisticsTeam.clerk.h, `/cases/${caseId}`)).json();
    expect(detail.nextStep).toContain('封面单');

    const clerk = await staff('centre_clerk');
    const resident = await person({ name: '赵六', idNumber: '11010519491231002X' });
    expect((await post(resident.h, `/staff/claims/cover/${sheet.code}/receive`)).statusCode).toBe(403);
    const wrong = await post(clerk.h, '/staff/claims/cover/000000000000/receive');
    expect(wrong.statusCode).toBe(404);
    expect(errorOf(wrong).code).toBe('COVER_SHEET_NOT_FOUND');
    const typo = await get(clerk.h, '/staff/claims/cover/12AB');
    expect(errorOf(typo).code).toBe('COVER_SHEET_NOT_FOUND');

    // A clerk of another outlet: not this centre's envelope.
    const elsewhere = await staff('centre_clerk', 'HP-PO-01');
    const misrouted = await post(elsewhere.h, `/staff/claims/cover/${sheet.code}/receive`);
    expect(misrouted.statusCode).toBe(422);
    expect(errorOf(misrouted).code).toBe('COVER_SHEET_NOT_FOR_THIS_CENTRE');

    const looked = await get(clerk.h, `/staff/claims/cover/${sheet.codeLabel.replaceAll(' ', '-')}`);
    expect(looked.statusCode, looked.body).toBe(200);
    expect(looked.json()).toMatchObject({ enterpriseName: logistics.name, receivedAt: null, caseId });
    const received = await post(clerk.h, `/staff/claims/cover/${sheet.code}/receive`);
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().receivedAt).not.toBeNull();
    const twice = await post(clerk.h, `/staff/claims/cover/${sheet.code}/receive`);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('COVER_SHEET_ALREADY_RECEIVED');

    // Submitted as an ordinary case (the materials are already on the centre's desk): examined at once.
    const sim = await until(() => simCaseOf(caseId));
    expect(sim.busMode).toBe('00');
    expect(sim.applicant).toMatchObject({ applyType: 1, cardNumber: logistics.creditCode });
    expect(sim.claim).toMatchObject({ amountFen: 500_000, lastYearFen: 1_000_000 });
    const view = await until(async () => {
      const r = (
        await get(logisticsTeam.clerk.h, `/enterprises/${logistics.creditCode}/rounds/${round.id}/claim`)
      ).json();
      return r.claim.case.caseNumber && r;
    });
    expect(view.claim).toMatchObject({ state: 'materials_received', stateLabel: '政务中心已收到材料' });
  });

  it('door visit: the existing booking, for the enterprise; collected, the case is submitted with the claim', async () => {
    const second = await publishRound({ name: '2026年第二批稳岗补贴区配套资助' });
    const res = await claim(
      precisionTeam.clerk.h,
      precision.creditCode,
      second.id,
      claimBody({ channel: 'door_visit', lastYearFen: 2_000_000 }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json().claim;
    expect(made.bookingNumber).toMatch(/^\d{12}$/);
    expect(made.state).toBe('awaiting_materials');
    const [stored] = await db().select().from(subsidyClaims).where(eq(subsidyClaims.id, made.id));
    const [b] = await db().select().from(bookings).where(eq(bookings.id, stored!.bookingId!));
    expect(b).toMatchObject({ status: 'requested', userId: precisionTeam.clerk.id, windowKind: 'asap' });

    // The clerk sees the visit among their bookings; an agent of the serving post office collects.
    const mine = (await get(precisionTeam.clerk.h, '/bookings')).json();
    expect(mine.items.some((x: { id: string }) => x.id === b!.id)).toBe(true);
    const agent = await staff('postal_agent', b!.outletId);
    await collectAll(agent.h, b!.id);

    const sim = await until(() => simCaseOf(made.case.id));
    expect(sim.applicant).toMatchObject({
      applyType: 1,
      cardNumber: precision.creditCode,
      operatorCardType: '111',
    });
    expect(sim.claim).toMatchObject({ amountFen: 1_000_000, roundId: second.platformRoundId });
    const [c] = await db().select().from(cases).where(eq(cases.id, made.case.id));
    expect(c!.bookingId).toBe(b!.id);
    const moved = await until(async () => {
      const [row] = await db().select().from(cases).where(eq(cases.id, made.case.id));
      return row?.projId && row;
    });
    expect(moved.status).not.toBe('awaiting_materials');
  });

  it('claims sent at once (a double tap, two clerks) make one claim', async () => {
    const third = await publishRound({ name: '2026年第三批稳岗补贴区配套资助' });
    const body = claimBody({ channel: 'self_post' });
    const key = `double-tap-${Date.now()}`;
    const answers = await Promise.all([
      claim(logisticsTeam.clerk.h, logistics.creditCode, third.id, body, key),
      claim(logisticsTeam.clerk.h, logistics.creditCode, third.id, body, key),
      claim(logisticsTeam.admin.h, logistics.creditCode, third.id, body),
    ]);
    const made = await db().select().from(subsidyClaims).where(eq(subsidyClaims.roundId, third.id));
    expect(made).toHaveLength(1);
    for (const a of answers) {
      expect([200, 201, 409], a.body).toContain(a.statusCode);
      if (a.statusCode === 409) expect(errorOf(a).code).toBe('CLAIM_ALREADY_MADE');
      else expect(a.json().claim.id).toBe(made[0]!.id);
    }
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const opened = await db().select().from(cases).where(eq(cases.id, made[0]!.caseId));
    expect(opened).toHaveLength(1);
    // Supervisors see it among the round's claims, by the way its materials travel.
    const sup = await staff('supervisor');
    const progress = await t.app.inject({ url: `/api/v1/supervision/rounds/${third.id}`, headers: sup.h });
    expect(progress.json().claims).toEqual({
      received: 1,
      byChannel: { ems_pickup: 0, door_visit: 0, self_post: 1 },
    });
  });
});
