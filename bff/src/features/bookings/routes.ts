import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentPhoneResponse,
  BookingDefaults,
  BookingList,
  BookingView,
  CancelBody,
  CreateBookingBody,
  type FieldIssue,
  RebookDraft,
  RescheduleBody,
  Role,
  SlotsResponse,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Booking } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import { idempotencyKeyOf } from '../../lib/idempotency';
import { checkBundleBooking } from '../bundles/bundles';
import {
  agentPhoneFor,
  bookingExtras,
  cancelBooking,
  createBooking,
  createBookingTargets,
  getOwnBooking,
  getOwnBookingRow,
  hasRealName,
  lastAddress,
  listOwnBookings,
  rebookDraft,
  rescheduleBooking,
  toBookingView,
} from './bookings';
import { availableSlots, slotsView } from './slots';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const residents = [Role.resident];

export default async function bookingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  const bookingTargets = createBookingTargets(db);

  /** A booking as its owner sees it: booking, events and waybill in one query. */
  async function ownView(userId: string, id: string) {
    const found = await getOwnBooking(db, app.pii, { userId, id });
    return toBookingView(found.booking, found.events, app.pii, {
      reveal: false,
      owner: true,
      waybillNo: found.waybillNo,
      ...found.extras,
    });
  }
  const view = (b: Booking) => ownView(b.userId, b.id);

  app.get(
    '/bookings/slots',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'Visit slots with room left at the serving outlet',
        querystring: Type.Object({
          matterCode: Type.String({ minLength: 1, maxLength: 64 }),
          county: Type.String({ minLength: 1, maxLength: 20 }),
        }),
        response: { 200: SlotsResponse, ...errors },
      },
    },
    async (req) => {
      const { postOffice } = await bookingTargets.target(req.query.matterCode, req.query.county);
      const slots = await availableSlots(db, {
        outletId: postOffice.id,
        hours: postOffice.hours,
        now: new Date(),
      });
      return slotsView(postOffice, slots);
    },
  );

  app.post(
    '/bookings',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'Book a door visit (上门收件); send an Idempotency-Key header so a retry never books twice',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CreateBookingBody,
        response: { 200: BookingView, 201: BookingView, ...errors },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req.headers);
      const body = req.body;
      if (!(await hasRealName(db, req.userId))) throw new AppError(403, 'REAL_NAME_REQUIRED');
      const name = validatePersonName(body.contact.name);
      const phone = validateMobile(body.contact.phone);
      const issues: FieldIssue[] = [];
      if (!name.ok) issues.push({ field: 'contact.name', message: name.message });
      if (!phone.ok) issues.push({ field: 'contact.phone', message: phone.message });
      if (!name.ok || !phone.ok) throw new AppError(422, 'CONTACT_INVALID', undefined, issues);

      const now = new Date();
      const isBundle = await bookingTargets.isBundle(body.matterCode);
      if (body.bundle && !isBundle) throw new AppError(404, 'BUNDLE_NOT_FOUND');
      // A bundle's situation and form are checked before anything is written.
      const bundle = isBundle
        ? await checkBundleBooking(db, { code: body.matterCode, input: body.bundle, now })
        : undefined;
      const target = await bookingTargets.target(body.matterCode, body.address.county);
      const created = await createBooking(db, {
        bundle,
        userId: req.userId,
        idempotencyKey: key,
        body,
        contact: { name: name.value, phone: phone.value },
        target,
        pii: app.pii,
        now,
      });
      // A retry gets the booking it already made; a new one is answered from what was just written.
      if (created.replayed) return reply.code(200).send(await view(created.booking));
      return reply
        .code(201)
        .send(toBookingView(created.booking, created.events, app.pii, { reveal: false, owner: true }));
    },
  );

  app.get(
    '/bookings',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'My bookings, newest first',
        response: { 200: BookingList, ...errors },
      },
    },
    async (req) => {
      const rows = await listOwnBookings(db, { userId: req.userId, limit: 50 });
      const extras = await bookingExtras(
        db,
        app.pii,
        rows.map((r) => r.booking),
      );
      return {
        items: rows.map((r) =>
          toBookingView(r.booking, r.events, app.pii, {
            reveal: false,
            owner: true,
            waybillNo: r.waybillNo,
            ...extras.get(r.booking.id),
          }),
        ),
      };
    },
  );

  app.get(
    '/bookings/defaults',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'Where my next booking form starts: my last address, in full (only I see it)',
        response: { 200: BookingDefaults, ...errors },
      },
    },
    async (req) => ({ address: await lastAddress(db, app.pii, req.userId) }),
  );

  const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/bookings/:id',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'One of my bookings',
        params: Params,
        response: { 200: BookingView, ...errors },
      },
    },
    async (req) => ownView(req.userId, req.params.id),
  );

  app.get(
    '/bookings/:id/agent-phone',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: "The visiting agent's work phone, in full, to call them (while the visit is on)",
        params: Params,
        response: { 200: AgentPhoneResponse, ...errors },
      },
    },
    async (req) => ({
      phone: await agentPhoneFor(
        db,
        app.pii,
        await getOwnBookingRow(db, { userId: req.userId, id: req.params.id }),
      ),
    }),
  );

  app.get(
    '/bookings/:id/rebook',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary:
          'One of my bookings as the start of a new one (matter, address, contact, entrust, missing items)',
        params: Params,
        response: { 200: RebookDraft, ...errors },
      },
    },
    async (req) =>
      rebookDraft(await getOwnBookingRow(db, { userId: req.userId, id: req.params.id }), app.pii),
  );

  app.post(
    '/bookings/:id/cancel',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'Cancel (until the agent is on the way)',
        params: Params,
        body: CancelBody,
        response: { 200: BookingView, ...errors },
      },
    },
    async (req) =>
      view(await cancelBooking(db, { userId: req.userId, id: req.params.id, reason: req.body.reason })),
  );

  app.post(
    '/bookings/:id/reschedule',
    {
      config: { access: residents },
      schema: {
        tags: ['bookings'],
        summary: 'Change the visit time (until the agent is on the way)',
        params: Params,
        body: RescheduleBody,
        response: { 200: BookingView, ...errors },
      },
    },
    async (req) =>
      view(
        await rescheduleBooking(db, {
          userId: req.userId,
          id: req.params.id,
          window: req.body.window,
          now: new Date(),
        }),
      ),
  );
}
