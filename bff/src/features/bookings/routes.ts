import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentPhoneResponse,
  BookingList,
  type BookingStatus,
  BookingView,
  CancelBody,
  CreateBookingBody,
  canReschedule,
  type FieldIssue,
  RebookDraft,
  RescheduleBody,
  Role,
  SlotsResponse,
  type VisitWindowInput,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, bookingEvents, bookings, shipments, users } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import {
  agentPhoneFor,
  bookingExtras,
  bookingNumber,
  createBookingTargets,
  eventsOf,
  loadBooking,
  rebookDraft,
  requestHash,
  sealedContext,
  toBookingView,
  transition,
} from './bookings';
import { availableSlots, releaseSlot, takeSlot } from './slots';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const IDEMPOTENCY_KEY = /^[\w-]{8,64}$/;
const residents = [Role.resident];

export default async function bookingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  const bookingTargets = createBookingTargets(db);

  /** A booking as its owner sees it: booking, events and waybill in one query. */
  async function ownView(userId: string, id: string) {
    const found = await loadBooking(db, and(eq(bookings.id, id), eq(bookings.userId, userId))!);
    if (!found) throw new AppError(404, 'BOOKING_NOT_FOUND');
    const extras = await bookingExtras(db, app.pii, [found.booking]);
    return toBookingView(found.booking, found.events, app.pii, {
      reveal: false,
      waybillNo: found.waybillNo,
      ...extras.get(found.booking.id),
    });
  }
  const view = (b: Booking) => ownView(b.userId, b.id);

  /** A resident sees only their own bookings: anyone else's is "not found", not "forbidden". */
  async function ownBooking(userId: string, id: string): Promise<Booking> {
    const [b] = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.id, id), eq(bookings.userId, userId)));
    if (!b) throw new AppError(404, 'BOOKING_NOT_FOUND');
    return b;
  }

  /** The window asked for: "as soon as possible", or a place taken in one of the outlet's slots. */
  async function window(tx: DatabaseOrTransaction, input: VisitWindowInput, outletId: string, now: Date) {
    if (input.kind === 'asap')
      return { windowKind: 'asap' as const, slotId: null, windowStart: now, windowEnd: null, dueAt: null };
    const slot = await takeSlot(tx, { slotId: input.slotId, outletId, now });
    if (!slot)
      throw new AppError(409, 'SLOT_UNAVAILABLE', undefined, [
        { field: 'window.slotId', message: '该时段已约满或已过期，请重新选择' },
      ]);
    return {
      windowKind: 'slot' as const,
      slotId: slot.id,
      windowStart: slot.startsAt,
      windowEnd: slot.endsAt,
      dueAt: slot.endsAt,
    };
  }

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
      const { postOffice } = await bookingTargets(req.query.matterCode, req.query.county);
      const slots = await availableSlots(db, {
        outletId: postOffice.id,
        hours: postOffice.hours,
        now: new Date(),
      });
      return {
        outlet: { id: postOffice.id, name: postOffice.name },
        slots: slots.map((s) => ({
          id: s.id,
          start: s.startsAt.toISOString(),
          end: s.endsAt.toISOString(),
          remaining: s.capacity - s.booked,
        })),
      };
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
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
        throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED');
      const body = req.body;
      const hash = requestHash(body);

      // Only a repeated key needs this lookup: it is made when the insert hits the (user, key) index.
      const replay = async () => {
        const [existing] = await db
          .select()
          .from(bookings)
          .where(and(eq(bookings.userId, req.userId), eq(bookings.idempotencyKey, key)));
        if (!existing) return undefined;
        if (existing.requestHash !== hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED');
        // The view, not `reply.send(...)`: a reply is thenable and awaits to undefined (TOOLCHAIN).
        return view(existing);
      };
      const [user] = await db
        .select({ realNameAt: users.realNameAt })
        .from(users)
        .where(eq(users.id, req.userId));
      if (!user?.realNameAt) throw new AppError(403, 'REAL_NAME_REQUIRED');
      const name = validatePersonName(body.contact.name);
      const phone = validateMobile(body.contact.phone);
      const issues: FieldIssue[] = [];
      if (!name.ok) issues.push({ field: 'contact.name', message: name.message });
      if (!phone.ok) issues.push({ field: 'contact.phone', message: phone.message });
      if (!name.ok || !phone.ok) throw new AppError(422, 'CONTACT_INVALID', undefined, issues);

      const { matter, postOffice } = await bookingTargets(body.matterCode, body.address.county);
      const now = new Date();
      try {
        const created = await db.transaction(async (tx) => {
          const id = crypto.randomUUID();
          const [b] = await tx
            .insert(bookings)
            .values({
              id,
              number: bookingNumber(now),
              userId: req.userId,
              idempotencyKey: key,
              requestHash: hash,
              matterCode: matter.code,
              matterName: matter.name,
              matterVersion: matter.version,
              status: 'requested',
              ...(await window(tx, body.window, postOffice.id, now)),
              county: body.address.county,
              outletId: postOffice.id,
              addressSealed: app.pii.encrypt(JSON.stringify(body.address), sealedContext(id, 'address')),
              contactSealed: app.pii.encrypt(
                JSON.stringify({ name: name.value, phone: phone.value }),
                sealedContext(id, 'contact'),
              ),
              entrust: body.entrust ? { ...body.entrust, recordedAt: now.toISOString() } : null,
            })
            .returning();
          const [event] = await tx
            .insert(bookingEvents)
            .values({
              bookingId: id,
              status: 'requested',
              actor: 'resident',
              actorId: req.userId,
              note: body.entrust ? '委托全程代办' : null,
            })
            .returning();
          return { booking: b!, event: event! };
        });
        // Answered from what was just written: no second read.
        return reply
          .code(201)
          .send(toBookingView(created.booking, [created.event], app.pii, { reveal: false }));
      } catch (err) {
        // The key was used before (a retry, or a concurrent one that won): answer with that booking.
        if (
          (err as { code?: string; cause?: { code?: string } }).cause?.code === '23505' ||
          (err as { code?: string }).code === '23505'
        ) {
          const raced = await replay();
          if (raced) return reply.code(200).send(raced);
        }
        throw err;
      }
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
      const rows = await db
        .select()
        .from(bookings)
        .where(eq(bookings.userId, req.userId))
        .orderBy(desc(bookings.createdAt))
        .limit(50);
      const events = await eventsOf(
        db,
        rows.map((r) => r.id),
      );
      const [waybills, extras] = await Promise.all([waybillsOf(rows), bookingExtras(db, app.pii, rows)]);
      return {
        items: rows.map((b) =>
          toBookingView(b, events, app.pii, {
            reveal: false,
            waybillNo: waybills.get(b.shipmentId ?? ''),
            ...extras.get(b.id),
          }),
        ),
      };
    },
  );

  async function waybillsOf(rows: Booking[]) {
    const ids = rows.map((r) => r.shipmentId).filter((s): s is string => !!s);
    if (ids.length === 0) return new Map<string, string | null>();
    const found = await db
      .select({ id: shipments.id, w: shipments.waybillNo })
      .from(shipments)
      .where(inArray(shipments.id, ids));
    return new Map(found.map((f) => [f.id, f.w]));
  }

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
      phone: await agentPhoneFor(db, app.pii, await ownBooking(req.userId, req.params.id)),
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
    async (req) => rebookDraft(await ownBooking(req.userId, req.params.id), app.pii),
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
    async (req) => {
      const mine = await ownBooking(req.userId, req.params.id);
      const b = await db.transaction(async (tx) => {
        const cancelled = await transition(tx, {
          bookingId: mine.id,
          action: 'cancel',
          actor: 'resident',
          actorId: req.userId,
          note: req.body.reason,
          set: { cancelReason: req.body.reason ?? '居民取消' },
        });
        await releaseSlot(tx, cancelled.slotId);
        return cancelled;
      });
      return view(b);
    },
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
    async (req) => {
      const mine = await ownBooking(req.userId, req.params.id);
      const now = new Date();
      const b = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(bookings).where(eq(bookings.id, mine.id)).for('update');
        if (!current || !canReschedule(current.status as BookingStatus)) {
          throw new AppError(409, 'BOOKING_STATE_CONFLICT', '专员已出发，不能再改约；如需调整请联系专员');
        }
        const next = await window(tx, req.body.window, current.outletId, now);
        await releaseSlot(tx, current.slotId);
        // An accepted "as soon as possible" visit keeps its 1-hour promise from acceptance.
        const dueAt =
          next.windowKind === 'asap' && current.acceptedAt
            ? new Date(current.acceptedAt.getTime() + 3600_000)
            : next.dueAt;
        const [updated] = await tx
          .update(bookings)
          .set({ ...next, dueAt })
          .where(eq(bookings.id, current.id))
          .returning();
        await tx.insert(bookingEvents).values({
          bookingId: current.id,
          status: current.status,
          actor: 'resident',
          actorId: req.userId,
          note: '改约',
        });
        return updated!;
      });
      return view(b);
    },
  );
}
