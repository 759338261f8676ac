/**
 * Beijing time, the only wall clock of this service. China keeps UTC+8 all year (no daylight saving), so a
 * Beijing wall-clock reading is the UTC one shifted by this offset; the process's own time zone never matters.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The instant of a Beijing wall-clock time: ('2026-11-23', '09:30') → 2026-11-23T01:30:00.000Z. */
export function beijingInstant(date: string, time: string): Date {
  const hms = /^\d{2}:\d{2}$/.test(time) ? `${time}:00` : time;
  return new Date(Date.parse(`${date}T${hms}Z`) - BEIJING_OFFSET_MS);
}
