import {
  type Address,
  beijingDate,
  beijingInstant,
  type Contact,
  type FieldIssue,
  type MissingItem,
  maskIdNumber,
  maskName,
  maskPhone,
  receiptUrl,
  validateMobile,
  validatePersonName,
  type WindowAppointmentView,
  type WindowIntakeView,
  windowAppointmentStatusLabels,
  windowIntakeStatusLabels,
} from '@zyt/shared';
import { and, asc, desc, eq, gt, gte, isNull, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import {
  cases,
  matterOutlets,
  matters,
  type OpeningHours,
  outlets,
  piiAccessLog,
  resultMailings,
  type StoredSupplementItem,
  shipments,
  users,
  type WindowAppointment,
  type WindowIntake,
  windowAppointments,
  windowIntakes,
  windowSlots,
} from '../../db/schema';
import { AppError } from '../../lib/errors';
import { checkBagToLeave, codeOf, leaveBagAtDoor } from '../bags/bags';
import { allowsTolerance } from '../bags/door';
import { materialSpecs, storedItems } from '../bags/supplements';
import { outletParty, servingOutlets } from '../bookings/bookings';
import { slotWindows, withinHours } from '../bookings/slots';
import { openCase } from '../cases/cases';
import { inviteEvaluation } from '../evaluations/jobs';
import { piiContext } from '../me/users';
import { assertMailable, insertMailing } from '../resultMailings/resultMailings';
import { requestShipment } from '../shipments/shipments';

/** Window slots: half an hour, a few applicants each, in the outlet's hours (weekends where it opens). */
const WINDOW_SLOT_MINUTES = 30;
const WINDOW_SLOT_CAPACITY = 3;
/** A window slot can be booked until shortly before it starts. */
const WINDOW_LEAD_MINUTES = 15;

export const WINDOW_SUBMIT_CASE = 'window.submit-case';

export interface WindowApplicant {
  name: string;
  idNumber: string;
  phone: string;
  address: string;
}

export const applicantContext = (intakeId: string) => `window_intakes/${intakeId}/applicant`;

type Outlet = typeof outlets.$inferSelect;
type Matter = typeof matters.$inferSelect;

/**
 * A post office that takes this matter at its window (网点办): the matter's channels say so and the platform
 * lists the outlet among its outlets. Anything else is refused before anything is written.
 */
export async function windowTarget(
  db: DatabaseOrTransaction,
  params: { matterCode: string; outletId: string },
): Promise<{ matter: Matter; outlet: Outlet }> {
  const [[matter], [outlet]] = await Promise.all([
    db.select().from(matters).where(eq(matters.code, params.matterCode)),
    db
      .select()
      .from(outlets)
      .where(and(eq(outlets.id, params.outletId), isNull(outlets.retiredAt))),
  ]);
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  if (outlet?.kind !== 'post_office') throw new AppError(404, 'OUTLET_NOT_FOUND');
  const [accepts] = await db
    .select({ code: matterOutlets.matterCode })
    .from(matterOutlets)
    .where(and(eq(matterOutlets.matterCode, matter.code), eq(matterOutlets.outletId, outlet.id)));
  if (!matter.atOutlet || !accepts)
    throw new AppError(422, 'MATTER_NOT_AT_OUTLET', undefined, [
      { field: 'matterCode', message: `“${matter.name}”不在${outlet.name}办理` },
    ]);
  return { matter, outlet };
}

/** Makes sure the outlet's window slots of the coming week exist, then lists those with room left. */
export async function windowSlotsOf(
  db: DatabaseOrTransaction,
  params: { outletId: string; hours: readonly OpeningHours[]; now: Date },
) {
  const windows = slotWindows(params.hours, params.now, WINDOW_SLOT_MINUTES);
  if (windows.length > 0)
    await db
      .insert(windowSlots)
      .values(windows.map((w) => ({ outletId: params.outletId, ...w, capacity: WINDOW_SLOT_CAPACITY })))
      .onConflictDoNothing();
  const rows = await db
    .select()
    .from(windowSlots)
    .where(
      and(
        eq(windowSlots.outletId, params.outletId),
        gt(windowSlots.startsAt, new Date(params.now.getTime() + WINDOW_LEAD_MINUTES * 60_000)),
        lt(windowSlots.booked, windowSlots.capacity),
      ),
    )
    .orderBy(asc(windowSlots.startsAt))
    .limit(400);
  return rows.filter((s) => withinHours(params.hours, s.startsAt, s.endsAt)).slice(0, 200);
}

/** 预约号: WA, the Beijing date and a serial, e.g. WA261202000042 (computed in the insert). */
const appointmentNumber = (now: Date) =>
  sql<string>`${`WA${beijingDate(now).slice(2).replaceAll('-', '')}`} || lpad(nextval('window_appointment_number_seq')::text, 6, '0')`;

/**
 * Books a window appointment: one place in one slot of the outlet, taken in a conditional UPDATE (never over
 * capacity), and the appointment, in one transaction. A retry with the same Idempotency-Key answers with the
 * appointment it made. Real-name residents only: the window checks the ID card against it.
 */
export async function bookWindowAppointment(
  db: Database,
  params: {
    userId: string;
    idempotencyKey: string;
    matterCode: string;
    outletId: string;
    slotId: string;
    now: Date;
  },
): Promise<{ appointment: WindowAppointment; replayed: boolean }> {
  const earlier = async () => {
    const [a] = await db
      .select()
      .from(windowAppointments)
      .where(
        and(
          eq(windowAppointments.userId, params.userId),
          eq(windowAppointments.idempotencyKey, params.idempotencyKey),
        ),
      );
    return a;
  };
  const replay = await earlier();
  if (replay) return { appointment: replay, replayed: true };
  const [user] = await db
    .select({ realNameAt: users.realNameAt })
    .from(users)
    .where(eq(users.id, params.userId));
  if (!user?.realNameAt) throw new AppError(403, 'REAL_NAME_REQUIRED');
  const { matter, outlet } = await windowTarget(db, params);
  const [asked] = await db
    .select()
    .from(windowSlots)
    .where(and(eq(windowSlots.id, params.slotId), eq(windowSlots.outletId, outlet.id)));
  if (!asked) throw new AppError(404, 'NOT_FOUND', '没有找到该时段，请重新选择');
  if (
    !withinHours(outlet.hours, asked.startsAt, asked.endsAt) ||
    asked.startsAt.getTime() <= params.now.getTime() + WINDOW_LEAD_MINUTES * 60_000
  )
    throw new AppError(422, 'WINDOW_SLOT_OUTSIDE_HOURS', undefined, [
      { field: 'slotId', message: '该时段不在网点营业时间内或已过，请重新选择' },
    ]);
  try {
    const appointment = await db.transaction(async (tx) => {
      const [slot] = await tx
        .update(windowSlots)
        .set({ booked: sql`${windowSlots.booked} + 1` })
        .where(and(eq(windowSlots.id, asked.id), lt(windowSlots.booked, windowSlots.capacity)))
        .returning();
      if (!slot) throw new AppError(409, 'WINDOW_SLOT_FULL');
      const [a] = await tx
        .insert(windowAppointments)
        .values({
          number: appointmentNumber(params.now),
          userId: params.userId,
          idempotencyKey: params.idempotencyKey,
          outletId: outlet.id,
          slotId: slot.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          matterCode: matter.code,
          matterName: matter.name,
        })
        .returning();
      return a!;
    });
    return { appointment, replayed: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await earlier();
    if (again) return { appointment: again, replayed: true };
    throw err;
  }
}

/** The resident cancels a booked appointment; its place goes back to the slot. */
export async function cancelWindowAppointment(db: Database, params: { userId: string; id: string }) {
  return db.transaction(async (tx) => {
    const [a] = await tx
      .update(windowAppointments)
      .set({ status: 'cancelled', updatedAt: sql`now()` })
      .where(
        and(
          eq(windowAppointments.id, params.id),
          eq(windowAppointments.userId, params.userId),
          eq(windowAppointments.status, 'booked'),
        ),
      )
      .returning();
    if (!a) {
      const [exists] = await tx
        .select({ id: windowAppointments.id })
        .from(windowAppointments)
        .where(and(eq(windowAppointments.id, params.id), eq(windowAppointments.userId, params.userId)));
      throw exists
        ? new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT')
        : new AppError(404, 'WINDOW_APPOINTMENT_NOT_FOUND');
    }
    await tx
      .update(windowSlots)
      .set({ booked: sql`greatest(${windowSlots.booked} - 1, 0)` })
      .where(eq(windowSlots.id, a.slotId));
    return a;
  });
}

/**
 * 改约: the resident moves a booked appointment to another slot of the same outlet, under the same rules as
 * booking (in the outlet's hours, not too soon, a place left). In one transaction the new place is taken (a
 * conditional UPDATE, never over capacity), the old one given back and the appointment moved; a refusal
 * changes nothing. Someone else's appointment answers like a missing one.
 */
export async function rescheduleWindowAppointment(
  db: Database,
  params: { userId: string; id: string; slotId: string; now: Date },
): Promise<WindowAppointment> {
  const [mine] = await db
    .select()
    .from(windowAppointments)
    .where(and(eq(windowAppointments.id, params.id), eq(windowAppointments.userId, params.userId)));
  if (!mine) throw new AppError(404, 'WINDOW_APPOINTMENT_NOT_FOUND');
  if (mine.status !== 'booked') throw new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT');
  if (mine.startsAt.getTime() <= params.now.getTime()) throw new AppError(409, 'WINDOW_APPOINTMENT_TOO_LATE');
  const [[outlet], [asked]] = await Promise.all([
    db.select().from(outlets).where(eq(outlets.id, mine.outletId)),
    db
      .select()
      .from(windowSlots)
      .where(and(eq(windowSlots.id, params.slotId), eq(windowSlots.outletId, mine.outletId))),
  ]);
  // A slot of another outlet is not one of this appointment's: answered like a missing slot.
  if (!asked || !outlet) throw new AppError(404, 'NOT_FOUND', '没有找到该时段，请重新选择');
  if (asked.id === mine.slotId) return mine;
  if (
    !withinHours(outlet.hours, asked.startsAt, asked.endsAt) ||
    asked.startsAt.getTime() <= params.now.getTime() + WINDOW_LEAD_MINUTES * 60_000
  )
    throw new AppError(422, 'WINDOW_SLOT_OUTSIDE_HOURS', undefined, [
      { field: 'slotId', message: '该时段不在网点营业时间内或已过，请重新选择' },
    ]);
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(windowAppointments)
      .set({ slotId: asked.id, startsAt: asked.startsAt, endsAt: asked.endsAt, updatedAt: sql`now()` })
      .where(
        and(
          eq(windowAppointments.id, mine.id),
          eq(windowAppointments.status, 'booked'),
          eq(windowAppointments.slotId, mine.slotId),
        ),
      )
      .returning();
    if (!moved) throw new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT');
    const [slot] = await tx
      .update(windowSlots)
      .set({ booked: sql`${windowSlots.booked} + 1` })
      .where(and(eq(windowSlots.id, asked.id), lt(windowSlots.booked, windowSlots.capacity)))
      .returning({ id: windowSlots.id });
    if (!slot) throw new AppError(409, 'WINDOW_SLOT_FULL');
    await tx
      .update(windowSlots)
      .set({ booked: sql`greatest(${windowSlots.booked} - 1, 0)` })
      .where(eq(windowSlots.id, mine.slotId));
    return moved;
  });
}

export async function ownAppointments(db: DatabaseOrTransaction, userId: string) {
  const rows = await db
    .select({ a: windowAppointments, outlet: outlets, caseId: windowIntakes.caseId })
    .from(windowAppointments)
    .innerJoin(outlets, eq(outlets.id, windowAppointments.outletId))
    .leftJoin(windowIntakes, eq(windowIntakes.appointmentId, windowAppointments.id))
    .where(eq(windowAppointments.userId, userId))
    .orderBy(desc(windowAppointments.createdAt))
    .limit(50);
  return rows.map((r) => appointmentView(r.a, r.outlet, r.caseId));
}

export function appointmentView(
  a: WindowAppointment,
  o: Outlet,
  caseId: string | null,
): WindowAppointmentView {
  return {
    id: a.id,
    number: a.number,
    matterCode: a.matterCode,
    matterName: a.matterName,
    outlet: { id: o.id, name: o.name, address: o.address, phone: o.phone },
    start: a.startsAt.toISOString(),
    end: a.endsAt.toISOString(),
    status: a.status,
    statusLabel: windowAppointmentStatusLabels[a.status],
    caseId,
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * The clerk's window: the appointments at their outlet from today (Beijing date) through the coming week, and
 * the intakes made there today.
 */
export async function windowToday(
  db: DatabaseOrTransaction,
  app: FastifyInstance,
  params: { outlet: { id: string; name: string }; now: Date },
) {
  const date = beijingDate(params.now);
  const from = beijingInstant(date, '00:00');
  // Today's and the coming week's: people come early, and the desk plans its days.
  const to = new Date(from.getTime() + 8 * 86_400_000);
  const [appointments, intakes] = await Promise.all([
    db
      .select({ a: windowAppointments, nameSealed: users.nameSealed, intakeId: windowIntakes.id })
      .from(windowAppointments)
      .innerJoin(users, eq(users.id, windowAppointments.userId))
      .leftJoin(windowIntakes, eq(windowIntakes.appointmentId, windowAppointments.id))
      .where(
        and(
          eq(windowAppointments.outletId, params.outlet.id),
          gte(windowAppointments.startsAt, from),
          lt(windowAppointments.startsAt, to),
        ),
      )
      .orderBy(asc(windowAppointments.startsAt), asc(windowAppointments.createdAt)),
    db
      .select({ i: windowIntakes, projId: cases.projId })
      .from(windowIntakes)
      .leftJoin(cases, eq(cases.id, windowIntakes.caseId))
      .where(and(eq(windowIntakes.outletId, params.outlet.id), gte(windowIntakes.createdAt, from)))
      .orderBy(desc(windowIntakes.createdAt))
      .limit(200),
  ]);
  return {
    outlet: params.outlet,
    date,
    appointments: appointments.map(({ a, nameSealed, intakeId }) => ({
      id: a.id,
      number: a.number,
      matterName: a.matterName,
      applicantName: nameSealed ? maskName(app.pii.decrypt(nameSealed, piiContext(a.userId, 'name'))) : '—',
      start: a.startsAt.toISOString(),
      end: a.endsAt.toISOString(),
      status: a.status,
      statusLabel: windowAppointmentStatusLabels[a.status],
      intakeId,
    })),
    intakes: intakes.map(({ i, projId }) => ({
      id: i.id,
      matterName: i.matterName,
      applicantName: maskName(applicantOf(app, i).name),
      status: i.status,
      statusLabel: windowIntakeStatusLabels[i.status],
      caseNumber: projId,
      createdAt: i.createdAt.toISOString(),
    })),
  };
}

export const applicantOf = (app: FastifyInstance, i: WindowIntake): WindowApplicant =>
  JSON.parse(app.pii.decrypt(i.applicantSealed, applicantContext(i.id))) as WindowApplicant;

/**
 * Opens an intake at the clerk's window: a walk-in (identity checked by the caller) or a booked appointment of
 * this outlet (the resident's own real name). One intake per appointment.
 */
export async function openIntake(
  db: Database,
  app: FastifyInstance,
  params: {
    outletId: string;
    clerkId: string;
    matter: Matter;
    applicant: WindowApplicant;
    appointmentId?: string;
    userId?: string;
  },
): Promise<WindowIntake> {
  const id = crypto.randomUUID();
  try {
    return await db.transaction(async (tx) => {
      if (params.appointmentId) {
        const [served] = await tx
          .update(windowAppointments)
          .set({ status: 'served', updatedAt: sql`now()` })
          .where(
            and(eq(windowAppointments.id, params.appointmentId), eq(windowAppointments.status, 'booked')),
          )
          .returning();
        if (!served) throw new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT');
      }
      const [i] = await tx
        .insert(windowIntakes)
        .values({
          id,
          outletId: params.outletId,
          clerkId: params.clerkId,
          appointmentId: params.appointmentId ?? null,
          userId: params.userId ?? null,
          matterCode: params.matter.code,
          matterName: params.matter.name,
          matterVersion: params.matter.version,
          applicantSealed: app.pii.encrypt(JSON.stringify(params.applicant), applicantContext(id)),
        })
        .returning();
      return i!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT');
    throw err;
  }
}

/** An appointment of the clerk's outlet; another outlet's answers like a missing one. */
export async function appointmentAtOutlet(
  db: DatabaseOrTransaction,
  params: { id: string; outletId: string },
) {
  const [a] = await db
    .select()
    .from(windowAppointments)
    .where(and(eq(windowAppointments.id, params.id), eq(windowAppointments.outletId, params.outletId)));
  if (!a) throw new AppError(404, 'WINDOW_APPOINTMENT_NOT_FOUND');
  return a;
}

/** An intake of the clerk's outlet; another outlet's answers like a missing one. */
export async function intakeAtOutlet(db: DatabaseOrTransaction, params: { id: string; outletId: string }) {
  const [i] = await db
    .select()
    .from(windowIntakes)
    .where(and(eq(windowIntakes.id, params.id), eq(windowIntakes.outletId, params.outletId)));
  if (!i) throw new AppError(404, 'WINDOW_INTAKE_NOT_FOUND');
  return i;
}

/**
 * 容缺受理 at the window, the same rule as at the door: the matter must allow it and the bag must be one that
 * can be given out. Checked before anything is written; answers the bag and the items it will carry.
 */
export async function windowTolerance(
  app: FastifyInstance,
  params: { matterCode: string; bagCode: string; missing: MissingItem[] },
): Promise<{ code: string; items: StoredSupplementItem[] }> {
  const { db } = app.database;
  if (!(await allowsTolerance(db, params.matterCode)))
    throw new AppError(422, 'TOLERANT_ACCEPTANCE_NOT_ALLOWED');
  const code = codeOf(app, params.bagCode);
  await checkBagToLeave(db, code, new Date());
  return { code, items: storedItems(params.missing, await materialSpecs(db, params.matterCode)) };
}

/** 结果邮寄 chosen at the window: the matter's result must be mailable and the receiver well formed. */
export async function windowMailing(
  db: DatabaseOrTransaction,
  params: { matterCode: string; address: Address; contact: Contact },
): Promise<{ address: Address; contact: Contact }> {
  const [matter] = await db.select().from(matters).where(eq(matters.code, params.matterCode));
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  assertMailable(matter, 'resultMailing');
  const name = validatePersonName(params.contact.name);
  const phone = validateMobile(params.contact.phone);
  const issues: FieldIssue[] = [];
  if (!name.ok) issues.push({ field: 'resultMailing.contact.name', message: name.message });
  if (!phone.ok) issues.push({ field: 'resultMailing.contact.phone', message: phone.message });
  if (!name.ok || !phone.ok) throw new AppError(422, 'CONTACT_INVALID', undefined, issues);
  return { address: params.address, contact: { name: name.value, phone: phone.value } };
}

/**
 * Records the window's review in one transaction. With anything missing the intake ends 材料不齐 with one list
 * (一次性告知) — unless the clerk accepts under 容缺受理 (checked by the caller): then what is complete is
 * collected and the rest becomes the case's supplement, carried by the 替你跑 bag given to the applicant, as at
 * the door. Complete (or tolerated): the materials are collected, the outlet-window case opens (the
 * resident's if they booked in the app), the result mailing chosen at the window is stored, the EMS leg from
 * this post office to the serving centre is requested, the case's submission is queued and a resident with
 * the app is invited to rate the window's service (好差评) — all after commit, through jobs.
 */
export async function recordWindowReview(
  db: Database,
  app: FastifyInstance,
  params: {
    intake: WindowIntake;
    review: { materialId: string; present: boolean; copies: number }[];
    missing: MissingItem[];
    /** 容缺受理: the bag (checked) and the items it will carry. */
    tolerate?: { code: string; items: StoredSupplementItem[] };
    /** 结果邮寄 chosen at the window (checked: the matter's result can be mailed). */
    mailing?: { address: Address; contact: Contact };
  },
): Promise<WindowIntake> {
  const { intake, review, missing, tolerate, mailing } = params;
  const [outlet] = await db.select().from(outlets).where(eq(outlets.id, intake.outletId));
  const { centre } = await servingOutlets(db, { matterCode: intake.matterCode, county: outlet!.district });
  const tolerated = tolerate !== undefined && missing.length > 0;
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .update(windowIntakes)
      .set(
        missing.length > 0 && !tolerated
          ? { status: 'incomplete', review, missingItems: missing }
          : {
              status: 'collected',
              review,
              missingItems: tolerated ? missing : null,
              collectedAt: sql`now()`,
            },
      )
      .where(and(eq(windowIntakes.id, intake.id), eq(windowIntakes.status, 'reviewing')))
      .returning();
    if (!locked) throw new AppError(409, 'WINDOW_INTAKE_STATE_CONFLICT');
    if (locked.status === 'incomplete') return locked;
    const [matter] = await tx
      .select({ promisedWorkingDays: matters.promisedWorkingDays })
      .from(matters)
      .where(eq(matters.code, intake.matterCode));
    const c = await openCase(tx, {
      userId: intake.userId,
      channel: 'outlet_window',
      applicant: { kind: 'person' },
      matter: {
        code: intake.matterCode,
        name: intake.matterName,
        promisedWorkingDays: matter?.promisedWorkingDays ?? 0,
      },
      // Where its materials go: the centre's figures count it.
      centreId: centre.id,
    });
    const now = Date.now();
    if (tolerated)
      await leaveBagAtDoor(tx, {
        code: tolerate.code,
        caseId: c.id,
        items: tolerate.items,
        now: new Date(now),
      });
    if (mailing)
      await insertMailing(tx, app, {
        caseId: c.id,
        orderedBy: 'window',
        orderedById: intake.clerkId,
        centre,
        address: mailing.address,
        contact: mailing.contact,
      });
    const shipmentId = await requestShipment(tx, app, {
      leg: 'materials_to_centre',
      subject: { kind: 'case', id: c.id },
      sender: outletParty(outlet!),
      receiver: outletParty(centre),
      centreId: centre.id,
      pickup: { from: new Date(now), to: new Date(now + 2 * 3600_000) },
    });
    await app.jobs.enqueue(tx, WINDOW_SUBMIT_CASE, { intakeId: intake.id });
    // 好差评 of the window's service (the on-site stage, the clerk as the rated staff); walk-ins have no app.
    await inviteEvaluation(tx, app, c, 'visit');
    const [done] = await tx
      .update(windowIntakes)
      .set({ caseId: c.id, shipmentId })
      .where(eq(windowIntakes.id, intake.id))
      .returning();
    return done!;
  });
}

/**
 * The intake as the clerk sees it: applicant masked, checklist, what is missing, the case number and the
 * receipt's code once the platform has numbered the case, and the materials' waybill. Each read of the
 * applicant by staff is written to the access log.
 */
export async function intakeView(
  db: DatabaseOrTransaction,
  app: FastifyInstance,
  params: {
    intake: WindowIntake;
    clerkId: string;
    checklist: {
      id: string;
      name: string;
      form: string;
      count: number;
      required: boolean;
      note: string | null;
    }[];
  },
): Promise<WindowIntakeView> {
  const i = params.intake;
  const [[c], [leg], [appointment], [matter], [mailing]] = await Promise.all([
    i.caseId ? db.select({ projId: cases.projId }).from(cases).where(eq(cases.id, i.caseId)) : [],
    i.shipmentId
      ? db.select({ waybillNo: shipments.waybillNo }).from(shipments).where(eq(shipments.id, i.shipmentId))
      : [],
    i.appointmentId
      ? db
          .select({ number: windowAppointments.number })
          .from(windowAppointments)
          .where(eq(windowAppointments.id, i.appointmentId))
      : [],
    db.select({ tolerant: matters.tolerantAcceptance }).from(matters).where(eq(matters.code, i.matterCode)),
    i.caseId
      ? db
          .select({ caseId: resultMailings.caseId })
          .from(resultMailings)
          .where(eq(resultMailings.caseId, i.caseId))
      : [],
  ]);
  const who = applicantOf(app, i);
  await db.insert(piiAccessLog).values({
    staffId: params.clerkId,
    subjectType: 'window_intake',
    subjectId: i.id,
    fields: ['name', 'id_number', 'phone'],
    purpose: 'window',
  });
  const caseNumber = c?.projId ?? null;
  return {
    id: i.id,
    outletId: i.outletId,
    appointmentId: i.appointmentId,
    appointmentNumber: appointment?.number ?? null,
    matterCode: i.matterCode,
    matterName: i.matterName,
    applicant: {
      name: maskName(who.name),
      idNumber: maskIdNumber(who.idNumber),
      phone: maskPhone(who.phone),
    },
    status: i.status,
    statusLabel: windowIntakeStatusLabels[i.status],
    checklist: params.checklist.map((m) => ({
      materialId: m.id,
      name: m.name,
      form: m.form,
      count: m.count,
      required: m.required,
      note: m.note,
    })),
    missingItems: i.missingItems,
    tolerantAcceptance: matter?.tolerant ?? false,
    tolerated: i.status === 'collected' && (i.missingItems?.length ?? 0) > 0,
    resultMailing: mailing !== undefined,
    caseId: i.caseId,
    caseNumber,
    queryCode: caseNumber ? i.queryCode : null,
    receiptUrl:
      caseNumber && i.queryCode ? receiptUrl(app.config.bags.urlBase, caseNumber, i.queryCode) : null,
    waybillNo: leg?.waybillNo ?? null,
    createdAt: i.createdAt.toISOString(),
    collectedAt: i.collectedAt?.toISOString() ?? null,
  };
}
