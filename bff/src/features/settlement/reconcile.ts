import {
  formatFen,
  mismatchKindLabels,
  type ReconciliationMismatch,
  type SettlementReconciliation,
} from '@zyt/shared';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type StoredMismatch, settlementReconciliations } from '../../db/schema';
import { type EmsBillItem, EmsError } from '../../integrations/ems/client';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE } from '../../jobs/queue';
import { AppError } from '../../lib/errors';
import type { Centre } from './contracts';
import {
  allStatementLegs,
  pieceAmount,
  type StatementLeg,
  statementBasis,
  statementTotals,
} from './statements';

export const RECONCILE_MONTH = 'settlement.reconcile';

/**
 * Compares our legs with the post's bill, piece by piece (by waybill): billed more than once, billed but not
 * ours, ours but not billed, a different weight, or (per piece) a price other than the contract's. A piece can
 * show more than one difference. `expectedFen` is null under a lump sum (no price per piece to check).
 */
export function compareWithBill(
  ours: readonly (StatementLeg & { expectedFen: number | null })[],
  bill: readonly EmsBillItem[],
): StoredMismatch[] {
  const billed = new Map<string, { first: EmsBillItem; times: number }>();
  for (const item of bill) {
    const seen = billed.get(item.waybillNo);
    if (seen) seen.times++;
    else billed.set(item.waybillNo, { first: item, times: 1 });
  }
  const mine = new Map(ours.map((l) => [l.waybillNo, l]));
  const out: StoredMismatch[] = [];
  for (const l of ours) {
    const b = billed.get(l.waybillNo);
    const ourSide = { weightGrams: l.weightGrams, amountFen: l.expectedFen };
    if (!b) {
      out.push({
        kind: 'missing_from_bill',
        waybillNo: l.waybillNo,
        leg: l.leg,
        ours: ourSide,
        billed: null,
      });
      continue;
    }
    const billSide = { weightGrams: b.first.weightGrams, amountFen: b.first.postageFen, times: b.times };
    const base = { waybillNo: l.waybillNo, leg: l.leg, ours: ourSide, billed: billSide };
    if (b.times > 1) out.push({ kind: 'billed_twice', ...base });
    if (b.first.weightGrams !== l.weightGrams) out.push({ kind: 'weight_mismatch', ...base });
    if (l.expectedFen !== null && b.first.postageFen !== l.expectedFen)
      out.push({ kind: 'price_mismatch', ...base });
  }
  for (const [waybillNo, b] of billed) {
    if (mine.has(waybillNo)) continue;
    out.push({
      kind: 'unknown_piece',
      waybillNo,
      leg: null,
      ours: null,
      billed: { weightGrams: b.first.weightGrams, amountFen: b.first.postageFen, times: b.times },
    });
  }
  return out;
}

const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : `¥${formatFen(fen)}`;

/** One sentence per difference, for the page and the export. */
export function mismatchDetail(m: StoredMismatch): string {
  switch (m.kind) {
    case 'billed_twice':
      return `账单中出现 ${m.billed?.times} 次，应只计 1 次`;
    case 'unknown_piece':
      return `我方没有该邮件的寄递记录（账单金额 ${yuan(m.billed?.amountFen)}）`;
    case 'weight_mismatch':
      return `我方记录 ${m.ours?.weightGrams} 克，账单 ${m.billed?.weightGrams} 克`;
    case 'price_mismatch':
      return `合同单价 ${yuan(m.ours?.amountFen)}，账单 ${yuan(m.billed?.amountFen)}`;
    case 'missing_from_bill':
      return '我方已寄出，账单中没有该邮件';
  }
}

export const mismatchView = (m: StoredMismatch): ReconciliationMismatch => ({
  ...m,
  kindLabel: mismatchKindLabels[m.kind],
  detail: mismatchDetail(m),
});

type Row = typeof settlementReconciliations.$inferSelect;
export const reconciliationView = (r: Row): SettlementReconciliation => ({
  centreId: r.centreOutletId,
  month: r.month,
  status: r.status,
  requestedAt: r.requestedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  error: r.error,
  bill: r.billPieces === null ? null : { pieces: r.billPieces, totalFen: r.billTotalFen ?? 0 },
  ours: r.ourPieces === null ? null : { pieces: r.ourPieces, totalFen: r.ourTotalFen ?? 0 },
  mismatches: r.mismatches.map(mismatchView),
});

/**
 * Asks for the month to be reconciled: refused like its statement (month not over, no contract); otherwise the
 * row goes (back) to pending and the job that fetches the bill is queued with it.
 */
export async function requestReconciliation(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  params: { centre: Centre; month: string; by: string; now: Date },
): Promise<Row> {
  await statementBasis(tx, params);
  const values = {
    centreOutletId: params.centre.id,
    month: params.month,
    status: 'pending' as const,
    requestedBy: params.by,
    requestedAt: params.now,
    finishedAt: null,
    error: null,
  };
  const [row] = await tx
    .insert(settlementReconciliations)
    .values(values)
    .onConflictDoUpdate({
      target: [settlementReconciliations.centreOutletId, settlementReconciliations.month],
      set: values,
    })
    .returning();
  await app.jobs.enqueue(tx, RECONCILE_MONTH, { id: row!.id });
  return row!;
}

export async function reconciliationOf(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string },
): Promise<Row> {
  const row = await findReconciliation(db, params);
  if (!row) throw new AppError(404, 'RECONCILIATION_NOT_FOUND');
  return row;
}

export async function findReconciliation(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string },
): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(settlementReconciliations)
    .where(
      and(
        eq(settlementReconciliations.centreOutletId, params.centreId),
        eq(settlementReconciliations.month, params.month),
      ),
    );
  return row;
}

/** The job: fetch the centre's bill (its 项目号) outside any transaction, then compare and store in one. */
export function defineSettlementJobs(app: FastifyInstance): void {
  const { db } = app.database;
  app.jobs.define<{ id: string }>({
    name: RECONCILE_MONTH,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    // The bill may come in several pages.
    expireInSeconds: jobTimeoutSeconds(app.config.ems.timeoutMs, 20),
    async handle({ id }) {
      const [row] = await db
        .select()
        .from(settlementReconciliations)
        .where(eq(settlementReconciliations.id, id));
      if (row?.status !== 'pending') return;
      let items: EmsBillItem[];
      let billTotalFen: number;
      try {
        const bill = await app.ems.monthlyBill({ billMonth: row.month, projectId: row.centreOutletId });
        items = bill.items;
        billTotalFen = bill.totalFen;
      } catch (err) {
        if (err instanceof EmsError && !err.retryable) {
          await db
            .update(settlementReconciliations)
            .set({
              status: 'failed',
              finishedAt: new Date(),
              error: `邮政账单获取失败：${err.retMsg}（${err.retCode}）`,
            })
            .where(
              and(
                eq(settlementReconciliations.id, id),
                eq(settlementReconciliations.requestedAt, row.requestedAt),
              ),
            );
          return;
        }
        throw err;
      }
      await db.transaction(async (tx) => {
        const centre = { id: row.centreOutletId, name: row.centreOutletId };
        const contract = await statementBasis(tx, { centre, month: row.month, now: new Date() });
        const ours: (StatementLeg & { expectedFen: number | null })[] = [];
        for await (const page of allStatementLegs(tx, { centreId: centre.id, month: row.month }))
          for (const l of page) ours.push({ ...l, expectedFen: pieceAmount(contract, l.leg) });
        const totals = await statementTotals(tx, { centreId: centre.id, month: row.month, contract });
        await tx
          .update(settlementReconciliations)
          .set({
            status: 'done',
            finishedAt: new Date(),
            error: null,
            billPieces: items.length,
            billTotalFen,
            ourPieces: totals.pieces,
            ourTotalFen: totals.totalFen,
            mismatches: compareWithBill(ours, items),
          })
          // A newer request for the same month re-runs it: this run's result is not written over it.
          .where(
            and(
              eq(settlementReconciliations.id, id),
              eq(settlementReconciliations.requestedAt, row.requestedAt),
            ),
          );
      });
    },
  });
}
