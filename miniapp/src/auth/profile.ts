import type { MeResponse, Role } from '@zyt/shared';
import { BEIJING_OFFSET_MS, staffRoles } from '@zyt/shared';

export const roleLabels: Record<Role, string> = {
  resident: '居民',
  enterprise_clerk: '企业经办人',
  postal_agent: '政邮专员',
  supervisor: '监管/运营',
  centre_clerk: '政务中心收件',
  outlet_clerk: '网点政务专窗',
};

/** True until the person has agreed to the privacy guide version now in force. */
export const needsConsent = (user: MeResponse) => user.consent?.version !== user.privacyGuideVersion;

export const isStaff = (user: MeResponse) => user.roles.some((role) => staffRoles.includes(role));

/** An ISO instant as Beijing wall-clock time, e.g. 2026-11-01 09:30. */
export function formatBeijingTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
