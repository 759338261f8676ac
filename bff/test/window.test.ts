import { randomUUID } from 'node:crypto';
import { BEIJING_OFFSET_MS, beijingInstant, parseReceiptCode } from '@zyt/shared';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters as simMatters } from '../simulators/gov/catalogue';
import {
  cases,
  piiAccessLog,
  shipments,
  windowAppointments,
  windowIntakes,
  windowSlots,
} from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, SERVING_POST_OFFICE, until } from './journey';

/**
 * 网点就近办: a resident books a window slot at a post office, an outlet clerk serves them (identity, the
 * review as at the door, collection), the case goes to the platform as an outlet-window case, the materials to
 * the centre by EMS, and the receipt's code orders the result by post; walk-ins; clerks of other outlets and
 * bad bookings are refused with nothing written.
 */
let t: TestApp;
const { resident, staff } = journey(() => t);

const OTHER_POST_OFFICE = 'HP-PO-02';
/** Taken at the window of the serving post office, mailable, a paper result, two or more required materials. */
const windowMatter = simMatters.find(
  (m) =>
    m.applicantType === 'person' &&
    m.channels.outlet &&
    m.outletIds.includes(SERVING_POST_OFFICE) &&
    m.channels.mail !== 'none' &&
    m.result.kind === 'physical' &&
    m.materials.filter((x) => x.required).length >= 2,
)!;
const notAtOutlet = simMatters.find((m) => !m.outletIds.includes(SERVING_POST_OFFICE))!;
const ME = { name: '张三', idNumber: '11010519491231002X' };
const WALK_IN = {
  name: '李四',
  idNumber: '440112199002020034',
  phone: '13900139000',
  address: '广州市黄埔区丰乐北路8号',
};
const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' };

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

const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const post = (h: Record<string, string>, url: string, payload?: object, extra: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: payload ? { ...h, ...extra } : { ...h, ...extra, 'content-type': 'application/json' },
    payload: payload ?? '',
  });
const slotsAt = async (
  h: Record<string, string>,
  outletId = SERVING_POST_OFFICE,
  matterCode = windowMatter.serviceCode,
) => get(h, `/window/slots?matterCode=${matterCode}&outletId=${outletId}`);
const book = (h: Record<string, string>, slotId: string, over: Record<string, unknown> = {}) =>
  post(
    h,
    '/window/appointments',
    { matterCode: windowMatter.serviceCode, outletId: SERVING_POST_OFFICE, slotId, ...over },
    { 'idempotency-key': `wa-${randomUUID()}` },
  );
const counts = async () => {
  const db = t.app.database.db;
  const n = async (table: typeof windowAppointments | typeof windowIntakes | typeof cases) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  return {
    appointments: await n(windowAppointments),
    intakes: await n(windowIntakes),
    cases: await n(cases),
  };
};
const allPresent = (checklist: { materialId: string; count: number }[]) =>
  checklist.map((m) => ({ materialId: m.materialId, present: true, copies: m.count }));
const simCase = async (projId: string) =>
  (
    await t.gov.admin<{
      cases: {
        projId: string;
        stage: string;
        windowOutletId: string | null;
        receipt: { applyChannel: string } | null;
        materialsWaybill: string | null;
      }[];
    }>('/sim/cases')
  ).cases.find((c) => c.projId === projId)!;

describe('a window appointment served end to end', () => {
  it('books a slot, is served at the window, goes to the platform and EMS, and its receipt orders the result by post', async () => {
    const r = await resident();
    const slotsRes = await slotsAt(r.h);
    expect(slotsRes.statusCode, slotsRes.body).toBe(200);
    const { slots } = slotsRes.json();
    expect(slots.length).toBeGreaterThan(0);
    // The post office opens at weekends: its window slots include Saturday and Sunday.
    const weekdays = new Set(
      slots.map((s: { start: string }) => new Date(Date.parse(s.start) + BEIJING_OFFSET_MS).getUTCDay()),
    );
    expect(weekdays.has(6) || weekdays.has(0)).toBe(true);

    const booked = await book(r.h, slots[0].id);
    expect(booked.statusCode, booked.body).toBe(201);
    const appt = booked.json();
    expect(appt).toMatchObject({
      status: 'booked',
      matterName: windowMatter.name,
      number: expect.stringMatching(/^WA\d{12}$/),
    });
    const mine = (await get(r.h, '/window/appointments')).json();
    expect(mine.items.map((a: { id: string }) => a.id)).toContain(appt.id);

    // The clerk's day: the appointment moved to today for the list.
    const db = t.app.database.db;
    await db
      .update(windowAppointments)
      .set({ startsAt: new Date(Date.now() + 600_000), endsAt: new Date(Date.now() + 2_400_000) })
      .where(eq(windowAppointments.id, appt.id));
    const clerk = await staff('outlet_clerk');
    const today = await get(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/today`);
    expect(today.statusCode, today.body).toBe(200);
    expect(today.json().appointments).toContainEqual(
      expect.objectContaining({ id: appt.id, applicantName: '张*', status: 'booked', intakeId: null }),
    );

    const served = await post(clerk.h, `/staff/window/appointments/${appt.id}/serve`, {
      idNumber: ME.idNumber.toLowerCase(),
      phone: '13800138000',
      address: '广州市黄埔区大沙地东路1号',
    });
    expect(served.statusCode, served.body).toBe(201);
    const intake = served.json();
    expect(intake).toMatchObject({
      status: 'reviewing',
      appointmentNumber: appt.number,
      applicant: { name: '张*', phone: '138****8000' },
    });
    expect(intake.applicant.idNumber).not.toContain('19491231');
    expect(intake.checklist.length).toBe(windowMatter.materials.length);

    const reviewed = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({
      status: 'collected',
      missingItems: null,
      caseId: expect.any(String),
    });
    const caseId = reviewed.json().caseId as string;

    // The case: the resident's, an outlet-window case; the platform numbers it and gives the receipt's code.
    const ready = await until(async () => {
      const v = (await get(clerk.h, `/staff/window/intakes/${intake.id}`)).json();
      return v.caseNumber && v.queryCode && v.waybillNo ? v : undefined;
    });
    const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({ channel: 'outlet_window', userId: r.user.id, projId: ready.caseNumber });
    const atPlatform = await simCase(ready.caseNumber);
    expect(atPlatform.windowOutletId).toBe(SERVING_POST_OFFICE);
    expect(atPlatform.receipt?.applyChannel).toBe('window');
    // The materials leg: from this post office to the centre, by the EMS job path.
    const [leg] = await db.select().from(shipments).where(eq(shipments.caseId, caseId));
    expect(leg).toMatchObject({ leg: 'materials_to_centre', waybillNo: ready.waybillNo });
    // Every read of the applicant by the clerk is logged.
    const reads = await db.select().from(piiAccessLog).where(eq(piiAccessLog.subjectId, intake.id));
    expect(reads.length).toBeGreaterThan(0);

    // 受理单: printable, with the case number, the query code and the QR's URL (the shared receipt code).
    const receipt = await get(clerk.h, `/staff/window/intakes/${intake.id}/receipt`);
    expect(receipt.statusCode, receipt.body).toBe(200);
    const printed = receipt.json();
    expect(printed.svg).toContain(ready.caseNumber);
    expect(printed.svg).toContain(ready.queryCode);
    expect(printed.svg).toContain('<svg');
    const scanned = parseReceiptCode(printed.receiptUrl);
    expect(scanned).toEqual({ ok: true, caseNumber: ready.caseNumber, queryCode: ready.queryCode });

    // The resident's own timeline: the appointment, the window's intake, the platform's stages.
    const detail = async () => (await get(r.h, `/cases/${caseId}`)).json();
    const d = await detail();
    expect(d.channel).toBe('outlet_window');
    expect(d.timeline.map((i: { title: string }) => i.title)).toEqual(
      expect.arrayContaining(['已预约网点办理', '网点窗口已收件']),
    );
    expect((await get(r.h, '/window/appointments')).json().items[0]).toMatchObject({
      status: 'served',
      caseId,
    });

    // Result mailing by the receipt's code: the same case, now with its mailing; the result ships when issued.
    if (!scanned.ok) return;
    const mailed = await post(
      r.h,
      '/cases/result-mailings',
      {
        caseNumber: scanned.caseNumber,
        queryCode: scanned.queryCode,
        address,
        contact: { name: '张三', phone: '13800138000' },
      },
      { 'idempotency-key': `rm-${randomUUID()}` },
    );
    expect(mailed.statusCode, mailed.body).toBe(201);
    expect(mailed.json().case.id).toBe(caseId);
    // The materials reach the centre (EMS delivers them), then the platform moves the case to 办结.
    await until(async () => !!(await simCase(ready.caseNumber)).materialsWaybill);
    await until(async () => {
      if ((await simCase(ready.caseNumber)).stage === '4') return true;
      await t.gov.admin('/sim/admin/clock', { advanceSeconds: 600 });
      return false;
    }, 20);
    await until(async () => (await detail()).status === 'delivered');
    const done = await detail();
    expect(done.shipments.map((s: { leg: string }) => s.leg).sort()).toEqual([
      'materials_to_centre',
      'result_to_applicant',
    ]);
  });
});

describe('a walk-in', () => {
  it('is checked by real name, told everything missing at once, and served complete on a second intake', async () => {
    const clerk = await staff('outlet_clerk');
    const walkIn = (over: Record<string, unknown> = {}) =>
      post(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
        matterCode: windowMatter.serviceCode,
        applicant: { ...WALK_IN, ...over },
      });
    const opened = await walkIn();
    expect(opened.statusCode, opened.body).toBe(201);
    const intake = opened.json();
    expect(intake).toMatchObject({ status: 'reviewing', appointmentId: null, applicant: { name: '李*' } });

    // Unchecked items are refused; then two required materials absent: one list naming both (一次性告知).
    const partial = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist).slice(1),
    });
    expect(partial.statusCode).toBe(422);
    expect(errorOf(partial).code).toBe('REVIEW_INCOMPLETE');
    const required = intake.checklist.filter((m: { required: boolean }) => m.required);
    const items = allPresent(intake.checklist).map((i) =>
      required.slice(0, 2).some((m: { materialId: string }) => m.materialId === i.materialId)
        ? { ...i, present: false }
        : i,
    );
    const before = await counts();
    const missing = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, { items });
    expect(missing.statusCode, missing.body).toBe(200);
    expect(missing.json()).toMatchObject({ status: 'incomplete', caseId: null });
    expect(missing.json().missingItems.map((m: { materialId: string }) => m.materialId)).toEqual(
      required.slice(0, 2).map((m: { materialId: string }) => m.materialId),
    );
    expect((await counts()).cases).toBe(before.cases);
    // Ended: it cannot be reviewed again.
    const again = await post(clerk.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
    });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('WINDOW_INTAKE_STATE_CONFLICT');

    // Back with everything: a case without an account (nobody to notify in the app), at the platform.
    const second = (await walkIn()).json();
    const done = await post(clerk.h, `/staff/window/intakes/${second.id}/review`, {
      items: allPresent(second.checklist),
    });
    expect(done.json().status).toBe('collected');
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, done.json().caseId));
    expect(c).toMatchObject({ channel: 'outlet_window', userId: null });
    const numbered = await until(async () => {
      const v = (await get(clerk.h, `/staff/window/intakes/${second.id}`)).json();
      return v.receiptUrl ? v : undefined;
    });
    expect(numbered.queryCode).toMatch(/^\d{6}$/);
  });

  it('a walk-in who has the app adds the case by the receipt code: it becomes theirs, once', async () => {
    const clerk = await staff('outlet_clerk');
    const opened = (
      await post(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
        matterCode: windowMatter.serviceCode,
        applicant: { ...ME, phone: '13800138000', address: '广州市黄埔区大沙地东路1号' },
      })
    ).json();
    await post(clerk.h, `/staff/window/intakes/${opened.id}/review`, { items: allPresent(opened.checklist) });
    const ready = await until(async () => {
      const v = (await get(clerk.h, `/staff/window/intakes/${opened.id}`)).json();
      return v.receiptUrl ? v : undefined;
    });
    const scanned = parseReceiptCode(ready.receiptUrl);
    if (!scanned.ok) throw new Error('receipt URL unreadable');
    const mail = (h: Record<string, string>) =>
      post(
        h,
        '/cases/result-mailings',
        {
          caseNumber: scanned.caseNumber,
          queryCode: scanned.queryCode,
          address,
          contact: { name: '张三', phone: '13800138000' },
        },
        { 'idempotency-key': `rm-${randomUUID()}` },
      );
    const r = await resident();
    const added = await mail(r.h);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().case.id).toBe(ready.caseId);
    expect((await get(r.h, '/cases')).json().items.map((c: { id: string }) => c.id)).toContain(ready.caseId);
    // The same applicant on another account: already added, nothing changes hands.
    const other = await resident();
    const again = await mail(other.h);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('RESULT_MAILING_ALREADY_ADDED');
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, ready.caseId));
    expect(c!.userId).toBe(r.user.id);
  });

  it('a name that does not match the ID number is refused before anything is written', async () => {
    const clerk = await staff('outlet_clerk');
    await t.gov.admin('/sim/admin/identity', { idNumber: WALK_IN.idNumber, match: false });
    const before = await counts();
    const res = await post(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
      matterCode: windowMatter.serviceCode,
      applicant: WALK_IN,
    });
    await t.gov.admin('/sim/admin/identity', { idNumber: WALK_IN.idNumber, match: true });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('IDENTITY_MISMATCH');
    const bad = await post(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
      matterCode: windowMatter.serviceCode,
      applicant: { ...WALK_IN, idNumber: '440112199002020035' },
    });
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad).details?.[0]?.field).toBe('applicant.idNumber');
    expect(await counts()).toEqual(before);
  });
});

describe('refusals', () => {
  it('a clerk of another outlet finds nothing of this one and cannot take intakes for it', async () => {
    const r = await resident();
    const slot = (await slotsAt(r.h)).json().slots[1];
    const appt = (await book(r.h, slot.id)).json();
    const here = await staff('outlet_clerk');
    const intake = (
      await post(here.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
        matterCode: windowMatter.serviceCode,
        applicant: WALK_IN,
      })
    ).json();
    const there = await staff('outlet_clerk', OTHER_POST_OFFICE);
    const before = await counts();

    const foreignIntake = await get(there.h, `/staff/window/intakes/${intake.id}`);
    expect(foreignIntake.statusCode).toBe(404);
    expect(errorOf(foreignIntake).code).toBe('WINDOW_INTAKE_NOT_FOUND');
    const foreignReview = await post(there.h, `/staff/window/intakes/${intake.id}/review`, {
      items: allPresent(intake.checklist),
    });
    expect(errorOf(foreignReview).code).toBe('WINDOW_INTAKE_NOT_FOUND');
    const foreignServe = await post(there.h, `/staff/window/appointments/${appt.id}/serve`, {
      idNumber: ME.idNumber,
      phone: '13800138000',
      address: '广州市黄埔区',
    });
    expect(foreignServe.statusCode).toBe(404);
    expect(errorOf(foreignServe).code).toBe('WINDOW_APPOINTMENT_NOT_FOUND');
    for (const url of [`/staff/window/outlets/${SERVING_POST_OFFICE}/today`]) {
      const res = await get(there.h, url);
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('WINDOW_OUTLET_NOT_BOUND');
    }
    const foreignWalkIn = await post(there.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/intakes`, {
      matterCode: windowMatter.serviceCode,
      applicant: WALK_IN,
    });
    expect(foreignWalkIn.statusCode).toBe(403);
    expect(errorOf(foreignWalkIn).code).toBe('WINDOW_OUTLET_NOT_BOUND');
    // Residents and door agents are not window clerks.
    const agent = await staff('postal_agent');
    expect((await get(agent.h, `/staff/window/intakes/${intake.id}`)).statusCode).toBe(403);
    expect((await get(r.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/today`)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    const [a] = await t.app.database.db
      .select()
      .from(windowAppointments)
      .where(eq(windowAppointments.id, appt.id));
    expect(a!.status).toBe('booked');
  });

  it('a supervisor places an outlet clerk at a post office, never at a service centre', async () => {
    const supervisor = await staff('supervisor');
    const clerk = await staff('outlet_clerk', null);
    const place = (outletId: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/supervision/staff/${clerk.id}/outlet`,
        headers: supervisor.h,
        payload: { outletId },
      });
    const centre = await place('HP-SC-01');
    expect(centre.statusCode).toBe(422);
    expect(errorOf(centre).code).toBe('OUTLET_KIND_MISMATCH');
    // Not placed yet: no desk to serve at.
    const unplaced = await get(clerk.h, `/staff/window/outlets/${SERVING_POST_OFFICE}/today`);
    expect(errorOf(unplaced).code).toBe('OUTLET_NOT_ASSIGNED');
    expect((await place(OTHER_POST_OFFICE)).statusCode).toBe(200);
    expect((await get(clerk.h, `/staff/window/outlets/${OTHER_POST_OFFICE}/today`)).statusCode).toBe(200);
  });

  it('someone else’s ID card for an appointment is refused and the appointment stays booked', async () => {
    const r = await resident();
    const appt = (await book(r.h, (await slotsAt(r.h)).json().slots[2].id)).json();
    const clerk = await staff('outlet_clerk');
    const before = await counts();
    const res = await post(clerk.h, `/staff/window/appointments/${appt.id}/serve`, {
      idNumber: WALK_IN.idNumber,
      phone: '13800138000',
      address: '广州市黄埔区',
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('WINDOW_APPLICANT_MISMATCH');
    expect(await counts()).toEqual(before);
  });

  it('a full slot, a slot outside the opening hours, a matter not taken there, no real name: nothing booked', async () => {
    const db = t.app.database.db;
    const slot = (await slotsAt((await resident()).h)).json().slots[5];
    const [row] = await db.select().from(windowSlots).where(eq(windowSlots.id, slot.id));
    for (let i = 0; i < row!.capacity; i++)
      expect((await book((await resident()).h, slot.id)).statusCode).toBe(201);
    const r = await resident();
    const before = await counts();
    const full = await book(r.h, slot.id);
    expect(full.statusCode).toBe(409);
    expect(errorOf(full).code).toBe('WINDOW_SLOT_FULL');
    // Not offered any more.
    expect((await slotsAt(r.h)).json().slots.map((s: { id: string }) => s.id)).not.toContain(slot.id);

    // A slot at 03:00 Beijing (left from an older timetable): outside the hours.
    const tomorrow = new Date(Date.now() + 86_400_000 + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
    const [night] = await db
      .insert(windowSlots)
      .values({
        outletId: SERVING_POST_OFFICE,
        startsAt: beijingInstant(tomorrow, '03:00'),
        endsAt: beijingInstant(tomorrow, '03:30'),
        capacity: 3,
      })
      .returning();
    const outside = await book(r.h, night!.id);
    expect(outside.statusCode).toBe(422);
    expect(errorOf(outside).code).toBe('WINDOW_SLOT_OUTSIDE_HOURS');

    const elsewhere = await book(r.h, slot.id, { matterCode: notAtOutlet.serviceCode });
    expect(elsewhere.statusCode).toBe(422);
    expect(errorOf(elsewhere).code).toBe('MATTER_NOT_AT_OUTLET');
    expect((await slotsAt(r.h, SERVING_POST_OFFICE, notAtOutlet.serviceCode)).statusCode).toBe(422);
    // Another outlet's slot under this outlet's name: not found.
    const otherSlot = (await slotsAt(r.h, OTHER_POST_OFFICE)).json().slots[0];
    expect((await book(r.h, otherSlot.id)).statusCode).toBe(404);

    const anonymous = await resident(false);
    const noName = await book(anonymous.h, (await slotsAt(r.h)).json().slots[0].id);
    expect(noName.statusCode).toBe(403);
    expect(errorOf(noName).code).toBe('REAL_NAME_REQUIRED');

    expect(await counts()).toEqual(before);
    const [after] = await db
      .select()
      .from(windowSlots)
      .where(and(eq(windowSlots.id, slot.id)));
    expect(after!.booked).toBe(after!.capacity);
  });

  it('a cancelled appointment gives its place back and cannot be served', async () => {
    const r = await resident();
    const slot = (await slotsAt(r.h)).json().slots[3];
    const appt = (await book(r.h, slot.id)).json();
    const cancelled = await post(r.h, `/window/appointments/${appt.id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    const [row] = await t.app.database.db.select().from(windowSlots).where(eq(windowSlots.id, slot.id));
    expect(row!.booked).toBe(0);
    const clerk = await staff('outlet_clerk');
    const res = await post(clerk.h, `/staff/window/appointments/${appt.id}/serve`, {
      idNumber: ME.idNumber,
      phone: '13800138000',
      address: '广州市黄埔区',
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('WINDOW_APPOINTMENT_STATE_CONFLICT');
    const other = await resident();
    expect((await post(other.h, `/window/appointments/${appt.id}/cancel`)).statusCode).toBe(404);
  });
});
