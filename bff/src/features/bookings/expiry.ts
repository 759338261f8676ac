import { Role } from '@zyt/shared';
import { and, arrayContains, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client';
import { bookingEvents, bookings, slaBreaches, staffOutlets, users } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { scheduleSweep } from '../../lib/sweep';
import { notifyUser } from '../notifications/notify';
import { acceptByOf, acceptBySql } from './visitQueries';

/** An "as soon as possible" request nobody took within this long is closed, so the resident can book again. */
const ASAP_EXPIRES_AFTER_MS = 4 * 3600_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Expires visits nobody accepted in time (slot over, or an "as soon as possible" request left 4 hours).
 * One conditional UPDATE: several instances may sweep at once and each booking expires once.
 */
export async function expireUnacceptedBookings(
  db: Database,
  now = new Date(),
  promiseMinutes = 60,
): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx
      .update(bookings)
      .set({ status: 'expired', updatedAt: now })
      .where(
        and(
          eq(bookings.status, 'requested'),
          or(
            and(eq(bookings.windowKind, 'slot'), lt(bookings.windowEnd, now)),
            and(
              eq(bookings.windowKind, 'asap'),
              lt(bookings.createdAt, new Date(now.getTime() - ASAP_EXPIRES_AFTER_MS)),
            ),
          ),
        ),
      )
      .returning();
    if (expired.length > 0) {
      // Nobody took it: a breach supervisors keep seeing after the booking closed.
      await tx
        .insert(slaBreaches)
        .values(
          expired.map((b) => ({
            kind: 'visit_not_accepted',
            subjectId: b.id,
            dueAt: acceptByOf(b, promiseMinutes) ?? b.createdAt,
            detail: { expired: true },
          })),
        )
        .onConflictDoNothing();
      await tx.insert(bookingEvents).values(
        expired.map((b) => ({
          bookingId: b.id,
          kind: 'status_changed' as const,
          status: 'expired',
          actor: 'system' as const,
          note: '无专员接单，已过期',
        })),
      );
    }
    return expired.length;
  });
}

/**
 * Reminds the outlet's agents (待接单提醒) of each open order whose acceptance window lapses within
 * `remindBeforeMinutes`: once per order and agent (the dedupe key), sent against the agent's subscription.
 */
export async function remindUnacceptedVisits(app: FastifyInstance, now = new Date()): Promise<number> {
  const { promiseMinutes, remindBeforeMinutes } = app.config.visits;
  const soon = new Date(now.getTime() + remindBeforeMinutes * 60_000);
  const acceptBy = acceptBySql(promiseMinutes);
  const due = await app.database.db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'requested'),
        sql`${acceptBy} > ${now.toISOString()}::timestamptz`,
        sql`${acceptBy} <= ${soon.toISOString()}::timestamptz`,
      ),
    )
    .limit(500);
  if (due.length === 0) return 0;
  const agents = await app.database.db
    .select({ id: staffOutlets.userId, outletId: staffOutlets.outletId })
    .from(staffOutlets)
    .innerJoin(users, eq(users.id, staffOutlets.userId))
    .where(
      and(
        inArray(staffOutlets.outletId, [...new Set(due.map((b) => b.outletId))]),
        arrayContains(users.roles, [Role.postalAgent]),
      ),
    );
  let sent = 0;
  await app.database.db.transaction(async (tx) => {
    for (const b of due) {
      const by = acceptByOf(b, promiseMinutes)!;
      for (const agent of agents.filter((a) => a.outletId === b.outletId)) {
        const r = await notifyUser(tx, app, {
          userId: agent.id,
          kind: 'visit_reminder',
          dedupeKey: `booking:${b.id}:remind:${agent.id}`,
          page: `staff/pages/visit/index?id=${b.id}`,
          data: {
            character_string1: { value: b.number },
            thing2: { value: [...b.matterName].slice(0, 20).join('') },
            phrase3: { value: '待接单' },
            time4: { value: formatEmsTime(by).slice(0, 16) },
          },
        });
        if (r !== 'duplicate') sent++;
      }
    }
  });
  return sent;
}

export function scheduleBookingExpiry(app: FastifyInstance): void {
  scheduleSweep(app, 'unaccepted visits expired', SWEEP_EVERY_MS, () =>
    expireUnacceptedBookings(app.database.db, new Date(), app.config.visits.promiseMinutes),
  );
  scheduleSweep(app, 'agents reminded of unaccepted visits', SWEEP_EVERY_MS, () =>
    remindUnacceptedVisits(app),
  );
}
