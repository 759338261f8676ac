import Taro from '@tarojs/taro';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import Workbench from '@/staff/pages/index';
import Supervision from '@/staff/pages/supervision';
import { breaches } from '../cases/fixtures';
import { fakeBff, tokens, user } from '../fakeBff';
import { pullDownRefresh } from '../taro-mock';

const path = '/api/v1/supervision/breaches';
const items = () => [...document.querySelectorAll('.breach-item')];
const tab = (label: RegExp) => screen.getByText(label);

describe('时效监管 (supervisor)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] })));
  });

  it('shows the counts per kind as filter tabs and filters the items', async () => {
    fakeBff((req) => (req.path === path ? { status: 200, data: breaches } : { status: 404 }));
    render(<Supervision />);
    await screen.findByText('接单后1小时内未上门');
    const labels = [...document.querySelectorAll('.chip')].map((c) => c.textContent);
    expect(labels).toEqual([
      '全部 3',
      '超时未接单 0',
      '上门未到达 1',
      '上门超时 0',
      '证照未送达 0',
      '证照送达超时 1',
      '物流异常 1',
      '办件超期 0',
      '办件提交受阻 0',
      '补正逾期未寄 0',
      '材料交接异常 0',
      '拨付超期 0',
    ]);
    expect(items()).toHaveLength(3);
    expect(document.querySelector('#breach-summary')!.textContent).toBe('2 项未解决，请优先跟进');

    fireEvent.click(tab(/^物流异常 1$/));
    expect(items()).toHaveLength(1);
    expect(items()[0]!.textContent).toContain('他人代收未登记关系和证件');

    fireEvent.click(tab(/^上门超时 0$/));
    expect(items()).toHaveLength(0);
    expect(screen.getByText('没有上门超时')).toBeTruthy();

    fireEvent.click(tab(/^全部 3$/));
    expect(items()).toHaveLength(3);
  });

  it('says how late in plain words, with the numbers, and outstanding vs resolved', async () => {
    fakeBff((req) => (req.path === path ? { status: 200, data: breaches } : { status: 404 }));
    render(<Supervision />);
    await screen.findByText('接单后1小时内未上门');
    const [notReached, resultLate, exception] = items();

    expect(notReached!.className).toContain('breach-item--outstanding');
    expect(notReached!.textContent).toContain('未解决');
    expect(notReached!.textContent).toContain('超时 2 小时 5 分');
    expect(notReached!.textContent).toContain('预约号 261122000010');
    expect(notReached!.textContent).toContain('时限 11月23日 周一 10:00');
    expect(notReached!.textContent).toContain('专员尚未到达');

    // A working-day deadline: due Monday, delivered Wednesday.
    expect(resultLate!.className).not.toContain('breach-item--outstanding');
    expect(resultLate!.textContent).toContain('已解决');
    expect(resultLate!.textContent).toContain('超时 2 个工作日');
    expect(resultLate!.textContent).toContain('办件编号 44011226112000000003');
    expect(resultLate!.textContent).toContain('运单号 1100098765432');
    expect(resultLate!.textContent).toContain('完成于 11月25日 周三 11:00');

    // Exceptions have no deadline: no lateness, when it happened instead.
    expect(exception!.textContent).not.toContain('超时');
    expect(exception!.className).toContain('breach-item--outstanding');
    expect(exception!.textContent).toContain('发生于 11月24日 周二 14:00');
    expect(exception!.textContent).toContain('代收人未登记与收件人关系和身份证件');
  });

  it('keeps a flagged delivery 待处理 until a supervisor marks it handled with a note', async () => {
    const [, , flagged] = breaches.items;
    let handled = false;
    const log = fakeBff((req) => {
      if (req.path === path) {
        const items = breaches.items.map((b) =>
          b === flagged && handled
            ? {
                ...b,
                outstanding: false,
                handled: { by: 'HP0099 李*', at: '2026-11-24T08:00:00.000Z', note: '已致电收件人核实' },
              }
            : b,
        );
        return { status: 200, data: { ...breaches, items } };
      }
      if (req.method === 'POST' && req.path === `/api/v1/supervision/findings/${flagged!.findingId}/handle`) {
        handled = true;
        return { status: 204 };
      }
      return { status: 404 };
    });
    render(<Supervision />);
    await screen.findByText('接单后1小时内未上门');
    const exception = () => items()[2]!;
    const state = () => exception().querySelector('.row')!.textContent;
    expect(state()).toContain('待处理');
    expect(state()).not.toContain('已处理');

    // A note is required: what was done.
    fireEvent.click(screen.getByText('标记已处理'));
    expect(exception().textContent).toContain('请写明处理情况');
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(0);

    const input = exception().querySelector('input') as HTMLInputElement;
    fireEvent.input(input, { target: { value: '已致电收件人核实' } });
    fireEvent.click(screen.getByText('标记已处理'));
    await waitFor(() => expect(state()).toContain('已处理'));
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({ note: '已致电收件人核实' });
    expect(exception().textContent).toContain('HP0099 李* 于 11月24日 周二 16:00 处理：已致电收件人核实');
    expect(exception().className).not.toContain('breach-item--outstanding');
    expect(screen.queryByText('标记已处理')).toBeNull();
  });

  it('reloads on pull-down and stops the indicator', async () => {
    let data = { items: [], counts: {} } as typeof breaches;
    const log = fakeBff((req) => (req.path === path ? { status: 200, data } : { status: 404 }));
    render(<Supervision />);
    expect(await screen.findByText('暂无超时或异常')).toBeTruthy();
    data = breaches;
    act(() => pullDownRefresh());
    await screen.findByText('接单后1小时内未上门');
    expect(log.filter((r) => r.path === path)).toHaveLength(2);
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalledTimes(1));
  });

  it('is closed to anyone who is not a supervisor, without calling the API', () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    const log = fakeBff(() => ({ status: 200, data: breaches }));
    render(<Supervision />);
    expect(screen.getByText('时效监管仅对监管/运营人员开放')).toBeTruthy();
    expect(log).toHaveLength(0);
  });

  it('is linked from the workbench for supervisors, who have no visit queue', async () => {
    const log = fakeBff(() => ({ status: 404 }));
    render(<Workbench />);
    fireEvent.click(screen.getByText('查看时效监管'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/pages/supervision/index' });
    expect(screen.queryByText('上门任务仅对政邮专员开放')).toBeNull();
    expect(log).toHaveLength(0);
  });
});
