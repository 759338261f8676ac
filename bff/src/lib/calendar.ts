import { addWorkingDays, beijingDate, endOfBeijingDay } from '@zyt/shared';

/** End of the Beijing day `n` working days after `from`, and whether the calendar for it is published. */
export function workingDeadline(from: Date, n: number): { at: Date; provisional: boolean } {
  const { date, provisional } = addWorkingDays(beijingDate(from), n);
  return { at: endOfBeijingDay(date), provisional };
}

/** A Beijing calendar day in Chinese: 11月30日, or 2026年11月30日 with the year. */
export function chineseDate(d: Date | string, opts: { year?: boolean } = {}): string {
  const [y, m, day] = beijingDate(new Date(d)).split('-');
  return `${opts.year ? `${y}年` : ''}${Number(m)}月${Number(day)}日`;
}
