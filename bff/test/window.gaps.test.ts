import { randomUUID } from 'node:crypto';
import { parseReceiptCode } from '@zyt/shared';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters as simMatters } from '../simulators/gov/catalogue';
import {
  bags,
  cases,
  evaluations,
  notifications,
  resultMailings,
  supplements,
  windowAppointments,
  windowIntakes,
  windowSlots,
} from '../src/db/schema';
import { codeOf } from '../src/features/bags/bags';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { markWindowNoShows, remindWindowAppointments } from '../src/features/window/sweeps';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, SERVING_POST_OFFICE, until } from './journey';

/**
 * 网点就近办, what the window lacked next to door visits: the platform told of the result mailing (at the
 * window, or added later by the receipt's code); 改约, cancellation, no-show and reminders of window
 * appointments; 容缺受理 at the window with a 替你跑 bag; and the 好差评 invitation with the clerk as the rated
 * staff. Each bad input is refused with its code and nothing written.
 */
let t: TestApp;
const { resident, staff } = journey(() => t);

type SimMatter = (typeof simMatters)[number];
const atWindow = (m: SimMatter) =>
  m.applicantType === 'person' && m.channels.outlet && m.outletIds.includes(SERVING_POST_OFFICE);
/** Taken at the serving post office's window, paper result mailable, 容缺受理 allowed. */
const tolerantMatter = simMatters.find(
  (m) =>
    atWindow(m) &&
    m.tolerantAcceptance === true &&
    m.channels.mail !== 'none' &&
    m.result.kind === 'physical' &&
    m.materials.some((x) => x.required),
)!;
/** Taken there, mailable, but no 容缺受理. */
const strictMatter = simMatters.find(
  (m) =>
    atWindow(m) &&
    !m.tolerantAcceptance &&
    m.channels.mail !== 'none' &&
    m.result.kind === 'physical' &&
    m.materials.some((x) => x.required),
)!;
/** Taken there, but its result cannot be mailed. */
const unmailable = simMatters.find((m) => atWindow(m) && m.channels.mail === 'none');

const ME = { idNumber: '11010519491231002X', phone: '13800138000', address: '广州市黄埔区大沙地东路1号' };
const WALK_IN = {
  name: '李四',
  idNumber: '440112199002020034',
  phone: '13900139000',
  address: '广州市黄埔区丰乐北路8号',
};
const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' };
const contact = { name: '张三', phone: '13800138000' };

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const post = (h: Record<string, string>, url: string, payload?: object, extra: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: payload ? { ...h, ...extra } : { ...h, ...extra, 'content-type': 'application/json' },
    payload: payload ?? '',
  });
const slotsOf = async (h: Record<string, string>, matterCode = strictMatter.serviceCode) =>
  (await get(h, `/window/slots?matterCode=${matterCode}&outletId=${SERVING_POST_OFFICE}`)).json().slots as {
    id: string;
    start: string;
  }[];
const book = (h: Record<string, string>, slotId: string, matterCode = strictMatter.serviceCode) =>
  post(
    h,
    '/window/appointments',
    { matterCode, outletId: SERVING_POST_OFFICE, slotId },
    { 'idempotency-key': `wa-${randomUUID()}` },
  );
const slotRow = async (id: string) =>
  (await db().select().from(windowSlots).where(eq(windowSlots.id, id)))[0]!;
const apptRow = async (id: string) =>
  (await db().select().from(windowAppointments).where(eq(windowAppointments.id, id)))[0]!;
const allPresent = (checklist: { materialId: string; count: number }[]) =>
  checklist.map((m) => ({ materialId: m.materialId, present: true, copies: m.count }));
const simCaseOf = async (ourId: string) =>
  (
    await t.gov.admin<{
      cases: {
        projId: string;
        delivery: { mode: string; via: string; receiver: Record<string, string> } | null;
        supplementsPushed: string[];
      }[];
    }>(`/sim/cases?ourId=${ourId}`)
  ).cases[0];
const walkIn = async (clerkH: Record<string, string>, matterCode: string, applicant: object = WALK_IN) => {
  const res = await post(clerkH, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
    matterCode,
    applicant,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};
const bagBatch = async (count: number) => {
  const centreClerk = await staff('centre_clerk');
  const res = await post(centreClerk.h, '/staff/bag-batches', { count, validUntil: '2099-12-31' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().codes as string[];
};
const countOf = async (table: typeof cases | typeof resultMailings | typeof supplements | typeof bags) =>
  (await db().select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe('the platform is told of the result mailing', () => {
  it('chosen at the window: it is stored sealed and travels with the submission as the case’s delivery', async () => {
    const clerk = await staff('outlet_clerk');
    const intake = await walkIn(clerk.h, strictMatter.serviceCode);
    const reviewed = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
      resultMailing: { address, contact: { name: WALK_IN.name, phone: WALK_IN.phone } },
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'collected', resultMailing: true });
    const caseId = reviewed.json().caseId as string;
    const [m] = await db().select().from(resultMailings).where(eq(resultMailings.caseId, caseId));
    expect(m).toMatchObject({ orderedBy: 'window', orderedById: clerk.id });
    // Sealed at rest.
    expect(m!.addressSealed).not.toContain('大沙地');

    const atPlatform = await until(async () => {
      const c = await simCaseOf(caseId);
      return c?.delivery ? c : undefined;
    });
    expect(atPlatform.delivery).toMatchObject({
      mode: 'mail',
      via: 'submission',
      receiver: { name: WALK_IN.name, mobile: WALK_IN.phone, county: '黄埔区', detail: address.detail },
    });
  });

  it('added later by the receipt’s code: the delivery change reaches the platform through a job', async () => {
    const clerk = await staff('outlet_clerk');
    const intake = await walkIn(clerk.h, strictMatter.serviceCode, { name: '张三', ...ME });
    await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, { items: allPresent(intake.checklist) });
    const ready = await until(async () => {
      const v = (await get(clerk.h, `/staff/window/intakes/${intake.id}`)).json();
      return v.receiptUrl ? v : undefined;
    });
    expect(ready.resultMailing).toBe(false);
    expect((await simCaseOf(ready.caseId))?.delivery).toBeNull();
    const scanned = parseReceiptCode(ready.receiptUrl);
    if (!scanned.ok) throw new Error('receipt URL unreadable');
    const r = await resident();
    const added = await post(
      r.h,
      '/cases/result-mailings',
      { caseNumber: scanned.caseNumber, queryCode: scanned.queryCode, address, contact },
      { 'idempotency-key': `rm-${randomUUID()}` },
    );
    expect(added.statusCode, added.body).toBe(201);
    const atPlatform = await until(async () => {
      const c = await simCaseOf(ready.caseId);
      return c?.delivery ? c : undefined;
    });
    expect(atPlatform.delivery).toMatchObject({
      mode: 'mail',
      via: 'change',
      receiver: { name: '张三', mobile: contact.phone, detail: address.detail },
    });
  });

  it('refuses mailing for a matter whose result cannot be mailed, and a bad receiver, writing nothing', async () => {
    const clerk = await staff('outlet_clerk');
    if (unmailable) {
      const intake = await walkIn(clerk.h, unmailable.serviceCode);
      const before = await countOf(cases);
      const res = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
        items: allPresent(intake.checklist),
        resultMailing: { address, contact },
      });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res).code).toBe('RESULT_MAILING_NOT_SUPPORTED');
      expect(await countOf(cases)).toBe(before);
    }
    const intake = await walkIn(clerk.h, strictMatter.serviceCode);
    const before = { cases: await countOf(cases), mailings: await countOf(resultMailings) };
    const res = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
      resultMailing: { address, contact: { name: '张三', phone: '12345' } },
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'CONTACT_INVALID' });
    expect(errorOf(res).message).toMatch(/[\u4e00-\u9fa5]/);
    expect({ cases: await countOf(cases), mailings: await countOf(resultMailings) }).toEqual(before);
    const [i] = await db().select().from(windowIntakes).where(eq(windowIntakes.id, intake.id));
    expect(i!.status).toBe('reviewing');
  });
});

describe('window appointments: 改约, cancellation, no-show and reminders', () => {
  it('reschedules within the outlet’s slots: new place taken, old one given back', async () => {
    const r = await resident();
    const slots = await slotsOf(r.h);
    const appt = (await book(r.h, slots[0]!.id)).json();
    const before = { old: (await slotRow(slots[0]!.id)).booked, next: (await slotRow(slots[1]!.id)).booked };
    const moved = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[1]!.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: appt.id, status: 'booked', start: slots[1]!.start });
    expect((await slotRow(slots[0]!.id)).booked).toBe(before.old - 1);
    expect((await slotRow(slots[1]!.id)).booked).toBe(before.next + 1);
    // The same slot again changes nothing.
    const same = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[1]!.id });
    expect(same.statusCode).toBe(200);
    expect((await slotRow(slots[1]!.id)).booked).toBe(before.next + 1);
  });

  it('refuses someone else’s appointment, a full slot, a slot outside the hours, another outlet’s slot and a started one — changing nothing', async () => {
    const r = await resident();
    const slots = await slotsOf(r.h);
    const appt = (await book(r.h, slots[0]!.id)).json();
    const snapshot = async () => ({
      appt: await apptRow(appt.id),
      a: (await slotRow(slots[0]!.id)).booked,
      b: (await slotRow(slots[2]!.id)).booked,
    });
    const before = await snapshot();

    const other = await resident();
    const theirs = await post(other.h, `/window/appointments/${appt.id}/reschedule`, {
      slotId: slots[2]!.id,
    });
    expect(theirs.statusCode).toBe(404);
    expect(errorOf(theirs).code).toBe('WINDOW_APPOINTMENT_NOT_FOUND');
    const cancelTheirs = await post(other.h, `/window/appointments/${appt.id}/cancel`);
    expect(errorOf(cancelTheirs).code).toBe('WINDOW_APPOINTMENT_NOT_FOUND');

    // Full.
    const full = await slotRow(slots[2]!.id);
    await db().update(windowSlots).set({ booked: full.capacity }).where(eq(windowSlots.id, full.id));
    const tooFull = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: full.id });
    expect(tooFull.statusCode).toBe(409);
    expect(errorOf(tooFull)).toMatchObject({
      code: 'WINDOW_SLOT_FULL',
      message: expect.stringContaining('已满'),
    });
    await db().update(windowSlots).set({ booked: full.booked }).where(eq(windowSlots.id, full.id));

    // Outside the hours: a slot row at 03:00 Beijing.
    const [night] = await db()
      .insert(windowSlots)
      .values({
        outletId: SERVING_POST_OFFICE,
        startsAt: new Date(Date.parse(`${slots[0]!.start.slice(0, 10)}T19:00:00Z`) + 7 * 86_400_000),
        endsAt: new Date(Date.parse(`${slots[0]!.start.slice(0, 10)}T19:30:00Z`) + 7 * 86_400_000),
        capacity: 3,
      })
      .returning();
    const outside = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: night!.id });
    expect(outside.statusCode).toBe(422);
    expect(errorOf(outside).code).toBe('WINDOW_SLOT_OUTSIDE_HOURS');

    // Another outlet's slot is not one of this appointment's.
    const otherOutlet = await get(
      r.h,
      `/window/slots?matterCode=${strictMatter.serviceCode}&outletId=${
        simMatters
          .find((m) => m.serviceCode === strictMatter.serviceCode)!
          .outletIds.find((o) => o !== SERVING_POST_OFFICE && o.startsWith('HP-PO')) ?? SERVING_POST_OFFICE
      }`,
    );
    const foreign = otherOutlet.json().slots?.[0];
    if (foreign && foreign.id !== slots[0]!.id) {
      const res = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: foreign.id });
      if ((await slotRow(foreign.id)).outletId !== SERVING_POST_OFFICE) {
        expect(res.statusCode).toBe(404);
        expect(errorOf(res).code).toBe('NOT_FOUND');
      }
    }
    expect(await snapshot()).toEqual(before);

    // Once its slot has started it can no longer be moved.
    await db()
      .update(windowAppointments)
      .set({ startsAt: new Date(Date.now() - 60_000) })
      .where(eq(windowAppointments.id, appt.id));
    const late = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[2]!.id });
    expect(late.statusCode).toBe(409);
    expect(errorOf(late).code).toBe('WINDOW_APPOINTMENT_TOO_LATE');
    expect((await slotRow(slots[2]!.id)).booked).toBe(before.b);

    // Cancelled: no more rescheduling.
    await db()
      .update(windowAppointments)
      .set({ startsAt: before.appt.startsAt })
      .where(eq(windowAppointments.id, appt.id));
    expect((await post(r.h, `/window/appointments/${appt.id}/cancel`)).statusCode).toBe(200);
    const gone = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[2]!.id });
    expect(errorOf(gone).code).toBe('WINDOW_APPOINTMENT_STATE_CONFLICT');
  });

  it('reminds the resident once before the slot, and again for a new time after 改约', async () => {
    const r = await resident();
    const slots = await slotsOf(r.h);
    const appt = (await book(r.h, slots[0]!.id)).json();
    const reminders = async () =>
      (
        await db()
          .select({ key: notifications.dedupeKey })
          .from(notifications)
          .where(like(notifications.dedupeKey, `window-appointment:${appt.id}:remind:%`))
      ).length;
    const startsAt = Date.parse(slots[0]!.start);
    // Two days before: nothing yet.
    await remindWindowAppointments(t.app, new Date(startsAt - 2 * 86_400_000));
    expect(await reminders()).toBe(0);
    // The day before: one reminder, and only one however often the sweep runs.
    await remindWindowAppointments(t.app, new Date(startsAt - 3 * 3600_000));
    await remindWindowAppointments(t.app, new Date(startsAt - 2 * 3600_000));
    expect(await reminders()).toBe(1);
    const [n] = await db()
      .select()
      .from(notifications)
      .where(like(notifications.dedupeKey, `window-appointment:${appt.id}:remind:%`));
    expect(n).toMatchObject({ userId: r.user.id, page: 'booking/pages/window/index' });
    // Moved: reminded of the new time.
    await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[1]!.id });
    await remindWindowAppointments(t.app, new Date(Date.parse(slots[1]!.start) - 3600_000));
    expect(await reminders()).toBe(2);
  });

  it('marks an appointment not served by the end of its slot as no-show, tells the resident once, opens no case', async () => {
    const r = await resident();
    const slots = await slotsOf(r.h);
    const appt = (await book(r.h, slots[0]!.id)).json();
    const served = (await book(r.h, slots[1]!.id)).json();
    const clerk = await staff('outlet_clerk');
    await db()
      .update(windowAppointments)
      .set({ startsAt: new Date(Date.now() + 60_000) })
      .where(eq(windowAppointments.id, served.id));
    const s = await post(clerk.h, `/staff/window/appointments/${served.id}/serve`, ME);
    expect(s.statusCode, s.body).toBe(201);
    const casesBefore = await countOf(cases);
    // Before the end of its slot it stays booked.
    await markWindowNoShows(t.app, new Date(Date.parse(slots[0]!.start) + 60_000));
    expect((await apptRow(appt.id)).status).toBe('booked');
    const end = (await apptRow(appt.id)).endsAt;
    await markWindowNoShows(t.app, new Date(end.getTime() + 1000));
    await markWindowNoShows(t.app, new Date(end.getTime() + 120_000));
    expect((await apptRow(appt.id)).status).toBe('no_show');
    expect((await apptRow(served.id)).status).toBe('served');
    expect(await countOf(cases)).toBe(casesBefore);
    const told = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `window-appointment:${appt.id}:no-show`));
    expect(told).toHaveLength(1);
    const mine = (await get(r.h, '/window/appointments')).json().items;
    expect(mine).toContainEqual(
      expect.objectContaining({ id: appt.id, status: 'no_show', statusLabel: '已过号' }),
    );
    // A no-show can neither be served nor moved.
    const serve = await post(clerk.h, `/staff/window/appointments/${appt.id}/serve`, ME);
    expect(errorOf(serve).code).toBe('WINDOW_APPOINTMENT_STATE_CONFLICT');
    const move = await post(r.h, `/window/appointments/${appt.id}/reschedule`, { slotId: slots[2]!.id });
    expect(move.statusCode).toBe(409);
  });
});

describe('容缺受理 at the window', () => {
  it('collects what is complete, binds the bag to the rest (as at the door), and the case is submitted', async () => {
    expect(tolerantMatter).toBeDefined();
    const clerk = await staff('outlet_clerk');
    const [bag] = await bagBatch(1);
    const intake = await walkIn(clerk.h, tolerantMatter.serviceCode);
    expect(intake.tolerantAcceptance).toBe(true);
    const missingOne = intake.checklist.find((m: { required: boolean }) => m.required);
    const items = allPresent(intake.checklist).map((i) =>
      i.materialId === missingOne.materialId ? { ...i, present: false, copies: 0 } : i,
    );
    const reviewed = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items,
      tolerate: { bagCode: bag },
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'collected', tolerated: true });
    expect(reviewed.json().missingItems.map((m: { materialId: string }) => m.materialId)).toEqual([
      missingOne.materialId,
    ]);
    const caseId = reviewed.json().caseId as string;
    const [s] = await db().select().from(supplements).where(eq(supplements.caseId, caseId));
    expect(s).toMatchObject({ source: 'door', status: expect.any(String) });
    expect(s!.items.map((i) => i.id)).toEqual([missingOne.materialId]);
    const [b] = await db().select().from(bags).where(eq(bags.supplementId, s!.id));
    expect(b).toMatchObject({ state: 'bound' });
    // Submitted with the missing item not provided: the platform holds it under 容缺 until the supplement.
    const numbered = await until(async () => {
      const [c] = await db().select().from(cases).where(eq(cases.id, caseId));
      return c?.projId ? c : undefined;
    });
    expect(numbered.channel).toBe('outlet_window');
  });

  it('refuses 容缺 for a matter that does not allow it, and a used bag, with nothing written', async () => {
    const clerk = await staff('outlet_clerk');
    const [bag] = await bagBatch(1);
    const intake = await walkIn(clerk.h, strictMatter.serviceCode);
    expect(intake.tolerantAcceptance).toBe(false);
    const required = intake.checklist.find((m: { required: boolean }) => m.required);
    const items = allPresent(intake.checklist).map((i) =>
      i.materialId === required.materialId ? { ...i, present: false, copies: 0 } : i,
    );
    const before = {
      cases: await countOf(cases),
      supplements: await countOf(supplements),
    };
    const refused = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items,
      tolerate: { bagCode: bag },
    });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused)).toMatchObject({
      code: 'TOLERANT_ACCEPTANCE_NOT_ALLOWED',
      message: expect.stringContaining('容缺'),
    });
    expect({ cases: await countOf(cases), supplements: await countOf(supplements) }).toEqual(before);
    const [i] = await db().select().from(windowIntakes).where(eq(windowIntakes.id, intake.id));
    expect(i!.status).toBe('reviewing');
    const [fresh] = await db()
      .select()
      .from(bags)
      .where(eq(bags.code, codeOf(t.app, bag!)));
    expect(fresh!.state).toBe('issued');

    // A bag already bound to another intake's rest is refused for a tolerant matter too.
    const tolerantReview = async (bagCode: string) => {
      const x = await walkIn(clerk.h, tolerantMatter.serviceCode);
      const need = x.checklist.find((m: { required: boolean }) => m.required);
      return {
        x,
        res: await post(clerk.h, `/staff/window/intakes/${x.id}/review`, {
          items: allPresent(x.checklist).map((y) =>
            y.materialId === need.materialId ? { ...y, present: false, copies: 0 } : y,
          ),
          tolerate: { bagCode },
        }),
      };
    };
    expect((await tolerantReview(bag!)).res.statusCode).toBe(200);
    const afterFirst = await countOf(cases);
    const { x: second, res: bound } = await tolerantReview(bag!);
    expect(bound.statusCode).toBe(409);
    expect(errorOf(bound).code).toBe('BAG_ALREADY_BOUND');
    expect(await countOf(cases)).toBe(afterFirst);
    const [still] = await db().select().from(windowIntakes).where(eq(windowIntakes.id, second.id));
    expect(still!.status).toBe('reviewing');
  });
});

describe('好差评 after a window intake', () => {
  it('invites the resident to rate the window’s service, with the outlet clerk as the rated staff', async () => {
    const r = await resident();
    const slots = await slotsOf(r.h);
    const appt = (await book(r.h, slots[0]!.id)).json();
    await db()
      .update(windowAppointments)
      .set({ startsAt: new Date(Date.now() + 60_000) })
      .where(eq(windowAppointments.id, appt.id));
    const clerk = await staff('outlet_clerk');
    const intake = (await post(clerk.h, `/staff/window/appointments/${appt.id}/serve`, ME)).json();
    // Not reached before the review: nothing to rate yet.
    const reviewed = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
    });
    const caseId = reviewed.json().caseId as string;
    const invites = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `case:${caseId}:evaluation:visit`));
    expect(invites).toHaveLength(1);
    expect(invites[0]!.userId).toBe(r.user.id);
    expect(JSON.stringify(invites[0]!.data)).toContain('网点窗口');

    const view = (await get(r.h, `/cases/${caseId}/evaluations`)).json();
    expect(view.stages.find((s: { stage: string }) => s.stage === 'visit')).toMatchObject({
      reached: true,
      label: '网点窗口办理',
    });
    const rated = await post(r.h, `/cases/${caseId}/evaluations/visit`, {
      level: 5,
      indicators: { overall: 5, efficiency: 5, conduct: 5, attitude: 5 },
    });
    expect(rated.statusCode, rated.body).toBe(201);
    const [e] = await db()
      .select()
      .from(evaluations)
      .where(and(eq(evaluations.caseId, caseId), eq(evaluations.stage, 'visit')));
    expect(e!.agentId).toBe(clerk.id);
  });

  it('a walk-in without the app is not invited; an incomplete intake invites nobody', async () => {
    const clerk = await staff('outlet_clerk');
    const intake = await walkIn(clerk.h, strictMatter.serviceCode);
    const done = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
    });
    const caseId = done.json().caseId as string;
    const invites = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `case:${caseId}:evaluation:visit`));
    expect(invites).toHaveLength(0);
  });
});
