/** YYYY-MM-DD plus n calendar days (UTC arithmetic on a date without time: no zone can shift it). */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
