import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentCancelBody,
  ASAP_REACH_MINUTES,
  type BookingAction,
  type MissingItem,
  ReviewBody,
  Role,
  VisitList,
  VisitView,
} from '@zyt/shared';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  type Booking,
  bookings,
  matterMaterials,
  piiAccessLog,
  shipments,
  slaBreaches,
} from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import { eventsOf, toBookingView, transition } from './bookings';
import { queueCollectedWork } from './jobs';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const agents = [Role.postalAgent];
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ACTIVE = ['assigned', 'en_route', 'arrived', 'reviewing'] as const;

/** The postal agent's side of a door visit (政邮专员): queue, accept, on the way, arrive, first review (初审). */
export default async function visitRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  const checklistOf = (matterCode: string) =>
    db
      .select()
      .from(matterMaterials)
      .where(eq(matterMaterials.matterCode, matterCode))
      .orderBy(asc(matterMaterials.position));

  /**
   * The visit as the agent sees it. Address and phone are shown in full only to the agent who accepted the
   * visit, and each such read is written to the staff access log.
   */
  async function visitView(b: Booking, agentId: string, purpose: string) {
    const mine = b.agentId === agentId;
    const [events, checklist, waybill] = await Promise.all([
      eventsOf(db, [b.id]),
      checklistOf(b.matterCode),
      b.shipmentId
        ? db.select({ w: shipments.waybillNo }).from(shipments).where(eq(shipments.id, b.shipmentId))
        : [],
    ]);
    if (mine)
      await db.insert(piiAccessLog).values({
        staffId: agentId,
        subjectType: 'booking',
        subjectId: b.id,
        fields: ['address', 'contact'],
        purpose,
      });
    return toVisit(b, events, checklist, agentId, { reveal: mine, waybillNo: waybill[0]?.w });
  }

  /** A booking as a visit: the checklist to review, and whether it is late and whose it is. */
  function toVisit(
    b: Booking,
    events: Awaited<ReturnType<typeof eventsOf>>,
    checklist: Awaited<ReturnType<typeof checklistOf>>,
    agentId: string,
    /** Full address and phone: only on the visit page of the agent who took it, where the read is logged. */
    opts: { reveal: boolean; waybillNo?: string | null },
  ) {
    return {
      ...toBookingView(b, events, app.pii, opts),
      checklist: checklist.map((m) => ({
        materialId: m.id,
        name: m.name,
        form: m.form,
        count: m.count,
        required: m.required,
        note: m.note,
      })),
      overdue: !!b.dueAt && !b.arrivedAt && b.dueAt.getTime() < Date.now(),
      mine: b.agentId === agentId,
    };
  }

  app.get(
    '/staff/visits',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: "The agent's queue: my visits and open ones, overdue first, then by due time",
        response: { 200: VisitList, ...errors },
      },
    },
    async (req) => {
      const rows = await db
        .select()
        .from(bookings)
        .where(
          or(
            eq(bookings.status, 'requested'),
            and(eq(bookings.agentId, req.userId), inArray(bookings.status, [...ACTIVE])),
          ),
        )
        // Overdue first; then the earliest due (an open "as soon as possible" visit counts from when it was made).
        .orderBy(
          sql`coalesce(${bookings.dueAt}, ${bookings.createdAt} + interval '1 hour') < now() desc`,
          sql`coalesce(${bookings.dueAt}, ${bookings.createdAt} + interval '1 hour')`,
          asc(bookings.createdAt),
        )
        .limit(100);
      const events = await eventsOf(
        db,
        rows.map((r) => r.id),
      );
      const checklists = new Map<string, Awaited<ReturnType<typeof checklistOf>>>();
      for (const code of new Set(rows.map((r) => r.matterCode)))
        checklists.set(code, await checklistOf(code));
      return {
        // The queue never shows full addresses.
        items: rows.map((b) =>
          toVisit(b, events, checklists.get(b.matterCode) ?? [], req.userId, { reveal: false }),
        ),
      };
    },
  );

  async function visible(id: string, agentId: string): Promise<Booking> {
    const [b] = await db.select().from(bookings).where(eq(bookings.id, id));
    if (!b || (b.status !== 'requested' && b.agentId !== agentId))
      throw new AppError(404, 'BOOKING_NOT_FOUND');
    return b;
  }

  app.get(
    '/staff/visits/:id',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: 'One visit with its checklist',
        params: Params,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => visitView(await visible(req.params.id, req.userId), req.userId, 'visit'),
  );

  /** A step by the agent who holds the visit (accept is the step that makes them hold it). */
  const step = (
    path: string,
    action: BookingAction,
    summary: string,
    set: (b: { now: Date }) => Partial<Booking> = () => ({}),
  ) =>
    app.post(
      `/staff/visits/:id/${path}`,
      {
        config: { access: agents },
        schema: { tags: ['visits'], summary, params: Params, response: { 200: VisitView, ...errors } },
      },
      async (req) => {
        await visible(req.params.id, req.userId);
        const now = new Date();
        const b = await db.transaction((tx) =>
          transition(tx, {
            bookingId: req.params.id,
            action,
            actor: 'agent',
            actorId: req.userId,
            set: set({ now }),
            where: action === 'accept' ? undefined : eq(bookings.agentId, req.userId),
          }),
        );
        if (action === 'arrive') await recordLateArrival(b);
        return visitView(b, req.userId, action);
      },
    );

  // Two agents accepting at once: the conditional UPDATE lets exactly one of them through.
  app.post(
    '/staff/visits/:id/accept',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: 'Take an open visit',
        params: Params,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      await visible(req.params.id, req.userId);
      const now = new Date();
      const b = await db.transaction((tx) =>
        transition(tx, {
          bookingId: req.params.id,
          action: 'accept',
          actor: 'agent',
          actorId: req.userId,
          set: { agentId: req.userId, acceptedAt: now },
        }),
      );
      // "As soon as possible" means at the door within an hour of acceptance.
      const due = b.windowKind === 'asap' ? new Date(now.getTime() + ASAP_REACH_MINUTES * 60_000) : b.dueAt;
      const [withDue] = await db
        .update(bookings)
        .set({ dueAt: due })
        .where(eq(bookings.id, b.id))
        .returning();
      return visitView(withDue!, req.userId, 'accept');
    },
  );
  step('depart', 'depart', 'On the way');
  step('arrive', 'arrive', 'At the door', ({ now }) => ({ arrivedAt: now }));
  step('start-review', 'startReview', 'Start the first review of the materials');

  /** Late at the door: kept for supervisors even after the visit goes on. */
  async function recordLateArrival(b: Booking) {
    if (!b.dueAt || !b.arrivedAt || b.arrivedAt <= b.dueAt) return;
    await db
      .insert(slaBreaches)
      .values({
        kind: 'visit_late',
        subjectId: b.id,
        dueAt: b.dueAt,
        resolvedAt: b.arrivedAt,
        detail: {
          minutesLate: Math.ceil((b.arrivedAt.getTime() - b.dueAt.getTime()) / 60_000),
          windowKind: b.windowKind,
        },
      })
      .onConflictDoNothing();
  }

  app.post(
    '/staff/visits/:id/review',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          'Submit the review: all required materials present → collected (EMS and case submission follow); otherwise one complete list of what is missing',
        params: Params,
        body: ReviewBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      const b = await visible(req.params.id, req.userId);
      const checklist = await checklistOf(b.matterCode);
      const given = new Map(req.body.items.map((i) => [i.materialId, i]));
      const unknown = req.body.items.filter((i) => !checklist.some((m) => m.id === i.materialId));
      const unchecked = checklist.filter((m) => !given.has(m.id));
      if (unknown.length > 0 || unchecked.length > 0) {
        throw new AppError(422, 'REVIEW_INCOMPLETE', undefined, [
          ...unchecked.map((m) => ({ field: `items.${m.id}`, message: `未核对：${m.name}` })),
          ...unknown.map((i) => ({ field: `items.${i.materialId}`, message: '不在该事项的材料清单中' })),
        ]);
      }
      // 一次性告知: every required material that is absent or short of copies, in one list.
      const missing: MissingItem[] = checklist
        .filter((m) => m.required)
        .flatMap((m) => {
          const item = given.get(m.id)!;
          if (!item.present) return [{ materialId: m.id, name: m.name, reason: '未提供' }];
          if (item.copies < m.count)
            return [{ materialId: m.id, name: m.name, reason: `需${m.count}份，仅提供${item.copies}份` }];
          return [];
        });
      const review = req.body.items;
      const done = await db.transaction(async (tx) => {
        if (missing.length > 0) {
          return transition(tx, {
            bookingId: b.id,
            action: 'markIncomplete',
            actor: 'agent',
            actorId: req.userId,
            note: `缺少${missing.length}项材料`,
            set: { review, missingItems: missing },
            where: eq(bookings.agentId, req.userId),
          });
        }
        const collected = await transition(tx, {
          bookingId: b.id,
          action: 'collect',
          actor: 'agent',
          actorId: req.userId,
          set: { review },
          where: eq(bookings.agentId, req.userId),
        });
        return queueCollectedWork(tx, app, collected);
      });
      return visitView(done, req.userId, 'review');
    },
  );

  app.post(
    '/staff/visits/:id/cancel',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: 'Cancel a visit with a reason',
        params: Params,
        body: AgentCancelBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      await visible(req.params.id, req.userId);
      const b = await db.transaction((tx) =>
        transition(tx, {
          bookingId: req.params.id,
          action: 'agentCancel',
          actor: 'agent',
          actorId: req.userId,
          note: req.body.reason,
          set: { cancelReason: req.body.reason },
          where: eq(bookings.agentId, req.userId),
        }),
      );
      return visitView(b, req.userId, 'cancel');
    },
  );
}
