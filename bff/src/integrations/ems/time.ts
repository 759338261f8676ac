import { BEIJING_OFFSET_MS } from '@zyt/shared';

/**
 * EMS writes every time as `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving), without an
 * offset. Converting here, and nowhere else, keeps the server's own time zone out of it.
 */
const EMS_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

export function formatEmsTime(date: Date): string {
  const b = new Date(date.getTime() + BEIJING_OFFSET_MS);
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}:${pad(b.getUTCSeconds())}`;
}

/** Parses an EMS time; throws RangeError on any other shape or an impossible date (2025-02-30). */
export function parseEmsTime(text: string): Date {
  const m = EMS_TIME.exec(text);
  if (!m) throw new RangeError(`not an EMS time (yyyy-MM-dd HH:mm:ss): "${text}"`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS);
  // Date.UTC rolls 02-30 over to 03-02; a round trip exposes it.
  if (formatEmsTime(date) !== text) throw new RangeError(`impossible EMS time: "${text}"`);
  return date;
}

export function isEmsTime(text: string): boolean {
  try {
    parseEmsTime(text);
    return true;
  } catch {
    return false;
  }
}
