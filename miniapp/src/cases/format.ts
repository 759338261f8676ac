import { type CaseStatus, type NotificationKind, weekdayLabels } from '@zyt/shared';
import { caseProgressKinds, resultDeliveryKinds } from '@/components/SubscribeCard';

export type Tone = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** Status chip colours: moving, needs the resident, result on its way or done, or refused. */
export const caseStatusTones: Record<CaseStatus, Tone> = {
  awaiting_materials: 'warning',
  submitting: 'primary',
  received: 'primary',
  in_progress: 'primary',
  supplement_required: 'danger',
  suspended: 'warning',
  completed: 'success',
  result_shipping: 'success',
  delivered: 'success',
  refused: 'danger',
  returned: 'default',
};

/** EMS piece status chips (the unified statuses of emsStatusLabels). */
export const emsStatusTones: Partial<Record<string, Tone>> = {
  delivered: 'success',
  delivery_failed: 'danger',
  returning: 'warning',
  returned: 'warning',
  cancelled: 'default',
  exception: 'danger',
};

/** A Beijing calendar day (YYYY-MM-DD) the way people read it: 2026年12月4日 周五. */
export function dateLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${weekdayLabels[d.getUTCDay() || 7]}`;
}

/** Why a date is only an estimate: the working-day calendar of its year is not out yet. */
export const provisionalNote = '预计日期：当年法定节假日安排尚未公布，暂按周一至周五推算，公布后可能调整。';

/**
 * Reminders still ahead for a case in `status` (at most 3, WeChat's limit per ask): nothing is asked for a step
 * that has already happened, nor for a case that is over.
 */
export function upcomingNotifications(status: CaseStatus): NotificationKind[] {
  switch (status) {
    case 'submitting':
    case 'received':
      return caseProgressKinds;
    case 'in_progress':
    case 'supplement_required':
    case 'suspended':
      return caseProgressKinds.filter((kind) => kind !== 'case_accepted');
    // Once completed, the delivery's evaluation invitation (好差评) is still ahead too.
    case 'completed':
      return [...resultDeliveryKinds, 'evaluation_invite'];
    case 'result_shipping':
      return [...resultDeliveryKinds.filter((kind) => kind !== 'result_shipped'), 'evaluation_invite'];
    default:
      return [];
  }
}
