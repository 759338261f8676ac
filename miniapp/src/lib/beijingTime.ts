import { BEIJING_OFFSET_MS, weekdayLabels } from '@zyt/shared';

/** Instants from the API (ISO, UTC) as Beijing wall-clock dates and times, the way people read them. */

const wallClock = (iso: string) => new Date(Date.parse(iso) + BEIJING_OFFSET_MS);

/** 2026-11-23 */
export const beijingDay = (iso: string) => wallClock(iso).toISOString().slice(0, 10);

/** 09:30 */
export const beijingClock = (iso: string) => wallClock(iso).toISOString().slice(11, 16);

/** 11月23日 周一 */
export function beijingDayLabel(iso: string): string {
  const d = wallClock(iso);
  // weekdayLabels is by ISO weekday (1 Monday … 7 Sunday); getUTCDay counts Sunday as 0.
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${weekdayLabels[d.getUTCDay() || 7]}`;
}

/** 11月23日 周一 09:30, or 今天 09:30 */
export function beijingDateTime(iso: string, now = new Date()): string {
  if (Number.isNaN(Date.parse(iso))) return iso;
  const day = beijingDay(iso) === beijingDay(now.toISOString()) ? '今天' : beijingDayLabel(iso);
  return `${day} ${beijingClock(iso)}`;
}

/** Today's Beijing date plus `days`, as YYYY-MM-DD. */
export function beijingDatePlus(days: number, now = new Date()): string {
  return beijingDay(new Date(now.getTime() + days * 86_400_000).toISOString());
}
