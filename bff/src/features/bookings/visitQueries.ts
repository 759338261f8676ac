import { ASAP_REACH_MINUTES, type BookingAction, type MissingItem } from '@zyt/shared';
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bookingEvents,
  bookings,
  matterMaterials,
  piiAccessLog,
  shipments,
  slaBreaches,
} from '../../db/schema';
import { AppError } from '../../lib/errors';
import { bundleChecklist } from '../bundles/bundles';
import { notifyUser } from '../notifications/notify';
import { eventsOf, transition } from './bookings';
import { queueCollectedWork } from './jobs';
import { releaseSlot } from './slots';

/** The visits an agent is working on (before collection). */
export const ACTIVE = ['assigned', 'en_route', 'arrived', 'reviewing'] as const;

/** The agent on the visit sees its address, phone and note in full only while it is on. */
export const isActiveVisit = (b: Booking) => (ACTIVE as readonly string[]).includes(b.status);

/**
 * When an open order must be accepted: an "as soon as possible" one within the promise (1 hour by default) of
 * being made, a slot by the window's start. Same rule in SQL and in code.
 */
export const acceptBySql = (promiseMinutes: number): SQL<Date> =>
  sql<Date>`case when ${bookings.windowKind} = 'asap' then ${bookings.createdAt} + make_interval(mins => ${promiseMinutes}) else ${bookings.windowStart} end`;
export const acceptByOf = (b: Booking, promiseMinutes: number): Date | null =>
  b.windowKind === 'asap' ? new Date(b.createdAt.getTime() + promiseMinutes * 60_000) : b.windowStart;

export type ChecklistItem = typeof matterMaterials.$inferSelect;

/** The materials a matter needs, in the order the agent checks them. */
export function matterChecklist(db: DatabaseOrTransaction, matterCode: string): Promise<ChecklistItem[]> {
  return db
    .select()
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, matterCode))
    .orderBy(asc(matterMaterials.position));
}

/** What the agent checks at this door: the matter's materials, or a bundle's merged list for its situation. */
export function checklistFor(
  db: DatabaseOrTransaction,
  b: Pick<Booking, 'matterCode' | 'bundle'>,
): Promise<ChecklistItem[]> {
  return b.bundle
    ? bundleChecklist(db, b.matterCode, b.bundle.matterCodes)
    : matterChecklist(db, b.matterCode);
}

/** Bookings of one matter share a checklist; a bundle's depends on its situation too. */
export const checklistKey = (b: Pick<Booking, 'matterCode' | 'bundle'>) =>
  b.bundle ? `${b.matterCode}|${b.bundle.situation}` : b.matterCode;

/**
 * A visit the agent holds, or an open one of their outlet; anything else (another outlet's, another agent's)
 * is "not found", so nobody learns what exists elsewhere.
 */
export async function getVisibleVisit(
  db: DatabaseOrTransaction,
  params: { id: string; agentId: string; outletId: string | null },
): Promise<Booking> {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, params.id));
  const open = b?.status === 'requested' && !!params.outletId && b.outletId === params.outletId;
  if (!b || (!open && b.agentId !== params.agentId)) throw new AppError(404, 'BOOKING_NOT_FOUND');
  return b;
}

/**
 * What the visit page shows besides the booking: events, checklist, waybill. When `reveal` (the agent who
 * accepted the visit sees address and phone in full), the read is written to the staff access log.
 */
export async function visitDetails(
  db: DatabaseOrTransaction,
  params: { booking: Booking; agentId: string; reveal: boolean; purpose: string },
) {
  const b = params.booking;
  const [events, checklist, waybill] = await Promise.all([
    eventsOf(db, [b.id]),
    checklistFor(db, b),
    b.shipmentId
      ? db.select({ w: shipments.waybillNo }).from(shipments).where(eq(shipments.id, b.shipmentId))
      : [],
  ]);
  if (params.reveal)
    await db.insert(piiAccessLog).values({
      staffId: params.agentId,
      subjectType: 'booking',
      subjectId: b.id,
      fields: ['address', 'contact'],
      purpose: params.purpose,
    });
  return { events, checklist, waybillNo: waybill[0]?.w ?? null };
}

/**
 * The agent's queue: the visits they hold and the open orders of their outlet (none of other outlets'), overdue
 * first, then by deadline (an open order's is its acceptance deadline); with events and checklists.
 */
export async function listVisitQueue(
  db: DatabaseOrTransaction,
  params: { agentId: string; outletId: string | null; promiseMinutes: number; limit: number },
) {
  const deadline = sql`coalesce(${bookings.dueAt}, ${acceptBySql(params.promiseMinutes)})`;
  const rows = await db
    .select()
    .from(bookings)
    .where(
      or(
        params.outletId
          ? and(eq(bookings.status, 'requested'), eq(bookings.outletId, params.outletId))
          : undefined,
        and(eq(bookings.agentId, params.agentId), inArray(bookings.status, [...ACTIVE])),
      ),
    )
    .orderBy(sql`${deadline} < now() desc`, deadline, asc(bookings.createdAt))
    .limit(params.limit);
  const events = await eventsOf(
    db,
    rows.map((r) => r.id),
  );
  const checklists = new Map<string, ChecklistItem[]>();
  for (const r of rows)
    if (!checklists.has(checklistKey(r))) checklists.set(checklistKey(r), await checklistFor(db, r));
  return { rows, events, checklists };
}

/**
 * Takes an open visit in ONE conditional UPDATE: two agents accepting at once, exactly one gets the row, and
 * the winning row already carries its deadline ("as soon as possible" = at the door within the hour).
 */
export async function acceptVisit(
  db: Database,
  params: { bookingId: string; agentId: string; now: Date; outletId?: string; promiseMinutes?: number },
): Promise<Booking> {
  const due = new Date(params.now.getTime() + ASAP_REACH_MINUTES * 60_000);
  return db.transaction(async (tx) => {
    const b = await transition(tx, {
      bookingId: params.bookingId,
      action: 'accept',
      actor: 'agent',
      actorId: params.agentId,
      set: {
        agentId: params.agentId,
        acceptedAt: params.now,
        dueAt: sql`case when ${bookings.windowKind} = 'asap' then ${due.toISOString()}::timestamptz else ${bookings.dueAt} end`,
      },
      // Only an agent of the visit's outlet takes it (checked again here: the outlet may have just changed).
      where: params.outletId ? eq(bookings.outletId, params.outletId) : undefined,
    });
    // Accepted after its window: kept for supervisors (once per visit).
    const acceptBy = acceptByOf(b, params.promiseMinutes ?? ASAP_REACH_MINUTES);
    if (acceptBy && params.now > acceptBy)
      await tx
        .insert(slaBreaches)
        .values({
          kind: 'visit_not_accepted',
          subjectId: b.id,
          dueAt: acceptBy,
          resolvedAt: params.now,
          detail: { minutesLate: Math.ceil((params.now.getTime() - acceptBy.getTime()) / 60_000) },
        })
        .onConflictDoNothing();
    return b;
  });
}

/** A step by the agent who holds the visit; arriving after the deadline is recorded for supervisors. */
export async function moveVisit(
  db: Database,
  params: { bookingId: string; agentId: string; action: BookingAction; set?: Partial<Booking> },
): Promise<Booking> {
  const b = await db.transaction((tx) =>
    transition(tx, {
      bookingId: params.bookingId,
      action: params.action,
      actor: 'agent',
      actorId: params.agentId,
      set: params.set,
      where: eq(bookings.agentId, params.agentId),
    }),
  );
  if (params.action === 'arrive') await recordLateArrival(db, b);
  return b;
}

/** Late at the door: kept for supervisors even after the visit goes on. */
async function recordLateArrival(db: DatabaseOrTransaction, b: Booking) {
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

/**
 * Records the review: with anything missing the visit ends incomplete (one list of everything missing);
 * otherwise it is collected, and the EMS leg and case submission are queued in the same transaction.
 */
export async function recordReview(
  app: FastifyInstance,
  params: {
    bookingId: string;
    agentId: string;
    review: { materialId: string; present: boolean; copies: number }[];
    missing: MissingItem[];
    /** Runs in the review's transaction once collected (容缺受理: the bag left for the rest). */
    onCollected?: (tx: DatabaseOrTransaction, collected: Booking) => Promise<void>;
    /** 一件事一次办 under 容缺受理: the matters whose cases wait for the bag (see queueCollectedWork). */
    waiting?: ReadonlySet<string>;
  },
): Promise<Booking> {
  const { bookingId, agentId, review, missing } = params;
  return app.database.db.transaction(async (tx) => {
    if (missing.length > 0) {
      return transition(tx, {
        bookingId,
        action: 'markIncomplete',
        actor: 'agent',
        actorId: agentId,
        note: `缺少${missing.length}项材料`,
        set: { review, missingItems: missing },
        where: eq(bookings.agentId, agentId),
      });
    }
    const collected = await transition(tx, {
      bookingId,
      action: 'collect',
      actor: 'agent',
      actorId: agentId,
      set: { review },
      where: eq(bookings.agentId, agentId),
    });
    const queued = await queueCollectedWork(tx, app, collected, params.waiting);
    await params.onCollected?.(tx, queued);
    return queued;
  });
}

/** What the resident is told when their visit changes hands or is cancelled (上门预约变动通知). */
function visitUpdate(b: Booking, what: string, reason: string, key: string) {
  return {
    userId: b.userId,
    kind: 'visit_update' as const,
    dedupeKey: `booking:${b.id}:${key}`,
    page: `booking/pages/detail/index?id=${b.id}`,
    data: {
      character_string1: { value: b.number },
      thing2: { value: [...b.matterName].slice(0, 20).join('') },
      phrase3: { value: what },
      thing4: { value: [...reason].slice(0, 20).join('') },
    },
  };
}

/**
 * The agent who holds the visit cancels it for good (resident unreachable, wrong address): the resident is
 * told, and the slot place is given back for someone else.
 */
export function agentCancelVisit(
  app: FastifyInstance,
  params: { bookingId: string; agentId: string; reason: string },
): Promise<Booking> {
  return app.database.db.transaction(async (tx) => {
    const b = await transition(tx, {
      bookingId: params.bookingId,
      action: 'agentCancel',
      actor: 'agent',
      actorId: params.agentId,
      note: params.reason,
      set: { cancelReason: params.reason },
      where: eq(bookings.agentId, params.agentId),
    });
    await releaseSlot(tx, b.slotId);
    await notifyUser(tx, app, visitUpdate(b, '已取消', params.reason, 'agent-cancel'));
    return b;
  });
}

/**
 * AB岗: the agent who can't go hands the visit back. It returns to the outlet's queue with the reason (the
 * resident is told), nothing is cancelled, and the slot keeps its place; an "as soon as possible" order keeps
 * its original promise. Once the review has started it can no longer change hands.
 */
export async function handBackVisit(
  app: FastifyInstance,
  params: { bookingId: string; agentId: string; reason: string },
): Promise<Booking> {
  return app.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: bookings.status, agentId: bookings.agentId })
      .from(bookings)
      .where(eq(bookings.id, params.bookingId))
      .for('update');
    if (current?.agentId === params.agentId && current.status === 'reviewing')
      throw new AppError(409, 'VISIT_UNDER_REVIEW');
    const b = await transition(tx, {
      bookingId: params.bookingId,
      action: 'handBack',
      kind: 'handed_back',
      actor: 'agent',
      actorId: params.agentId,
      note: params.reason,
      set: {
        agentId: null,
        acceptedAt: null,
        arrivedAt: null,
        dueAt: sql`case when ${bookings.windowKind} = 'slot' then ${bookings.windowEnd} else null end`,
      },
      where: eq(bookings.agentId, params.agentId),
    });
    const handBacks = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(bookingEvents)
      .where(and(eq(bookingEvents.bookingId, b.id), eq(bookingEvents.kind, 'handed_back')));
    await notifyUser(tx, app, visitUpdate(b, '重新派单', params.reason, `hand-back-${handBacks[0]?.n ?? 1}`));
    return b;
  });
}

/** Visits still waiting for an agent whose acceptance window has passed (live: they show the moment it does). */
export function unacceptedVisits(db: DatabaseOrTransaction, params: { now: Date; promiseMinutes: number }) {
  return db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'requested'),
        sql`${acceptBySql(params.promiseMinutes)} < ${params.now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(bookings.createdAt)
    .limit(200);
}
