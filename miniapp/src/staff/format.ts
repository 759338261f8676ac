import type { BookingStatus, MaterialForm, VisitView } from '@zyt/shared';
import { beijingClock, beijingDateTime, beijingDayLabel } from '@/lib/beijingTime';

/** When the agent must be at the door, as the queue and the visit page say it. */
export function dueLine(visit: VisitView): string {
  if (visit.dueAt) return `须于 ${beijingDateTime(visit.dueAt)} 前到达`;
  if (visit.window.kind === 'asap') return '尽快上门：接单后 1 小时内到达';
  return '';
}

export function windowLine(visit: VisitView): string {
  const { kind, start, end } = visit.window;
  if (kind === 'slot' && start && end)
    return `预约时段 ${beijingDayLabel(start)} ${beijingClock(start)}–${beijingClock(end)}`;
  return '尽快上门';
}

type Tone = 'primary' | 'success' | 'warning' | 'danger' | 'default';
export const statusTones: Record<BookingStatus, Tone> = {
  requested: 'warning',
  assigned: 'primary',
  en_route: 'primary',
  arrived: 'primary',
  reviewing: 'primary',
  collected: 'success',
  handed_over: 'success',
  case_submitted: 'success',
  materials_incomplete: 'danger',
  cancelled: 'default',
  expired: 'default',
};

/**
 * 原件 / 复印件, as shared's materialFormLabels says it (typed against the same union). Not imported: that
 * module also builds the catalogue's TypeBox schemas, which would then ship in this sub-package.
 */
const formLabels: Record<MaterialForm, string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件和复印件',
};
export const formLabel = (form: string) => formLabels[form as MaterialForm] ?? form;
