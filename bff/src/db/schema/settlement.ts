import type { MismatchKind, SettlementMode, ShipmentLeg } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * 政府买单: how a service centre pays the post for the legs it causes, from a month on (the latest contract whose
 * validFrom is not after a month governs it): per piece (计件, a price per leg kind) or lump sum (包干, one amount a
 * month). Amounts in fen.
 */
export const settlementContracts = pgTable(
  'settlement_contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** An outlet id by value: the catalogue sync replaces the outlets table, so no foreign key. */
    centreOutletId: text('centre_outlet_id').notNull(),
    /** yyyy-MM (Beijing). */
    validFrom: text('valid_from').notNull(),
    mode: text('mode').$type<SettlementMode>().notNull(),
    pricesFen: jsonb('prices_fen').$type<Record<ShipmentLeg, number>>(),
    monthlyFen: integer('monthly_fen'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('settlement_contracts_centre_month_idx').on(t.centreOutletId, t.validFrom),
    check(
      'settlement_contracts_mode_check',
      sql`(${t.mode} = 'per_piece' and ${t.pricesFen} is not null and ${t.monthlyFen} is null)
        or (${t.mode} = 'lump_sum' and ${t.monthlyFen} is not null and ${t.pricesFen} is null)`,
    ),
  ],
);
export type SettlementContract = typeof settlementContracts.$inferSelect;

/** One difference between our statement and the post's bill (see mismatchKinds). */
export interface StoredMismatch {
  kind: MismatchKind;
  waybillNo: string;
  leg: ShipmentLeg | null;
  ours: { weightGrams: number; amountFen: number | null } | null;
  billed: { weightGrams: number; amountFen: number; times: number } | null;
}

/**
 * A centre's month reconciled against the post's monthly bill (月结账单). The bill is fetched by a job; asking
 * again re-runs it and replaces the result.
 */
export const settlementReconciliations = pgTable(
  'settlement_reconciliations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** An outlet id by value: the catalogue sync replaces the outlets table, so no foreign key. */
    centreOutletId: text('centre_outlet_id').notNull(),
    month: text('month').notNull(),
    status: text('status').$type<'pending' | 'done' | 'failed'>().notNull().default('pending'),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Why the post refused (failed), for staff; no personal data. */
    error: text('error'),
    billPieces: integer('bill_pieces'),
    billTotalFen: integer('bill_total_fen'),
    ourPieces: integer('our_pieces'),
    ourTotalFen: integer('our_total_fen'),
    mismatches: jsonb('mismatches').$type<StoredMismatch[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('settlement_reconciliations_centre_month_idx').on(t.centreOutletId, t.month),
    check('settlement_reconciliations_status_check', sql`${t.status} in ('pending', 'done', 'failed')`),
  ],
);
