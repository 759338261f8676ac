import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { cases } from '../../db/schema';
import { destinationOf, resultParcel } from '../cases/followUps';
import { intoParcels } from '../resultMailings/resultMailings';
import { requestShipments } from '../shipments/shipments';

export const SHIP_BUNDLE_RESULTS = 'bundles.ship-results';

/**
 * 一件事一次办: the physical results of one bundle application that are issued and not yet on their way leave
 * together, packed by the same parcel rule as a centre's list (same person and address, at most
 * PARCEL_MAX_PIECES a parcel). The job runs a short window after a result is issued (one job per window and
 * booking), so results issued together share a parcel and none waits longer than the window. Idempotent: a
 * result given a parcel is never shipped again, and the rows are locked while they are packed.
 */
export function defineBundleParcels(app: FastifyInstance): void {
  app.jobs.define<{ bookingId: string }>({
    name: SHIP_BUNDLE_RESULTS,
    // Database work only (the EMS orders are jobs of their own): a short schedule.
    retrySchedule: [10, 30, 60, 300, 900],
    batchSize: 1,
    async handle({ bookingId }) {
      const parcels = await app.database.db.transaction(async (tx) => {
        const ready = await tx
          .select()
          .from(cases)
          .where(
            and(
              eq(cases.bundleBookingId, bookingId),
              eq(cases.status, 'completed'),
              isNull(cases.resultShipmentId),
              sql`${cases.result}->>'kind' = 'physical'`,
            ),
          )
          .orderBy(asc(cases.completedAt), asc(cases.id))
          .for('update');
        if (ready.length === 0) return 0;
        const to = await destinationOf(tx, app, ready[0]!);
        if (!to) return 0;
        const packed = intoParcels(ready, () => to);
        const ids = await requestShipments(
          tx,
          app,
          packed.map((parcel) => resultParcel({ subjectCaseId: parcel[0]!.id, to, pieces: parcel.length })),
        );
        for (const [i, parcel] of packed.entries())
          for (const c of parcel)
            await tx.update(cases).set({ resultShipmentId: ids[i]! }).where(eq(cases.id, c.id));
        return packed.length;
      });
      if (parcels > 0) app.log.info({ job: SHIP_BUNDLE_RESULTS, parcels }, 'bundle results shipped');
    },
  });
}
