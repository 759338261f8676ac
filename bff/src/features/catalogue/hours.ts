import { BEIJING_OFFSET_MS } from '@zyt/shared';
import type { OpeningHours } from '../../db/schema';

/** Opening hours are Beijing wall-clock times; China keeps UTC+8 all year (no daylight saving). */

export interface BeijingMoment {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday: 1 Monday … 7 Sunday */
  weekday: number;
  /** HH:mm */
  time: string;
}

export function beijingMoment(now: Date): BeijingMoment {
  const shifted = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), weekday: shifted.getUTCDay() || 7, time: iso.slice(11, 16) };
}

export interface DayHours {
  date: string;
  weekday: number;
  closed: boolean;
  ranges: { open: string; close: string }[];
  text: string;
}

/** Today's ranges (Beijing date) of a weekly timetable, with a line to show: 08:30-18:00, or 今日休息. */
export function hoursToday(hours: readonly OpeningHours[], now: Date): DayHours {
  const { date, weekday } = beijingMoment(now);
  const ranges = hours
    .filter((h) => h.day === weekday)
    .map(({ open, close }) => ({ open, close }))
    .sort((a, b) => a.open.localeCompare(b.open));
  const text = ranges.length === 0 ? '今日休息' : ranges.map((r) => `${r.open}-${r.close}`).join(' ');
  return { date, weekday, closed: ranges.length === 0, ranges, text };
}

/** Open at this instant (opening time included, closing time excluded). */
export function isOpenAt(hours: readonly OpeningHours[], now: Date): boolean {
  const { weekday, time } = beijingMoment(now);
  return hours.some((h) => h.day === weekday && h.open <= time && time < h.close);
}

export const opensAtWeekends = (hours: readonly OpeningHours[]) => hours.some((h) => h.day >= 6);
