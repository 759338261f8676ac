import Taro from '@tarojs/taro';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, saveTokens } from '@/api/session';
import MyCases from '@/cases/pages/index';
import { setLargeText } from '@/settings/largeText';
import { fakeBff, tokens } from '../fakeBff';
import { pullDownRefresh } from '../taro-mock';
import { caseSummary } from './fixtures';

const supplement = caseSummary({
  id: '6f1d2f6e-1111-4000-8000-00000000000b',
  caseNumber: '44011226112200000043',
  matterName: '就业创业证申领',
  status: 'supplement_required',
  statusLabel: '待补齐补正',
  promised: { date: '2027-01-08', provisional: true },
  attention: true,
});
const submitting = caseSummary({
  id: '6f1d2f6e-1111-4000-8000-00000000000c',
  caseNumber: null,
  status: 'submitting',
  statusLabel: '材料已收取',
  promised: null,
});
const delivered = caseSummary({
  id: '6f1d2f6e-1111-4000-8000-00000000000d',
  status: 'delivered',
  statusLabel: '已送达',
});

const casesGets = (log: { path: string }[]) => log.filter((r) => r.path === '/api/v1/cases');

describe('我的办件 (case list)', () => {
  beforeEach(() => saveTokens(tokens(1)));

  it('lists each case with a status chip coloured by status, its number, promised date and attention', async () => {
    fakeBff((req) =>
      req.path === '/api/v1/cases'
        ? { status: 200, data: { items: [supplement, caseSummary(), submitting, delivered] } }
        : { status: 404 },
    );
    render(<MyCases />);
    await screen.findByText('就业创业证申领');
    const items = [...document.querySelectorAll('.case-item')];
    expect(items).toHaveLength(4);

    const chips = items.map((el) => el.querySelector('.case-status')!);
    expect(chips.map((c) => c.textContent)).toEqual(['待补齐补正', '办理中', '材料已收取', '已送达']);
    expect(chips[0]!.className).toContain('danger');
    expect(chips[1]!.className).toContain('primary');
    expect(chips[3]!.className).toContain('success');

    // Attention: marked and outlined.
    expect(items[0]!.className).toContain('case-item--attention');
    expect(items[0]!.textContent).toContain('需要您处理');
    expect(items[1]!.textContent).not.toContain('需要您处理');
    // Provisional promised date is marked as estimated.
    expect(items[0]!.textContent).toContain('承诺办结 2027年1月8日 周五（预计）');
    expect(items[1]!.textContent).toContain('办件编号 44011226112200000042');
    expect(items[1]!.textContent).toContain('承诺办结 2026年12月4日 周五');
    expect(items[1]!.textContent).not.toContain('预计');
    // Not yet taken by the platform: no number, no promised date.
    expect(items[2]!.textContent).toContain('办件编号 受理后生成');
    expect(items[2]!.textContent).not.toContain('承诺办结');

    fireEvent.click(items[1]!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/cases/pages/detail/index?id=${caseSummary().id}` });
  });

  it('reloads on pull-down and stops the indicator once the list is back', async () => {
    let items = [caseSummary()];
    const log = fakeBff((req) =>
      req.path === '/api/v1/cases' ? { status: 200, data: { items } } : { status: 404 },
    );
    render(<MyCases />);
    await screen.findByText('办理中');
    expect(casesGets(log)).toHaveLength(1);

    items = [caseSummary({ status: 'completed', statusLabel: '已办结' })];
    act(() => pullDownRefresh());
    expect(await screen.findByText('已办结')).toBeTruthy();
    expect(casesGets(log)).toHaveLength(2);
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalledTimes(1));
  });

  it('says so when there is no case yet, and offers to book a visit', async () => {
    fakeBff(() => ({ status: 200, data: { items: [] } }));
    render(<MyCases />);
    expect(await screen.findByText('还没有办件')).toBeTruthy();
    fireEvent.click(screen.getByText('预约上门收件'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/booking/pages/index/index' });
  });

  it('shows the error with a retry when the list cannot be loaded', async () => {
    let fail = true;
    fakeBff(() => (fail ? 'offline' : { status: 200, data: { items: [caseSummary()] } }));
    render(<MyCases />);
    expect(await screen.findByText('加载失败')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('失业保险金申领')).toBeTruthy();
  });

  it('follows large-text mode', async () => {
    setLargeText(true);
    fakeBff(() => ({ status: 200, data: { items: [caseSummary()] } }));
    const { container } = render(<MyCases />);
    await screen.findByText('失业保险金申领');
    expect(container.firstElementChild!.className).toContain('page--large');
  });

  it('asks a signed-out visitor to sign in, without calling the API', () => {
    clearSession();
    const log = fakeBff(() => ({ status: 200, data: { items: [] } }));
    render(<MyCases />);
    expect(screen.getByText('请先登录')).toBeTruthy();
    fireEvent.click(screen.getByText('去登录'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(log).toHaveLength(0);
  });
});
