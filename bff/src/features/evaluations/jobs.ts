import { type EvaluationStage, evaluationStageLabels, WINDOW_STAGE_LABEL } from '@zyt/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Case, cases, evaluations } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { GovError } from '../../integrations/gov/types';
import { fitThing } from '../../integrations/wechat/subscribe';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { notifyUser } from '../notifications/notify';

export const REPORT_EVALUATION = 'gov.report-evaluation';
export const REINVITE_EVALUATION = 'evaluations.reinvite';
export const VOID_EVALUATION = 'gov.void-evaluation';

/** The mini-program page where a stage is rated. */
export const evaluatePage = (caseId: string, stage: EvaluationStage) =>
  `cases/pages/evaluate/index?id=${caseId}&stage=${stage}`;

function invite(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case & { userId: string },
  stage: EvaluationStage,
  again: boolean,
) {
  return notifyUser(tx, app, {
    userId: c.userId,
    kind: 'evaluation_invite',
    dedupeKey: `case:${c.id}:evaluation:${stage}${again ? ':again' : ''}`,
    page: evaluatePage(c.id, stage),
    data: {
      character_string1: { value: (c.projId ?? c.id.slice(0, 8)).slice(0, 32) },
      thing2: { value: fitThing(c.matterName) },
      phrase3: { value: '待评价' },
      time4: { value: formatEmsTime(new Date()).slice(0, 16) },
      thing5: {
        value: fitThing(
          `欢迎评价本次${c.channel === 'outlet_window' && stage === 'visit' ? WINDOW_STAGE_LABEL : evaluationStageLabels[stage]}服务`,
        ),
      },
    },
  });
}

/**
 * A stage of the case is done: the resident is invited to rate it (好差评), once, and invited again if it is
 * still unrated after the configured delay (3 days by default). In the caller's transaction.
 */
export async function inviteEvaluation(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case,
  stage: EvaluationStage,
): Promise<void> {
  const { userId } = c;
  // A centre's result mailing for an applicant without an account: nobody to invite.
  if (!userId) return;
  if ((await invite(tx, app, { ...c, userId }, stage, false)) === 'duplicate') return;
  await app.jobs.enqueue(
    tx,
    REINVITE_EVALUATION,
    { caseId: c.id, stage },
    { startAfter: new Date(Date.now() + app.config.evaluations.reinviteAfterSeconds * 1000) },
  );
}

export function defineEvaluationJobs(app: FastifyInstance): void {
  const { db } = app.database;

  app.jobs.define<{ caseId: string; stage: EvaluationStage }>({
    name: REINVITE_EVALUATION,
    retrySchedule: [10, 60, 300],
    async handle({ caseId, stage }) {
      await db.transaction(async (tx) => {
        const [c] = await tx.select().from(cases).where(eq(cases.id, caseId));
        if (!c?.userId) return;
        const [rated] = await tx
          .select({ id: evaluations.id })
          .from(evaluations)
          .where(and(eq(evaluations.caseId, caseId), eq(evaluations.stage, stage)));
        if (!rated) await invite(tx, app, { ...c, userId: c.userId }, stage, true);
      });
    },
  });

  /** Reports a rating (once: a re-run after a lost answer stores nothing new at the platform). */
  async function report(evaluationId: string) {
    const [row] = await db
      .select({ e: evaluations, c: cases })
      .from(evaluations)
      .innerJoin(cases, eq(cases.id, evaluations.caseId))
      .where(eq(evaluations.id, evaluationId));
    if (!row || row.e.reportedAt) return;
    const { e, c } = row;
    await refusalIsFinal(() =>
      app.gov.reportEvaluation({
        evaluationId: e.id,
        ourId: c.id,
        ...(c.projId ? { projId: c.projId } : {}),
        serviceCode: c.matterCode,
        stage: e.stage,
        level: e.level,
        indicators: e.indicators,
        tags: e.tags,
        userType: c.applicantKind,
        evaluatedAt: e.createdAt.toISOString(),
      }),
    );
    await db.update(evaluations).set({ reportedAt: sql`now()` }).where(eq(evaluations.id, e.id));
  }

  // Only the case number, stage, matter, level, indicators and tags travel: no personal data.
  app.jobs.define<{ evaluationId: string }>({
    name: REPORT_EVALUATION,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    handle: ({ evaluationId }) => report(evaluationId),
  });

  // A rating voided on appeal: reported first if it had not been yet, then voided there (the reason stays here).
  app.jobs.define<{ evaluationId: string; voidedAt: string }>({
    name: VOID_EVALUATION,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs, 2),
    async handle({ evaluationId, voidedAt }) {
      await report(evaluationId);
      await refusalIsFinal(() => app.gov.voidEvaluation(evaluationId, { voidedAt }));
    },
  });
}

/** A platform refusal (4xx, bad data) is final: retrying the same call cannot change it. */
async function refusalIsFinal<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GovError && !err.retryable)
      throw new PermanentJobError(`platform refused: ${err.code} ${err.message}`);
    throw err;
  }
}
