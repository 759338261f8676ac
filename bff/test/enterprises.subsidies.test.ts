import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEnterprises } from '../simulators/gov/enterprises';
import { cases, notifications, subsidyConfirmations, subsidyRounds, subsidyScreened } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import {
  importRoundList,
  RoundListInvalid,
  remindSubsidyDeadlines,
} from '../src/features/enterprises/subsidies';
import { workingDeadline } from '../src/lib/calendar';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, until } from './journey';

/**
 * 免申即享: the platform publishes a round and its screened list (imported whole by a job); a bound enterprise
 * on it sees what it may get, confirms, and the confirmation becomes its case on the platform, paid (拨付) on
 * the platform's callback; unpaid 21 working days after acceptance is a breach.
 */
let t: TestApp;
const { staff } = journey(() => t);
const [precision, logistics, restaurant] = registryEnterprises as [
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
];
const CLERK = { name: '王五', idNumber: '110105194912310038' };
const DAY = 86_400_000;
const confirmBody = {
  sizeClass: 'small',
  headcount: 48,
  bankName: '中国工商银行广州开发区支行',
  bankAccount: '3602 0012 0920 0123 456',
  contactPhone: '13800138000',
};

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
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
const call = (h: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: payload ? h : method === 'POST' ? { ...h, 'content-type': 'application/json' } : h,
    ...(method === 'POST' ? { payload: payload ?? '' } : {}),
  });
/** The enterprise's legal representative, bound as admin, and a clerk they approved. */
async function boundEnterprise(e: (typeof registryEnterprises)[number]) {
  const admin = await person(e.legalRepresentative);
  await call(admin.h, 'POST', '/enterprises/bindings', { creditCode: e.creditCode });
  const clerk = await person(CLERK);
  const { binding } = (
    await call(clerk.h, 'POST', '/enterprises/bindings', { creditCode: e.creditCode })
  ).json();
  await call(admin.h, 'POST', `/enterprises/${e.creditCode}/members/${binding.id}/approve`);
  return { admin, clerk };
}
/** The platform publishes a round; resolves once our import job has opened it. */
async function publishRound(body: Record<string, unknown>) {
  const { roundId } = await t.gov.admin<{ roundId: string }>('/sim/admin/rounds', body);
  return until(async () => {
    const [r] = await db().select().from(subsidyRounds).where(eq(subsidyRounds.platformRoundId, roundId));
    return r?.status === 'open' && r;
  }, 30);
}
const simCaseOf = async (ourId: string) =>
  (
    await t.gov.admin<{
      cases: {
        projId: string;
        stage: string;
        applicant: { applyType: number; cardType: string; cardNumber: string; operatorCardType?: string };
        subsidy: { bankAccount: string; amountFen: number } | null;
        payment: { amountFen: number } | null;
      }[];
    }>(`/sim/cases?ourId=${ourId}`)
  ).cases[0];
const rowsOf = async (table: typeof subsidyConfirmations | typeof cases) =>
  (await db().select({ n: count() }).from(table))[0]!.n;

describe('a 免申即享 round', () => {
  let round: Awaited<ReturnType<typeof publishRound>>;
  let team: Awaited<ReturnType<typeof boundEnterprise>>;

  beforeAll(async () => {
    team = await boundEnterprise(precision);
    round = await publishRound({ deadline: new Date(Date.now() + 10 * DAY).toISOString(), generate: 500 });
  });

  it('is imported whole: every screened row, once', async () => {
    expect(round.importedRows).toBe(500 + 4);
    const [{ n }] = (await db()
      .select({ n: count() })
      .from(subsidyScreened)
      .where(eq(subsidyScreened.roundId, round.id))) as [{ n: number }];
    expect(n).toBe(504);
  });

  it('shows the enterprise what it may get and how it was computed', async () => {
    const res = await call(team.clerk.h, 'GET', `/enterprises/${precision.creditCode}/subsidies`);
    expect(res.statusCode, res.body).toBe(200);
    const [offer] = res.json().items;
    expect(offer).toMatchObject({
      roundId: round.id,
      amountFen: 1_000_000,
      amountLabel: '可获 ¥10,000.00',
      state: 'open',
      confirmation: null,
    });
    expect(offer.basis).toBe('上年度稳岗补贴 ¥20000.00 × 50% = ¥10000.00');
    expect(offer.matterName).toContain('稳岗补贴区配套资助');
  });

  it('refuses a bad bank account, a bad phone and a foreign enterprise, writing nothing', async () => {
    const before = { conf: await rowsOf(subsidyConfirmations), cases: await rowsOf(cases) };
    const url = `/enterprises/${precision.creditCode}/subsidies/${round.id}/confirm`;
    const bad = await call(team.clerk.h, 'POST', url, { ...confirmBody, bankAccount: '6222-ABCD' });
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad).code).toBe('BANK_ACCOUNT_INVALID');
    const short = await call(team.clerk.h, 'POST', url, { ...confirmBody, bankAccount: '1234567' });
    expect(errorOf(short).code).toBe('BANK_ACCOUNT_INVALID');
    const phone = await call(team.clerk.h, 'POST', url, { ...confirmBody, contactPhone: '1380013' });
    expect(errorOf(phone).code).toBe('CONTACT_INVALID');
    const outsider = await person(logistics.legalRepresentative);
    await call(outsider.h, 'POST', '/enterprises/bindings', { creditCode: logistics.creditCode });
    const foreign = await call(outsider.h, 'POST', url, confirmBody);
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('ENTERPRISE_NOT_FOUND');
    // Someone else's enterprise is not found whatever the form says.
    const foreignBad = await call(outsider.h, 'POST', url, { ...confirmBody, bankAccount: '1234567' });
    expect(errorOf(foreignBad).code).toBe('ENTERPRISE_NOT_FOUND');
    // A round the enterprise is not on the list of (or none at all).
    const notListed = await call(
      team.clerk.h,
      'POST',
      `/enterprises/${precision.creditCode}/subsidies/${crypto.randomUUID()}/confirm`,
      confirmBody,
    );
    expect(notListed.statusCode).toBe(404);
    expect(errorOf(notListed).code).toBe('SUBSIDY_NOT_FOUND');
    const peek = await call(outsider.h, 'GET', `/enterprises/${precision.creditCode}/subsidies`);
    expect(peek.statusCode).toBe(404);
    expect({ conf: await rowsOf(subsidyConfirmations), cases: await rowsOf(cases) }).toEqual(before);
  });

  it('a confirmation becomes the enterprise case on the platform, is paid, and the timeline shows it', async () => {
    const url = `/enterprises/${precision.creditCode}/subsidies/${round.id}/confirm`;
    const res = await call(team.clerk.h, 'POST', url, confirmBody);
    expect(res.statusCode, res.body).toBe(201);
    const offer = res.json();
    expect(offer.state).toBe('confirmed');
    expect(offer.confirmation).toMatchObject({ sizeClass: 'small', headcount: 48, bankAccount: '****3456' });
    expect(res.body).not.toContain('360200120920');
    const [stored] = await db()
      .select()
      .from(subsidyConfirmations)
      .where(eq(subsidyConfirmations.roundId, round.id));
    expect(stored!.bankAccountSealed).not.toContain('3602');
    const caseId = offer.confirmation.case.id;
    const [c] = await db().select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({
      channel: 'enterprise_claim',
      applicantKind: 'enterprise',
      enterpriseCreditCode: precision.creditCode,
      enterpriseName: precision.name,
      payWorkingDays: 21,
      userId: team.clerk.id,
    });

    // Twice (by anyone of the enterprise) is refused.
    const twice = await call(team.admin.h, 'POST', url, confirmBody);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('SUBSIDY_ALREADY_CONFIRMED');

    // Submitted by the case submission job: APPLY_TYPE 1, the credit code as card, the clerk as operator.
    const sim = await until(() => simCaseOf(caseId), 30);
    expect(sim.applicant).toMatchObject({
      applyType: 1,
      cardType: '001',
      cardNumber: precision.creditCode,
      operatorCardType: '111',
    });
    expect(sim.subsidy).toMatchObject({ bankAccount: '3602001209200123456', amountFen: 1_000_000 });

    // The platform accepts, concludes and pays; its callbacks bring it here.
    await until(async () => {
      if ((await simCaseOf(caseId))?.payment) return true;
      await t.gov.admin('/sim/admin/clock', { advanceSeconds: 600 });
      return false;
    }, 30);
    const paid = await until(async () => {
      const [row] = await db().select().from(cases).where(eq(cases.id, caseId));
      return row?.payment && row;
    }, 30);
    expect(paid.payment).toMatchObject({ amountFen: 1_000_000, account: '****3456' });
    expect(paid.payBy!.getTime()).toBe(workingDeadline(paid.acceptedAt!, 21).at.getTime());
    const detail = (await call(team.clerk.h, 'GET', `/cases/${caseId}`)).json();
    expect(detail.timeline.map((i: { title: string }) => i.title)).toContain('已拨付 ¥10,000.00');
    expect(detail.nextStep).toContain('已拨付¥10,000.00');
    const view = (await call(team.admin.h, 'GET', `/enterprises/${precision.creditCode}/subsidies`)).json();
    expect(view.items[0].confirmation.payment).toMatchObject({
      amountFen: 1_000_000,
      amountLabel: '¥10,000.00',
    });
    // The clerk is told (a subscribe message, sent against a grant; recorded once).
    const told = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `case:${caseId}:subsidy_paid`));
    expect(told).toHaveLength(1);
  });
});

describe('deadlines', () => {
  it('confirming after the deadline is refused; unconfirmed people are reminded once before it', async () => {
    const team = await boundEnterprise(restaurant);
    const late = await publishRound({
      deadline: new Date(Date.now() + 2 * DAY).toISOString(),
      name: '临近截止批次',
    });
    // Reminders: the admin and the clerk of the restaurant (on the list, unconfirmed), once each.
    const sent = await remindSubsidyDeadlines(t.app);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(await remindSubsidyDeadlines(t.app)).toBe(0);
    const reminded = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, team.clerk.id)));
    expect(reminded.some((n) => n.dedupeKey.startsWith(`subsidy:${late.id}:`))).toBe(true);

    // After the deadline (told as "now" three days on).
    const { confirmSubsidy } = await import('../src/features/enterprises/subsidies');
    const refused = await confirmSubsidy(db(), t.app, {
      userId: team.clerk.id,
      creditCode: restaurant.creditCode,
      roundId: late.id,
      body: { ...confirmBody, bankAccount: '44001234567890' } as never,
      now: new Date(Date.now() + 3 * DAY),
    }).catch((e: { code?: string }) => e.code);
    expect(refused).toBe('SUBSIDY_DEADLINE_PASSED');
  });

  it('a list that repeats an enterprise is refused whole: nothing imported, the round stays closed', async () => {
    const [round] = await db()
      .insert(subsidyRounds)
      .values({
        platformRoundId: `bad-${Date.now()}`,
        name: '重复名单',
        rule: '规则',
        matterCode: 'x',
        deadline: new Date(Date.now() + DAY),
        listSize: 3,
        publishedAt: new Date(),
      })
      .returning();
    const row = { creditCode: precision.creditCode, name: precision.name, amountFen: 100, basis: 'b' };
    const other = { ...row, creditCode: logistics.creditCode };
    await expect(importRoundList(db(), round!, [row, other, row])).rejects.toBeInstanceOf(RoundListInvalid);
    await expect(importRoundList(db(), round!, [row])).rejects.toBeInstanceOf(RoundListInvalid);
    const [{ n }] = (await db()
      .select({ n: count() })
      .from(subsidyScreened)
      .where(eq(subsidyScreened.roundId, round!.id))) as [{ n: number }];
    expect(n).toBe(0);
    const [after] = await db().select().from(subsidyRounds).where(eq(subsidyRounds.id, round!.id));
    expect(after!.status).toBe('importing');
  });
});

describe('the 21-working-day payment clock', () => {
  it('runs on the official calendar across National Day; unpaid past it is a breach for supervisors', async () => {
    // Accepted Friday 25 September 2026: 21 working days later is 30 October, not 26 October (weekdays only),
    // because of the National Day holiday and its make-up working days.
    const accepted = new Date('2026-09-25T02:00:00Z');
    const due = workingDeadline(accepted, 21);
    expect(due.at.toISOString()).toBe('2026-10-30T15:59:59.999Z');
    const base = {
      channel: 'enterprise_claim' as const,
      applicantKind: 'enterprise' as const,
      enterpriseName: logistics.name,
      enterpriseCreditCode: logistics.creditCode,
      matterCode: 'x',
      matterName: '稳岗补贴区配套资助申领',
      promisedWorkingDays: 21,
      payWorkingDays: 21,
      status: 'completed' as const,
      acceptedAt: accepted,
      payBy: due.at,
    };
    const [unpaid] = await db().insert(cases).values(base).returning();
    const [paidLate] = await db()
      .insert(cases)
      .values({
        ...base,
        payment: { amountFen: 1, paidOn: '2026-11-02', account: '****0001', reportedAt: '' },
      })
      .returning();
    const [paidInTime] = await db()
      .insert(cases)
      .values({
        ...base,
        payment: { amountFen: 1, paidOn: '2026-10-30', account: '****0001', reportedAt: '' },
      })
      .returning();
    const supervisor = await staff('supervisor');
    const res = await call(supervisor.h, 'GET', '/supervision/breaches');
    expect(res.statusCode, res.body).toBe(200);
    const mine = res
      .json()
      .items.filter((b: { kind: string }) => b.kind === 'payment_overdue')
      .map((b: { subjectId: string; outstanding: boolean; label: string }) => b);
    expect(mine.find((b: { subjectId: string }) => b.subjectId === unpaid!.id)).toMatchObject({
      outstanding: true,
      label: '受理后21个工作日内未拨付',
    });
    expect(mine.find((b: { subjectId: string }) => b.subjectId === paidLate!.id)).toMatchObject({
      outstanding: false,
    });
    expect(mine.some((b: { subjectId: string }) => b.subjectId === paidInTime!.id)).toBe(false);
  });
});
