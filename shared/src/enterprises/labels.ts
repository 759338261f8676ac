/**
 * Enterprise services (企业服务): binding a person to an enterprise, 免申即享 confirmations and their payment.
 * TypeBox-free, so pages that only need labels do not pull schemas into their sub-package.
 */

/** Who a person is for an enterprise: its admin (the legal representative, 法定代表人) or a clerk (经办人). */
export const enterpriseRoles = ['admin', 'clerk'] as const;
export type EnterpriseRole = (typeof enterpriseRoles)[number];
export const enterpriseRoleLabels: Record<EnterpriseRole, string> = {
  admin: '管理员（法定代表人）',
  clerk: '经办人',
};

/** A binding: asked for, then approved (active) or refused by the admin; an admin may revoke it later. */
export const bindingStatuses = ['pending', 'active', 'refused', 'revoked'] as const;
export type BindingStatus = (typeof bindingStatuses)[number];
export const bindingStatusLabels: Record<BindingStatus, string> = {
  pending: '待管理员审批',
  active: '已绑定',
  refused: '管理员未同意',
  revoked: '已解除',
};

/** 企业规模 (划型): the platform's size classes, confirmed by the enterprise in a 免申即享 round. */
export const enterpriseSizeClasses = ['large', 'medium', 'small', 'micro'] as const;
export type EnterpriseSizeClass = (typeof enterpriseSizeClasses)[number];
export const enterpriseSizeClassLabels: Record<EnterpriseSizeClass, string> = {
  large: '大型企业',
  medium: '中型企业',
  small: '小型企业',
  micro: '微型企业',
};

/** From a platform's acceptance (受理) to the money in the enterprise's account (拨付), in working days. */
export const SUBSIDY_PAY_WORKING_DAYS = 21;

/** Unconfirmed enterprises on a round's list are reminded this many days before its deadline. */
export const SUBSIDY_REMIND_DAYS_BEFORE = 3;

/**
 * ¥ with two decimals from fen: 123456 → ¥1,234.56. Thousands grouped by hand: toLocaleString builds an ICU
 * number formatter on every call (about half a millisecond, on every offer a confirmation answers with).
 */
export function formatYuan(fen: number): string {
  const yuan = String(Math.floor(Math.abs(fen) / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = String(Math.abs(fen) % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${cents}`;
}

/**
 * 邮寄申领 (claims by post): how an enterprise the screening missed sends its materials to the centre — a free
 * EMS pickup from its address, a postal agent's door visit, or posting them itself with a printed cover sheet
 * (封面单) whose code the centre enters on arrival.
 */
export const claimChannels = ['ems_pickup', 'door_visit', 'self_post'] as const;
export type ClaimChannel = (typeof claimChannels)[number];
export const claimChannelLabels: Record<ClaimChannel, string> = {
  ems_pickup: 'EMS免费上门取件',
  door_visit: '政邮专员上门收件',
  self_post: '自行邮寄（打印封面单）',
};

/** Where a claim's materials stand. */
export const claimStates = ['awaiting_materials', 'materials_travelling', 'materials_received'] as const;
export type ClaimState = (typeof claimStates)[number];
export const claimStateLabels: Record<ClaimState, string> = {
  awaiting_materials: '待寄出材料',
  materials_travelling: '材料寄送中',
  materials_received: '政务中心已收到材料',
};

/**
 * A round's rule as a rate (e.g. 50% of last year's 稳岗补贴): the amount claimed and the working shown with
 * it. Rounded to the fen, halves up.
 */
export function claimAmount(params: { lastYearFen: number; ratePercent: number }): {
  amountFen: number;
  working: string;
} {
  const amountFen = Math.round((params.lastYearFen * params.ratePercent) / 100);
  return {
    amountFen,
    working: `上年度稳岗补贴 ${formatYuan(params.lastYearFen)} × ${params.ratePercent}% = ${formatYuan(amountFen)}`,
  };
}

/** 封面单编号: 12 digits, shown in groups of four (1234 5678 9012); spaces and dashes typed are ignored. */
export const normalizeCoverCode = (input: string): string => input.replace(/[\s-]/g, '');
export const isCoverCode = (code: string): boolean => /^\d{12}$/.test(code);
export const formatCoverCode = (code: string): string => code.replace(/(\d{4})(?=\d)/g, '$1 ');
