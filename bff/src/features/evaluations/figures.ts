import { type EvaluationFigures, endOfBeijingDay } from '@zyt/shared';
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { evaluations, rectificationTickets } from '../../db/schema';

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/**
 * Published 好差评 figures for ratings given in a period (Beijing dates, both ends included): satisfaction
 * rate (满意 and 非常满意 among all ratings), share of bad ratings rectified on time (closed by their due
 * time), call-back rate (bad ratings called back). Ratings voided by appeal do not count.
 */
export async function evaluationFigures(
  db: DatabaseOrTransaction,
  params: { from?: string; to?: string },
): Promise<EvaluationFigures> {
  const where = and(
    eq(evaluations.voided, false),
    params.from
      ? gte(evaluations.createdAt, new Date(endOfBeijingDay(params.from).getTime() + 1 - 86_400_000))
      : undefined,
    params.to ? lte(evaluations.createdAt, endOfBeijingDay(params.to)) : undefined,
  );
  const [row] = await db
    .select({
      evaluations: sql<number>`count(*)::int`,
      satisfied: sql<number>`count(*) filter (where ${evaluations.level} >= 4)::int`,
      bad: sql<number>`count(*) filter (where ${evaluations.level} <= 2)::int`,
      rectifiedOnTime: sql<number>`count(*) filter (where ${rectificationTickets.status} = 'closed' and ${rectificationTickets.closedAt} <= ${rectificationTickets.dueAt})::int`,
      calledBack: sql<number>`count(*) filter (where ${evaluations.level} <= 2 and ${rectificationTickets.callbackAt} is not null)::int`,
    })
    .from(evaluations)
    .leftJoin(rectificationTickets, eq(rectificationTickets.evaluationId, evaluations.id))
    .where(where);
  const f = row ?? { evaluations: 0, satisfied: 0, bad: 0, rectifiedOnTime: 0, calledBack: 0 };
  return {
    from: params.from ?? null,
    to: params.to ?? null,
    ...f,
    satisfactionRate: rate(f.satisfied, f.evaluations),
    rectifiedOnTimeRate: rate(f.rectifiedOnTime, f.bad),
    callbackRate: rate(f.calledBack, f.bad),
  };
}
