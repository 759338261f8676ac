import { type Static, Type } from 'typebox';
import { SETTLEMENT_MONTH_PATTERN } from '../settlement/labels';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Leg = Type.Union([
  Type.Literal('materials_to_centre'),
  Type.Literal('supplement_to_centre'),
  Type.Literal('result_to_applicant'),
]);
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000, description: '分' });
const Month = Type.String({ pattern: SETTLEMENT_MONTH_PATTERN, description: 'yyyy-MM, Beijing' });

export const SettlementCentreParams = Type.Object({ centreId: Type.String({ minLength: 1, maxLength: 64 }) });
export const SettlementMonthParams = Type.Object({
  centreId: Type.String({ minLength: 1, maxLength: 64 }),
  month: Month,
});
export type SettlementMonthParams = Static<typeof SettlementMonthParams>;

/** Per piece: the price of each leg kind; lump sum: one amount a month whatever the count. */
export const SettlementContractBody = Type.Union([
  Type.Object(
    {
      mode: Type.Literal('per_piece'),
      validFrom: Month,
      pricesFen: Type.Object(
        { materials_to_centre: Fen, supplement_to_centre: Fen, result_to_applicant: Fen },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { mode: Type.Literal('lump_sum'), validFrom: Month, monthlyFen: Fen },
    { additionalProperties: false },
  ),
]);
export type SettlementContractBody = Static<typeof SettlementContractBody>;

export const SettlementContractView = Type.Object({
  centreId: Type.String(),
  mode: Type.Union([Type.Literal('per_piece'), Type.Literal('lump_sum')]),
  modeLabel: Type.String(),
  validFrom: Type.String(),
  pricesFen: Nullable(
    Type.Object({ materials_to_centre: Fen, supplement_to_centre: Fen, result_to_applicant: Fen }),
  ),
  monthlyFen: Nullable(Fen),
});
export type SettlementContractView = Static<typeof SettlementContractView>;

export const SettlementCentre = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** The contract in force this month, if any. */
  contract: Nullable(SettlementContractView),
});
export const SettlementCentreList = Type.Object({ items: Type.Array(SettlementCentre) });
export type SettlementCentreList = Static<typeof SettlementCentreList>;

export const StatementLine = Type.Object({
  waybillNo: Type.String(),
  leg: Leg,
  legLabel: Type.String(),
  /** When EMS took the order, ISO. */
  orderedAt: Type.String({ format: 'date-time' }),
  weightGrams: Type.Integer(),
  /** Per piece: the contract price of its leg; lump sum: null (the month is paid as one amount). */
  amountFen: Nullable(Type.Integer()),
});
export type StatementLine = Static<typeof StatementLine>;

export const StatementLegTotal = Type.Object({
  leg: Leg,
  legLabel: Type.String(),
  pieces: Type.Integer(),
  /** Per piece: pieces × price; lump sum: null. */
  amountFen: Nullable(Type.Integer()),
});

export const SettlementStatement = Type.Object({
  centre: Type.Object({ id: Type.String(), name: Type.String() }),
  month: Type.String(),
  contract: SettlementContractView,
  pieces: Type.Integer(),
  totalFen: Type.Integer(),
  byLeg: Type.Array(StatementLegTotal),
  lines: Type.Array(StatementLine),
  /** Lines beyond `limit` are in the export (and the next pages). */
  linesTotal: Type.Integer(),
});
export type SettlementStatement = Static<typeof SettlementStatement>;

export const StatementQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const StatementExportQuery = Type.Object({
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
});

export const MismatchKindSchema = Type.Union([
  Type.Literal('billed_twice'),
  Type.Literal('unknown_piece'),
  Type.Literal('weight_mismatch'),
  Type.Literal('price_mismatch'),
  Type.Literal('missing_from_bill'),
]);

export const ReconciliationMismatch = Type.Object({
  kind: MismatchKindSchema,
  kindLabel: Type.String(),
  waybillNo: Type.String(),
  leg: Nullable(Leg),
  /** What we recorded: null for a piece we don't know. */
  ours: Nullable(Type.Object({ weightGrams: Type.Integer(), amountFen: Nullable(Type.Integer()) })),
  /** What the bill says (the first line when billed more than once): null for a piece missing from it. */
  billed: Nullable(
    Type.Object({ weightGrams: Type.Integer(), amountFen: Type.Integer(), times: Type.Integer() }),
  ),
  detail: Type.String(),
});
export type ReconciliationMismatch = Static<typeof ReconciliationMismatch>;

export const SettlementReconciliation = Type.Object({
  centreId: Type.String(),
  month: Type.String(),
  /** pending: the post's bill is being fetched; failed: the post refused (see error). */
  status: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')]),
  requestedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  error: Nullable(Type.String()),
  bill: Nullable(Type.Object({ pieces: Type.Integer(), totalFen: Type.Integer() })),
  ours: Nullable(Type.Object({ pieces: Type.Integer(), totalFen: Type.Integer() })),
  mismatches: Type.Array(ReconciliationMismatch),
});
export type SettlementReconciliation = Static<typeof SettlementReconciliation>;
