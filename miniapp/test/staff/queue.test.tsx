import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import { setLargeText } from '@/settings/largeText';
import Workbench from '@/staff/pages/index';
import { visit } from '../booking/fixtures';
import { fakeBff, tokens, user } from '../fakeBff';

const late = visit({
  id: '6f1d2f6e-1111-4000-8000-00000000000a',
  number: '261122000010',
  status: 'assigned',
  statusLabel: '专员已接单',
  dueAt: '2026-11-22T03:00:00.000Z',
  overdue: true,
});
const open = visit({
  id: '6f1d2f6e-1111-4000-8000-00000000000b',
  number: '261122000011',
  status: 'requested',
  statusLabel: '等待专员接单',
  mine: false,
});

describe('agent queue (工作台)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    fakeBff((req) =>
      req.path === '/api/v1/staff/visits' ? { status: 200, data: { items: [late, open] } } : { status: 404 },
    );
  });

  it('lists visits in the server order (overdue first) with the 已超时 badge and the due time', async () => {
    render(<Workbench />);
    await screen.findByText('预约号 261122000010');
    const items = [...document.querySelectorAll('.visit-item')];
    expect(items.map((el) => el.textContent?.match(/预约号 (\d+)/)?.[1])).toEqual([
      '261122000010',
      '261122000011',
    ]);
    expect(items[0]!.textContent).toContain('已超时');
    expect(items[0]!.textContent).toContain('须于');
    expect(items[1]!.textContent).not.toContain('已超时');
    expect(items[1]!.textContent).toContain('尽快上门：接单后 1 小时内到达');
    expect(screen.getByText(/1 个已超时，请优先处理/)).toBeTruthy();

    fireEvent.click(items[1]!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/visit/index?id=${open.id}` });
  });

  it('is shown in large text when the person chose it', async () => {
    setLargeText(true);
    const { container } = render(<Workbench />);
    await screen.findByText('预约号 261122000010');
    expect(container.firstElementChild!.className).toContain('page--large');
  });

  it('shows a supervisor who is also an agent both 时效监管 and the queue', async () => {
    saveTokens(tokens(1, user({ roles: ['postal_agent', 'supervisor'] })));
    render(<Workbench />);
    await screen.findByText('预约号 261122000010');
    expect(screen.getByText('查看时效监管')).toBeTruthy();
  });
});
