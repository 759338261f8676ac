import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type CaseProblem, cases, shipments } from '../../db/schema';

const textParam = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * Marks the case a dead-lettered job was working for: its data names the case, its booking, one of its EMS
 * legs (by id or waybill) or its PROJID. Compared as text: job data is ours but old jobs may name ids of another shape, and a
 * bad cast must not fail the marking. Returns the ids of the cases marked.
 */
export async function markCaseProblem(
  db: DatabaseOrTransaction,
  data: Record<string, unknown>,
  problem: CaseProblem,
): Promise<string[]> {
  const caseId = textParam(data.caseId);
  const bookingId = textParam(data.bookingId);
  const shipmentId = textParam(data.shipmentId);
  const projId = textParam(data.projId);
  const waybillNo = textParam(data.waybillNo);
  if (!caseId && !bookingId && !shipmentId && !projId && !waybillNo) return [];
  const legCase = db
    .select({
      id: sql<string>`coalesce(${shipments.caseId}, (select c.id from ${cases} c where c.booking_id = ${shipments.bookingId}))`,
    })
    .from(shipments)
    .where(or(sql`${shipments.id}::text = ${shipmentId}`, eq(shipments.waybillNo, waybillNo ?? '')));
  const marked = await db
    .update(cases)
    .set({ problem, updatedAt: sql`now()` })
    .where(
      or(
        sql`${cases.id}::text = ${caseId}`,
        sql`${cases.bookingId}::text = ${bookingId}`,
        eq(cases.projId, projId ?? ''),
        inArray(cases.id, legCase),
      ),
    )
    .returning({ id: cases.id });
  return marked.map((m) => m.id);
}

/** Clears a case's problem once the job that had it succeeds after all (re-driven by staff). */
export async function clearCaseProblem(
  db: DatabaseOrTransaction,
  which: { caseId: string } | { projId: string },
  job: string,
) {
  await db
    .update(cases)
    .set({ problem: null, updatedAt: sql`now()` })
    .where(
      and(
        'caseId' in which ? eq(cases.id, which.caseId) : eq(cases.projId, which.projId),
        sql`${cases.problem}->>'job' = ${job}`,
      ),
    );
}

/** Every dead-lettered job that names a case marks it: nothing fails silently. */
export function defineCaseProblems(app: FastifyInstance): void {
  app.jobs.onDeadLetter(async (job) => {
    const output = job.output as { message?: unknown } | null | undefined;
    const detail = typeof output?.message === 'string' ? output.message.slice(0, 500) : '任务多次失败';
    const marked = await markCaseProblem(app.database.db, job.data, {
      job: job.name,
      detail,
      at: new Date().toISOString(),
    });
    if (marked.length > 0) app.log.warn({ job: job.name, cases: marked }, 'case marked: job dead-lettered');
  });
}
