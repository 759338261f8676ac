import { type Address, beijingInstant, type Contact } from '@zyt/shared';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, bookings, matterMaterials, matters, users } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { AppError } from '../../lib/errors';
import { caseSubmitted, openCase } from '../cases/cases';
import { piiContext } from '../me/users';
import { onShipmentOrdered, requestShipment } from '../shipments/shipments';
import { outletParty, sealedContext, servingOutlets, transition } from './bookings';

export const SUBMIT_CASE = 'bookings.submit-case';

/**
 * What follows collection, in the same transaction as the "collected" state: the EMS leg that carries the
 * materials from the serving post office to the service centre, and the submission of the case to the
 * government platform (BUS_MODE 01 快递送达). Both run as jobs after commit.
 */
export async function queueCollectedWork(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  b: Booking,
): Promise<Booking> {
  const { postOffice, centre } = await servingOutlets(tx, { matterCode: b.matterCode, county: b.county });
  const now = Date.now();
  const shipmentId = await requestShipment(tx, app, {
    leg: 'materials_to_centre',
    subjectId: b.id,
    sender: outletParty(postOffice),
    receiver: outletParty(centre),
    pickup: { from: new Date(now), to: new Date(now + 2 * 3600_000) },
  });
  await app.jobs.enqueue(tx, SUBMIT_CASE, { bookingId: b.id });
  const [matter] = await tx
    .select({ promisedWorkingDays: matters.promisedWorkingDays })
    .from(matters)
    .where(eq(matters.code, b.matterCode));
  await openCase(tx, b, { promisedWorkingDays: matter?.promisedWorkingDays ?? 0 });
  const [updated] = await tx.update(bookings).set({ shipmentId }).where(eq(bookings.id, b.id)).returning();
  return updated!;
}

/**
 * A transition that may already have happened (jobs re-run, events race): a conflict is not an error. `also`
 * runs in the same transaction, after the transition.
 */
async function advance(
  app: FastifyInstance,
  params: Parameters<typeof transition>[1],
  also?: (tx: DatabaseOrTransaction) => Promise<void>,
) {
  try {
    await app.database.db.transaction(async (tx) => {
      await transition(tx, params);
      await also?.(tx);
    });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'BOOKING_STATE_CONFLICT')) throw err;
  }
}

export function defineBookingJobs(app: FastifyInstance): void {
  const { db } = app.database;

  // The materials are in EMS's hands once the waybill exists.
  onShipmentOrdered(app, async (shipment) => {
    if (shipment.leg !== 'materials_to_centre') return;
    const [b] = await db
      .select({ id: bookings.id })
      .from(bookings)
      .where(eq(bookings.shipmentId, shipment.id));
    if (b)
      await advance(app, {
        bookingId: b.id,
        action: 'handOver',
        actor: 'system',
        note: `EMS ${shipment.waybillNo}`,
      });
  });

  app.jobs.define<{ bookingId: string }>({
    name: SUBMIT_CASE,
    // The platform down for a day loses no submission: retried on the outage schedule.
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle({ bookingId }) {
      const [b] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
      if (!b || b.caseNumber) return; // submitted already: the platform is idempotent on our id anyway
      const [applicant] = await db.select().from(users).where(eq(users.id, b.userId));
      const [matter] = await db.select().from(matters).where(eq(matters.code, b.matterCode));
      if (!applicant?.nameSealed || !applicant.idNumberSealed || !matter)
        throw new PermanentJobError('applicant identity or matter missing');
      const materials = await db
        .select()
        .from(matterMaterials)
        .where(eq(matterMaterials.matterCode, b.matterCode))
        .orderBy(asc(matterMaterials.position));
      const address = JSON.parse(app.pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address;
      const contact = JSON.parse(app.pii.decrypt(b.contactSealed, sealedContext(b.id, 'contact'))) as Contact;
      const name = app.pii.decrypt(applicant.nameSealed, piiContext(applicant.id, 'name'));
      const reviewed = new Map((b.review ?? []).map((r) => [r.materialId, r]));
      const agent =
        b.entrust && b.agentId
          ? (await db.select().from(users).where(eq(users.id, b.agentId)))[0]
          : undefined;

      try {
        const { projId } = await app.gov.submitCase({
          ourId: b.id,
          serviceCode: b.matterCode,
          serviceVersion: b.matterVersion,
          projectName: `${name}申请${b.matterName}`,
          applyType: 0,
          applicant: {
            name,
            cardType: '111',
            cardNumber: app.pii.decrypt(applicant.idNumberSealed, piiContext(applicant.id, 'id_number')),
            mobile: contact.phone,
            address: `${address.province}${address.city}${address.county}${address.detail}`,
          },
          acceptList: materials.map((m) => ({
            materialId: m.id,
            name: m.name,
            form: m.form,
            count: reviewed.get(m.id)?.copies ?? 0,
            provided: reviewed.get(m.id)?.present ?? false,
          })),
          busMode: '01',
          infoType: matter.caseType as 1 | 2 | 3 | 4,
          ...(b.entrust && agent?.nameSealed && agent.idNumberSealed
            ? {
                entrusted: {
                  agent: {
                    name: app.pii.decrypt(agent.nameSealed, piiContext(agent.id, 'name')),
                    cardType: '111' as const,
                    cardNumber: app.pii.decrypt(agent.idNumberSealed, piiContext(agent.id, 'id_number')),
                    mobile: contact.phone,
                    organisation: '中国邮政',
                  },
                  powerOfAttorney: {
                    signedAt: b.entrust.recordedAt,
                    scope: b.entrust.scope,
                    validUntil: beijingInstant(b.entrust.validUntil, '23:59:59').toISOString(),
                  },
                },
              }
            : {}),
        });
        // The booking and its case learn the PROJID together: a re-run skips bookings that have it.
        await advance(
          app,
          {
            bookingId: b.id,
            action: 'submitCase',
            actor: 'system',
            note: `办件编号 ${projId}`,
            set: { caseNumber: projId },
          },
          (tx) => caseSubmitted(tx, b.id, projId),
        );
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the case: ${err.code} ${err.message}`);
        throw err;
      }
    },
  });
}
