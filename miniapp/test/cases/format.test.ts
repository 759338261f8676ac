import type { CaseStatus } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import { upcomingNotifications } from '@/cases/format';

describe('reminders still ahead for a case', () => {
  it('asks for the evaluation invitation once the case is completed, within WeChat’s 3 per ask', () => {
    expect(upcomingNotifications('completed')).toEqual([
      'result_shipped',
      'result_delivered',
      'evaluation_invite',
    ]);
    expect(upcomingNotifications('result_shipping')).toEqual(['result_delivered', 'evaluation_invite']);
    expect(upcomingNotifications('delivered')).toEqual([]);
    const statuses: CaseStatus[] = [
      'submitting',
      'received',
      'in_progress',
      'supplement_required',
      'suspended',
    ];
    for (const s of statuses) {
      expect(upcomingNotifications(s).length).toBeLessThanOrEqual(3);
      expect(upcomingNotifications(s)).not.toContain('evaluation_invite');
    }
  });
});
