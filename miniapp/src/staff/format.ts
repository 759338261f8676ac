import { type BookingStatus, type MaterialForm, materialFormLabels, type VisitView } from '@zyt/shared';
import { beijingClock, beijingDateTime, beijingDayLabel } from '@/lib/beijingTime';

/** When the agent must be at the door, as the queue and the visit page say it. */
export function dueLine(visit: VisitView): string {
  if (visit.dueAt) return `须于 ${beijingDateTime(visit.dueAt)} 前到达`;
  if (visit.window.kind === 'asap') return '尽快上门：接单后 1 小时内到达';
  return '';
}

/** The slot the resident chose; nothing for "as soon as possible" (the due line says it). */
export function windowLine(visit: VisitView): string | undefined {
  const { kind, start, end } = visit.window;
  if (kind === 'slot' && start && end)
    return `预约时段 ${beijingDayLabel(start)} ${beijingClock(start)}–${beijingClock(end)}`;
  return visit.dueAt ? '尽快上门' : undefined;
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

/** 原件 / 复印件 …; the checklist carries the code as a plain string. */
export const formLabel = (form: string) => materialFormLabels[form as MaterialForm] ?? form;
