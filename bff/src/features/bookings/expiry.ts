import { and, eq, lt, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client';
import { bookingEvents, bookings } from '../../db/schema';
import { scheduleSweep } from '../../lib/sweep';

/** An "as soon as possible" request nobody took within this long is closed, so the resident can book again. */
const ASAP_EXPIRES_AFTER_MS = 4 * 3600_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Expires visits nobody accepted in time (slot over, or an "as soon as possible" request left 4 hours).
 * One conditional UPDATE: several instances may sweep at once and each booking expires once.
 */
export async function expireUnacceptedBookings(db: Database, now = new Date()): Promise<number> {
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
      .returning({ id: bookings.id });
    if (expired.length > 0) {
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

export function scheduleBookingExpiry(app: FastifyInstance): void {
  scheduleSweep(app, 'unaccepted visits expired', SWEEP_EVERY_MS, () =>
    expireUnacceptedBookings(app.database.db),
  );
}
