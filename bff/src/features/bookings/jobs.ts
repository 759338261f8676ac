import { type Address, beijingInstant, type Contact } from '@zyt/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bookings,
  type Case,
  type CaseStatus,
  cases,
  matterMaterials,
  matters,
  supplements,
  users,
} from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { AppError } from '../../lib/errors';
import { bundleMaterialRows, bundleMatterLinks } from '../bundles/bundles';
import { caseOfBooking, caseSubmitted, openCase } from '../cases/cases';
import { REPORT_MATERIALS_ARRIVAL } from '../cases/materialsArrival';
import { claimOfCase, claimSubmission } from '../enterprises/claims';
import { subsidySubmission } from '../enterprises/subsidies';
import { inviteEvaluation } from '../evaluations/jobs';
import { identityCard } from '../me/users';
import { onShipmentOrdered, requestShipment } from '../shipments/shipments';
import { outletParty, sealedContext, servingOutlets, transition } from './bookings';

export const SUBMIT_CASE = 'bookings.submit-case';

/**
 * Opens the case of a door visit: when its materials are collected, or (status awaiting_materials) when a visit
 * that ended 材料不齐 is sent by bag and waits for the centre to have everything.
 */
export async function openDoorCase(
  tx: DatabaseOrTransaction,
  b: Booking,
  status?: Extract<CaseStatus, 'awaiting_materials'>,
): Promise<Case> {
  const [matter] = await tx
    .select({ promisedWorkingDays: matters.promisedWorkingDays })
    .from(matters)
    .where(eq(matters.code, b.matterCode));
  // Where the materials go (the catalogue may have changed since booking: then the centre stays unknown).
  const centre = await servingOutlets(tx, { matterCode: b.matterCode, county: b.county }).then(
    (s) => s.centre,
    () => undefined,
  );
  // A resident books as a person (enterprise matters are refused at booking).
  return openCase(tx, {
    userId: b.userId,
    channel: 'door_visit',
    applicant: { kind: 'person' },
    matter: { code: b.matterCode, name: b.matterName, promisedWorkingDays: matter?.promisedWorkingDays ?? 0 },
    bookingId: b.id,
    centreId: centre?.id,
    status,
  });
}

/**
 * The cases of a bundle's door visit, one per matter of its situation (opening them again finds them). Those in
 * `waiting` open awaiting_materials: they are submitted once a bag brought what they miss to the centre.
 */
export async function openBundleCases(
  tx: DatabaseOrTransaction,
  b: Booking,
  centreId: string,
  waiting: ReadonlySet<string> = new Set(),
): Promise<Case[]> {
  const codes = b.bundle!.matterCodes;
  const rows = await tx.select().from(matters).where(inArray(matters.code, codes));
  const byCode = new Map(rows.map((m) => [m.code, m]));
  const opened = await tx
    .insert(cases)
    .values(
      codes.map((code) => ({
        userId: b.userId,
        channel: 'bundle' as const,
        applicantKind: 'person' as const,
        bundleBookingId: b.id,
        centreId,
        matterCode: code,
        matterName: byCode.get(code)?.name ?? code,
        promisedWorkingDays: byCode.get(code)?.promisedWorkingDays ?? 0,
        ...(waiting.has(code) ? { status: 'awaiting_materials' as const } : {}),
      })),
    )
    .onConflictDoNothing()
    .returning();
  if (opened.length === codes.length) return sortBy(opened, codes);
  return sortBy(await tx.select().from(cases).where(eq(cases.bundleBookingId, b.id)), codes);
}

const sortBy = (list: Case[], codes: string[]) =>
  [...list].sort((a, b) => codes.indexOf(a.matterCode) - codes.indexOf(b.matterCode));

/**
 * What follows collection, in the same transaction as the "collected" state: the EMS leg that carries the
 * materials from the serving post office to the service centre, and the submission of the case to the
 * government platform (BUS_MODE 01 快递送达). Both run as jobs after commit.
 */
export async function queueCollectedWork(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  b: Booking,
  /** 一件事一次办 collected under 容缺受理: matters that wait for the bag before they are submitted. */
  waiting: ReadonlySet<string> = new Set(),
): Promise<Booking> {
  const { postOffice, centre } = await servingOutlets(tx, { matterCode: b.matterCode, county: b.county });
  // 一件事一次办: a case per matter that applies, all from this one visit; one parcel carries the materials.
  const opened = b.bundle ? await openBundleCases(tx, b, centre.id, waiting) : [await openDoorCase(tx, b)];
  let c = opened[0]!;
  // 邮寄申领 by a door visit: the claim opened the case, waiting for these materials; now they are collected.
  if (c.channel === 'enterprise_claim' && c.status === 'awaiting_materials') {
    const [moved] = await tx
      .update(cases)
      .set({ status: 'submitting', updatedAt: sql`now()` })
      .where(and(eq(cases.id, c.id), eq(cases.status, 'awaiting_materials')))
      .returning();
    c = moved ?? c;
    opened[0] = c;
  }
  await inviteEvaluation(tx, app, c, 'visit');
  const now = Date.now();
  const shipmentId = await requestShipment(tx, app, {
    leg: 'materials_to_centre',
    centreId: centre.id,
    subject: { kind: 'case', id: c.id },
    sender: outletParty(postOffice),
    receiver: outletParty(centre),
    pickup: { from: new Date(now), to: new Date(now + 2 * 3600_000) },
  });
  for (const each of opened)
    if (each.status !== 'awaiting_materials')
      await app.jobs.enqueue(tx, SUBMIT_CASE, { caseId: each.id, bookingId: b.id });
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

/**
 * What a bundle's case carries to the platform: the bundle, its application (the booking), the situation and the
 * form fields this matter asks for; and how the door review of the merged list reads for this matter's materials.
 */
async function bundleSubmission(
  db: DatabaseOrTransaction,
  app: FastifyInstance,
  b: Booking,
  matterCode: string,
) {
  const [links, merged] = await Promise.all([
    bundleMatterLinks(db, b.matterCode, [matterCode]),
    bundleMaterialRows(db, b.matterCode),
  ]);
  const form = b.bundleFormSealed
    ? (JSON.parse(app.pii.decrypt(b.bundleFormSealed, sealedContext(b.id, 'bundle_form'))) as Record<
        string,
        string
      >)
    : {};
  const fieldIds = links[0]?.fieldIds ?? [];
  const applies = new Set(b.bundle!.matterCodes);
  const review = new Map((b.review ?? []).map((r) => [r.materialId, r]));
  const reviewByMaterial = new Map<string, { materialId: string; present: boolean; copies: number }>();
  for (const line of merged) {
    const issued = line.issuedBy !== null && applies.has(line.issuedBy);
    const checked = review.get(line.id);
    for (const src of line.sources.filter((x) => x.matterCode === matterCode))
      reviewByMaterial.set(src.materialId, {
        materialId: src.materialId,
        present: issued || (checked?.present ?? false),
        copies: issued ? 0 : (checked?.copies ?? 0),
      });
  }
  return {
    reviewByMaterial,
    submission: {
      code: b.matterCode,
      applicationId: b.id,
      situation: b.bundle!.situation,
      form: Object.fromEntries(fieldIds.flatMap((f) => (form[f] ? [[f, form[f]]] : []))),
    },
  };
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

  app.jobs.define<{
    caseId?: string;
    bookingId?: string;
    /** Materials already on the centre's desk (a bag completed the visit): reported once the case has its PROJID. */
    arrival?: { shipmentId: string; receivedAt: string; caseId?: string };
  }>({
    name: SUBMIT_CASE,
    // The platform down for a day loses no submission: retried on the outage schedule.
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle(data) {
      // Jobs queued before cases had their own id name only the booking.
      const [c] = data.caseId
        ? await db.select().from(cases).where(eq(cases.id, data.caseId))
        : [data.bookingId ? await caseOfBooking(db, data.bookingId) : undefined];
      if (!c) throw new PermanentJobError('no case to submit');
      if (c.projId) return; // submitted already: the platform is idempotent on our id anyway
      // 免申即享: an enterprise's confirmation travels without a booking or materials; a claim by post
      // (邮寄申领) sent by EMS or posted by the enterprise itself, without a booking either.
      if (!c.bookingId && c.channel === 'enterprise_claim') {
        const sub = (await subsidySubmission(db, app, c)) ?? (await claimSubmission(db, app, c));
        if (!sub) throw new PermanentJobError('no subsidy confirmation or claim to submit');
        try {
          const { projId } = await app.gov.submitCase(sub);
          await db.transaction((tx) => caseSubmitted(tx, c.id, projId));
        } catch (err) {
          if (err instanceof GovError && !err.retryable)
            throw new PermanentJobError(`platform refused the case: ${err.code} ${err.message}`);
          throw err;
        }
        return;
      }
      // The materials, address and contact travel with the booking; other ways in bring their own later.
      const bookingId = c.bookingId ?? c.bundleBookingId;
      const [b] = bookingId ? await db.select().from(bookings).where(eq(bookings.id, bookingId)) : [];
      if (!b) throw new PermanentJobError('case has no collected materials to submit');
      const [user] = c.userId ? await db.select().from(users).where(eq(users.id, c.userId)) : [];
      const [matter] = await db.select().from(matters).where(eq(matters.code, c.matterCode));
      if (!user?.nameSealed || !user.idNumberSealed || !matter)
        throw new PermanentJobError('applicant identity or matter missing');
      const materials = await db
        .select()
        .from(matterMaterials)
        .where(eq(matterMaterials.matterCode, c.matterCode))
        .orderBy(asc(matterMaterials.position));
      const address = JSON.parse(app.pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address;
      const contact = JSON.parse(app.pii.decrypt(b.contactSealed, sealedContext(b.id, 'contact'))) as Contact;
      const person = {
        ...identityCard(app.pii, user.id, user.nameSealed, user.idNumberSealed),
        mobile: contact.phone,
      };
      const fullAddress = `${address.province}${address.city}${address.county}${address.detail}`;
      // APPLY_TYPE and the card come from the applicant: a person by resident ID, or an enterprise by its
      // 统一社会信用代码 with the user as its operator (经办人) and contact.
      const applicant =
        c.applicantKind === 'enterprise'
          ? {
              applyType: 1 as const,
              applicant: {
                name: c.enterpriseName!,
                cardType: '001' as const,
                cardNumber: c.enterpriseCreditCode!,
                mobile: contact.phone,
                address: fullAddress,
              },
              operator: person,
            }
          : { applyType: 0 as const, applicant: { ...person, address: fullAddress } };
      const reviewed = new Map((b.review ?? []).map((r) => [r.materialId, r]));
      // A bundle's door review is of the merged list: each matter's own materials take their merged line's check;
      // one another matter of the bundle issues (出生医学证明) is provided by the platform itself.
      const bundle = b.bundle ? await bundleSubmission(db, app, b, c.matterCode) : undefined;
      if (bundle) for (const [id, r] of bundle.reviewByMaterial) reviewed.set(id, r);
      // A visit that ended 材料不齐 and was completed by bag: what its missing list named reached the centre.
      const byBag = new Set(
        (
          await db
            .select({ items: supplements.items })
            .from(supplements)
            .where(and(eq(supplements.caseId, c.id), eq(supplements.source, 'visit')))
        ).flatMap((r) => r.items.flatMap((i) => (i.materialId ? [i.materialId] : []))),
      );
      // 邮寄申领 by a door visit: the claimed figures and the account travel with the collected materials.
      const claim = c.channel === 'enterprise_claim' ? await claimOfCase(db, app, c.id) : undefined;
      const agent =
        b.entrust && b.agentId
          ? (await db.select().from(users).where(eq(users.id, b.agentId)))[0]
          : undefined;

      try {
        const { projId } = await app.gov.submitCase({
          ourId: c.id,
          serviceCode: c.matterCode,
          // A bundle booking snapshots the bundle's version; each of its cases names its matter's.
          serviceVersion: b.bundle ? matter.version : b.matterVersion,
          projectName: `${applicant.applicant.name}申请${c.matterName}`,
          ...applicant,
          acceptList: materials.map((m) => ({
            materialId: m.id,
            name: m.name,
            form: m.form,
            count: byBag.has(m.id) ? m.count : (reviewed.get(m.id)?.copies ?? 0),
            provided: byBag.has(m.id) || (reviewed.get(m.id)?.present ?? false),
          })),
          busMode: '01',
          infoType: matter.caseType as 1 | 2 | 3 | 4,
          ...(bundle ? { bundle: bundle.submission } : {}),
          ...(claim ? { claim: claim.submission } : {}),
          ...(b.entrust && agent?.nameSealed && agent.idNumberSealed
            ? {
                entrusted: {
                  agent: {
                    ...identityCard(app.pii, agent.id, agent.nameSealed, agent.idNumberSealed),
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
        // The booking and its case learn the PROJID together: a re-run skips cases that have it.
        let recorded = false;
        await advance(
          app,
          {
            bookingId: b.id,
            action: 'submitCase',
            actor: 'system',
            note: `办件编号 ${projId}`,
            set: { caseNumber: projId },
          },
          async (tx) => {
            await caseSubmitted(tx, c.id, projId);
            if (data.arrival) await app.jobs.enqueue(tx, REPORT_MATERIALS_ARRIVAL, data.arrival);
            recorded = true;
          },
        );
        // A bundle's booking moved on with its first case: the others only record their own PROJID (and, sent
        // after a bag brought what they missed, that bag's arrival).
        if (bundle && !recorded)
          await db.transaction(async (tx) => {
            await caseSubmitted(tx, c.id, projId);
            if (data.arrival) await app.jobs.enqueue(tx, REPORT_MATERIALS_ARRIVAL, data.arrival);
          });
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the case: ${err.code} ${err.message}`);
        throw err;
      }
    },
  });
}
