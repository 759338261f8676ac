import {
  type ApplicantKind,
  type CaseChannel,
  type CaseStatus,
  finalCaseStatuses,
  validateCreditCode,
} from '@zyt/shared';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Case, cases, govCaseEvents, shipments } from '../../db/schema';
import type { GovCaseCallback, GovCaseStatus } from '../../integrations/gov/types';
import { workingDeadline } from '../../lib/calendar';
import { AppError } from '../../lib/errors';
import { followUp } from './followUps';

/** Working days between a result's issue and its delivery to the door (送达时限, Gansu rule). */
export const DELIVERY_WORKING_DAYS = 2;

/** A stage event as we keep it: a callback, or one entry of a polled case's history. */
export type GovStageEvent = Omit<GovCaseCallback, 'serviceCode'> & { serviceCode?: string };

/** Who applies: the user themself, or an enterprise the user acts for as operator (经办人). */
export type CaseApplicant =
  | { kind: Extract<ApplicantKind, 'person'> }
  | { kind: Extract<ApplicantKind, 'enterprise'>; name: string; creditCode: string };

/**
 * Opens a case, however it came in (door visit, online, outlet window, enterprise claim, bundle), in the
 * caller's transaction. A booking opens at most one case: opening it again returns the one it has.
 */
export async function openCase(
  tx: DatabaseOrTransaction,
  params: {
    /** Null only for a centre's result mailing whose applicant has no account. */
    userId: string | null;
    channel: CaseChannel;
    applicant: CaseApplicant;
    matter: { code: string; name: string; promisedWorkingDays: number };
    bookingId?: string;
    /** Where it starts: submitting (the default), or awaiting_materials (see openDoorCase). */
    status?: CaseStatus;
    /** A case applied for elsewhere comes with its PROJID. */
    projId?: string;
    /** 给付 cases: working days from acceptance to payment (拨付). */
    payWorkingDays?: number;
    /** The service centre handling it, when known (door visit: where the materials go; result mailing: sender). */
    centreId?: string;
  },
): Promise<Case> {
  const { applicant } = params;
  if (applicant.kind === 'enterprise' && !validateCreditCode(applicant.creditCode).ok)
    throw new AppError(422, 'VALIDATION_FAILED', undefined, [
      { field: 'applicant.creditCode', message: '统一社会信用代码不正确' },
    ]);
  const [opened] = await tx
    .insert(cases)
    .values({
      userId: params.userId,
      channel: params.channel,
      applicantKind: applicant.kind,
      enterpriseName: applicant.kind === 'enterprise' ? applicant.name : null,
      enterpriseCreditCode: applicant.kind === 'enterprise' ? applicant.creditCode.toUpperCase() : null,
      bookingId: params.bookingId,
      centreId: params.centreId,
      projId: params.projId,
      matterCode: params.matter.code,
      matterName: params.matter.name,
      promisedWorkingDays: params.matter.promisedWorkingDays,
      payWorkingDays: params.payWorkingDays ?? null,
      ...(params.status ? { status: params.status } : {}),
    })
    .onConflictDoNothing()
    .returning();
  if (opened) return opened;
  const [existing] = params.bookingId
    ? await tx.select().from(cases).where(eq(cases.bookingId, params.bookingId))
    : await tx.select().from(cases).where(eq(cases.projId, params.projId!));
  return existing!;
}

/** The case a booking opened, if any. */
export async function caseOfBooking(db: DatabaseOrTransaction, bookingId: string) {
  const [c] = await db.select().from(cases).where(eq(cases.bookingId, bookingId));
  return c;
}

/** Records the platform's case number once the submission is taken (and clears a problem it had). */
export async function caseSubmitted(
  tx: DatabaseOrTransaction,
  caseId: string,
  projId: string,
): Promise<void> {
  await tx
    .update(cases)
    .set({
      projId,
      submittedAt: sql`coalesce(${cases.submittedAt}, now())`,
      status: sql`case when ${cases.status} = 'submitting' then 'received' else ${cases.status} end`,
      problem: null,
      lastHeardAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(cases.id, caseId));
}

interface GovState {
  status: GovCaseStatus;
  stage: string;
  stageAt: Date;
  acceptedAt: Date | null;
  completedAt: Date | null;
  result: Case['result'];
  supplement: Case['supplement'];
  reason: string | null;
  payment: { amountFen: number; paidOn: string; account: string; reportedAt: string } | null;
}

/**
 * Folds every stage event of a case, oldest first, into its state. Sorting by occurredAt is what makes late,
 * repeated and out-of-order callbacks harmless: the same set of events always gives the same state.
 */
export function foldStages(events: readonly GovStageEvent[]): GovState | undefined {
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  let state: GovState | undefined;
  for (const e of sorted) {
    const at = new Date(e.occurredAt);
    // 拨付 on a concluded case: the money, not a new stage (completion and its result stay as they were).
    if (e.payment && state) {
      state.payment = { ...e.payment, reportedAt: e.occurredAt };
      continue;
    }
    state = {
      acceptedAt: null,
      completedAt: null,
      result: null,
      supplement: null,
      reason: null,
      payment: null,
      ...state,
      status: e.status,
      stage: e.stage,
      stageAt: at,
    };
    // The promise clock starts at the first acceptance (受理); after a supplement the platform accepts then.
    if (e.stage === '2') state.acceptedAt ??= at;
    if (e.stage === '11' && e.supplement) state.supplement = e.supplement;
    if (e.stage === '2' || e.stage === '3') state.supplement = null;
    if (e.stage === '12') state.reason = e.suspension?.reason ?? null;
    if (e.stage === '99') state.reason = e.refusal?.reason ?? null;
    if (e.stage === '4') {
      state.completedAt = at;
      state.result = e.result
        ? { kind: e.result.kind, documentName: e.result.documentName, issuedAt: e.result.issuedAt }
        : null;
    }
  }
  return state;
}

const govToCaseStatus: Record<GovCaseStatus, CaseStatus> = {
  in_progress: 'in_progress',
  supplement_required: 'supplement_required',
  suspended: 'suspended',
  completed: 'completed',
  refused: 'refused',
  returned: 'returned',
};

/** Our status for a case: the platform's, then the result's journey once a physical result travels. */
export function caseStatusOf(state: GovState, resultShipment?: { status: string } | null): CaseStatus {
  if (state.stage === '1') return 'received';
  const status = govToCaseStatus[state.status];
  if (status !== 'completed' || !resultShipment) return status;
  return resultShipment.status === 'delivered' ? 'delivered' : 'result_shipping';
}

const payloadOf = (e: GovStageEvent) => e as unknown as Record<string, unknown>;

/**
 * Stores stage events (each once: by the platform's event id, and by case/stage/time so a polled event and
 * its late callback are one) and brings the case up to date in the same transaction, with what follows from
 * it: notifications, the result's EMS order. Returns how many events were new.
 */
export async function applyStageEvents(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  projId: string,
  events: readonly GovStageEvent[],
  /** Fold the stored events even when none is new (a case just opened for events heard earlier). */
  opts: { refold?: boolean } = {},
): Promise<number> {
  const inserted =
    events.length === 0
      ? []
      : await tx
          .insert(govCaseEvents)
          .values(
            events.map((e) => ({
              eventId: e.eventId,
              projId,
              ourId: e.ourId,
              stage: e.stage,
              occurredAt: new Date(e.occurredAt),
              payload: payloadOf(e),
            })),
          )
          .onConflictDoNothing()
          .returning({ eventId: govCaseEvents.eventId });
  // The case is ours if it has this PROJID, or (before our submit job saved the PROJID) if the platform's
  // ourId is its id; anything else (another channel's submissions) is kept but is not a case of ours.
  const ourIds = [...new Set(events.map((e) => e.ourId))];
  const [c] = await tx
    .select()
    .from(cases)
    .where(or(eq(cases.projId, projId), inArray(sql`${cases.id}::text`, ourIds)))
    .limit(1)
    .for('update');
  if (!c) return inserted.length; // not a case of ours (yet): the events are kept for when it is
  if (inserted.length === 0 && !opts.refold) {
    await tx.update(cases).set({ lastHeardAt: sql`now()` }).where(eq(cases.id, c.id));
    return 0;
  }
  const all = await tx
    .select({ payload: govCaseEvents.payload })
    .from(govCaseEvents)
    .where(eq(govCaseEvents.projId, projId))
    .orderBy(asc(govCaseEvents.occurredAt));
  const state = foldStages(all.map((r) => r.payload as GovStageEvent));
  if (!state) return inserted.length;
  await updateCase(tx, app, { ...c, projId: c.projId ?? projId }, state);
  return inserted.length;
}

async function updateCase(tx: DatabaseOrTransaction, app: FastifyInstance, c: Case, state: GovState) {
  const promised = state.acceptedAt ? workingDeadline(state.acceptedAt, c.promisedWorkingDays) : undefined;
  const issuedAt = state.result ? new Date(state.result.issuedAt) : undefined;
  const deliverBy =
    issuedAt && state.result?.kind === 'physical'
      ? workingDeadline(issuedAt, DELIVERY_WORKING_DAYS)
      : undefined;
  const resultShipment = c.resultShipmentId ? await resultShipmentStatus(tx, c.resultShipmentId) : null;
  // 21 working days from acceptance to payment, on the official calendar.
  const payBy =
    state.acceptedAt && c.payWorkingDays !== null
      ? workingDeadline(state.acceptedAt, c.payWorkingDays)
      : undefined;
  const next: Partial<Case> = {
    projId: c.projId,
    status: caseStatusOf(state, resultShipment),
    stage: state.stage,
    stageAt: state.stageAt,
    acceptedAt: state.acceptedAt,
    promisedBy: promised?.at ?? null,
    promisedProvisional: promised?.provisional ?? false,
    completedAt: state.completedAt,
    result: state.result,
    deliverBy: deliverBy?.at ?? null,
    deliverByProvisional: deliverBy?.provisional ?? false,
    supplement: state.supplement,
    reason: state.reason,
    payBy: payBy?.at ?? null,
    payByProvisional: payBy?.provisional ?? false,
    payment: state.payment,
  };
  const [updated] = await tx
    .update(cases)
    .set({ ...next, lastHeardAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(cases.id, c.id))
    .returning();
  await followUp(tx, app, c, updated!);
}

async function resultShipmentStatus(tx: DatabaseOrTransaction, shipmentId: string) {
  const [s] = await tx
    .select({ status: shipments.status })
    .from(shipments)
    .where(eq(shipments.id, shipmentId));
  return s ?? null;
}

/** Cases the platform may still move: polled when silent. */
export const openCaseStatuses: CaseStatus[] = ['received', 'in_progress', 'supplement_required', 'suspended'];

export const isFinalCase = (status: CaseStatus) => finalCaseStatuses.includes(status);

export async function caseById(db: DatabaseOrTransaction, id: string, userId?: string) {
  const [c] = await db
    .select()
    .from(cases)
    .where(userId ? and(eq(cases.id, id), eq(cases.userId, userId)) : eq(cases.id, id));
  return c;
}
