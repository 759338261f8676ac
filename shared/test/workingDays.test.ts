import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  beijingDate,
  endOfBeijingDay,
  isCalendarPublished,
  isWorkingDay,
  workingDaysBetween,
} from '../src';

describe('working-day calendar', () => {
  it('knows holidays and make-up working days (2026 Spring Festival, National Day)', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, make-up day
    expect(isWorkingDay('2026-02-16')).toBe(false); // Monday, holiday
    expect(isWorkingDay('2026-02-24')).toBe(true);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, make-up day
  });

  it('a result issued the working day before National Day is due the 2nd working day after the holiday', () => {
    expect(addWorkingDays('2025-09-30', 2)).toEqual({ date: '2025-10-10', provisional: false });
    expect(addWorkingDays('2026-09-30', 2)).toEqual({ date: '2026-10-09', provisional: false });
  });

  it('counts from the Beijing business date of an instant', () => {
    // 2026-09-30 17:00 UTC is already 2026-10-01 01:00 in Beijing.
    expect(beijingDate(new Date('2026-09-30T17:00:00Z'))).toBe('2026-10-01');
    expect(addWorkingDays(new Date('2026-09-30T15:59:00Z'), 2).date).toBe('2026-10-09');
    expect(endOfBeijingDay('2026-10-09').toISOString()).toBe('2026-10-09T15:59:59.999Z');
  });

  it('falls back to weekdays and flags the result for a year not yet published', () => {
    expect(isCalendarPublished(2026)).toBe(true);
    expect(isCalendarPublished(2099)).toBe(false);
    expect(addWorkingDays('2026-12-30', 3)).toEqual({ date: '2027-01-04', provisional: true });
    expect(addWorkingDays('2026-12-01', 3).provisional).toBe(false);
  });

  it('counts working days between two dates: 21 working days to pay a subsidy', () => {
    const due = addWorkingDays('2026-09-15', 21);
    expect(workingDaysBetween('2026-09-15', due.date)).toEqual({ days: 21, provisional: false });
    expect(workingDaysBetween(due.date, '2026-09-15').days).toBe(-21);
    expect(workingDaysBetween('2026-10-01', '2026-10-07').days).toBe(0);
  });

  it('refuses malformed dates and negative counts', () => {
    expect(() => addWorkingDays('2026-13-01', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-10-01', -1)).toThrow(RangeError);
  });
});
