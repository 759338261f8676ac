import { ASAP_REACH_MINUTES, type BookingAction, type MissingItem } from '@zyt/shared';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bookings,
  matterMaterials,
  piiAccessLog,
  shipments,
  slaBreaches,
} from '../../db/schema';
import { AppError } from '../../lib/errors';
import { eventsOf, transition } from './bookings';
import { queueCollectedWork } from './jobs';

/** The visits an agent is working on (before collection). */
const ACTIVE = ['assigned', 'en_route', 'arrived', 'reviewing'] as const;

export type ChecklistItem = typeof matterMaterials.$inferSelect;

/** The materials a matter needs, in the order the agent checks them. */
export function matterChecklist(db: DatabaseOrTransaction, matterCode: string): Promise<ChecklistItem[]> {
  return db
    .select()
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, matterCode))
    .orderBy(asc(matterMaterials.position));
}

/** An open visit, or one the agent holds; anything else is "not found". */
export async function getVisibleVisit(
  db: DatabaseOrTransaction,
  params: { id: string; agentId: string },
): Promise<Booking> {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, params.id));
  if (!b || (b.status !== 'requested' && b.agentId !== params.agentId))
    throw new AppError(404, 'BOOKING_NOT_FOUND');
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
    matterChecklist(db, b.matterCode),
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

/** The agent's queue: my visits and open ones, overdue first, then by due time; with events and checklists. */
export async function listVisitQueue(db: DatabaseOrTransaction, params: { agentId: string; limit: number }) {
  const rows = await db
    .select()
    .from(bookings)
    .where(
      or(
        eq(bookings.status, 'requested'),
        and(eq(bookings.agentId, params.agentId), inArray(bookings.status, [...ACTIVE])),
      ),
    )
    // Overdue first; then the earliest due (an open "as soon as possible" visit counts from when it was made).
    .orderBy(
      sql`coalesce(${bookings.dueAt}, ${bookings.createdAt} + interval '1 hour') < now() desc`,
      sql`coalesce(${bookings.dueAt}, ${bookings.createdAt} + interval '1 hour')`,
      asc(bookings.createdAt),
    )
    .limit(params.limit);
  const events = await eventsOf(
    db,
    rows.map((r) => r.id),
  );
  const checklists = new Map<string, ChecklistItem[]>();
  for (const code of new Set(rows.map((r) => r.matterCode)))
    checklists.set(code, await matterChecklist(db, code));
  return { rows, events, checklists };
}

/**
 * Takes an open visit in ONE conditional UPDATE: two agents accepting at once, exactly one gets the row, and
 * the winning row already carries its deadline ("as soon as possible" = at the door within the hour).
 */
export async function acceptVisit(
  db: Database,
  params: { bookingId: string; agentId: string; now: Date },
): Promise<Booking> {
  const due = new Date(params.now.getTime() + ASAP_REACH_MINUTES * 60_000);
  return db.transaction((tx) =>
    transition(tx, {
      bookingId: params.bookingId,
      action: 'accept',
      actor: 'agent',
      actorId: params.agentId,
      set: {
        agentId: params.agentId,
        acceptedAt: params.now,
        dueAt: sql`case when ${bookings.windowKind} = 'asap' then ${due.toISOString()}::timestamptz else ${bookings.dueAt} end`,
      },
    }),
  );
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
    const queued = await queueCollectedWork(tx, app, collected);
    await params.onCollected?.(tx, queued);
    return queued;
  });
}

/** The agent who holds the visit cancels it with a reason. */
export function agentCancelVisit(
  db: Database,
  params: { bookingId: string; agentId: string; reason: string },
): Promise<Booking> {
  return db.transaction((tx) =>
    transition(tx, {
      bookingId: params.bookingId,
      action: 'agentCancel',
      actor: 'agent',
      actorId: params.agentId,
      note: params.reason,
      set: { cancelReason: params.reason },
      where: eq(bookings.agentId, params.agentId),
    }),
  );
}
