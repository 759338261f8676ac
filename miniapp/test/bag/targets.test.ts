import { VISIT_BAG_LOOKBACK_DAYS } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import { bagTargets, initialTarget } from '@/bag/targets';
import { canSendVisitByBag } from '@/booking/format';
import { booking } from '../booking/fixtures';
import { boundScan, CASE_ID, OTHER_CASE_ID, supplement, visitTarget } from './fixtures';

const unbound = (over: Parameters<typeof boundScan>[0] = {}) =>
  boundScan({ state: 'issued', supplement: null, candidates: [], visits: [], ...over });

describe('bag targets (what a bag can carry)', () => {
  it('a bound bag carries its own supplement and names nothing at confirm, whatever visits there are', () => {
    const targets = bagTargets(boundScan({ visits: [visitTarget()] }));
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ key: `case:${CASE_ID}`, kind: 'case', body: {} });
    expect(initialTarget(targets, {})).toBe(`case:${CASE_ID}`);
  });

  it('an unbound bag lists cases first, then incomplete visits, each naming itself at confirm', () => {
    const v = visitTarget();
    const targets = bagTargets(
      unbound({
        candidates: [supplement(), supplement({ caseId: OTHER_CASE_ID, caseNumber: null })],
        visits: [v],
      }),
    );
    expect(targets.map((t) => [t.kind, t.body])).toEqual([
      ['case', { caseId: CASE_ID }],
      ['case', { caseId: OTHER_CASE_ID }],
      ['visit', { bookingId: v.bookingId }],
    ]);
    expect(targets[1]!.number).toBe('政务服务平台受理后生成');
    expect(targets[2]).toMatchObject({
      numberLabel: '预约单号',
      number: v.bookingNumber,
      items: v.items,
      alsoInBag: ['居民身份证'],
      sendBy: '1月30日 周六 23:59',
    });
  });

  it('chooses the only target, else the case or visit the person came from, else none', () => {
    const v = visitTarget();
    const one = bagTargets(unbound({ visits: [v] }));
    expect(initialTarget(one, {})).toBe(`visit:${v.bookingId}`);
    const two = bagTargets(unbound({ candidates: [supplement()], visits: [v] }));
    expect(initialTarget(two, {})).toBeUndefined();
    expect(initialTarget(two, { bookingId: v.bookingId })).toBe(`visit:${v.bookingId}`);
    expect(initialTarget(two, { caseId: CASE_ID })).toBe(`case:${CASE_ID}`);
    expect(initialTarget(two, { bookingId: OTHER_CASE_ID })).toBeUndefined();
  });
});

describe('the booking page offers a bag for an incomplete visit', () => {
  const now = new Date('2026-12-02T04:00:00.000Z');
  const ended = (daysAgo: number) =>
    booking({
      status: 'materials_incomplete',
      missingItems: [{ materialId: 'm1', name: '户口簿', reason: '未提供' }],
      events: [
        {
          kind: 'status_changed',
          status: 'materials_incomplete',
          at: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
          actor: 'agent',
          note: null,
        },
      ],
    });

  it('within the look-back window, with a list and no case yet', () => {
    expect(canSendVisitByBag(ended(1), now)).toBe(true);
    expect(canSendVisitByBag(ended(VISIT_BAG_LOOKBACK_DAYS), now)).toBe(true);
    expect(canSendVisitByBag(ended(VISIT_BAG_LOOKBACK_DAYS + 1), now)).toBe(false);
    expect(canSendVisitByBag({ ...ended(1), missingItems: [] }, now)).toBe(false);
    expect(
      canSendVisitByBag(
        { ...ended(1), case: { id: CASE_ID, status: 'awaiting_materials', statusLabel: '补齐材料寄送中' } },
        now,
      ),
    ).toBe(false);
    expect(canSendVisitByBag({ ...ended(1), status: 'cancelled' }, now)).toBe(false);
  });
});
