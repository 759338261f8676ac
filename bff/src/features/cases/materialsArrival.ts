import { and, eq, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { cases, shipments } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { onShipmentChanged } from '../shipments/shipments';

export const REPORT_MATERIALS_ARRIVAL = 'cases.report-materials-arrival';

/**
 * A door case is submitted as 快递送达 (BUS_MODE 01): the centre can only accept (受理) it once the materials
 * are on its desk. When the EMS leg carrying them is signed for, we tell the platform through the binding, as a
 * job queued in the push's transaction (nothing lost, no network inside it). A door visit that ended 材料不齐
 * and was completed by bag reports the bag that completed it, when the centre receives it.
 */
export function defineMaterialsArrival(app: FastifyInstance): void {
  const { db } = app.database;

  // One statement for all the push's arrivals: this runs inside the EMS push transaction (`pnpm bench`, ems.push).
  onShipmentChanged(app, async (tx, changes) => {
    const arrived = changes
      .filter(
        ({ shipment: s, previousStatus }) =>
          s.leg === 'materials_to_centre' && s.status === 'delivered' && previousStatus !== 'delivered',
      )
      .map(({ shipment: s }) => ({ shipmentId: s.id }));
    await app.jobs.enqueueMany(tx, REPORT_MATERIALS_ARRIVAL, arrived);
  });

  app.jobs.define<{ shipmentId: string; receivedAt?: string; caseId?: string }>({
    name: REPORT_MATERIALS_ARRIVAL,
    // The platform may not have given the case its number yet, or may be down for a day: the outage schedule.
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle({ shipmentId, receivedAt, caseId }) {
      const [row] = await db
        .select({
          waybillNo: shipments.waybillNo,
          deliveredAt: shipments.deliveredAt,
          projId: cases.projId,
          bundleBookingId: cases.bundleBookingId,
        })
        .from(shipments)
        .innerJoin(cases, eq(cases.id, shipments.caseId))
        .where(eq(shipments.id, shipmentId));
      // A 743 may have voided the delivery meanwhile: the next 704 queues this again. A bag the centre
      // received (receivedAt) is on its desk whatever EMS has pushed so far.
      const deliveredAt = row?.deliveredAt ?? (receivedAt ? new Date(receivedAt) : null);
      if (!row?.waybillNo || !deliveredAt) return;
      // 一件事一次办: one parcel carried the materials of every case of the bundle; each is told (idempotent).
      // A bag that completed one case of a bundle (caseId) reports that case only; cases still waiting for a bag
      // (awaiting_materials) are reported when their own materials arrive.
      const projIds = caseId
        ? (await db.select({ projId: cases.projId }).from(cases).where(eq(cases.id, caseId))).map(
            (c) => c.projId,
          )
        : row.bundleBookingId
          ? (
              await db
                .select({ projId: cases.projId })
                .from(cases)
                .where(
                  and(eq(cases.bundleBookingId, row.bundleBookingId), ne(cases.status, 'awaiting_materials')),
                )
            ).map((c) => c.projId)
          : [row.projId];
      if (projIds.some((p) => !p)) throw new Error('the platform has not numbered the case yet');
      try {
        for (const projId of projIds)
          await app.gov.materialsArrived(projId!, {
            waybillNo: row.waybillNo,
            deliveredAt: deliveredAt.toISOString(),
          });
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the materials arrival: ${err.code} ${err.message}`);
        throw err;
      }
    },
  });
}
