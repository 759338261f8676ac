import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type FieldIssue,
  maskName,
  RescheduleWindowAppointmentBody,
  Role,
  ServeAppointmentBody,
  SlotsResponse,
  validateMobile,
  validatePersonName,
  validateResidentId,
  WalkInBody,
  WindowAppointmentBody,
  WindowAppointmentList,
  WindowAppointmentView,
  WindowIntakeView,
  WindowReceipt,
  WindowReviewBody,
  WindowToday,
} from '@zyt/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { cases, matters, outlets, users, type WindowIntake } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { AppError, errorResponses } from '../../lib/errors';
import { idempotencyKeyOf } from '../../lib/idempotency';
import { missingFromReview } from '../bookings/review';
import { slotsView } from '../bookings/slots';
import { matterChecklist } from '../bookings/visitQueries';
import { piiContext } from '../me/users';
import { staffOutlet } from '../staff/outlets';
import { receiptSvg } from './receipt';
import {
  applicantOf,
  appointmentAtOutlet,
  appointmentView,
  bookWindowAppointment,
  cancelWindowAppointment,
  intakeAtOutlet,
  intakeView,
  openIntake,
  ownAppointments,
  recordWindowReview,
  rescheduleWindowAppointment,
  windowMailing,
  windowSlotsOf,
  windowTarget,
  windowToday,
  windowTolerance,
} from './window';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const residents = [Role.resident];
const clerks = [Role.outletClerk];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OutletParam = Type.Object({ outletId: Type.String({ minLength: 1, maxLength: 40 }) });

/** Checks the applicant's fields as typed at the window; 422 naming each wrong field. */
function checkedApplicant(input: { name?: string; idNumber: string; phone: string; address: string }) {
  const issues: FieldIssue[] = [];
  const name = input.name === undefined ? undefined : validatePersonName(input.name);
  const idNumber = validateResidentId(input.idNumber);
  const phone = validateMobile(input.phone);
  if (name && !name.ok) issues.push({ field: 'applicant.name', message: name.message });
  if (!idNumber.ok) issues.push({ field: 'applicant.idNumber', message: idNumber.message });
  if (!phone.ok) issues.push({ field: 'applicant.phone', message: phone.message });
  const address = input.address.trim();
  if (address.length < 2) issues.push({ field: 'applicant.address', message: '请填写申请人住址' });
  if (issues.length > 0 || !idNumber.ok || !phone.ok || (name && !name.ok))
    throw new AppError(422, 'VALIDATION_FAILED', undefined, issues);
  return { name: name?.value, idNumber: idNumber.value, phone: phone.value, address };
}

/** 网点就近办: residents book a window appointment; the outlet clerk serves appointments and walk-ins. */
export default async function windowRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  /** The clerk's own outlet; a clerk no supervisor has placed yet cannot serve. */
  async function myOutlet(clerkId: string) {
    const outlet = await staffOutlet(db, clerkId);
    if (!outlet) throw new AppError(409, 'OUTLET_NOT_ASSIGNED');
    return outlet;
  }
  /** The outlet named in the path must be the clerk's own. */
  async function boundOutlet(clerkId: string, outletId: string) {
    const outlet = await myOutlet(clerkId);
    if (outlet.id !== outletId) throw new AppError(403, 'WINDOW_OUTLET_NOT_BOUND');
    return outlet;
  }
  async function clerkView(intake: WindowIntake, clerkId: string) {
    return intakeView(db, app, { intake, clerkId, checklist: await matterChecklist(db, intake.matterCode) });
  }

  app.get(
    '/window/slots',
    {
      config: { access: residents },
      schema: {
        tags: ['window'],
        summary:
          "A post office's window slots with room left for a matter it takes (weekends where it opens)",
        querystring: Type.Object({
          matterCode: Type.String({ minLength: 1, maxLength: 64 }),
          outletId: Type.String({ minLength: 1, maxLength: 40 }),
        }),
        response: { 200: SlotsResponse, ...errors },
      },
    },
    async (req) => {
      const { outlet } = await windowTarget(db, req.query);
      const slots = await windowSlotsOf(db, { outletId: outlet.id, hours: outlet.hours, now: new Date() });
      return slotsView(outlet, slots);
    },
  );

  app.post(
    '/window/appointments',
    {
      config: { access: residents },
      schema: {
        tags: ['window'],
        summary: 'Book a window appointment (real-name residents; send an Idempotency-Key)',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: WindowAppointmentBody,
        response: { 200: WindowAppointmentView, 201: WindowAppointmentView, ...errors },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req.headers);
      const { appointment, replayed } = await bookWindowAppointment(db, {
        userId: req.userId,
        idempotencyKey: key,
        ...req.body,
        now: new Date(),
      });
      const [outlet] = await db.select().from(outlets).where(eq(outlets.id, appointment.outletId));
      return reply.code(replayed ? 200 : 201).send(appointmentView(appointment, outlet!, null));
    },
  );

  app.get(
    '/window/appointments',
    {
      config: { access: residents },
      schema: {
        tags: ['window'],
        summary: 'My window appointments, newest first',
        response: { 200: WindowAppointmentList, ...errors },
      },
    },
    async (req) => ({ items: await ownAppointments(db, req.userId) }),
  );

  app.post(
    '/window/appointments/:id/cancel',
    {
      config: { access: residents },
      schema: {
        tags: ['window'],
        summary: 'Cancel my booked window appointment (its place goes back to the slot)',
        params: Id,
        response: { 200: WindowAppointmentView, ...errors },
      },
    },
    async (req) => {
      const a = await cancelWindowAppointment(db, { userId: req.userId, id: req.params.id });
      const [outlet] = await db.select().from(outlets).where(eq(outlets.id, a.outletId));
      return appointmentView(a, outlet!, null);
    },
  );

  app.post(
    '/window/appointments/:id/reschedule',
    {
      config: { access: residents },
      schema: {
        tags: ['window'],
        summary:
          'Move my booked window appointment to another slot of the same outlet (in its hours, not full; until the slot starts)',
        params: Id,
        body: RescheduleWindowAppointmentBody,
        response: { 200: WindowAppointmentView, ...errors },
      },
    },
    async (req) => {
      const a = await rescheduleWindowAppointment(db, {
        userId: req.userId,
        id: req.params.id,
        slotId: req.body.slotId,
        now: new Date(),
      });
      const [outlet] = await db.select().from(outlets).where(eq(outlets.id, a.outletId));
      return appointmentView(a, outlet!, null);
    },
  );

  app.get(
    '/staff/window/outlets/:outletId/today',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary:
          "The clerk's window: appointments of their own outlet from today (Beijing date) through the coming week, and today's intakes",
        params: OutletParam,
        response: { 200: WindowToday, ...errors },
      },
    },
    async (req) => {
      const outlet = await boundOutlet(req.userId, req.params.outletId);
      return windowToday(db, app, { outlet: { id: outlet.id, name: outlet.name }, now: new Date() });
    },
  );

  app.post(
    '/staff/window/outlets/:outletId/intakes',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary:
          'A walk-in: the applicant from the ID card presented, checked by real name (实名核验) with the platform',
        params: OutletParam,
        body: WalkInBody,
        response: { 201: WindowIntakeView, ...errorResponses(400, 401, 403, 404, 409, 422, 502) },
      },
    },
    async (req, reply) => {
      const outlet = await boundOutlet(req.userId, req.params.outletId);
      const applicant = checkedApplicant(req.body.applicant);
      const { matter } = await windowTarget(db, { matterCode: req.body.matterCode, outletId: outlet.id });
      // 实名核验, as for residents in the app: before anything is stored, outside any transaction.
      const verdict = await app.gov
        .checkIdentity({ name: applicant.name!, idNumber: applicant.idNumber })
        .catch((err: unknown) => {
          if (err instanceof GovError) {
            req.log.warn({ code: err.code }, 'identity check unavailable');
            throw new AppError(502, 'IDENTITY_CHECK_UNAVAILABLE');
          }
          throw err;
        });
      if (!verdict.match)
        throw new AppError(422, 'IDENTITY_MISMATCH', undefined, [
          { field: 'applicant.idNumber', message: '姓名与身份证号码不一致，请核对证件' },
        ]);
      const intake = await openIntake(db, app, {
        outletId: outlet.id,
        clerkId: req.userId,
        matter,
        applicant: { ...applicant, name: applicant.name! },
      });
      return reply.code(201).send(await clerkView(intake, req.userId));
    },
  );

  app.post(
    '/staff/window/appointments/:id/serve',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary:
          "Serve a booked appointment of the clerk's outlet: the ID card presented must be the resident's own real name",
        params: Id,
        body: ServeAppointmentBody,
        response: { 201: WindowIntakeView, ...errors },
      },
    },
    async (req, reply) => {
      const outlet = await myOutlet(req.userId);
      const a = await appointmentAtOutlet(db, { id: req.params.id, outletId: outlet.id });
      if (a.status !== 'booked') throw new AppError(409, 'WINDOW_APPOINTMENT_STATE_CONFLICT');
      const presented = checkedApplicant(req.body);
      const [user] = await db.select().from(users).where(eq(users.id, a.userId));
      if (!user?.realNameAt || !user.nameSealed || !user.idNumberSealed)
        throw new AppError(403, 'REAL_NAME_REQUIRED');
      const idNumber = app.pii.decrypt(user.idNumberSealed, piiContext(user.id, 'id_number'));
      if (idNumber.toUpperCase() !== presented.idNumber)
        throw new AppError(422, 'WINDOW_APPLICANT_MISMATCH', undefined, [
          { field: 'idNumber', message: '出示的身份证号码与预约人实名信息不一致' },
        ]);
      const [matter] = await db.select().from(matters).where(eq(matters.code, a.matterCode));
      if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
      const intake = await openIntake(db, app, {
        outletId: outlet.id,
        clerkId: req.userId,
        matter,
        appointmentId: a.id,
        userId: a.userId,
        applicant: {
          name: app.pii.decrypt(user.nameSealed, piiContext(user.id, 'name')),
          idNumber,
          phone: presented.phone,
          address: presented.address,
        },
      });
      return reply.code(201).send(await clerkView(intake, req.userId));
    },
  );

  app.get(
    '/staff/window/intakes/:id',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary: "One intake of the clerk's outlet with its checklist (another outlet's answers 404)",
        params: Id,
        response: { 200: WindowIntakeView, ...errors },
      },
    },
    async (req) => {
      const outlet = await myOutlet(req.userId);
      return clerkView(await intakeAtOutlet(db, { id: req.params.id, outletId: outlet.id }), req.userId);
    },
  );

  app.post(
    '/staff/window/intakes/:id/review',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary:
          'The review at the window (same as at the door): complete → collected, the outlet-window case is submitted and the materials go to the centre by EMS; otherwise one list of everything missing, or 容缺受理 with a 替你跑 bag where the matter allows it; optionally the result mailing the applicant chose (told to the platform)',
        params: Id,
        body: WindowReviewBody,
        response: { 200: WindowIntakeView, ...errorResponses(400, 401, 403, 404, 409, 410, 422) },
      },
    },
    async (req) => {
      const outlet = await myOutlet(req.userId);
      const intake = await intakeAtOutlet(db, { id: req.params.id, outletId: outlet.id });
      if (intake.status !== 'reviewing') throw new AppError(409, 'WINDOW_INTAKE_STATE_CONFLICT');
      const checklist = await matterChecklist(db, intake.matterCode);
      const missing = missingFromReview(checklist, req.body.items);
      // Everything refusable is checked before anything is written.
      const tolerate =
        req.body.tolerate && missing.length > 0
          ? await windowTolerance(app, {
              matterCode: intake.matterCode,
              bagCode: req.body.tolerate.bagCode,
              missing,
            })
          : undefined;
      const mailing = req.body.resultMailing
        ? await windowMailing(db, { matterCode: intake.matterCode, ...req.body.resultMailing })
        : undefined;
      const done = await recordWindowReview(db, app, {
        intake,
        review: req.body.items,
        missing,
        tolerate,
        mailing,
      });
      return intakeView(db, app, { intake: done, clerkId: req.userId, checklist });
    },
  );

  app.get(
    '/staff/window/intakes/:id/receipt',
    {
      config: { access: clerks },
      schema: {
        tags: ['window'],
        summary:
          '受理单 to print: SVG with the case number, the query code and the result-mailing QR (once the platform numbered the case)',
        params: Id,
        response: { 200: WindowReceipt, ...errors },
      },
    },
    async (req) => {
      const outlet = await myOutlet(req.userId);
      const intake = await intakeAtOutlet(db, { id: req.params.id, outletId: outlet.id });
      const [c] = intake.caseId ? await db.select().from(cases).where(eq(cases.id, intake.caseId)) : [];
      if (!c?.projId || !intake.queryCode || !intake.collectedAt)
        throw new AppError(409, 'WINDOW_RECEIPT_NOT_READY');
      const checklist = await matterChecklist(db, intake.matterCode);
      const reviewed = new Map((intake.review ?? []).map((r) => [r.materialId, r]));
      const { svg, url } = await receiptSvg({
        urlBase: app.config.bags.urlBase,
        caseNumber: c.projId,
        queryCode: intake.queryCode,
        matterName: intake.matterName,
        outletName: outlet.name,
        applicantName: maskName(applicantOf(app, intake).name),
        collectedAt: intake.collectedAt,
        promisedWorkingDays: c.promisedWorkingDays,
        materials: checklist.flatMap((m) => {
          const r = reviewed.get(m.id);
          return r?.present ? [{ name: m.name, copies: r.copies }] : [];
        }),
      });
      return { caseNumber: c.projId, queryCode: intake.queryCode, receiptUrl: url, svg };
    },
  );
}
