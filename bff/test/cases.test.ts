import { randomUUID } from 'node:crypto';
import { bookingStatusLabels } from '@zyt/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cases,
  govCaseEvents,
  notifications,
  settlementItems,
  shipmentEvents,
  shipments,
} from '../src/db/schema';
import { applyStageEvents, type GovStageEvent } from '../src/features/cases/cases';
import { POLL_CASE, pollSilentCases } from '../src/features/cases/poll';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { SEND_SUBSCRIBE_MESSAGE } from '../src/features/notifications/notify';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, until } from './journey';

/**
 * 我的办件 end to end: the simulators run fast (platform and EMS clocks), callbacks and pushes reach the
 * BFF over HTTP, and the case moves from collection to the applicant's door.
 */
let t: TestApp;
let hooks: { gov: string; ems: string };
const { resident, staff, book, collectAll, caseIdOf } = journey(() => t);

beforeAll(async () => {
  t = await buildTestApp({ TRACKING_SILENT_MINUTES: '1' });
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  hooks = { gov: `${base}/api/v1/hooks/gov/cases`, ems: `${base}/api/v1/hooks/ems/track` };
  t.gov.sim.setCallbackUrl(hooks.gov);
  t.ems.sim.setPushUrl(hooks.ems);
  t.gov.sim.setSpeed(2000);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

const templates = () => t.app.config.wechat.templates;
const detailOf = async (h: Record<string, string>, id: string) => {
  const res = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
/** The resident taps "accept" in WeChat's dialog: WeChat records it, the app tells the BFF. */
async function subscribe(
  openid: string,
  h: Record<string, string>,
  kinds: (keyof ReturnType<typeof templates>)[],
) {
  for (const k of kinds) await t.wechat.subscribe(openid, templates()[k]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/subscriptions',
    headers: h,
    payload: { results: Object.fromEntries(kinds.map((k) => [templates()[k], 'accept'])) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('a case from the door to the door', () => {
  it('goes accepted → completed → result shipped → delivered, with one ordered timeline', async () => {
    const openid = `res-${randomUUID().slice(0, 8)}`;
    const r = await resident(true, openid);
    const agent = await staff('postal_agent');
    const granted = await subscribe(openid, r.h, ['case_accepted', 'case_completed']);
    expect(granted.grants).toMatchObject({ case_accepted: 1, case_completed: 1, result_delivered: 0 });

    const bookingId = await collectAll(agent.h, (await book(r.h)).json().id);
    const id = await caseIdOf(bookingId);
    expect(id).not.toBe(bookingId); // a case has its own id, linked to its booking
    const listed = (await t.app.inject({ url: '/api/v1/cases', headers: r.h })).json().items;
    expect(listed[0]).toMatchObject({ id, matterName: expect.any(String) });

    await until(async () => (await detailOf(r.h, id)).status === 'delivered');
    const d = await detailOf(r.h, id);
    expect(d.caseNumber).toMatch(/^\d{20}$/);
    expect(d.promised).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(d.nextStep).toContain('已签收');
    expect(d.result).toMatchObject({ kind: 'physical', late: false, deliveredAt: expect.any(String) });
    expect(d.shipments.map((s: { leg: string }) => s.leg)).toEqual([
      'materials_to_centre',
      'result_to_applicant',
    ]);
    for (const s of d.shipments) expect(s.waybillNo).toMatch(/^\d{13}$/);

    // One list, oldest first; each step after the one before it.
    const at = d.timeline.map((i: { at: string }) => i.at);
    expect(at).toEqual([...at].sort());
    const index = (pred: (i: Record<string, string>) => boolean) => d.timeline.findIndex(pred);
    const collected = index((i) => i.source === 'booking' && i.title === bookingStatusLabels.collected);
    const accepted = index((i) => i.source === 'gov' && i.stage === '2');
    const completed = index((i) => i.source === 'gov' && i.stage === '4');
    // 快递送达: the centre accepts only once the materials leg is signed for there. Compared by real instants
    // (when we heard of the 704, when the platform accepted): a fast EMS clock stamps its scans ahead.
    const materials = d.shipments.find((s: { leg: string }) => s.leg === 'materials_to_centre');
    const [signed] = await t.app.database.db
      .select({ receivedAt: shipmentEvents.receivedAt })
      .from(shipmentEvents)
      .where(and(eq(shipmentEvents.waybillNo, materials.waybillNo), eq(shipmentEvents.opCode, '704')));
    const [acceptance] = await t.app.database.db
      .select({ occurredAt: govCaseEvents.occurredAt })
      .from(govCaseEvents)
      .where(and(eq(govCaseEvents.projId, d.caseNumber), eq(govCaseEvents.stage, '2')));
    expect(signed && acceptance).toBeTruthy();
    expect(acceptance!.occurredAt.getTime()).toBeGreaterThan(signed!.receivedAt.getTime());
    const shipped = index((i) => i.leg === 'result_to_applicant' && i.opCode === '203');
    const delivered = index((i) => i.leg === 'result_to_applicant' && i.opCode === '704');
    expect(
      [collected, accepted, completed, shipped, delivered].every((n) => n >= 0),
      JSON.stringify(d.timeline, null, 1),
    ).toBe(true);
    expect(collected < accepted && accepted < completed && completed < shipped && shipped < delivered).toBe(
      true,
    );
    // Plain words, not EMS's jargon (收寄, 妥投) or codes.
    expect(d.timeline[shipped].title).toBe('办理结果寄给您 · 已揽收');
    expect(d.timeline[delivered]).toMatchObject({
      title: '办理结果寄给您 · 已签收',
      emsStatus: 'delivered',
      waybillNo: d.shipments[1].waybillNo,
    });

    // Messages only where the person subscribed, each once; the others are recorded, not sent.
    const sent = (await t.wechat.stats()).sent.filter((s) => s.touser === openid) as unknown as {
      template_id: string;
      data: Record<string, { value: string }>;
    }[];
    expect(sent.map((s) => s.template_id).sort()).toEqual(
      [templates().case_accepted, templates().case_completed].sort(),
    );
    expect(sent[0]!.data.character_string1!.value).toBe(d.caseNumber);
    const recorded = await t.app.database.db
      .select({ key: notifications.dedupeKey, status: notifications.status })
      .from(notifications)
      .where(eq(notifications.userId, r.user.id));
    expect(recorded.find((n) => n.key === `case:${id}:result_delivered`)?.status).toBe('not_subscribed');
    expect(recorded.filter((n) => n.key === `case:${id}:case_accepted`)).toHaveLength(1);
    // 好差评: an invitation to rate each stage as it was done (the agent's visit, completion, delivery).
    expect(
      recorded
        .map((n) => n.key)
        .filter((k) => k.startsWith(`case:${id}:evaluation:`))
        .sort(),
    ).toEqual([
      `case:${id}:evaluation:completion`,
      `case:${id}:evaluation:delivery`,
      `case:${id}:evaluation:visit`,
    ]);

    // The government pays per piece: both legs recorded for settlement, once.
    const pieces = await t.app.database.db
      .select()
      .from(settlementItems)
      .where(eq(settlementItems.caseId, id));
    expect(pieces.map((p) => p.leg).sort()).toEqual(['materials_to_centre', 'result_to_applicant']);
    expect(
      pieces.every((p) => p.amountFen === t.app.config.tracking.postageFen && p.payer === 'government'),
    ).toBe(true);
  });

  it('asks for supplements once, with everything missing and the deadline', async () => {
    const openid = `res-${randomUUID().slice(0, 8)}`;
    const r = await resident(true, openid);
    const agent = await staff('postal_agent');
    await subscribe(openid, r.h, ['supplement_required']);
    const bookingId = (await book(r.h)).json().id;
    // The case (and its id) exists only once the materials are collected: script the next submission.
    await t.gov.admin('/sim/admin/script', { next: true, outcome: 'supplement' });
    const id = await caseIdOf(await collectAll(agent.h, bookingId));
    await until(async () => (await detailOf(r.h, id)).status === 'supplement_required');
    const d = await detailOf(r.h, id);
    expect(d.attention).toBe(true);
    expect(d.supplement.items.length).toBeGreaterThan(0);
    expect(d.nextStep).toContain(d.supplement.items[0].name);
    const summary = (await t.app.inject({ url: '/api/v1/cases', headers: r.h })).json().items[0];
    expect(summary).toMatchObject({
      id,
      status: 'supplement_required',
      statusLabel: '待补齐补正',
      attention: true,
    });
    await until(async () => (await t.wechat.stats()).sent.some((s) => s.touser === openid));

    // The platform repeats the stage (a re-sent callback): nothing new, no second message.
    const [stage] = await t.app.database.db
      .select()
      .from(govCaseEvents)
      .where(and(eq(govCaseEvents.ourId, id), eq(govCaseEvents.stage, '11')));
    await t.app.database.db.transaction((tx) =>
      applyStageEvents(tx, t.app, stage!.projId, [stage!.payload as GovStageEvent]),
    );
    // Whatever the repeat caused would be a message job committed with it: once none is left to run, count.
    await until(
      async () =>
        (
          await t.app.database.rows<{ n: number }>(
            sql`select count(*)::int as n from pgboss.job
                where name = ${SEND_SUBSCRIBE_MESSAGE} and state in ('created', 'retry', 'active')`,
          )
        )[0]!.n === 0,
    );
    expect((await t.wechat.stats()).sent.filter((s) => s.touser === openid)).toHaveLength(1);
    const recorded = await t.app.database.db
      .select({ key: notifications.dedupeKey })
      .from(notifications)
      .where(eq(notifications.userId, r.user.id));
    // The door visit's evaluation invitation (好差评) is another message; this is about the supplement.
    expect(recorded.filter((n) => !n.key.includes(':evaluation:'))).toHaveLength(1);
  });

  it('polls a case the platform went silent about, and keeps each stage once', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    t.gov.sim.setCallbackUrl(undefined); // callbacks are lost on the way
    try {
      const id = await caseIdOf(await collectAll(agent.h, (await book(r.h)).json().id));
      await until(async () => !!(await detailOf(r.h, id)).caseNumber);
      const projId = (await detailOf(r.h, id)).caseNumber;
      await until(async () => {
        const sim = await t.gov.admin<{ cases: { status: string }[] }>(`/sim/cases?ourId=${id}`);
        return sim.cases[0]?.status === 'completed';
      });
      expect((await detailOf(r.h, id)).status).toBe('received');
      // Back-to-back sweeps (the job has not run yet) queue one query per case, not one per sweep.
      expect(await pollSilentCases(t.app, new Date(Date.now() + 2 * 60_000))).toBeGreaterThan(0);
      expect(await pollSilentCases(t.app, new Date(Date.now() + 3 * 60_000))).toBe(0);
      await until(async () => ['result_shipping', 'delivered'].includes((await detailOf(r.h, id)).status));
      const stages = await t.app.database.db
        .select()
        .from(govCaseEvents)
        .where(eq(govCaseEvents.projId, projId));
      expect(stages.map((s) => s.stage).sort()).toEqual(['1', '2', '3', '4']);
      // A second query finds nothing new and stores nothing twice. Sent directly: the sweep's singleton holds
      // a repeat back for its whole period, so a sweep here might query nothing. Checked once it has run.
      const again = await t.app.jobs.enqueue(t.app.database.db, POLL_CASE, { projId });
      await until(async () => {
        const [job] = await t.app.database.rows<{ state: string }>(
          sql`select state from pgboss.job where id = ${again}::uuid`,
        );
        return job?.state === 'completed';
      });
      expect(
        await t.app.database.db.select().from(govCaseEvents).where(eq(govCaseEvents.projId, projId)),
      ).toHaveLength(4);
    } finally {
      t.gov.sim.setCallbackUrl(hooks.gov);
    }
  });
});

describe('stage events in any order', () => {
  async function bareCase(promisedWorkingDays: number) {
    const r = await resident();
    const id = randomUUID();
    await t.app.database.db.insert(cases).values({
      id,
      userId: r.user.id,
      channel: 'door_visit',
      applicantKind: 'person',
      matterCode: 'sim-matter',
      matterName: '测试事项',
      promisedWorkingDays,
    });
    return { id, r, projId: `4401122026${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}` };
  }
  const event = (
    projId: string,
    ourId: string,
    stage: string,
    status: string,
    at: string,
    extra = {},
  ): GovStageEvent =>
    ({ eventId: randomUUID(), projId, ourId, stage, status, occurredAt: at, ...extra }) as GovStageEvent;

  it('gives the same case whatever order late, repeated or early events arrive in', async () => {
    const { id, projId } = await bareCase(5);
    const issuedAt = '2026-09-30T02:00:00.000Z'; // the working day before National Day
    const completed = event(projId, id, '4', 'completed', issuedAt, {
      result: { kind: 'electronic', issuedAt, documentName: '电子证照' },
    });
    const accepted = event(projId, id, '2', 'in_progress', '2026-09-21T02:00:00.000Z');
    const apply = (events: GovStageEvent[]) =>
      t.app.database.db.transaction((tx) => applyStageEvents(tx, t.app, projId, events));
    expect(await apply([completed, accepted])).toBe(2);
    expect(
      await apply([
        event(projId, id, '3', 'in_progress', '2026-09-22T02:00:00.000Z'),
        event(projId, id, '1', 'in_progress', '2026-09-20T01:00:00.000Z'),
        accepted, // a repeat
        { ...accepted, eventId: randomUUID() }, // the same stage learnt by polling
      ]),
    ).toBe(2);
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, id));
    expect(c).toMatchObject({ status: 'completed', stage: '4' });
    // Accepted Monday 21 September: 5 working days skip the Mid-Autumn break (25–27 September).
    expect(c!.promisedBy!.toISOString()).toBe('2026-09-29T15:59:59.999Z');
  });

  it('gives a result issued the day before National Day its deadline: the 2nd working day after the holiday', async () => {
    const { id, r, projId } = await bareCase(3);
    const issuedAt = '2026-09-30T07:30:00.000Z';
    await t.app.database.db.transaction((tx) =>
      applyStageEvents(tx, t.app, projId, [
        event(projId, id, '2', 'in_progress', '2026-09-28T02:00:00.000Z'),
        event(projId, id, '4', 'completed', issuedAt, {
          result: { kind: 'physical', issuedAt, documentName: '社会保障卡' },
        }),
      ]),
    );
    const d = await detailOf(r.h, id);
    // 1–7 October are holidays; 8 October is the 1st working day after, 9 October the 2nd.
    expect(d.result.deliverBy).toEqual({ date: '2026-10-09', provisional: false });
    expect(d.status).toBe('completed');
    expect(d.result.late).toBe(true); // that date is long past today, and nothing was delivered
  });
});

describe('who may see what', () => {
  it('hides other people’s cases and refuses bad ids and unknown templates, writing nothing', async () => {
    const owner = await resident();
    const stranger = await resident();
    const agent = await staff('postal_agent');
    const id = await caseIdOf(await collectAll(agent.h, (await book(owner.h)).json().id));
    const foreign = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: stranger.h });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('CASE_NOT_FOUND');
    const supervisor = await staff('supervisor');
    expect((await t.app.inject({ url: `/api/v1/cases/${id}`, headers: supervisor.h })).statusCode).toBe(200);
    const bad = await t.app.inject({ url: '/api/v1/cases/not-a-uuid', headers: owner.h });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('VALIDATION_FAILED');

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/subscriptions',
      headers: owner.h,
      payload: { results: { [templates().case_accepted]: 'accept', 'tmpl-forged': 'accept' } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({
      code: 'SUBSCRIPTION_TEMPLATE_UNKNOWN',
      details: [{ field: 'results.tmpl-forged' }],
    });
    for (const results of [{}, { [templates().case_accepted]: 'maybe' }]) {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/subscriptions',
        headers: owner.h,
        payload: { results },
      });
      expect(bad.statusCode).toBe(400);
      expect(errorOf(bad).code).toBe('VALIDATION_FAILED');
    }
    const grants = (await t.app.inject({ url: '/api/v1/me/subscriptions', headers: owner.h })).json().grants;
    expect(grants.case_accepted).toBe(0);
  });
});

describe('supervision', () => {
  it('lists results not delivered in 2 working days, overdue cases and logistics exceptions', async () => {
    const supervisor = await staff('supervisor');
    const r = await resident();
    const late = randomUUID();
    const overdue = randomUUID();
    const hour = 3600_000;
    await t.app.database.db.insert(cases).values([
      {
        id: late,
        userId: r.user.id,
        channel: 'door_visit',
        applicantKind: 'person',
        projId: `44011220260000${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        matterCode: 'm',
        matterName: '居民身份证换领',
        promisedWorkingDays: 1,
        status: 'result_shipping',
        completedAt: new Date(Date.now() - 80 * hour),
        deliverBy: new Date(Date.now() - 2 * hour),
      },
      {
        id: overdue,
        userId: r.user.id,
        channel: 'door_visit',
        applicantKind: 'person',
        matterCode: 'm',
        matterName: '失业登记',
        promisedWorkingDays: 1,
        status: 'in_progress',
        promisedBy: new Date(Date.now() - hour),
      },
    ]);
    const flagged = randomUUID();
    await t.app.database.db.insert(shipments).values({
      id: flagged,
      leg: 'result_to_applicant',
      subjectKind: 'case',
      caseId: late,
      senderSealed: 'x',
      receiverSealed: 'x',
      status: 'delivered',
      waybillNo: `98${String(Date.now()).slice(-11)}`,
      flags: [
        {
          code: 'proxy_unverified',
          at: new Date().toISOString(),
          detail: '他人代收，未登记与收件人关系和身份证件',
        },
      ],
    });
    const res = await t.app.inject({ url: '/api/v1/supervision/breaches', headers: supervisor.h });
    expect(res.statusCode).toBe(200);
    const { items, counts } = res.json();
    expect(items).toContainEqual(
      expect.objectContaining({
        kind: 'result_not_delivered',
        subjectId: late,
        outstanding: true,
        minutesLate: expect.any(Number),
      }),
    );
    expect(
      items.find(
        (i: { subjectId: string; kind: string }) => i.subjectId === late && i.kind === 'result_not_delivered',
      ).minutesLate,
    ).toBeGreaterThanOrEqual(119);
    expect(items).toContainEqual(
      expect.objectContaining({ kind: 'case_overdue', subjectId: overdue, outstanding: true }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        kind: 'logistics_exception',
        subjectId: late,
        label: '他人代收未登记关系和证件',
      }),
    );
    expect(counts.result_not_delivered).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ url: '/api/v1/supervision/breaches', headers: r.h })).statusCode).toBe(403);
  });
});
