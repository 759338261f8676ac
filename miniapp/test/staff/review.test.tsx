import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MissingItem, ReviewBody } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import VisitPage from '@/staff/pages/visit';
import { visit } from '../booking/fixtures';
import { type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const id = visit().id;

/** A BFF that reviews like the real one: every required material present with enough copies, or a list. */
function bff(): FakeRequest[] {
  return fakeBff((req) => {
    if (req.path === `/api/v1/staff/visits/${id}`) return { status: 200, data: visit() };
    if (req.path === `/api/v1/staff/visits/${id}/photos`) return { status: 200, data: { items: [] } };
    if (req.method === 'POST' && req.path === `/api/v1/staff/visits/${id}/review`) {
      const { items } = req.body as ReviewBody;
      const missing: MissingItem[] = visit()
        .checklist.filter((m) => m.required)
        .flatMap((m) => {
          const given = items.find((i) => i.materialId === m.materialId)!;
          if (!given.present) return [{ materialId: m.materialId, name: m.name, reason: '未提供' }];
          if (given.copies < m.count)
            return [
              { materialId: m.materialId, name: m.name, reason: `需${m.count}份，仅提供${given.copies}份` },
            ];
          return [];
        });
      return {
        status: 200,
        data: missing.length
          ? visit({ status: 'materials_incomplete', statusLabel: '材料不齐', missingItems: missing })
          : visit({ status: 'collected', statusLabel: '材料已收取' }),
      };
    }
    return { status: 404 };
  });
}

const row = (materialId: string) => document.querySelector(`#review-${materialId}`)!;
const choose = (materialId: string, answer: '有' | '无') =>
  fireEvent.click(
    [...row(materialId).querySelectorAll('[role="radio"]')].find((el) => el.textContent === answer)!,
  );
const reviewPosts = (log: FakeRequest[]) => log.filter((r) => r.method === 'POST');

describe('review checklist (初审)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    setRouterParams({ id });
  });

  it('submits every checklist item and shows the visit collected', async () => {
    const log = bff();
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    expect(screen.getByText('还有 3 项未核对')).toBeTruthy();
    // Nothing is sent until every item was looked at.
    fireEvent.click(screen.getByText('提交初审结果'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reviewPosts(log)).toHaveLength(0);

    choose('m-id', '有');
    choose('m-proof', '有');
    choose('m-proxy', '无');
    expect(screen.getByText('必需材料齐全，提交后收件')).toBeTruthy();
    fireEvent.click(screen.getByText('提交初审结果'));

    expect(await screen.findByText('材料齐全，已收件')).toBeTruthy();
    expect(reviewPosts(log)[0]!.body).toEqual({
      items: [
        { materialId: 'm-id', present: true, copies: 1 },
        { materialId: 'm-proof', present: true, copies: 2 },
        { materialId: 'm-proxy', present: false, copies: 0 },
      ],
    });
  });

  it('shows every missing required material in the result', async () => {
    const log = bff();
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    choose('m-id', '无');
    choose('m-proof', '有');
    // One copy short of the two required.
    fireEvent.click(row('m-proof').querySelector('[aria-label="减少一份"]')!);
    expect(row('m-proof').textContent).toContain('份数不足：需 2 份');
    choose('m-proxy', '有');
    expect(screen.getByText('提交后将告知居民缺少 2 项材料，本次不收件')).toBeTruthy();
    fireEvent.click(screen.getByText('提交初审结果'));

    const result = await waitFor(() => {
      const el = document.querySelector('#review-result');
      if (!el?.textContent?.includes('材料不齐')) throw new Error('no result yet');
      return el;
    });
    expect(result.textContent).toContain('已一次性告知居民缺少的全部 2 项材料');
    expect(result.textContent).toContain('居民身份证');
    expect(result.textContent).toContain('未提供');
    expect(result.textContent).toContain('终止或解除劳动关系证明');
    expect(result.textContent).toContain('需2份，仅提供1份');
    expect((reviewPosts(log)[0]!.body as ReviewBody).items).toHaveLength(3);
    expect(screen.queryByText('提交初审结果')).toBeNull();
  });

  it('is closed to anyone who is not a postal agent', async () => {
    saveTokens(tokens(1, user({ roles: ['resident'] })));
    const log = bff();
    render(<VisitPage />);
    expect(screen.getByText('上门任务仅对政邮专员开放')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toHaveLength(0);
  });
});
