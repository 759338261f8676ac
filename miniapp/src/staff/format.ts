import {
  type BookingStatus,
  type Breach,
  type BreachKind,
  type MaterialForm,
  materialFormLabels,
  type VisitView,
  workingDaysBetween,
} from '@zyt/shared';
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

/** 时效监管 filter tabs and their labels: one list, in `shared`. */
export { breachKindLabels, breachKinds } from '@zyt/shared';

/** Deadlines counted in working days (送达 2 个工作日, 承诺时限); visits are counted in minutes. */
const workingDayKinds: readonly BreachKind[] = ['result_not_delivered', 'result_late', 'case_overdue'];

/**
 * How late, in plain words: 超时 45 分钟, 超时 2 小时 5 分, then 超时 3 个工作日 for working-day deadlines (the
 * day it finally happened, or today, counts) or 超时 1 天 4 小时 for visits. Nothing for logistics exceptions.
 */
export function lateText(breach: Breach, now = new Date()): string | undefined {
  const minutes = breach.minutesLate;
  if (minutes === null) return undefined;
  if (minutes < 60) return `超时 ${minutes} 分钟`;
  if (minutes < 24 * 60) return `超时 ${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分`;
  if (breach.dueAt && workingDayKinds.includes(breach.kind)) {
    const { days } = workingDaysBetween(new Date(breach.dueAt), breach.at ? new Date(breach.at) : now);
    // Over a weekend or holiday only: no working day has passed, say it in days.
    if (days > 0) return `超时 ${days} 个工作日`;
  }
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  return hours > 0 ? `超时 ${days} 天 ${hours} 小时` : `超时 ${days} 天`;
}

/** Minutes as people say them: 45 分钟, 2 小时 5 分. */
export function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} 分钟`;
  const rest = minutes % 60;
  return rest > 0 ? `${Math.floor(minutes / 60)} 小时 ${rest} 分` : `${Math.floor(minutes / 60)} 小时`;
}

/** How long ago the order was made: 已下单 25 分钟. */
export function ageText(visit: Pick<VisitView, 'createdAt'>, now = new Date()): string {
  return `已下单 ${minutesText(Math.max(0, Math.floor((now.getTime() - Date.parse(visit.createdAt)) / 60_000)))}`;
}

/** Time left to accept an open order (the 1-hour promise), or how far past it. */
export function promiseText(visit: Pick<VisitView, 'acceptBy'>, now = new Date()): string | undefined {
  if (!visit.acceptBy) return undefined;
  const left = Math.floor((Date.parse(visit.acceptBy) - now.getTime()) / 60_000);
  return left >= 0 ? `距接单时限还剩 ${minutesText(left)}` : `已超过接单时限 ${minutesText(-left)}`;
}

/** 整改工单 status tones. */
export const ticketTones = {
  open: 'danger',
  assigned: 'warning',
  closed: 'success',
  voided: 'default',
} as const;
