import chineseDays from 'chinese-days';
import { BEIJING_OFFSET_MS } from './beijingTime';

/**
 * Chinese working-day calendar (official holidays and make-up working days, from chinese-days), in Beijing
 * time. Where a year's official calendar is not yet published, plain weekdays are used and the result is
 * marked `provisional` so callers can flag the date.
 */

const DAY_MS = 86_400_000;

/** Business date (YYYY-MM-DD) of an instant, in Beijing time. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant that ends a Beijing business date (23:59:59.999 +08:00). */
export function endOfBeijingDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS + DAY_MS - 1);
}

function toDate(input: string | Date): string {
  if (input instanceof Date) return beijingDate(input);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input) || Number.isNaN(Date.parse(`${input}T00:00:00Z`))) {
    throw new RangeError(`Not a date (YYYY-MM-DD): ${input}`);
  }
  return input;
}

const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

const published = new Map<number, boolean>();
/** True when the official holiday calendar of `year` is known (every published year has holidays). */
export function isCalendarPublished(year: number): boolean {
  let known = published.get(year);
  if (known === undefined) {
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    published.set(year, known);
  }
  return known;
}

export function isWorkingDay(input: string | Date): boolean {
  const date = toDate(input);
  if (isCalendarPublished(Number(date.slice(0, 4)))) return chineseDays.isWorkday(date);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export interface WorkingDayResult {
  date: string;
  /** True when a year on the way is not yet published: weekdays were assumed. */
  provisional: boolean;
}

/**
 * The date `n` working days after `start` (the start day itself is not counted), e.g. a result issued on
 * the working day before National Day must be delivered within 2 working days: the second working day
 * after the holiday.
 */
export function addWorkingDays(start: string | Date, n: number): WorkingDayResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  let date = toDate(start);
  let provisional = !isCalendarPublished(Number(date.slice(0, 4)));
  for (let left = n; left > 0; ) {
    date = nextDay(date);
    if (!isCalendarPublished(Number(date.slice(0, 4)))) provisional = true;
    if (isWorkingDay(date)) left--;
  }
  return { date, provisional };
}

/** Working days in (from, to]: how many working days have passed since `from` by the end of `to`. */
export function workingDaysBetween(
  from: string | Date,
  to: string | Date,
): { days: number; provisional: boolean } {
  let date = toDate(from);
  const end = toDate(to);
  if (end < date) {
    const r = workingDaysBetween(end, date);
    return { days: -r.days, provisional: r.provisional };
  }
  let days = 0;
  let provisional = !isCalendarPublished(Number(date.slice(0, 4)));
  while (date < end) {
    date = nextDay(date);
    if (!isCalendarPublished(Number(date.slice(0, 4)))) provisional = true;
    if (isWorkingDay(date)) days++;
  }
  return { days, provisional };
}
