import { randomUUID } from 'node:crypto';
import { errorMessages } from '@zyt/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bagBatches,
  bags,
  bookingEvents,
  bookings,
  cases,
  evaluations,
  settlementItems,
  shipments,
  slaBreaches,
  supplements,
} from '../src/db/schema';
import { caseSubmitted } from '../src/features/cases/cases';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, SERVING_CENTRE, until } from './journey';

/**
 * Supervisors' figures on a small fixture written directly, with every median and 90th percentile computed by
 * hand (percentile_cont interpolates: p = v[floor(k)] + frac(k)·(v[floor(k)+1] − v[floor(k)]), k = p·(n−1)).
 */
let t: TestApp;
const { resident, staff, book, collectAll, caseIdOf } = journey(() => t);
const db = () => t.app.database.db;
const H = 3_600_000;
const OTHER_CENTRE = 'HP-SC-02';

let sup: { id: string; h: Record<string, string> };
let agentA: { id: string; h: Record<string, string> };
let agentB: { id: string; h: Record<string, string> };
let residentId: string;
let batchId: string;
let serial = 0;

/** 2026-03-10 10:00 Beijing. */
const BASE = Date.parse('2026-03-10T02:00:00Z');
const at = (hours: number, base = BASE) => new Date(base + hours * H);

async function leg(caseId: string, legName: string, createdAt: Date, deliveredAt?: Date) {
  const id = randomUUID();
  const waybillNo = `1${String(++serial).padStart(12, '0')}`;
  await db()
    .insert(shipments)
    .values({
      id,
      leg: legName as 'materials_to_centre',
      subjectKind: 'case',
      caseId,
      senderSealed: 'x',
      receiverSealed: 'x',
      status: deliveredAt ? 'delivered' : 'in_transit',
      waybillNo,
      deliveredAt,
      createdAt,
    });
  await db()
    .insert(settlementItems)
    .values({ shipmentId: id, caseId, waybillNo, leg: legName, amountFen: 1200, createdAt });
  return id;
}

async function caseRow(over: Partial<typeof cases.$inferInsert> & { createdAt: Date }) {
  const id = randomUUID();
  await db()
    .insert(cases)
    .values({
      id,
      userId: residentId,
      channel: 'online',
      applicantKind: 'person',
      matterCode: 'sim-matter',
      matterName: '测试事项',
      promisedWorkingDays: 5,
      status: 'received',
      centreId: SERVING_CENTRE,
      ...over,
    });
  return id;
}

/**
 * A door visit in the centre: booked at `base`, reached after `visit` hours by `agent`, submitted, accepted,
 * completed and delivered after the given further hours (null: not reached), its materials leg charged.
 */
async function doorCase(p: {
  base: number;
  agent: string;
  visit: number;
  submit: number;
  accept: number | null;
  complete: number | null;
  deliver: number | null;
  late?: boolean;
}) {
  const bookingId = randomUUID();
  const arrived = at(p.visit, p.base);
  await db()
    .insert(bookings)
    .values({
      id: bookingId,
      number: `B${++serial}`,
      userId: residentId,
      idempotencyKey: `k${serial}`,
      requestHash: 'h',
      matterCode: 'sim-matter',
      matterName: '测试事项',
      matterVersion: '1',
      status: 'collected',
      windowKind: 'asap',
      county: '黄埔区',
      outletId: 'HP-PO-01',
      addressSealed: 'x',
      contactSealed: 'x',
      agentId: p.agent,
      arrivedAt: arrived,
      createdAt: new Date(p.base),
    });
  await db()
    .insert(bookingEvents)
    .values([
      {
        bookingId,
        kind: 'status_changed',
        status: 'assigned',
        actor: 'agent',
        actorId: p.agent,
        at: at(0.5, p.base),
      },
      { bookingId, kind: 'status_changed', status: 'arrived', actor: 'agent', actorId: p.agent, at: arrived },
    ]);
  if (p.late)
    await db()
      .insert(slaBreaches)
      .values({ kind: 'visit_late', subjectId: bookingId, dueAt: at(1, p.base), resolvedAt: arrived });
  const submitted = at(p.submit, arrived.getTime());
  const accepted = p.accept === null ? null : at(p.accept, submitted.getTime());
  const completed = p.complete === null || !accepted ? null : at(p.complete, accepted.getTime());
  const id = await caseRow({
    channel: 'door_visit',
    bookingId,
    createdAt: arrived,
    submittedAt: submitted,
    acceptedAt: accepted,
    completedAt: completed,
  });
  await leg(id, 'materials_to_centre', arrived);
  if (completed && p.deliver !== null) {
    const r = await leg(id, 'result_to_applicant', completed, at(p.deliver, completed.getTime()));
    await db().update(cases).set({ resultShipmentId: r }).where(eq(cases.id, id));
  }
  return id;
}

async function rating(caseId: string, agentId: string, level: number, voided = false) {
  await db()
    .insert(evaluations)
    .values({
      caseId,
      userId: residentId,
      stage: 'visit',
      level,
      indicators: { overall: level },
      tags: [],
      agentId,
      requestHash: randomUUID(),
      voided,
      createdAt: at(48),
    });
}

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(db(), t.app.gov);
  sup = await staff('supervisor');
  agentA = await staff('postal_agent');
  agentB = await staff('postal_agent');
  residentId = (await resident()).user.id;
  const [batch] = await db()
    .insert(bagBatches)
    .values({ count: 1, validUntil: '2026-12-31', createdBy: sup.id })
    .returning();
  batchId = batch!.id;

  // Four door visits in March at the serving centre.
  // booking→visit 1, 2, 3, 10 h; visit→submission 2, 4, 6, 8 h; submission→acceptance 24, 48, 72 h (the 4th
  // not accepted); acceptance→completion 10, 20, 30 h; completion→delivery 5, 15 h (the 3rd not delivered).
  const d0 = await doorCase({
    base: BASE,
    agent: agentA.id,
    visit: 1,
    submit: 2,
    accept: 24,
    complete: 10,
    deliver: 5,
  });
  const d1 = await doorCase({
    base: BASE,
    agent: agentA.id,
    visit: 2,
    submit: 4,
    accept: 48,
    complete: 20,
    deliver: 15,
  });
  const d2 = await doorCase({
    base: BASE,
    agent: agentB.id,
    visit: 3,
    submit: 6,
    accept: 72,
    complete: 30,
    deliver: null,
  });
  const d3 = await doorCase({
    base: BASE,
    agent: agentB.id,
    visit: 10,
    submit: 8,
    accept: null,
    complete: null,
    deliver: null,
    late: true,
  });
  // A door visit in February: outside the period, with stage times that would move every figure.
  await doorCase({
    base: Date.parse('2026-02-10T02:00:00Z'),
    agent: agentA.id,
    visit: 100,
    submit: 100,
    accept: 100,
    complete: 100,
    deliver: 100,
  });
  // The period's edges: 2026-03-31 23:30 Beijing is in, 2026-04-01 00:10 Beijing is out; 2026-03-01 00:00 is in.
  await caseRow({ channel: 'outlet_window', createdAt: new Date('2026-03-31T15:30:00Z') });
  await caseRow({ channel: 'outlet_window', createdAt: new Date('2026-03-31T16:10:00Z') });
  await caseRow({ channel: 'online', createdAt: new Date('2026-02-28T16:00:00Z') });
  // Another centre's enterprise claim, with its own charged leg.
  const other = await caseRow({
    channel: 'enterprise_claim',
    applicantKind: 'enterprise',
    enterpriseName: '广州某某科技有限公司',
    enterpriseCreditCode: '91440101MA59TEST0X',
    centreId: OTHER_CENTRE,
    createdAt: at(1),
  });
  await leg(other, 'materials_to_centre', at(1));
  // 替你跑: d0's supplement went by bag in March (its leg charged too).
  const [s] = await db()
    .insert(supplements)
    .values({ caseId: d0, source: 'platform', items: [], deadline: at(24 * 10), status: 'received' })
    .returning();
  const bagLeg = await leg(d0, 'supplement_to_centre', at(30));
  await db()
    .insert(bags)
    .values({
      code: 'FIGS00000001',
      batchId,
      state: 'sent',
      supplementId: s!.id,
      shipmentId: bagLeg,
      sentAt: at(30),
    });
  // 好差评 of the visits: A 5 and 4; B 2 (and a 1 voided by appeal, which does not count).
  await rating(d0, agentA.id, 5);
  await rating(d1, agentA.id, 4);
  await rating(d2, agentB.id, 2);
  await rating(d3, agentB.id, 1, true);
});
afterAll(() => t?.close());

const get = (url: string, h = sup.h) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const hours = (h: number) => h * 3600;

describe('figures by period and centre', () => {
  it('counts applications by channel, free mail, stage medians and p90, per agent — by hand', async () => {
    const res = await get(`/supervision/figures?from=2026-03-01&to=2026-03-31&centre=${SERVING_CENTRE}`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.centre).toEqual({ id: SERVING_CENTRE, name: expect.any(String) });
    expect(f.applications).toBe(6);
    expect(
      Object.fromEntries(f.channels.map((c: { channel: string; count: number }) => [c.channel, c.count])),
    ).toEqual({
      door_visit: 4,
      online: 1,
      outlet_window: 1,
      enterprise_claim: 0,
      bundle: 0,
      bag_supplement: 1,
    });
    // 4 materials legs, 2 results, 1 bag: 7 pieces at ¥12.
    expect(f.freeMail).toEqual({
      pieces: 7,
      postageFen: 8400,
      legs: [
        { leg: 'materials_to_centre', label: '申请材料寄往政务中心', pieces: 4 },
        { leg: 'result_to_applicant', label: '办理结果寄给您', pieces: 2 },
        { leg: 'supplement_to_centre', label: '补正材料寄往政务中心', pieces: 1 },
      ],
    });
    expect(f.stages).toEqual([
      // [1,2,3,10]: median 2.5; k = 2.7 → 3 + 0.7·7 = 7.9
      {
        stage: 'booking_visit',
        label: '预约→上门',
        cases: 4,
        medianSeconds: hours(2.5),
        p90Seconds: hours(7.9),
      },
      // [2,4,6,8]: median 5; k = 2.7 → 6 + 0.7·2 = 7.4
      {
        stage: 'visit_submission',
        label: '上门→提交',
        cases: 4,
        medianSeconds: hours(5),
        p90Seconds: hours(7.4),
      },
      // [24,48,72]: median 48; k = 1.8 → 48 + 0.8·24 = 67.2
      {
        stage: 'submission_acceptance',
        label: '提交→受理',
        cases: 3,
        medianSeconds: hours(48),
        p90Seconds: hours(67.2),
      },
      // [10,20,30]: median 20; k = 1.8 → 20 + 0.8·10 = 28
      {
        stage: 'acceptance_completion',
        label: '受理→办结',
        cases: 3,
        medianSeconds: hours(20),
        p90Seconds: hours(28),
      },
      // [5,15]: median 10; k = 0.9 → 5 + 0.9·10 = 14
      {
        stage: 'completion_delivery',
        label: '办结→送达',
        cases: 2,
        medianSeconds: hours(10),
        p90Seconds: hours(14),
      },
    ]);
    const byAgent = Object.fromEntries(f.agents.map((a: { agentId: string }) => [a.agentId, a])) as Record<
      string,
      Record<string, unknown>
    >;
    expect(f.agents).toHaveLength(2);
    expect(byAgent[agentA.id]).toMatchObject({
      visits: 2,
      arrived: 2,
      onTime: 2,
      onTimeShare: 1,
      ratings: 2,
      averageRating: 4.5,
    });
    expect(byAgent[agentB.id]).toMatchObject({
      visits: 2,
      arrived: 2,
      onTime: 1,
      onTimeShare: 0.5,
      ratings: 1,
      averageRating: 2,
    });
  });

  it('all centres together, and another centre alone', async () => {
    const all = (await get('/supervision/figures?from=2026-03-01&to=2026-03-31')).json();
    expect(all.centre).toBeNull();
    expect(all.applications).toBe(7);
    expect(all.channels.find((c: { channel: string }) => c.channel === 'enterprise_claim').count).toBe(1);
    expect(all.freeMail).toMatchObject({ pieces: 8, postageFen: 9600 });
    const other = (
      await get(`/supervision/figures?from=2026-03-01&to=2026-03-31&centre=${OTHER_CENTRE}`)
    ).json();
    expect(other).toMatchObject({ applications: 1, freeMail: { pieces: 1, postageFen: 1200 }, agents: [] });
    expect(
      other.stages.every(
        (s: { cases: number; medianSeconds: null }) => s.cases === 0 && s.medianSeconds === null,
      ),
    ).toBe(true);
    // A day: only what happened on it (Beijing).
    const day = (await get('/supervision/figures?from=2026-04-01&to=2026-04-01')).json();
    expect(day).toMatchObject({ applications: 1, freeMail: { pieces: 0, postageFen: 0, legs: [] } });
  });

  it('exports the same table as CSV', async () => {
    const res = await get(`/supervision/figures.csv?from=2026-03-01&to=2026-03-31&centre=${SERVING_CENTRE}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="figures-2026-03-01-2026-03-31-${SERVING_CENTRE}.csv"`,
    );
    expect(res.body.startsWith('\uFEFF统计时段,2026-03-01 至 2026-03-31\r\n')).toBe(true);
    const lines = res.body.split('\r\n');
    expect(lines).toContain('上门收件,4');
    expect(lines).toContain('替你跑补正,1');
    expect(lines).toContain('合计（办件）,6');
    expect(lines).toContain('群众免付邮费（元）,84.00');
    expect(lines).toContain('预约→上门,4,2.5,7.9');
    expect(lines).toContain('办结→送达,2,10,14');
    expect(lines.filter((l) => /,50\.0%,1,2$/.test(l))).toHaveLength(1);
  });

  it('lists the service centres to choose from', async () => {
    const res = await get('/supervision/figures/centres');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((c: { id: string }) => c.id);
    expect(ids).toContain(SERVING_CENTRE);
    expect(ids).not.toContain('HP-PO-01');
  });
});

describe('bad input', () => {
  it('refuses a reversed period, one over 366 days, bad dates, an unknown centre', async () => {
    const reversed = await get('/supervision/figures?from=2026-03-02&to=2026-03-01');
    expect(reversed.statusCode).toBe(422);
    expect(errorOf(reversed)).toMatchObject({
      code: 'FIGURES_PERIOD_INVALID',
      message: errorMessages.FIGURES_PERIOD_INVALID,
    });
    const long = await get('/supervision/figures?from=2025-01-01&to=2026-01-02');
    expect(long.statusCode).toBe(422);
    expect(errorOf(long).code).toBe('FIGURES_PERIOD_TOO_LONG');
    expect((await get('/supervision/figures.csv?from=2025-01-01&to=2026-01-02')).statusCode).toBe(422);
    // A leap year whole is 366 days: allowed.
    expect((await get('/supervision/figures?from=2024-01-01&to=2024-12-31')).statusCode).toBe(200);
    const badDate = await get('/supervision/figures?from=2026-13-01&to=2026-03-01');
    expect(badDate.statusCode).toBe(400);
    expect(errorOf(badDate).code).toBe('VALIDATION_FAILED');
    expect((await get('/supervision/figures?from=2026-03-01')).statusCode).toBe(400);
    for (const centre of ['NOPE', 'HP-PO-01']) {
      const unknown = await get(`/supervision/figures?from=2026-03-01&to=2026-03-31&centre=${centre}`);
      expect(unknown.statusCode).toBe(404);
      expect(errorOf(unknown).code).toBe('CENTRE_NOT_FOUND');
    }
  });

  it('is for supervisors only', async () => {
    const someone = await resident();
    for (const url of [
      '/supervision/figures?from=2026-03-01&to=2026-03-31',
      '/supervision/figures.csv?from=2026-03-01&to=2026-03-31',
      '/supervision/figures/centres',
    ]) {
      expect((await get(url, someone.h)).statusCode).toBe(403);
      expect((await get(url, agentA.h)).statusCode).toBe(403);
      expect((await t.app.inject({ url: `/api/v1${url}` })).statusCode).toBe(401);
    }
  });
});

describe('what the figures are made of', () => {
  it('a door visit records its centre, and when the platform took the submission', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const booked = await book(r.h);
    expect(booked.statusCode, booked.body).toBe(201);
    const caseId = await caseIdOf(await collectAll(agent.h, booked.json().id));
    const [c] = await until(async () => {
      const rows = await db().select().from(cases).where(eq(cases.id, caseId));
      return rows[0]?.submittedAt ? rows : null;
    });
    expect(c!.centreId).toBe(SERVING_CENTRE);
    expect(c!.submittedAt!.getTime()).toBeGreaterThanOrEqual(c!.createdAt.getTime());
    // Submitted once: a later call keeps the first time.
    const first = c!.submittedAt!.getTime();
    await caseSubmitted(db(), caseId, c!.projId!);
    const [again] = await db().select().from(cases).where(eq(cases.id, caseId));
    expect(again!.submittedAt!.getTime()).toBe(first);
  });
});
