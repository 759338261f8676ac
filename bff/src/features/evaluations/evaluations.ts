import { createHash, randomUUID } from 'node:crypto';
import {
  type CaseEvaluations,
  EVALUATION_REASON_MIN_CHARS,
  type EvaluationStage,
  type EvaluationView,
  evaluationReasonTags,
  evaluationStageLabels,
  evaluationStages,
  type FieldIssue,
  indicatorsOf,
  isBadLevel,
  type SubmitEvaluationBody,
  WINDOW_STAGE_LABEL,
} from '@zyt/shared';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bookings,
  type Case,
  cases,
  type Evaluation,
  evaluations,
  type RectificationTicket,
  rectificationTickets,
  windowIntakes,
} from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { REPORT_EVALUATION } from './jobs';
import { commentContext, openTicket } from './tickets';

/**
 * Whether a stage of the case happened: the on-site service (a door visit, or a post-office window 网点就近办)
 * ended in collection, the case was completed, the result delivered.
 */
export function stageReached(c: Case, stage: EvaluationStage, windowServed = false): boolean {
  if (stage === 'visit') return c.bookingId !== null || windowServed;
  if (stage === 'completion') return c.completedAt !== null;
  return c.status === 'delivered';
}

/** The outlet clerk who collected this case's materials at a post-office window, if it was taken there. */
async function windowClerkOf(db: DatabaseOrTransaction, caseId: string): Promise<string | undefined> {
  const [i] = await db
    .select({ clerkId: windowIntakes.clerkId })
    .from(windowIntakes)
    .where(and(eq(windowIntakes.caseId, caseId), eq(windowIntakes.status, 'collected')));
  return i?.clerkId;
}

async function ownCase(db: DatabaseOrTransaction, caseId: string, userId: string): Promise<Case> {
  const [c] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), eq(cases.userId, userId)));
  // Someone else's case is answered like a case that does not exist.
  if (!c) throw new AppError(404, 'CASE_NOT_FOUND');
  return c;
}

export function evaluationView(
  e: Evaluation,
  ticket: RectificationTicket | undefined,
  pii: PiiCipher,
): EvaluationView {
  return {
    id: e.id,
    stage: e.stage,
    level: e.level,
    indicators: e.indicators,
    tags: e.tags,
    comment: e.commentSealed ? pii.decrypt(e.commentSealed, commentContext(e.id)) : null,
    createdAt: e.createdAt.toISOString(),
    voided: e.voided,
    reply:
      ticket?.status === 'closed' && ticket.reply && ticket.closedAt
        ? { text: ticket.reply, at: ticket.closedAt.toISOString() }
        : null,
    rectifying: ticket?.status === 'open' || ticket?.status === 'assigned',
  };
}

/** The resident's evaluations of a case, stage by stage: reached or not, rated or not, and the reply. */
export async function caseEvaluations(
  db: DatabaseOrTransaction,
  params: { caseId: string; userId: string; pii: PiiCipher },
): Promise<CaseEvaluations> {
  const c = await ownCase(db, params.caseId, params.userId);
  const rows = await db
    .select({ e: evaluations, t: rectificationTickets })
    .from(evaluations)
    .leftJoin(rectificationTickets, eq(rectificationTickets.evaluationId, evaluations.id))
    .where(eq(evaluations.caseId, c.id));
  const windowServed = c.bookingId === null && (await windowClerkOf(db, c.id)) !== undefined;
  return {
    caseId: c.id,
    matterName: c.matterName,
    stages: evaluationStages.map((stage) => {
      const row = rows.find((r) => r.e.stage === stage);
      return {
        stage,
        reached: stageReached(c, stage, windowServed),
        label: windowServed && stage === 'visit' ? WINDOW_STAGE_LABEL : evaluationStageLabels[stage],
        indicators: [...indicatorsOf(stage)],
        evaluation: row ? evaluationView(row.e, row.t ?? undefined, params.pii) : null,
      };
    }),
  };
}

/** What was said, in a canonical form: the same submit again hashes alike whatever the key order. */
function requestHash(body: SubmitEvaluationBody): string {
  const canonical = {
    level: body.level,
    indicators: Object.keys(body.indicators)
      .sort()
      .map((k) => [k, body.indicators[k]]),
    tags: [...new Set(body.tags ?? [])].sort(),
    comment: body.comment?.trim() ?? '',
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Refuses a body that does not fit the stage's rules, saying which field is wrong. */
function checkBody(stage: EvaluationStage, body: SubmitEvaluationBody) {
  const expected = indicatorsOf(stage);
  const given = Object.keys(body.indicators);
  const issues: FieldIssue[] = [
    ...expected
      .filter((k) => !given.includes(k))
      .map((k) => ({ field: `indicators.${k}`, message: '请为该指标打分' })),
    ...given
      .filter((k) => !(expected as readonly string[]).includes(k))
      .map((k) => ({ field: `indicators.${k}`, message: '这一环节没有该评价指标' })),
  ];
  if (issues.length > 0) throw new AppError(400, 'EVALUATION_INDICATORS_INVALID', undefined, issues);
  const tags = body.tags ?? [];
  const unknown = tags.filter((t) => !(evaluationReasonTags as readonly string[]).includes(t));
  if (unknown.length > 0)
    throw new AppError(
      400,
      'EVALUATION_TAGS_UNKNOWN',
      undefined,
      unknown.map((t) => ({ field: 'tags', message: `未知的原因：${t}` })),
    );
  if (isBadLevel(body.level)) {
    const missing: FieldIssue[] = [];
    if (tags.length === 0) missing.push({ field: 'tags', message: '请至少勾选一项不满意的原因' });
    if ([...(body.comment?.trim() ?? '')].length < EVALUATION_REASON_MIN_CHARS)
      missing.push({ field: 'comment', message: `请写明具体情况（至少${EVALUATION_REASON_MIN_CHARS}个字）` });
    if (missing.length > 0) throw new AppError(400, 'EVALUATION_REASON_REQUIRED', undefined, missing);
  }
}

/**
 * The resident rates one stage of their case (一事一评). In one transaction: the evaluation, the job that
 * reports it to the platform and, for a bad rating, its rectification ticket. Idempotent: the same submit
 * again answers with the stored evaluation (created false); a different one for a rated stage is refused.
 */
export async function submitEvaluation(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  params: { caseId: string; userId: string; stage: EvaluationStage; body: SubmitEvaluationBody; now: Date },
): Promise<{ evaluation: EvaluationView; created: boolean }> {
  const { stage, body } = params;
  const c = await ownCase(tx, params.caseId, params.userId);
  checkBody(stage, body);
  // The rated staff of the on-site stage: the door visit's agent, or the window's outlet clerk.
  const windowClerk = stage === 'visit' && !c.bookingId ? await windowClerkOf(tx, c.id) : undefined;
  if (!stageReached(c, stage, windowClerk !== undefined))
    throw new AppError(409, 'EVALUATION_STAGE_NOT_REACHED');
  const hash = requestHash(body);
  const agentId =
    stage === 'visit' && c.bookingId
      ? ((
          await tx.select({ agentId: bookings.agentId }).from(bookings).where(eq(bookings.id, c.bookingId))
        )[0]?.agentId ?? null)
      : (windowClerk ?? null);
  const id = randomUUID();
  const comment = body.comment?.trim();
  const [created] = await tx
    .insert(evaluations)
    .values({
      id,
      caseId: c.id,
      userId: params.userId,
      stage,
      level: body.level,
      indicators: body.indicators,
      tags: [...new Set(body.tags ?? [])],
      commentSealed: comment ? app.pii.encrypt(comment, commentContext(id)) : null,
      agentId,
      requestHash: hash,
    })
    .onConflictDoNothing({ target: [evaluations.caseId, evaluations.stage] })
    .returning();
  if (!created) {
    const [existing] = await tx
      .select({ e: evaluations, t: rectificationTickets })
      .from(evaluations)
      .leftJoin(rectificationTickets, eq(rectificationTickets.evaluationId, evaluations.id))
      .where(and(eq(evaluations.caseId, c.id), eq(evaluations.stage, stage)));
    if (existing?.e.requestHash !== hash) throw new AppError(409, 'EVALUATION_ALREADY_SUBMITTED');
    return { evaluation: evaluationView(existing.e, existing.t ?? undefined, app.pii), created: false };
  }
  await app.jobs.enqueue(tx, REPORT_EVALUATION, { evaluationId: created.id });
  const ticket = isBadLevel(created.level)
    ? await openTicket(tx, {
        evaluationId: created.id,
        now: params.now,
        workingDays: app.config.evaluations.rectifyWorkingDays,
      })
    : undefined;
  return { evaluation: evaluationView(created, ticket, app.pii), created: true };
}
