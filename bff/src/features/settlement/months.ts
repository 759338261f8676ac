import { BEIJING_OFFSET_MS } from '@zyt/shared';

/** The Beijing month (yyyy-MM) an instant falls in. */
export function beijingMonth(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 7);
}

/** [first instant, first instant of the next month) of a Beijing month. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(Date.UTC(y, m - 1, 1) - BEIJING_OFFSET_MS),
    to: new Date(Date.UTC(y, m, 1) - BEIJING_OFFSET_MS),
  };
}

/** A month is closed once its last Beijing day is over: only then does the post issue its bill. */
export const isMonthClosed = (month: string, now: Date) => month < beijingMonth(now);

/** 2026-11 → 2026年11月 */
export const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
