import type { ShipmentLeg } from '../cases/labels';

/** 政府买单: how a service centre settles postage with the post (004: 包干结算、计件结算). */
export const settlementModes = ['per_piece', 'lump_sum'] as const;
export type SettlementMode = (typeof settlementModes)[number];
export const settlementModeLabels: Record<SettlementMode, string> = {
  per_piece: '计件结算',
  lump_sum: '包干结算',
};

/** Short names of the legs on a statement (材料、补正、结果). */
export const settlementLegLabels: Record<ShipmentLeg, string> = {
  materials_to_centre: '申请材料寄往中心',
  supplement_to_centre: '补正材料寄往中心（替你跑）',
  result_to_applicant: '办理结果寄给群众',
};

/** What reconciling a statement against the post's monthly bill can find. */
export const mismatchKinds = [
  'billed_twice',
  'unknown_piece',
  'weight_mismatch',
  'price_mismatch',
  'missing_from_bill',
] as const;
export type MismatchKind = (typeof mismatchKinds)[number];
export const mismatchKindLabels: Record<MismatchKind, string> = {
  billed_twice: '重复计费',
  unknown_piece: '账单中有我方没有的邮件',
  weight_mismatch: '重量不符',
  price_mismatch: '金额不符',
  missing_from_bill: '我方邮件未列入账单',
};

/** A month as yyyy-MM (Beijing). */
export const SETTLEMENT_MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

/** ¥ with two decimals from fen. */
export const formatFen = (fen: number): string =>
  `${fen < 0 ? '-' : ''}${Math.trunc(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
