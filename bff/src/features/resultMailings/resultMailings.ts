import { createHash } from 'node:crypto';
import {
  type AddResultMailingBody,
  type Address,
  type Contact,
  checkReceiptFields,
  type StaffResultMailingsBody,
  type StaffResultMailingsResponse,
} from '@zyt/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { type Case, cases, matters, outlets, resultMailings, windowIntakes } from '../../db/schema';
import { type GovApplicantCheckResult, GovError } from '../../integrations/gov/types';
import { workingDeadline } from '../../lib/calendar';
import { AppError } from '../../lib/errors';
import { servingOutlets } from '../bookings/bookings';
import { applyStageEvents, DELIVERY_WORKING_DAYS, openCase } from '../cases/cases';
import { mailingSealedContext, resultParcel, shipResult } from '../cases/followUps';
import { stageEventsOf } from '../cases/poll';
import { realNameIdentity } from '../me/users';
import { requestShipments } from '../shipments/shipments';
import { CHANGE_DELIVERY } from './jobs';

type Matter = typeof matters.$inferSelect;
type Outlet = typeof outlets.$inferSelect;

const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** The matter's result can travel by post: the platform lets it be mailed, and it is a paper document. */
export function assertMailable(matter: Matter, field: string) {
  if (matter.mail === 'none')
    throw new AppError(422, 'RESULT_MAILING_NOT_SUPPORTED', undefined, [
      { field, message: `“${matter.name}”的办理结果不支持邮寄送达` },
    ]);
  if (matter.resultKind === 'electronic')
    throw new AppError(422, 'RESULT_NOT_MAILABLE', undefined, [
      { field, message: `“${matter.name}”的办理结果是电子证照` },
    ]);
}

export async function outletRow(db: DatabaseOrTransaction, id: string) {
  const [o] = await db.select().from(outlets).where(eq(outlets.id, id));
  return o;
}

async function matterByCode(db: DatabaseOrTransaction, code: string) {
  const [m] = await db.select().from(matters).where(eq(matters.code, code));
  return m;
}

async function mailingByKey(db: DatabaseOrTransaction, userId: string, key: string) {
  const [row] = await db
    .select({ mailing: resultMailings, c: cases })
    .from(resultMailings)
    .innerJoin(cases, eq(cases.id, resultMailings.caseId))
    .where(and(eq(resultMailings.orderedById, userId), eq(resultMailings.idempotencyKey, key)));
  return row;
}

export type AddedMailing = { replayed: boolean; case: Case; address: Address; contact: Contact };

/**
 * 单程寄递 for a case applied for elsewhere: the platform confirms (by the receipt's query code) that the
 * signed-in resident is its applicant; then, in one transaction, the case opens with its history so far and
 * the mailing address, and if the result is already issued its EMS parcel is requested. A retry with the same
 * Idempotency-Key answers with the same case; nothing is written on any refusal.
 */
export async function addResultMailing(
  db: Database,
  app: FastifyInstance,
  params: { userId: string; idempotencyKey: string; body: AddResultMailingBody; contact: Contact },
): Promise<AddedMailing> {
  const { userId, idempotencyKey, body, contact } = params;
  const fields = checkReceiptFields(body.caseNumber, body.queryCode);
  if (!fields.ok) throw new AppError(422, 'RECEIPT_CODE_INVALID');
  const hash = requestHash({ ...body, ...fields, contact });
  const replay = async () => {
    const earlier = await mailingByKey(db, userId, idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.mailing.requestHash !== hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED');
    return { replayed: true, case: earlier.c, address: body.address, contact };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const applicant = await realNameIdentity(db, app.pii, userId);
  let checked: GovApplicantCheckResult;
  try {
    checked = await app.gov.checkApplicant(fields.caseNumber, { queryCode: fields.queryCode, applicant });
  } catch (err) {
    if (err instanceof GovError && err.status === 404)
      throw new AppError(404, 'RESULT_MAILING_CASE_NOT_FOUND');
    if (err instanceof GovError) {
      app.log.warn({ code: err.code }, 'applicant check failed');
      throw new AppError(503, 'RESULT_MAILING_CHECK_UNAVAILABLE');
    }
    throw err;
  }
  if (!checked.match) throw new AppError(403, 'RESULT_MAILING_APPLICANT_MISMATCH');
  const gov = checked.case;
  if (gov.stage === '99') throw new AppError(409, 'RESULT_MAILING_CASE_CLOSED');
  if (gov.stage === '4' && checked.resultCollected) throw new AppError(409, 'RESULT_ALREADY_COLLECTED');
  if (gov.result?.kind === 'electronic') throw new AppError(422, 'RESULT_NOT_MAILABLE');
  const matter = await matterByCode(db, gov.serviceCode);
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  assertMailable(matter, 'caseNumber');
  const { centre } = await servingOutlets(db, { matterCode: matter.code, county: body.address.county });

  try {
    return await db.transaction(async (tx) => {
      const [taken] = await tx.select().from(cases).where(eq(cases.projId, gov.projId));
      if (taken)
        return attachToWindowCase(tx, app, { taken, userId, idempotencyKey, hash, centre, body, contact });
      const c = await openCase(tx, {
        userId,
        channel: checked.applyChannel === 'online' ? 'online' : 'outlet_window',
        applicant: { kind: 'person' },
        matter: { code: matter.code, name: matter.name, promisedWorkingDays: matter.promisedWorkingDays },
        projId: gov.projId,
        centreId: centre.id,
      });
      await insertMailing(tx, app, {
        caseId: c.id,
        orderedBy: 'resident',
        orderedById: userId,
        idempotencyKey,
        requestHash: hash,
        centre,
        address: body.address,
        contact,
      });
      // The history so far (callbacks heard before the case was ours are stored already): folding it brings
      // the case up to date, and ships the result at once if it is already issued.
      await applyStageEvents(tx, app, gov.projId, stageEventsOf(gov), { refold: true });
      const [now] = await tx.select().from(cases).where(eq(cases.id, c.id));
      return { replayed: false, case: now!, address: body.address, contact };
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Two taps at once: the one that lost answers like a retry, or as already added.
    const again = await replay();
    if (again) return again;
    throw new AppError(409, 'RESULT_MAILING_ALREADY_ADDED');
  }
}

/**
 * 网点就近办: a case taken at one of our own post-office windows is ours already (its receipt carries the code).
 * Its applicant, as the platform just confirmed, adds the mailing to it — and the case to their account when
 * they walked in without one. Any other case we hold is refused as already added.
 */
async function attachToWindowCase(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  p: {
    taken: Case;
    userId: string;
    idempotencyKey: string;
    hash: string;
    centre: Outlet;
    body: AddResultMailingBody;
    contact: Contact;
  },
): Promise<AddedMailing> {
  const { taken } = p;
  const [intake] = await tx
    .select({ id: windowIntakes.id })
    .from(windowIntakes)
    .where(eq(windowIntakes.caseId, taken.id));
  if (!intake || (taken.userId !== null && taken.userId !== p.userId))
    throw new AppError(409, 'RESULT_MAILING_ALREADY_ADDED');
  const [mine] = await tx
    .update(cases)
    .set({ userId: p.userId, updatedAt: sql`now()` })
    .where(eq(cases.id, taken.id))
    .returning();
  await insertMailing(tx, app, {
    caseId: taken.id,
    orderedBy: 'resident',
    orderedById: p.userId,
    idempotencyKey: p.idempotencyKey,
    requestHash: p.hash,
    centre: p.centre,
    address: p.body.address,
    contact: p.contact,
  });
  // Issued already: the result ships now; otherwise when the platform issues it.
  if (mine!.status === 'completed' && mine!.result?.kind === 'physical' && !mine!.resultShipmentId)
    await shipResult(tx, app, mine!);
  const [now] = await tx.select().from(cases).where(eq(cases.id, taken.id));
  return { replayed: false, case: now!, address: p.body.address, contact: p.contact };
}

/** One result mailing as stored: who ordered it, from which centre, to where (sealed). */
export interface MailingInput {
  caseId: string;
  orderedBy: 'resident' | 'centre' | 'window';
  orderedById: string;
  idempotencyKey?: string;
  requestHash?: string;
  centre: Outlet;
  address: Address;
  contact: Contact;
}

/**
 * Stores the mailing; one the resident added after applying is told to the platform (变更送达方式) by a job in
 * the same transaction. A mailing chosen at the window travels with the submission instead.
 */
export async function insertMailing(tx: DatabaseOrTransaction, app: FastifyInstance, m: MailingInput) {
  await tx.insert(resultMailings).values(mailingRow(app, m));
  if (m.orderedBy === 'resident') await app.jobs.enqueue(tx, CHANGE_DELIVERY, { caseId: m.caseId });
}

function mailingRow(app: FastifyInstance, m: MailingInput): typeof resultMailings.$inferInsert {
  return {
    caseId: m.caseId,
    orderedBy: m.orderedBy,
    orderedById: m.orderedById,
    idempotencyKey: m.idempotencyKey ?? null,
    requestHash: m.requestHash ?? null,
    centreOutletId: m.centre.id,
    county: m.address.county,
    addressSealed: app.pii.encrypt(JSON.stringify(m.address), mailingSealedContext(m.caseId, 'address')),
    contactSealed: app.pii.encrypt(JSON.stringify(m.contact), mailingSealedContext(m.caseId, 'contact')),
  };
}

/**
 * Parcel rule (合并寄递): results in one centre order go in one EMS parcel when they are for the same person at
 * the same place — same receiver name, same phone, same address (province, city, county, detail; spaces
 * ignored) — at most PARCEL_MAX_PIECES to a parcel (an A4 envelope or small box; more make a second parcel).
 * Results ready at different times are never held back to wait for others: the 2-working-day delivery promise
 * counts from each issue.
 */
export const PARCEL_MAX_PIECES = 5;

const parcelKeyOf = (address: Address, contact: Contact) =>
  JSON.stringify(
    [contact.name, contact.phone, address.province, address.city, address.county, address.detail].map((v) =>
      v.replace(/\s/g, ''),
    ),
  );

/** Results ready together, packed by the parcel rule above: per person and place, PARCEL_MAX_PIECES at most. */
export function intoParcels<T>(
  ready: readonly T[],
  to: (t: T) => { address: Address; contact: Contact },
): T[][] {
  const groups = new Map<string, T[][]>();
  for (const r of ready) {
    const { address, contact } = to(r);
    const key = parcelKeyOf(address, contact);
    const parcels = groups.get(key) ?? [];
    const last = parcels.at(-1);
    if (last && last.length < PARCEL_MAX_PIECES) last.push(r);
    else parcels.push([r]);
    groups.set(key, parcels);
  }
  return [...groups.values()].flat();
}

/**
 * A service centre orders result mailing for a list of cases whose results it holds (issued, paper): each
 * case opens (or, applied for by a resident of ours, is found) and goes into a parcel with the same person's
 * other results, and one EMS order per parcel is enqueued — all in one transaction, so each waybill is made
 * exactly once, by a retried job. A case already ordered (an earlier list, or its applicant in the app) is
 * skipped, so sending a list again is harmless. Any item that cannot be mailed refuses the whole list.
 */
export async function orderResultMailings(
  db: Database,
  app: FastifyInstance,
  params: { clerkId: string; centre: Outlet; body: StaffResultMailingsBody },
): Promise<StaffResultMailingsResponse> {
  const { clerkId, centre, body } = params;
  const numbers = body.items.map((i) => i.caseNumber.toUpperCase());
  const issues: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  numbers.forEach((n, i) => {
    if (seen.has(n)) issues.push({ field: `items.${i}.caseNumber`, message: `办件 ${n} 在清单中重复` });
    seen.add(n);
  });
  const codes = [...new Set(body.items.map((i) => i.matterCode))];
  const known = new Map(
    (await db.select().from(matters).where(inArray(matters.code, codes))).map((m) => [m.code, m]),
  );
  body.items.forEach((item, i) => {
    const m = known.get(item.matterCode);
    if (!m) issues.push({ field: `items.${i}.matterCode`, message: `事项 ${item.matterCode} 不存在` });
    else if (m.mail === 'none' || m.resultKind === 'electronic')
      issues.push({ field: `items.${i}.matterCode`, message: `“${m.name}”的办理结果不能邮寄` });
  });
  if (issues.length > 0)
    throw new AppError(422, 'RESULT_MAILING_LIST_INVALID', undefined, issues.slice(0, 50));
  try {
    return await orderInOneTransaction(db, app, { clerkId, centre, body, numbers, known });
  } catch (err) {
    // The same list sent twice at once: the loser's new cases collide with the winner's; once more, it finds
    // them ordered.
    if (!isUniqueViolation(err)) throw err;
    return orderInOneTransaction(db, app, { clerkId, centre, body, numbers, known });
  }
}

async function orderInOneTransaction(
  db: Database,
  app: FastifyInstance,
  params: {
    clerkId: string;
    centre: Outlet;
    body: StaffResultMailingsBody;
    numbers: string[];
    known: Map<string, Matter>;
  },
): Promise<StaffResultMailingsResponse> {
  const { clerkId, centre, body, numbers, known } = params;
  return db.transaction(async (tx) => {
    const existing = await tx.select().from(cases).where(inArray(cases.projId, numbers)).for('update');
    const byNumber = new Map(existing.map((c) => [c.projId!, c]));
    const mailed = new Set(
      existing.length === 0
        ? []
        : (
            await tx
              .select({ caseId: resultMailings.caseId })
              .from(resultMailings)
              .where(
                inArray(
                  resultMailings.caseId,
                  existing.map((c) => c.id),
                ),
              )
          ).map((r) => r.caseId),
    );
    const issuedAt = new Date().toISOString();
    const deliverBy = workingDeadline(new Date(issuedAt), DELIVERY_WORKING_DAYS);
    const outcomes: StaffResultMailingsResponse['items'] = [];
    const toShip: { caseId: string; index: number; item: StaffResultMailingsBody['items'][number] }[] = [];
    const fresh: (typeof cases.$inferInsert)[] = [];
    const mailings: (typeof resultMailings.$inferInsert)[] = [];
    body.items.forEach((item, index) => {
      const number = numbers[index]!;
      const c = byNumber.get(number);
      // Ordered already: by an earlier list, by the applicant in the app, or a door visit's own result leg.
      if (c && (c.resultShipmentId || mailed.has(c.id) || c.bookingId)) {
        outcomes[index] = { caseNumber: number, outcome: 'already_ordered', parcelId: c.resultShipmentId };
        return;
      }
      const m = known.get(item.matterCode)!;
      const caseId = c?.id ?? crypto.randomUUID();
      if (!c)
        fresh.push({
          id: caseId,
          userId: null,
          channel: 'outlet_window',
          applicantKind: 'person',
          centreId: centre.id,
          projId: number,
          matterCode: m.code,
          matterName: m.name,
          promisedWorkingDays: m.promisedWorkingDays,
          status: 'completed',
          completedAt: new Date(issuedAt),
          deliverBy: deliverBy.at,
          deliverByProvisional: deliverBy.provisional,
          result: { kind: 'physical', documentName: m.resultName, issuedAt },
        });
      mailings.push(
        mailingRow(app, {
          caseId,
          orderedBy: 'centre',
          orderedById: clerkId,
          centre,
          address: item.address,
          contact: item.contact,
        }),
      );
      toShip.push({ caseId, index, item });
    });
    if (fresh.length > 0) await tx.insert(cases).values(fresh);
    if (mailings.length > 0) await tx.insert(resultMailings).values(mailings);

    const parcels = intoParcels(toShip, (s) => s.item);
    const parcelIds = await requestShipments(
      tx,
      app,
      parcels.map((parcel) =>
        resultParcel({
          subjectCaseId: parcel[0]!.caseId,
          to: { centre, address: parcel[0]!.item.address, contact: parcel[0]!.item.contact },
          pieces: parcel.length,
        }),
      ),
    );
    const caseIds: string[] = [];
    const shipmentIds: string[] = [];
    parcels.forEach((parcel, i) => {
      for (const p of parcel) {
        caseIds.push(p.caseId);
        shipmentIds.push(parcelIds[i]!);
        outcomes[p.index] = { caseNumber: numbers[p.index]!, outcome: 'ordered', parcelId: parcelIds[i]! };
      }
    });
    // Every case to its parcel in one statement (uuid[] literals: both drivers bind them alike).
    if (caseIds.length > 0)
      await tx.execute(sql`
        update ${cases} set result_shipment_id = m.shipment_id
        from unnest(${`{${caseIds.join(',')}}`}::uuid[], ${`{${shipmentIds.join(',')}}`}::uuid[])
          as m(case_id, shipment_id)
        where ${cases.id} = m.case_id`);
    return { items: outcomes, ordered: toShip.length, parcels: parcels.length };
  });
}
