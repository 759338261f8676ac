import { createHash, randomInt } from 'node:crypto';
import {
  type Address,
  type ClaimRoundView,
  type ClaimState,
  type Contact,
  claimAmount,
  claimChannelLabels,
  claimStateLabels,
  formatCoverCode,
  isCoverCode,
  materialFormLabels,
  normalizeCoverCode,
  type StaffCoverSheetView,
  SUBSIDY_PAY_WORKING_DAYS,
  type SubsidyClaimBody,
  type SubsidyClaimView,
  validateBankAccount,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { and, asc, desc, eq, isNotNull, isNull, notExists } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import {
  bookings,
  type Case,
  cases,
  type Enterprise,
  matterMaterials,
  matters,
  outlets,
  type SubsidyClaim,
  type SubsidyRound,
  shipments,
  subsidyClaims,
  subsidyRounds,
  subsidyScreened,
  users,
} from '../../db/schema';
import type { GovCaseSubmission } from '../../integrations/gov/types';
import { AppError } from '../../lib/errors';
import { insertBooking, outletParty, servingOutlets } from '../bookings/bookings';
import { SUBMIT_CASE } from '../bookings/jobs';
import { openCase } from '../cases/cases';
import { caseSummary } from '../cases/timeline';
import { identityCard } from '../me/users';
import { requestShipment } from '../shipments/shipments';
import { actingFor, checkCreditCode } from './bindings';

const claimContext = (id: string, field: 'bank_account' | 'contact' | 'address') =>
  `subsidy_claims/${id}/${field}`;

const claimHash = (roundId: string, body: SubsidyClaimBody) =>
  createHash('sha256')
    .update(JSON.stringify([roundId, body]))
    .digest('hex');

/** The materials of a matter, as its checklist shows them. */
async function checklist(db: DatabaseOrTransaction, matterCode: string) {
  const rows = await db
    .select()
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, matterCode))
    .orderBy(asc(matterMaterials.position));
  return rows.map((m) => ({
    id: m.id,
    name: m.name,
    form: m.form,
    formLabel: materialFormLabels[m.form],
    count: m.count,
    required: m.required,
    note: m.note,
  }));
}

/** Where the claim's materials stand: on the cover sheet's scan, or by the EMS leg that carries them. */
function claimState(
  claim: SubsidyClaim,
  leg: { status: string; waybillNo: string | null } | null,
): ClaimState {
  if (claim.materialsReceivedAt || leg?.status === 'delivered') return 'materials_received';
  if (leg?.waybillNo) return 'materials_travelling';
  return 'awaiting_materials';
}

async function claimView(db: DatabaseOrTransaction, claim: SubsidyClaim): Promise<SubsidyClaimView> {
  const [c] = await db.select().from(cases).where(eq(cases.id, claim.caseId));
  const [b] = claim.bookingId ? await db.select().from(bookings).where(eq(bookings.id, claim.bookingId)) : [];
  const legId = claim.shipmentId ?? b?.shipmentId ?? null;
  const [leg] = legId
    ? await db
        .select({
          status: shipments.status,
          waybillNo: shipments.waybillNo,
          deliveredAt: shipments.deliveredAt,
        })
        .from(shipments)
        .where(eq(shipments.id, legId))
    : [];
  const [centre] = claim.coverCode
    ? await db.select().from(outlets).where(eq(outlets.id, claim.centreOutletId))
    : [];
  const state = claimState(claim, leg ?? null);
  return {
    id: claim.id,
    channel: claim.channel,
    channelLabel: claimChannelLabels[claim.channel],
    state,
    stateLabel: claimStateLabels[state],
    lastYearFen: claim.lastYearFen,
    amountFen: claim.amountFen,
    working: claimAmount({ lastYearFen: claim.lastYearFen, ratePercent: claim.ratePercent }).working,
    headcount: claim.headcount,
    bankName: claim.bankName,
    bankAccount: `****${claim.bankAccountLast4}`,
    claimedAt: claim.claimedAt.toISOString(),
    coverSheet: claim.coverCode
      ? {
          code: claim.coverCode,
          codeLabel: formatCoverCode(claim.coverCode),
          centre: centre
            ? {
                name: centre.name,
                // The catalogue's address usually starts at the city: the province goes before it.
                address: centre.address.startsWith(centre.province)
                  ? centre.address
                  : `${centre.province}${centre.address}`,
                phone: centre.phone,
              }
            : { name: '政务服务中心', address: '请咨询政务服务中心', phone: '' },
        }
      : null,
    waybillNo: leg?.waybillNo ?? null,
    bookingNumber: b?.number ?? null,
    materialsReceivedAt: (claim.materialsReceivedAt ?? leg?.deliveredAt ?? null)?.toISOString() ?? null,
    case: caseSummary(c!, null),
  };
}

/** Open rounds with a rate (claimable by post) this enterprise is not screened for, newest first. */
async function claimableRounds(db: DatabaseOrTransaction, creditCode: string, roundId?: string) {
  return db
    .select({ round: subsidyRounds, matterName: matters.name, claim: subsidyClaims })
    .from(subsidyRounds)
    .leftJoin(matters, eq(matters.code, subsidyRounds.matterCode))
    .leftJoin(
      subsidyClaims,
      and(eq(subsidyClaims.roundId, subsidyRounds.id), eq(subsidyClaims.creditCode, creditCode)),
    )
    .where(
      and(
        eq(subsidyRounds.status, 'open'),
        isNotNull(subsidyRounds.ratePercent),
        notExists(
          db
            .select({ one: subsidyScreened.roundId })
            .from(subsidyScreened)
            .where(
              and(eq(subsidyScreened.roundId, subsidyRounds.id), eq(subsidyScreened.creditCode, creditCode)),
            ),
        ),
        ...(roundId ? [eq(subsidyRounds.id, roundId)] : []),
      ),
    )
    .orderBy(desc(subsidyRounds.publishedAt));
}

async function roundView(
  db: DatabaseOrTransaction,
  r: { round: SubsidyRound; matterName: string | null; claim: SubsidyClaim | null },
  now: Date,
): Promise<ClaimRoundView> {
  return {
    roundId: r.round.id,
    roundName: r.round.name,
    rule: r.round.rule,
    ratePercent: r.round.ratePercent!,
    matterCode: r.round.matterCode,
    matterName: r.matterName ?? r.round.name,
    deadline: r.round.deadline.toISOString(),
    state: r.claim ? 'claimed' : r.round.deadline < now ? 'closed' : 'open',
    materials: await checklist(db, r.round.matterCode),
    claim: r.claim ? await claimView(db, r.claim) : null,
  };
}

/** 邮寄申领: the rounds this enterprise may claim in by post (it is not on their lists), with its claims. */
export async function claimRounds(
  db: DatabaseOrTransaction,
  params: { userId: string; creditCode: string; now?: Date },
): Promise<ClaimRoundView[]> {
  const { enterprise } = await actingFor(db, params.userId, params.creditCode);
  const rows = await claimableRounds(db, enterprise.creditCode);
  const now = params.now ?? new Date();
  return Promise.all(rows.map((r) => roundView(db, r, now)));
}

/** One round's claim form (rule, checklist) and the enterprise's claim in it, if any. */
export async function claimRound(
  db: DatabaseOrTransaction,
  params: { userId: string; creditCode: string; roundId: string; now?: Date },
): Promise<ClaimRoundView> {
  const { enterprise } = await actingFor(db, params.userId, params.creditCode);
  const [row] = await claimableRounds(db, enterprise.creditCode, params.roundId);
  if (!row) throw await whyNotClaimable(db, enterprise, params.roundId);
  return roundView(db, row, params.now ?? new Date());
}

/** A round that is not claimable: on the list (confirm instead), or not a round one can claim in. */
async function whyNotClaimable(db: DatabaseOrTransaction, enterprise: Enterprise, roundId: string) {
  const [screened] = await db
    .select({ roundId: subsidyScreened.roundId })
    .from(subsidyScreened)
    .innerJoin(subsidyRounds, eq(subsidyRounds.id, subsidyScreened.roundId))
    .where(
      and(
        eq(subsidyScreened.roundId, roundId),
        eq(subsidyScreened.creditCode, enterprise.creditCode),
        eq(subsidyRounds.status, 'open'),
      ),
    );
  return screened ? new AppError(409, 'CLAIM_SCREENED') : new AppError(404, 'CLAIM_ROUND_NOT_FOUND');
}

/** The claim already made in this round: the same request again (a retry) answers it; anything else is refused. */
async function existingClaim(
  db: DatabaseOrTransaction,
  params: { roundId: string; creditCode: string; userId: string; key: string; hash: string },
) {
  const [claim] = await db
    .select()
    .from(subsidyClaims)
    .where(and(eq(subsidyClaims.roundId, params.roundId), eq(subsidyClaims.creditCode, params.creditCode)));
  if (!claim) return undefined;
  if (claim.userId === params.userId && claim.idempotencyKey === params.key) {
    if (claim.requestHash !== params.hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED');
    return claim;
  }
  throw new AppError(409, 'CLAIM_ALREADY_MADE');
}

/** A fresh 12-digit cover sheet code (the unique index has the last word). */
const newCoverCode = () => `${randomInt(1, 10)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;

/**
 * 邮寄申领: checked first (the credit code, the binding, the round and its deadline, not on its list, the form),
 * then in one transaction the enterprise's case opens (APPLY_TYPE 1 at submission, 21 working days to payment),
 * the claim is stored with the bank account, contact and address sealed, and the materials' way to the centre
 * starts: an EMS pickup order (a job) with the case's submission as 快递送达; a door visit booked for the
 * enterprise; or a cover sheet to print, the case waiting for the centre to receive it. One claim per
 * enterprise and round; a retry with the same Idempotency-Key and body answers the same claim.
 */
export async function createClaim(
  db: Database,
  app: FastifyInstance,
  params: {
    userId: string;
    creditCode: string;
    roundId: string;
    key: string;
    body: SubsidyClaimBody;
    now?: Date;
  },
): Promise<{ created: boolean; round: ClaimRoundView }> {
  const { body, key } = params;
  const now = params.now ?? new Date();
  checkCreditCode(params.creditCode);
  const { enterprise } = await actingFor(db, params.userId, params.creditCode);
  const hash = claimHash(params.roundId, body);
  const ids = {
    roundId: params.roundId,
    creditCode: enterprise.creditCode,
    userId: params.userId,
    key,
    hash,
  };
  const replay = async () => ({
    created: false,
    round: await claimRound(db, { ...params, now }),
  });
  if (await existingClaim(db, ids)) return replay();

  const [row] = await claimableRounds(db, enterprise.creditCode, params.roundId);
  if (!row) throw await whyNotClaimable(db, enterprise, params.roundId);
  const round = row.round;
  if (round.deadline < now) throw new AppError(409, 'CLAIM_DEADLINE_PASSED');
  const account = validateBankAccount(body.bankAccount);
  if (!account.ok)
    throw new AppError(422, 'BANK_ACCOUNT_INVALID', undefined, [
      { field: 'bankAccount', message: account.message },
    ]);
  const name = validatePersonName(body.contact.name);
  const phone = validateMobile(body.contact.phone);
  if (!name.ok || !phone.ok)
    throw new AppError(422, 'CONTACT_INVALID', undefined, [
      ...(name.ok ? [] : [{ field: 'contact.name', message: name.message }]),
      ...(phone.ok ? [] : [{ field: 'contact.phone', message: phone.message }]),
    ]);
  const contact: Contact = { name: name.value, phone: phone.value };
  const address: Address = {
    province: body.address.province.trim(),
    city: body.address.city.trim(),
    county: body.address.county.trim(),
    detail: body.address.detail.trim(),
  };
  const [matter] = await db.select().from(matters).where(eq(matters.code, round.matterCode));
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  if (body.channel === 'door_visit' && !matter.doorPickup)
    throw new AppError(422, 'DOOR_PICKUP_NOT_SUPPORTED', undefined, [
      { field: 'channel', message: `“${matter.name}”不支持上门收件，请选择EMS上门取件或自行邮寄` },
    ]);
  const { postOffice, centre } = await servingOutlets(db, {
    matterCode: matter.code,
    county: address.county,
  });
  const { amountFen } = claimAmount({ lastYearFen: body.lastYearFen, ratePercent: round.ratePercent! });

  try {
    await db.transaction(async (tx) => {
      const id = crypto.randomUUID();
      let bookingId: string | undefined;
      if (body.channel === 'door_visit') {
        // The existing door visit, booked for the enterprise: the clerk is its contact, "as soon as possible".
        const { booking } = await insertBooking(tx, {
          userId: params.userId,
          idempotencyKey: `claim:${id}`,
          requestHash: hash,
          target: { matter, postOffice },
          visit: {
            address,
            window: { kind: 'asap' },
            note: `企业邮寄申领：${enterprise.name}（${round.name}）`,
          },
          contact,
          pii: app.pii,
          now,
          eventNote: `企业申领：${enterprise.name}`,
        });
        bookingId = booking.id;
      }
      // EMS pickup: submitted now as 快递送达 (the platform examines it once the leg is signed for at the
      // centre, like a door visit's). Door visit: submitted at collection. Self-post: once the centre has it.
      const c = await openCase(tx, {
        userId: params.userId,
        channel: 'enterprise_claim',
        applicant: { kind: 'enterprise', name: enterprise.name, creditCode: enterprise.creditCode },
        matter: { code: matter.code, name: matter.name, promisedWorkingDays: matter.promisedWorkingDays },
        payWorkingDays: SUBSIDY_PAY_WORKING_DAYS,
        centreId: centre.id,
        bookingId,
        status: body.channel === 'ems_pickup' ? 'submitting' : 'awaiting_materials',
      });
      let shipmentId: string | undefined;
      if (body.channel === 'ems_pickup') {
        shipmentId = await requestShipment(tx, app, {
          leg: 'materials_to_centre',
          subject: { kind: 'case', id: c.id },
          centreId: centre.id,
          sender: {
            name: contact.name,
            mobile: contact.phone,
            prov: address.province,
            city: address.city,
            county: address.county,
            address: `${address.detail}（${enterprise.name}）`,
          },
          receiver: outletParty(centre),
          pickup: { from: now, to: new Date(now.getTime() + 4 * 3600_000) },
        });
        await app.jobs.enqueue(tx, SUBMIT_CASE, { caseId: c.id });
      }
      await tx.insert(subsidyClaims).values({
        id,
        roundId: round.id,
        creditCode: enterprise.creditCode,
        userId: params.userId,
        caseId: c.id,
        idempotencyKey: key,
        requestHash: hash,
        channel: body.channel,
        lastYearFen: body.lastYearFen,
        ratePercent: round.ratePercent!,
        amountFen,
        headcount: body.headcount,
        bankName: body.bankName.trim(),
        bankAccountSealed: app.pii.encrypt(account.value, claimContext(id, 'bank_account')),
        bankAccountLast4: account.value.slice(-4),
        contactSealed: app.pii.encrypt(JSON.stringify(contact), claimContext(id, 'contact')),
        addressSealed: app.pii.encrypt(JSON.stringify(address), claimContext(id, 'address')),
        centreOutletId: centre.id,
        coverCode: body.channel === 'self_post' ? newCoverCode() : null,
        bookingId,
        shipmentId,
      });
    });
  } catch (err) {
    // Two taps or two clerks at once: the second finds the first's claim (the same one for a retry).
    if (isUniqueViolation(err) && (await existingClaim(db, ids))) return replay();
    throw err;
  }
  return { created: true, round: await claimRound(db, { ...params, now }) };
}

async function claimByCover(db: DatabaseOrTransaction, input: string, centreId: string) {
  const code = normalizeCoverCode(input);
  if (!isCoverCode(code)) throw new AppError(404, 'COVER_SHEET_NOT_FOUND');
  const [row] = await db
    .select({ claim: subsidyClaims, round: subsidyRounds, c: cases })
    .from(subsidyClaims)
    .innerJoin(subsidyRounds, eq(subsidyRounds.id, subsidyClaims.roundId))
    .innerJoin(cases, eq(cases.id, subsidyClaims.caseId))
    .where(eq(subsidyClaims.coverCode, code));
  if (!row) throw new AppError(404, 'COVER_SHEET_NOT_FOUND');
  if (row.claim.centreOutletId !== centreId) throw new AppError(422, 'COVER_SHEET_NOT_FOR_THIS_CENTRE');
  return row;
}

async function coverView(
  db: DatabaseOrTransaction,
  row: Awaited<ReturnType<typeof claimByCover>>,
): Promise<StaffCoverSheetView> {
  return {
    code: row.claim.coverCode!,
    enterpriseName: row.c.enterpriseName!,
    creditCode: row.claim.creditCode,
    roundName: row.round.name,
    matterName: row.c.matterName,
    materials: await checklist(db, row.c.matterCode),
    receivedAt: row.claim.materialsReceivedAt?.toISOString() ?? null,
    caseId: row.c.id,
  };
}

/** A clerk of the centre looks up a cover sheet by its code (before saying it arrived); another centre's is refused. */
export async function coverSheet(
  db: DatabaseOrTransaction,
  params: { code: string; centreId: string },
): Promise<StaffCoverSheetView> {
  return coverView(db, await claimByCover(db, params.code, params.centreId));
}

/**
 * The centre has the self-posted envelope: its cover sheet's code marks the materials received and the case
 * moves on to submission (BUS_MODE 00: the materials are already on the centre's desk), in one transaction.
 * Once only.
 */
export async function receiveCoverSheet(
  app: FastifyInstance,
  params: { code: string; clerkId: string; centreId: string; now: Date },
): Promise<StaffCoverSheetView> {
  const { db } = app.database;
  return db.transaction(async (tx) => {
    const found = await claimByCover(tx, params.code, params.centreId);
    const [received] = await tx
      .update(subsidyClaims)
      .set({ materialsReceivedAt: params.now, receivedBy: params.clerkId })
      .where(and(eq(subsidyClaims.id, found.claim.id), isNull(subsidyClaims.materialsReceivedAt)))
      .returning();
    if (!received) throw new AppError(409, 'COVER_SHEET_ALREADY_RECEIVED');
    const [moved] = await tx
      .update(cases)
      .set({ status: 'submitting', updatedAt: params.now })
      .where(and(eq(cases.id, found.c.id), eq(cases.status, 'awaiting_materials')))
      .returning({ id: cases.id });
    if (moved) await app.jobs.enqueue(tx, SUBMIT_CASE, { caseId: found.c.id });
    return coverView(tx, { ...found, claim: received });
  });
}

/** What a claim adds to its case's submission: the round, the stated figures and the account. */
export async function claimOfCase(db: DatabaseOrTransaction, app: FastifyInstance, caseId: string) {
  const [row] = await db
    .select({ claim: subsidyClaims, platformRoundId: subsidyRounds.platformRoundId })
    .from(subsidyClaims)
    .innerJoin(subsidyRounds, eq(subsidyRounds.id, subsidyClaims.roundId))
    .where(eq(subsidyClaims.caseId, caseId));
  if (!row) return undefined;
  const { claim } = row;
  return {
    claim,
    submission: {
      roundId: row.platformRoundId,
      lastYearFen: claim.lastYearFen,
      ratePercent: claim.ratePercent,
      amountFen: claim.amountFen,
      headcount: claim.headcount,
      bankName: claim.bankName,
      bankAccount: app.pii.decrypt(claim.bankAccountSealed, claimContext(claim.id, 'bank_account')),
    } satisfies NonNullable<GovCaseSubmission['claim']>,
  };
}

/**
 * What the submission job sends for a claim without a door visit: the enterprise as applicant (card 001), the
 * clerk as operator, every material of the checklist as enclosed (the centre checks them on arrival; 补正
 * goes through 替你跑), the claimed figures. By EMS: 快递送达 (01); self-posted and received: normal (00).
 */
export async function claimSubmission(
  db: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case,
): Promise<GovCaseSubmission | undefined> {
  const found = await claimOfCase(db, app, c.id);
  if (!found) return undefined;
  const { claim } = found;
  const [user] = await db.select().from(users).where(eq(users.id, claim.userId));
  const [matter] = await db.select().from(matters).where(eq(matters.code, c.matterCode));
  if (!user?.nameSealed || !user.idNumberSealed || !matter) return undefined;
  const contact = JSON.parse(
    app.pii.decrypt(claim.contactSealed, claimContext(claim.id, 'contact')),
  ) as Contact;
  const address = JSON.parse(
    app.pii.decrypt(claim.addressSealed, claimContext(claim.id, 'address')),
  ) as Address;
  const materials = await checklist(db, c.matterCode);
  return {
    ourId: c.id,
    serviceCode: c.matterCode,
    serviceVersion: matter.version,
    projectName: `${c.enterpriseName}申请${c.matterName}`,
    applyType: 1,
    applicant: {
      name: c.enterpriseName!,
      cardType: '001',
      cardNumber: c.enterpriseCreditCode!,
      mobile: contact.phone,
      address: `${address.province}${address.city}${address.county}${address.detail}`,
    },
    operator: {
      ...identityCard(app.pii, user.id, user.nameSealed, user.idNumberSealed),
      mobile: contact.phone,
    },
    acceptList: materials.map((m) => ({
      materialId: m.id,
      name: m.name,
      form: m.form,
      count: m.required ? m.count : 0,
      provided: m.required,
    })),
    busMode: claim.channel === 'self_post' ? '00' : '01',
    infoType: matter.caseType as 1 | 2 | 3 | 4,
    claim: found.submission,
  };
}
