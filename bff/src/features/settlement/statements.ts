import {
  type SettlementStatement,
  type ShipmentLeg,
  type StatementLine,
  settlementLegLabels,
  shipmentLegs,
} from '@zyt/shared';
import { and, asc, count, eq, gte, isNotNull, lt, ne } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { type SettlementContract, shipments } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { type Centre, contractFor, contractView } from './contracts';
import { isMonthClosed, monthLabel, monthRange } from './months';

/**
 * A centre's legs in a month: every EMS leg it pays for that EMS took an order for (it has a waybill) in that
 * Beijing month, except those cancelled before pickup (EMS bills nothing for them).
 */
function legsOf(centreId: string, month: string) {
  const { from, to } = monthRange(month);
  return and(
    eq(shipments.centreOutletId, centreId),
    isNotNull(shipments.waybillNo),
    ne(shipments.status, 'cancelled'),
    gte(shipments.orderedAt, from),
    lt(shipments.orderedAt, to),
  );
}

export interface StatementLeg {
  waybillNo: string;
  leg: ShipmentLeg;
  orderedAt: Date;
  weightGrams: number;
}

/** The price of one leg under the contract: per piece its leg's price, lump sum nothing per piece. */
export const pieceAmount = (contract: SettlementContract, leg: ShipmentLeg): number | null =>
  contract.mode === 'per_piece' ? (contract.pricesFen?.[leg] ?? 0) : null;

export const lineOf = (contract: SettlementContract, l: StatementLeg): StatementLine => ({
  waybillNo: l.waybillNo,
  leg: l.leg,
  legLabel: settlementLegLabels[l.leg],
  orderedAt: l.orderedAt.toISOString(),
  weightGrams: l.weightGrams,
  amountFen: pieceAmount(contract, l.leg),
});

/** The month must be over and a contract must govern it; otherwise refused, nothing written. */
export async function statementBasis(
  db: DatabaseOrTransaction,
  params: { centre: Centre; month: string; now: Date },
): Promise<SettlementContract> {
  if (!isMonthClosed(params.month, params.now)) {
    throw new AppError(
      409,
      'SETTLEMENT_MONTH_NOT_CLOSED',
      `${monthLabel(params.month)}尚未结束，月结对账单须在次月1日起生成，请选择已结束的月份`,
    );
  }
  const contract = await contractFor(db, { centreId: params.centre.id, month: params.month });
  if (!contract) {
    throw new AppError(
      422,
      'SETTLEMENT_CONTRACT_MISSING',
      `${params.centre.name}在${monthLabel(params.month)}没有生效的结算合同，请先录入合同（计件单价或包干金额）`,
    );
  }
  return contract;
}

/** Pieces per leg kind and what they cost under the contract. */
export async function statementTotals(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string; contract: SettlementContract },
) {
  const rows = await db
    .select({ leg: shipments.leg, pieces: count() })
    .from(shipments)
    .where(legsOf(params.centreId, params.month))
    .groupBy(shipments.leg);
  const byLeg = shipmentLegs.map((leg) => {
    const pieces = rows.find((r) => r.leg === leg)?.pieces ?? 0;
    const price = pieceAmount(params.contract, leg);
    return {
      leg,
      legLabel: settlementLegLabels[leg],
      pieces,
      amountFen: price === null ? null : price * pieces,
    };
  });
  const pieces = byLeg.reduce((sum, l) => sum + l.pieces, 0);
  const totalFen =
    params.contract.mode === 'lump_sum'
      ? (params.contract.monthlyFen ?? 0)
      : byLeg.reduce((sum, l) => sum + (l.amountFen ?? 0), 0);
  return { byLeg, pieces, totalFen };
}

/** The legs in order of ordering, a page at a time. */
export async function statementLegs(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string; limit: number; offset: number },
): Promise<StatementLeg[]> {
  const rows = await db
    .select({
      waybillNo: shipments.waybillNo,
      leg: shipments.leg,
      orderedAt: shipments.orderedAt,
      weightGrams: shipments.weightGrams,
    })
    .from(shipments)
    .where(legsOf(params.centreId, params.month))
    .orderBy(asc(shipments.orderedAt), asc(shipments.id))
    .limit(params.limit)
    .offset(params.offset);
  return rows.map((r) => ({ ...r, waybillNo: r.waybillNo!, orderedAt: r.orderedAt! }));
}

/** Every leg of the month, read in pages (exports and reconciliation). */
export async function* allStatementLegs(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string },
  pageSize = 2000,
): AsyncGenerator<StatementLeg[]> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await statementLegs(db, { ...params, limit: pageSize, offset });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
  }
}

export async function monthlyStatement(
  db: DatabaseOrTransaction,
  params: { centre: Centre; month: string; now: Date; limit: number; offset: number },
): Promise<SettlementStatement> {
  const { centre, month } = params;
  const contract = await statementBasis(db, params);
  const totals = await statementTotals(db, { centreId: centre.id, month, contract });
  const legs = await statementLegs(db, {
    centreId: centre.id,
    month,
    limit: params.limit,
    offset: params.offset,
  });
  return {
    centre,
    month,
    contract: contractView(contract),
    ...totals,
    lines: legs.map((l) => lineOf(contract, l)),
    linesTotal: totals.pieces,
  };
}
