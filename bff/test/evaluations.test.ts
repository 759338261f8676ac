import { randomUUID } from 'node:crypto';
import { addWorkingDays, endOfBeijingDay, errorMessages } from '@zyt/shared';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, evaluations, notifications, rectificationTickets } from '../src/db/schema';
import { applyStageEvents, type GovStageEvent } from '../src/features/cases/cases';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { REINVITE_EVALUATION, REPORT_EVALUATION } from '../src/features/evaluations/jobs';
import { openTicket } from '../src/features/evaluations/tickets';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, until } from './journey';

/**
 * 好差评 end to end through the API: one rating per case and stage, invitations (and one more when still
 * unrated), the report to the platform, and the rectification ticket a bad rating opens.
 */
let t: TestApp;
const { resident, staff, book, collectAll, caseIdOf } = journey(() => t);

beforeAll(async () => {
  t = await buildTestApp({ EVALUATION_REINVITE_AFTER_SECONDS: '1', RECTIFY_WORKING_DAYS: '5' });
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
const good = {
  level: 5,
  indicators: { overall: 5, efficiency: 5, guide_accuracy: 4, convenience: 5, usability: 5 },
};
const bad = {
  level: 2,
  indicators: { overall: 2, efficiency: 1, guide_accuracy: 3, convenience: 2, usability: 3 },
  tags: ['slow', 'repeat_trips'],
  comment: '材料被要求补了两次，等了很久',
};

/** A case of this resident, completed (electronic result) or delivered, written directly. */
async function caseOf(userId: string, over: Partial<typeof cases.$inferInsert> = {}) {
  const id = randomUUID();
  await db()
    .insert(cases)
    .values({
      id,
      userId,
      channel: 'online',
      applicantKind: 'person',
      projId: `4401122026${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`,
      matterCode: 'sim-matter',
      matterName: '测试事项',
      promisedWorkingDays: 5,
      status: 'completed',
      completedAt: new Date(),
      ...over,
    });
  return id;
}
const rate = (h: Record<string, string>, id: string, stage: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/evaluations/${stage}`, headers: h, payload });
const stagesOf = async (h: Record<string, string>, id: string) => {
  const res = await t.app.inject({ url: `/api/v1/cases/${id}/evaluations`, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const jobState = async (name: string, key: string, value: string) =>
  (
    await t.app.database.rows<{ state: string }>(
      sql`select state from pgboss.job where name = ${name} and data->>${key} = ${value}`,
    )
  )[0]?.state;
const notified = async (userId: string, prefix: string) =>
  (
    await db()
      .select({ key: notifications.dedupeKey })
      .from(notifications)
      .where(eq(notifications.userId, userId))
  )
    .map((n) => n.key)
    .filter((k) => k.startsWith(prefix));

describe('rating a stage (一事一评)', () => {
  it('takes one rating per stage, answers a repeat with it, and refuses a different second one', async () => {
    const r = await resident();
    const id = await caseOf(r.user.id);
    const first = await rate(r.h, id, 'completion', good);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ stage: 'completion', level: 5, reply: null, rectifying: false });
    const again = await rate(r.h, id, 'completion', {
      ...good,
      indicators: Object.fromEntries(Object.entries(good.indicators).reverse()),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await rate(r.h, id, 'completion', { ...good, level: 4 });
    expect(other.statusCode).toBe(409);
    expect(errorOf(other)).toMatchObject({
      code: 'EVALUATION_ALREADY_SUBMITTED',
      message: errorMessages.EVALUATION_ALREADY_SUBMITTED,
    });
    const rows = await db().select().from(evaluations).where(eq(evaluations.caseId, id));
    expect(rows).toHaveLength(1);
    const view = await stagesOf(r.h, id);
    expect(view.stages.map((s: { stage: string; reached: boolean }) => [s.stage, s.reached])).toEqual([
      ['visit', false],
      ['completion', true],
      ['delivery', false],
    ]);
    expect(view.stages[1].evaluation).toMatchObject({ level: 5 });
  });

  it('refuses stages not reached, wrong indicators, unknown tags and bad levels without a reason, writing nothing', async () => {
    const r = await resident();
    const id = await caseOf(r.user.id);
    const cases_ = [
      [rate(r.h, id, 'delivery', good), 409, 'EVALUATION_STAGE_NOT_REACHED'],
      [rate(r.h, id, 'visit', good), 400, 'EVALUATION_INDICATORS_INVALID'],
      [
        rate(r.h, id, 'completion', { ...good, indicators: { overall: 5 } }),
        400,
        'EVALUATION_INDICATORS_INVALID',
      ],
      [
        rate(r.h, id, 'completion', { ...good, indicators: { ...good.indicators, attitude: 5 } }),
        400,
        'EVALUATION_INDICATORS_INVALID',
      ],
      [rate(r.h, id, 'completion', { ...good, level: 6 }), 400, 'VALIDATION_FAILED'],
      [rate(r.h, id, 'completion', { ...bad, tags: ['rude'] }), 400, 'EVALUATION_TAGS_UNKNOWN'],
      [rate(r.h, id, 'completion', { ...bad, tags: [] }), 400, 'EVALUATION_REASON_REQUIRED'],
      [rate(r.h, id, 'completion', { ...bad, comment: '慢' }), 400, 'EVALUATION_REASON_REQUIRED'],
      [
        rate(r.h, id, 'completion', { level: 1, indicators: bad.indicators }),
        400,
        'EVALUATION_REASON_REQUIRED',
      ],
    ] as const;
    for (const [pending, status, code] of cases_) {
      const res = await pending;
      expect(res.statusCode, res.body).toBe(status);
      expect(errorOf(res).code).toBe(code);
      expect(errorOf(res).message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await db().select().from(evaluations).where(eq(evaluations.caseId, id))).toHaveLength(0);
  });

  it('answers someone else’s case as not found', async () => {
    const owner = await resident();
    const stranger = await resident();
    const id = await caseOf(owner.user.id);
    for (const res of [
      await rate(stranger.h, id, 'completion', good),
      await t.app.inject({ url: `/api/v1/cases/${id}/evaluations`, headers: stranger.h }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('CASE_NOT_FOUND');
    }
    expect(await db().select().from(evaluations).where(eq(evaluations.caseId, id))).toHaveLength(0);
  });
});

describe('invitations', () => {
  it('invites when the visit and the completion are done, again when still unrated, and not when rated', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const id = await caseIdOf(await collectAll(agent.h, (await book(r.h)).json().id));
    const prefix = `case:${id}:evaluation:`;
    expect(await notified(r.user.id, prefix)).toEqual([`${prefix}visit`]);
    // Still unrated after the (test) delay: one more invitation.
    await until(async () => (await notified(r.user.id, `${prefix}visit:again`)).length === 1);

    // The platform numbers the case (submit job), then completes it.
    const projId = await until(
      async () => (await db().select({ p: cases.projId }).from(cases).where(eq(cases.id, id)))[0]?.p,
    );
    const issuedAt = new Date().toISOString();
    await db().transaction((tx) =>
      applyStageEvents(tx, t.app, projId, [
        {
          eventId: randomUUID(),
          projId,
          ourId: id,
          stage: '4',
          status: 'completed',
          occurredAt: issuedAt,
          result: { kind: 'electronic', issuedAt, documentName: '电子证照' },
        } as GovStageEvent,
      ]),
    );
    expect(await notified(r.user.id, `${prefix}completion`)).toEqual([`${prefix}completion`]);
    const rated = await rate(r.h, id, 'completion', good);
    expect(rated.statusCode, rated.body).toBe(201);
    // The re-invitation ran and found the stage rated: nothing more was sent.
    await until(async () => (await jobState(REINVITE_EVALUATION, 'stage', 'completion')) === 'completed');
    expect(await notified(r.user.id, `${prefix}completion`)).toEqual([`${prefix}completion`]);

    // The agent's visit is rated on the on-site indicators.
    const onSite = await rate(r.h, id, 'visit', {
      level: 4,
      indicators: { overall: 4, efficiency: 4, conduct: 5, attitude: 5 },
    });
    expect(onSite.statusCode, onSite.body).toBe(201);
    const [row] = await db().select().from(evaluations).where(eq(evaluations.id, onSite.json().id));
    expect(row!.agentId).toBe(agent.id);
  });
});

describe('report to the platform', () => {
  type SimEvaluations = {
    evaluations: { report: Record<string, unknown>; calls: number }[];
    failuresLeft: { before: number; after: number };
  };
  const simEvaluations = () => t.gov.admin<SimEvaluations>('/sim/evaluations');
  const reportedOf = async (id: string) =>
    (await db().select().from(evaluations).where(eq(evaluations.id, id)))[0]?.reportedAt;

  it('reports each rating once, with the case number and no personal data', async () => {
    const r = await resident();
    const id = await caseOf(r.user.id);
    const e = (await rate(r.h, id, 'completion', bad)).json();
    await until(() => reportedOf(e.id));
    const [c] = await db().select().from(cases).where(eq(cases.id, id));
    const sent = (await simEvaluations()).evaluations.filter((x) => x.report.evaluationId === e.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.report).toEqual({
      evaluationId: e.id,
      ourId: id,
      projId: c!.projId,
      serviceCode: 'sim-matter',
      stage: 'completion',
      level: 2,
      indicators: bad.indicators,
      tags: bad.tags,
      userType: 'person',
      evaluatedAt: expect.any(String),
    });
    expect(JSON.stringify(sent[0]!.report)).not.toContain(bad.comment);
  });

  it('stores a rating once after a failed call and after a lost answer', async () => {
    const r = await resident();
    const id = await caseOf(r.user.id, { status: 'delivered' });
    await t.gov.admin('/sim/admin/evaluations/fail', { before: 1, after: 1 });
    const e = (await rate(r.h, id, 'delivery', good)).json();
    await until(() => reportedOf(e.id));
    const state = await simEvaluations();
    expect(state.failuresLeft).toEqual({ before: 0, after: 0 });
    const sent = state.evaluations.filter((x) => x.report.evaluationId === e.id);
    expect(sent).toHaveLength(1);
    // Three calls: refused before storing, stored but the answer lost, then stored already (a repeat).
    expect(sent[0]!.calls).toBe(2);
    expect(await jobState(REPORT_EVALUATION, 'evaluationId', e.id)).toBe('completed');
  });
});

describe('rectification tickets', () => {
  const post = (h: Record<string, string>, id: string, step: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/supervision/tickets/${id}/${step}`, headers: h, payload });
  const ticketOf = async (evaluationId: string) =>
    (
      await db()
        .select()
        .from(rectificationTickets)
        .where(eq(rectificationTickets.evaluationId, evaluationId))
    )[0]!;

  it('opens on a bad rating, due in working days; assigned, called back, closed; the resident sees the reply', async () => {
    const r = await resident();
    const supervisor = await staff('supervisor');
    const assignee = await staff('centre_clerk');
    const id = await caseOf(r.user.id);
    const e = (await rate(r.h, id, 'completion', bad)).json();
    expect(e.rectifying).toBe(true);
    const ticket = await ticketOf(e.id);
    const due = addWorkingDays(ticket.createdAt, 5);
    expect(ticket).toMatchObject({ status: 'open', dueDate: due.date, dueAt: endOfBeijingDay(due.date) });

    const list = await t.app.inject({ url: '/api/v1/supervision/tickets', headers: supervisor.h });
    expect(list.json().items.find((x: { id: string }) => x.id === ticket.id)).toMatchObject({
      status: 'open',
      level: 2,
      assignee: null,
      overdue: false,
    });
    // Not assigned yet: nobody can work it; the assignee cannot see it yet either.
    expect(
      errorOf(await post(supervisor.h, ticket.id, 'callback', { outcome: 'satisfied', note: '已回访' })).code,
    ).toBe('TICKET_NOT_ASSIGNED');
    const hidden = await t.app.inject({
      url: `/api/v1/supervision/tickets/${ticket.id}`,
      headers: assignee.h,
    });
    expect(hidden.statusCode).toBe(404);
    // Only supervisors assign, and only to staff.
    expect((await post(assignee.h, ticket.id, 'assign', { assigneeId: assignee.id })).statusCode).toBe(403);
    const notStaff = await post(supervisor.h, ticket.id, 'assign', { assigneeId: r.user.id });
    expect(errorOf(notStaff).code).toBe('TICKET_ASSIGNEE_INVALID');
    expect((await post(supervisor.h, ticket.id, 'assign', { assigneeId: assignee.id })).statusCode).toBe(204);

    const mine = await t.app.inject({ url: '/api/v1/supervision/tickets', headers: assignee.h });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([ticket.id]);
    const detail = await t.app.inject({
      url: `/api/v1/supervision/tickets/${ticket.id}`,
      headers: assignee.h,
    });
    expect(detail.json()).toMatchObject({
      status: 'assigned',
      comment: bad.comment,
      canWork: true,
      canAssign: false,
    });

    // Closing without a call-back is refused, and leaves the ticket as it was.
    const early = await post(assignee.h, ticket.id, 'close', { reply: '已督促窗口一次性告知材料清单' });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early)).toMatchObject({
      code: 'TICKET_CALLBACK_REQUIRED',
      message: errorMessages.TICKET_CALLBACK_REQUIRED,
    });
    expect((await ticketOf(e.id)).status).toBe('assigned');
    expect((await stagesOf(r.h, id)).stages[1].evaluation.reply).toBeNull();

    expect(
      (
        await post(assignee.h, ticket.id, 'callback', {
          outcome: 'satisfied',
          note: '电话回访，群众表示理解',
        })
      ).statusCode,
    ).toBe(204);
    const reply = '已督促窗口一次性告知材料清单，并对经办人员进行了批评教育';
    expect((await post(assignee.h, ticket.id, 'close', { reply })).statusCode).toBe(204);
    const closed = (
      await t.app.inject({ url: `/api/v1/supervision/tickets/${ticket.id}`, headers: supervisor.h })
    ).json();
    expect(closed).toMatchObject({
      status: 'closed',
      overdue: false,
      callback: { outcome: 'satisfied', note: '电话回访，群众表示理解' },
      closed: { reply },
      assigned: { at: expect.any(String) },
    });
    expect((await stagesOf(r.h, id)).stages[1].evaluation).toMatchObject({
      reply: { text: reply },
      rectifying: false,
    });
    // A closed ticket cannot be worked again or voided.
    expect(
      errorOf(await post(supervisor.h, ticket.id, 'void', { reason: '恶意差评，经核实不属实' })).code,
    ).toBe('TICKET_STATE_CONFLICT');
  });

  it('falls due 5 working days after the rating, across the National Day holiday', async () => {
    const r = await resident();
    const id = await caseOf(r.user.id);
    const e = (await rate(r.h, id, 'completion', bad)).json();
    // A rating on the working day before National Day (1–7 October 2026; Saturday 10 October is worked).
    const ticket = await db().transaction(async (tx) => {
      await tx.delete(rectificationTickets).where(eq(rectificationTickets.evaluationId, e.id));
      return openTicket(tx, { evaluationId: e.id, now: new Date('2026-09-30T03:00:00Z'), workingDays: 5 });
    });
    expect(ticket).toMatchObject({ dueDate: '2026-10-13', dueProvisional: false });
    expect(ticket.dueAt.toISOString()).toBe('2026-10-13T15:59:59.999Z');
  });

  it('lets a supervisor void a malicious rating through a recorded appeal', async () => {
    const r = await resident();
    const supervisor = await staff('supervisor');
    const agent = await staff('postal_agent');
    const id = await caseOf(r.user.id);
    const e = (await rate(r.h, id, 'completion', { ...bad, level: 1 })).json();
    const ticket = await ticketOf(e.id);
    expect((await post(agent.h, ticket.id, 'void', { reason: '恶意差评，经核实不属实' })).statusCode).toBe(
      403,
    );
    expect(
      (await post(supervisor.h, ticket.id, 'void', { reason: '恶意差评，录音核实不属实' })).statusCode,
    ).toBe(204);
    const detail = (
      await t.app.inject({ url: `/api/v1/supervision/tickets/${ticket.id}`, headers: supervisor.h })
    ).json();
    expect(detail).toMatchObject({ status: 'voided', appeal: { reason: '恶意差评，录音核实不属实' } });
    expect((await stagesOf(r.h, id)).stages[1].evaluation).toMatchObject({ voided: true, rectifying: false });
    // The platform hears of it (reported once, then voided); the appeal's reason stays here.
    type Sim = { evaluations: { report: { evaluationId: string }; calls: number; voidedAt?: string }[] };
    const atPlatform = await until(async () =>
      (await t.gov.admin<Sim>('/sim/evaluations')).evaluations.find(
        (x) => x.report.evaluationId === e.id && x.voidedAt,
      ),
    );
    expect(atPlatform.voidedAt).toBe(detail.appeal.at);
  });
});

describe('published figures', () => {
  it('computes satisfaction, rectified-on-time and call-back rates from the ratings', async () => {
    await db().execute(sql`delete from ${rectificationTickets}`);
    await db().execute(sql`delete from ${evaluations}`);
    const r = await resident();
    const supervisor = await staff('supervisor');
    const post = (id: string, step: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/supervision/tickets/${id}/${step}`,
        headers: supervisor.h,
        payload,
      });
    const rated = async (body: object) =>
      (await rate(r.h, await caseOf(r.user.id), 'completion', body)).json().id;
    for (const level of [5, 5, 4, 3]) await rated({ ...good, level });
    const onTime = await rated(bad);
    const late = await rated(bad);
    const open = await rated(bad);
    const voided = await rated({ ...bad, level: 1 });
    const ticket = async (e: string) =>
      (await db().select().from(rectificationTickets).where(eq(rectificationTickets.evaluationId, e)))[0]!.id;
    for (const e of [onTime, late]) {
      const tk = await ticket(e);
      await post(tk, 'assign', { assigneeId: supervisor.id });
      await post(tk, 'callback', { outcome: 'satisfied', note: '已回访' });
      await post(tk, 'close', { reply: '已整改并向群众说明' });
    }
    await post(await ticket(open), 'assign', { assigneeId: supervisor.id });
    await post(await ticket(open), 'callback', { outcome: 'unreachable', note: '电话未接通' });
    await post(await ticket(voided), 'void', { reason: '恶意差评，经核实不属实' });
    // One of them was closed after its due time.
    await db()
      .update(rectificationTickets)
      .set({ dueAt: new Date(Date.now() - 86_400_000) })
      .where(eq(rectificationTickets.id, await ticket(late)));

    const res = await t.app.inject({ url: '/api/v1/public/evaluation-figures' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      from: null,
      to: null,
      evaluations: 7,
      satisfied: 3,
      satisfactionRate: 0.4286,
      bad: 3,
      rectifiedOnTime: 1,
      rectifiedOnTimeRate: 0.3333,
      calledBack: 3,
      callbackRate: 1,
    });
    const none = await t.app.inject({
      url: '/api/v1/public/evaluation-figures?from=2020-01-01&to=2020-01-31',
    });
    expect(none.json()).toMatchObject({ evaluations: 0, satisfactionRate: null, callbackRate: null });
    expect(
      await db().select().from(notifications).where(like(notifications.dedupeKey, '%never%')),
    ).toHaveLength(0);
  });
});
