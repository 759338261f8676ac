import type { Breach } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import { lateText } from '@/staff/format';
import { breaches } from '../cases/fixtures';

const visit = breaches.items[0]!;
const late = (overrides: Partial<Breach>) => lateText({ ...visit, ...overrides });

describe('lateText (how late, in plain words)', () => {
  it('counts minutes, then hours and minutes, then days and hours for visits', () => {
    expect(late({ minutesLate: 45 })).toBe('超时 45 分钟');
    expect(late({ minutesLate: 60 })).toBe('超时 1 小时 0 分');
    expect(late({ minutesLate: 125 })).toBe('超时 2 小时 5 分');
    expect(late({ minutesLate: 26 * 60 })).toBe('超时 1 天 2 小时');
    expect(late({ minutesLate: 48 * 60 })).toBe('超时 2 天');
  });

  it('counts working days for working-day deadlines, still open ones up to now', () => {
    const overdue = {
      ...visit,
      kind: 'case_overdue' as const,
      dueAt: '2026-11-20T15:59:59.999Z', // end of Friday 20 Nov
      at: null,
      minutesLate: 4 * 24 * 60,
    };
    // Monday and Tuesday have passed (the weekend does not count).
    expect(lateText(overdue, new Date('2026-11-24T08:00:00.000Z'))).toBe('超时 2 个工作日');
    // Over the weekend only: no working day yet, said in days.
    expect(lateText({ ...overdue, minutesLate: 36 * 60 }, new Date('2026-11-22T04:00:00.000Z'))).toBe(
      '超时 1 天 12 小时',
    );
  });

  it('says nothing for logistics exceptions, which have no deadline', () => {
    expect(lateText(breaches.items[2]!)).toBeUndefined();
  });
});
