import { randomUUID } from 'node:crypto';
import { breachKindLabels, errorMessages, type WorkItemDetail, type WorkItemList } from '@zyt/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cases,
  evaluations,
  notifications,
  rectificationTickets,
  shipments,
  workItemEvents,
  workItems,
} from '../src/db/schema';
import { openTicket } from '../src/features/evaluations/tickets';
import { PermanentJobError } from '../src/jobs/queue';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey } from './journey';
import { until } from './until';

/**
 * 监管工作台 through the API: findings become work items once and stay open until a person closes them;
 * supervisors assign, the assignee acknowledges, notes and closes with an outcome; every step is an event;
 * tickets are shown and assigned here but close on their own page; bad input is refused with nothing written.
 */
let t: TestApp;
const { resident, staff } = journey(() => t);
let supervisor: { id: string; h: Record<string, string> };
let agent: { id: string; h: Record<string, string> };
let otherAgent: { id: string; h: Record<string, string> };
let residentUser: { user: { id: string }; h: Record<string, string> };

beforeAll(async () => {
  t = await buildTestApp({ WORKBENCH_STALE_DAYS: '10' }, (app) => {
    app.jobs.define<{ caseId: string }>({
      name: 'test.doomed',
      retrySchedule: [1],
      async handle() {
        throw new PermanentJobError('对方系统拒绝：材料编号不存在');
      },
    });
  });
  supervisor = await staff('supervisor');
  agent = await staff('postal_agent');
  otherAgent = await staff('postal_agent');
  residentUser = await resident();
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
const list = async (h: Record<string, string>, query = ''): Promise<WorkItemList> => {
  const res = await t.app.inject({ url: `/api/v1/workbench/items${query}`, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const detail = async (h: Record<string, string>, id: string): Promise<WorkItemDetail> => {
  const res = await t.app.inject({ url: `/api/v1/workbench/items/${id}`, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const act = (h: Record<string, string>, id: string, step: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/workbench/items/${id}/${step}`,
    headers: payload ? h : { ...h, 'content-type': 'application/json' },
    payload: payload ?? '',
  });
const events = (itemId: string) =>
  db().select().from(workItemEvents).where(eq(workItemEvents.itemId, itemId)).orderBy(workItemEvents.at);
const itemRow = async (id: string) => (await db().select().from(workItems).where(eq(workItems.id, id)))[0]!;

async function caseOf(over: Partial<typeof cases.$inferInsert> = {}) {
  const id = randomUUID();
  const projId = `4401122026${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
  await db()
    .insert(cases)
    .values({
      id,
      userId: residentUser.user.id,
      channel: 'online',
      applicantKind: 'person',
      projId,
      matterCode: 'sim-matter',
      matterName: '工作台测试事项',
      promisedWorkingDays: 5,
      status: 'in_progress',
      stageAt: new Date(),
      ...over,
    });
  return { id, projId };
}
/** The (one) item of a case in the supervisor's list, of the kind given. */
async function itemOf(caseNumber: string, kind: string, query = '') {
  const { items } = await list(supervisor.h, query);
  return items.find((i) => i.caseNumber === caseNumber && i.kind === kind);
}

describe('findings become work items', () => {
  it('lists a stuck case once, and keeps it open after the problem went away until a person closes it', async () => {
    const c = await caseOf({
      problem: { job: 'gov.submit', detail: '平台拒收：材料不全', at: new Date().toISOString() },
    });
    const before = (await list(supervisor.h)).counts.stuck_case ?? 0;
    const item = await itemOf(c.projId, 'stuck_case');
    expect(item).toMatchObject({ status: 'open', assignee: null, title: breachKindLabels.case_stuck });
    await list(supervisor.h);
    const rows = await db().select().from(workItems).where(eq(workItems.caseId, c.id));
    expect(rows).toHaveLength(1);
    expect((await list(supervisor.h)).counts.stuck_case).toBe(before);
    expect((await events(item!.id)).map((e) => e.kind)).toEqual(['opened']);

    // No automatic "resolved": the job's problem cleared, the item stays until a person closes it.
    await db().update(cases).set({ problem: null }).where(eq(cases.id, c.id));
    expect(await itemOf(c.projId, 'stuck_case')).toMatchObject({ id: item!.id, status: 'open' });
  });

  it('lists a case with no stage change for too long as stuck', async () => {
    const c = await caseOf({ stageAt: new Date(Date.now() - 11 * 86_400_000) });
    const fresh = await caseOf({ stageAt: new Date(Date.now() - 2 * 86_400_000) });
    expect(await itemOf(c.projId, 'stuck_case')).toMatchObject({ title: '超过10天无进展' });
    expect(await itemOf(fresh.projId, 'stuck_case')).toBeUndefined();
  });

  it('tells a flagged delivery from a failed one, and lists a leg again for a flag raised after closing', async () => {
    const checked = await caseOf({ status: 'delivered' });
    const failed = await caseOf({ status: 'result_shipping' });
    const leg = (caseId: string, flags: (typeof shipments.$inferInsert)['flags']) =>
      db()
        .insert(shipments)
        .values({
          leg: 'result_to_applicant',
          subjectKind: 'case',
          caseId,
          senderSealed: 'x',
          receiverSealed: 'x',
          waybillNo: `11${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`,
          flags,
        })
        .returning({ id: shipments.id });
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const [signed] = await leg(checked.id, [
      { code: 'proxy_unverified', at, detail: '他人代收，未登记与收件人关系' },
    ]);
    await leg(failed.id, [{ code: 'delivery_failed', at, detail: '未妥投：收件人不在' }]);
    const flagged = await itemOf(checked.projId, 'flagged_delivery');
    expect(flagged).toMatchObject({ title: '他人代收未登记关系和证件', status: 'open' });
    expect(await itemOf(failed.projId, 'logistics_exception')).toMatchObject({ title: '投递未成功' });

    expect(
      (await act(supervisor.h, flagged!.id, 'close', { outcome: '已致电收件人，确认本人收到' })).statusCode,
    ).toBe(204);
    expect(await itemOf(checked.projId, 'flagged_delivery')).toBeUndefined();
    const again = new Date().toISOString();
    await db()
      .update(shipments)
      .set({
        flags: [
          { code: 'proxy_unverified', at, detail: '他人代收，未登记与收件人关系' },
          { code: 'parcel_point', at: again, detail: '投至代收点' },
        ],
      })
      .where(eq(shipments.id, signed!.id));
    const reopened = await itemOf(checked.projId, 'flagged_delivery');
    expect(reopened).toMatchObject({ status: 'open' });
    expect(reopened!.id).not.toBe(flagged!.id);
  });

  it('lists a dead-lettered job, with its error but not its data', async () => {
    const c = await caseOf();
    const id = await db().transaction((tx) => t.app.jobs.enqueue(tx, 'test.doomed', { caseId: c.id }));
    await until(
      async () =>
        (
          await t.app.database.rows<{ state: string }>(
            sql`select state from pgboss.job where id = ${id}::uuid`,
          )
        )[0]?.state === 'failed',
    );
    const { items } = await list(supervisor.h, '?kind=dead_letter');
    const item = items.find((i) => i.title.includes('test.doomed'));
    expect(item).toMatchObject({ kind: 'dead_letter', sourceKind: 'test.doomed', status: 'open' });
    expect(item!.detail).toContain('材料编号不存在');
    expect(item!.detail).not.toContain(c.id);
    expect(items.every((i) => i.kind === 'dead_letter')).toBe(true);
  });
});

describe('assign, acknowledge, note, close', () => {
  let itemId: string;
  let caseNumber: string;
  beforeAll(async () => {
    const c = await caseOf({
      problem: { job: 'gov.submit', detail: '平台拒收', at: new Date().toISOString() },
    });
    caseNumber = c.projId;
    itemId = (await itemOf(caseNumber, 'stuck_case'))!.id;
  });

  it('refuses a non-staff assignee, with nothing written', async () => {
    for (const assigneeId of [residentUser.user.id, randomUUID()]) {
      const res = await act(supervisor.h, itemId, 'assign', { assigneeId });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toEqual({
        code: 'WORKBENCH_ASSIGNEE_INVALID',
        message: errorMessages.WORKBENCH_ASSIGNEE_INVALID,
      });
    }
    expect(await itemRow(itemId)).toMatchObject({ assigneeId: null, status: 'open' });
    expect((await events(itemId)).map((e) => e.kind)).toEqual(['opened']);
  });

  it('refuses supervisor routes to other staff and the workbench to residents', async () => {
    const res = await act(agent.h, itemId, 'assign', { assigneeId: agent.id });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('FORBIDDEN');
    const listed = await t.app.inject({ url: '/api/v1/workbench/items', headers: residentUser.h });
    expect(listed.statusCode).toBe(403);
    expect(errorOf(listed).code).toBe('FORBIDDEN');
    expect(await itemRow(itemId)).toMatchObject({ assigneeId: null });
  });

  it('assigns to a named agent, who is told and finds it under 指派给我; others do not see it', async () => {
    expect((await act(agent.h, itemId, 'acknowledge')).statusCode).toBe(404); // not theirs yet
    const res = await act(supervisor.h, itemId, 'assign', { assigneeId: agent.id });
    expect(res.statusCode, res.body).toBe(204);
    const [told] = await db()
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, agent.id),
          sql`${notifications.dedupeKey} like ${`work-item:${itemId}:%`}`,
        ),
      );
    expect(told).toMatchObject({
      templateId: t.app.config.wechat.templates.work_assigned,
      page: `staff/pages/workbench/index?id=${itemId}`,
      status: 'not_subscribed', // recorded; sent only against a grant
    });
    const mine = await list(agent.h, '?mine=true');
    expect(mine.items.map((i) => i.id)).toEqual([itemId]);
    expect(mine.mine).toBe(1);
    expect((await list(otherAgent.h)).items).toEqual([]);
    const hidden = await t.app.inject({ url: `/api/v1/workbench/items/${itemId}`, headers: otherAgent.h });
    expect(hidden.statusCode).toBe(404);
    expect(errorOf(hidden).code).toBe('WORKBENCH_ITEM_NOT_FOUND');
    expect((await list(supervisor.h, `?assignee=${agent.id}`)).items.map((i) => i.id)).toContain(itemId);
    expect((await list(supervisor.h, '?assignee=none')).items.map((i) => i.id)).not.toContain(itemId);
  });

  it('only the assignee acknowledges', async () => {
    const bySupervisor = await act(supervisor.h, itemId, 'acknowledge');
    expect(bySupervisor.statusCode).toBe(403);
    expect(errorOf(bySupervisor).code).toBe('WORKBENCH_NOT_ASSIGNEE');
    expect((await act(agent.h, itemId, 'acknowledge')).statusCode).toBe(204);
    expect((await act(agent.h, itemId, 'acknowledge')).statusCode).toBe(204); // again: nothing new
    expect(await itemRow(itemId)).toMatchObject({ status: 'acknowledged', assigneeId: agent.id });
  });

  it('refuses a blank note and a close without outcome, with nothing written', async () => {
    const before = (await events(itemId)).length;
    const note = await act(agent.h, itemId, 'notes', { note: '  ' });
    expect(note.statusCode).toBe(400);
    expect(errorOf(note)).toEqual({
      code: 'WORKBENCH_NOTE_REQUIRED',
      message: errorMessages.WORKBENCH_NOTE_REQUIRED,
    });
    for (const payload of [{}, { outcome: ' ' }]) {
      const close = await act(agent.h, itemId, 'close', payload);
      expect(close.statusCode).toBe(400);
      expect(errorOf(close)).toEqual({
        code: 'WORKBENCH_OUTCOME_REQUIRED',
        message: errorMessages.WORKBENCH_OUTCOME_REQUIRED,
      });
    }
    expect((await events(itemId)).length).toBe(before);
    expect(await itemRow(itemId)).toMatchObject({ status: 'acknowledged', outcome: null, closedAt: null });
  });

  it('notes and closes with an outcome; every step keeps who and when; a closed item takes no more steps', async () => {
    expect((await act(agent.h, itemId, 'notes', { note: '已联系中心窗口补交材料' })).statusCode).toBe(204);
    expect((await act(agent.h, itemId, 'close', { outcome: '材料已补交，平台重新受理' })).statusCode).toBe(
      204,
    );
    const d = await detail(supervisor.h, itemId);
    expect(d.status).toBe('closed');
    expect(d.closed).toMatchObject({ outcome: '材料已补交，平台重新受理' });
    expect(d.events.map((e) => [e.kind, e.by === '系统'])).toEqual([
      ['opened', true],
      ['assigned', false],
      ['acknowledged', false],
      ['noted', false],
      ['closed', false],
    ]);
    expect(d.events[3]!.note).toBe('已联系中心窗口补交材料');
    expect(d).toMatchObject({ canAssign: false, canClose: false, canNote: false });
    for (const [step, payload] of [
      ['assign', { assigneeId: otherAgent.id }],
      ['notes', { note: '再补一句' }],
      ['close', { outcome: '再办结一次' }],
    ] as const) {
      const res = await act(supervisor.h, itemId, step, payload);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).code).toBe('WORKBENCH_ITEM_CLOSED');
    }
    // Still a finding in the live tables: it is not listed again once closed.
    expect(await itemOf(caseNumber, 'stuck_case')).toBeUndefined();
    expect((await list(supervisor.h, '?status=closed')).items.map((i) => i.id)).toContain(itemId);
    expect((await events(itemId)).length).toBe(5);
  });

  it('keeps the events append-only', async () => {
    await expect(
      db().update(workItemEvents).set({ note: 'x' }).where(eq(workItemEvents.itemId, itemId)),
    ).rejects.toThrow();
    await expect(db().delete(workItemEvents).where(eq(workItemEvents.itemId, itemId))).rejects.toThrow();
    expect((await events(itemId)).length).toBe(5);
  });

  it('answers 404 for an item that does not exist, on every route', async () => {
    const id = randomUUID();
    for (const [step, payload] of [
      ['assign', { assigneeId: agent.id }],
      ['acknowledge', undefined],
      ['notes', { note: '备注' }],
      ['close', { outcome: '办结' }],
    ] as const) {
      const res = await act(supervisor.h, id, step, payload);
      expect(res.statusCode, step).toBe(404);
      expect(errorOf(res)).toEqual({
        code: 'WORKBENCH_ITEM_NOT_FOUND',
        message: errorMessages.WORKBENCH_ITEM_NOT_FOUND,
      });
    }
    const res = await t.app.inject({ url: `/api/v1/workbench/items/${id}`, headers: supervisor.h });
    expect(res.statusCode).toBe(404);
    expect((await db().select().from(workItemEvents).where(eq(workItemEvents.itemId, id))).length).toBe(0);
  });
});

describe('rectification tickets on the workbench', () => {
  it('shows a ticket, assigns it by the ticket rules, leaves closing to the ticket page, and follows it', async () => {
    const c = await caseOf({ status: 'completed', completedAt: new Date() });
    const [e] = await db()
      .insert(evaluations)
      .values({
        caseId: c.id,
        userId: residentUser.user.id,
        stage: 'completion',
        level: 2,
        indicators: { overall: 2 },
        tags: ['slow'],
        requestHash: randomUUID(),
      })
      .returning();
    const ticket = await openTicket(db(), { evaluationId: e!.id, now: new Date(), workingDays: 5 });
    const item = await itemOf(c.projId, 'ticket');
    expect(item).toMatchObject({ ticketId: ticket.id, status: 'open', assignee: null });
    expect(item!.title).toContain('不满意');

    expect((await act(supervisor.h, item!.id, 'assign', { assigneeId: agent.id })).statusCode).toBe(204);
    const [assigned] = await db()
      .select()
      .from(rectificationTickets)
      .where(eq(rectificationTickets.id, ticket.id));
    expect(assigned).toMatchObject({ status: 'assigned', assigneeId: agent.id, assignedBy: supervisor.id });

    const close = await act(agent.h, item!.id, 'close', { outcome: '已处理' });
    expect(close.statusCode).toBe(409);
    expect(errorOf(close).code).toBe('WORKBENCH_TICKET_CLOSES_ON_TICKET');
    expect(await itemRow(item!.id)).toMatchObject({ status: 'open' });

    const base = `/api/v1/supervision/tickets/${ticket.id}`;
    const early = await t.app.inject({
      method: 'POST',
      url: `${base}/close`,
      headers: agent.h,
      payload: { reply: '已整改完毕，向您致歉' },
    });
    expect(errorOf(early).code).toBe('TICKET_CALLBACK_REQUIRED');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/callback`,
          headers: agent.h,
          payload: { outcome: 'satisfied', note: '电话回访，群众表示理解' },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/close`,
          headers: agent.h,
          payload: { reply: '已整改完毕，向您致歉' },
        })
      ).statusCode,
    ).toBe(204);
    const d = await detail(agent.h, item!.id);
    expect(d).toMatchObject({
      status: 'closed',
      closed: { outcome: '已回访并办结，整改答复：已整改完毕，向您致歉' },
    });
    expect(d.events.at(-1)).toMatchObject({ kind: 'closed' });
    expect(d.events.at(-1)!.by).not.toBe('系统');
    expect(await itemOf(c.projId, 'ticket')).toBeUndefined();
  });

  it('follows a ticket assigned on its own page', async () => {
    const c = await caseOf({ status: 'completed', completedAt: new Date() });
    const [e] = await db()
      .insert(evaluations)
      .values({
        caseId: c.id,
        userId: residentUser.user.id,
        stage: 'completion',
        level: 1,
        indicators: { overall: 1 },
        tags: ['slow'],
        requestHash: randomUUID(),
      })
      .returning();
    const ticket = await openTicket(db(), { evaluationId: e!.id, now: new Date(), workingDays: 5 });
    await list(supervisor.h);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/supervision/tickets/${ticket.id}/assign`,
      headers: supervisor.h,
      payload: { assigneeId: otherAgent.id },
    });
    const item = await itemOf(c.projId, 'ticket');
    expect(item!.assignee?.id).toBe(otherAgent.id);
    const told = await db().select().from(notifications).where(eq(notifications.userId, otherAgent.id));
    expect(told.map((n) => n.page)).toContain(`staff/pages/ticket/index?id=${ticket.id}`);
    expect((await list(otherAgent.h, '?kind=ticket')).items.map((i) => i.id)).toContain(item!.id);
  });
});
