import Taro from '@tarojs/taro';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CaseDetail } from '@zyt/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import CaseProgress from '@/cases/pages/detail';
import { setLargeText } from '@/settings/largeText';
import { type FakeReply, fakeBff, tokens } from '../fakeBff';
import { pullDownRefresh, setRouterParams } from '../taro-mock';
import { caseDetail, caseId, subscriptions } from './fixtures';

const serve = (view: () => CaseDetail, extra: (path: string) => FakeReply | undefined = () => undefined) =>
  fakeBff((req) => {
    if (req.path === `/api/v1/cases/${caseId}`) return { status: 200, data: view() };
    if (req.path === '/api/v1/me/subscriptions') return { status: 200, data: subscriptions() };
    return extra(req.path) ?? { status: 404 };
  });

/** A result delivered late, by a proxy without ID, on the second leg. */
const deliveredLate = () =>
  caseDetail({
    status: 'delivered',
    statusLabel: '已送达',
    nextStep: '证照已送达，办件已完成。',
    result: {
      documentName: '就业创业证',
      kind: 'physical',
      issuedAt: '2026-11-27T02:00:00.000Z',
      deliverBy: { date: '2026-12-01', provisional: false },
      deliveredAt: '2026-12-02T06:30:00.000Z',
      late: true,
    },
    shipments: [
      caseDetail().shipments[0]!,
      {
        leg: 'result_to_applicant',
        legLabel: '办理结果寄给您',
        waybillNo: '1100098765432',
        status: 'delivered',
        statusLabel: '已签收',
        flags: [
          { code: 'proxy_unverified', label: '他人代收未登记关系和证件', detail: '代收人：李四，未登记关系' },
        ],
      },
    ],
  });

/** The element once the page shows it. */
const shown = (selector: string) =>
  waitFor(() => {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el) throw new Error(`${selector} not shown yet`);
    return el;
  });

describe('办件进度 (case detail)', () => {
  beforeEach(() => {
    // Dates render relative to today (今天/明天): freeze the clock after every fixture date.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-10T04:00:00.000Z'));
    saveTokens(tokens(1));
    setRouterParams({ id: caseId });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens with the status, the promised completion date and the next step', async () => {
    serve(() => caseDetail());
    render(<CaseProgress />);
    expect(await screen.findByText('办理中')).toBeTruthy();
    expect(document.querySelector('#case-next-step')!.textContent).toBe(
      '政务服务中心正在审核您的材料，办结后证照将通过 EMS 寄给您。',
    );
    expect(document.querySelector('#case-promised')!.textContent).toBe('2026年12月4日 周五');
    expect(screen.queryByText(/节假日安排尚未公布/)).toBeNull();
    expect(screen.getByText('10 个工作日')).toBeTruthy();
    expect(document.querySelector('#case-number')!.textContent).toBe('44011226112200000042');
    expect(document.querySelector('#case-supplement')).toBeNull();
    expect(document.querySelector('#case-result')).toBeNull();
  });

  it('says a promised date is estimated while the holiday calendar is unpublished', async () => {
    serve(() => caseDetail({ promised: { date: '2027-01-08', provisional: true } }));
    render(<CaseProgress />);
    await screen.findByText('办理中');
    expect(document.querySelector('#case-promised')!.textContent).toBe('2027年1月8日 周五（预计）');
    expect(screen.getByText(/当年法定节假日安排尚未公布/)).toBeTruthy();
  });

  it('lists everything to supplement with the deadline', async () => {
    serve(() =>
      caseDetail({
        status: 'supplement_required',
        statusLabel: '待补齐补正',
        attention: true,
        supplement: {
          items: [
            { name: '劳动合同', reason: '缺少最后一页签字' },
            { name: '银行卡复印件', reason: '未提供' },
          ],
          deadline: '2026-11-30T15:59:59.999Z',
        },
      }),
    );
    render(<CaseProgress />);
    const card = await shown('#case-supplement');
    expect(card.textContent).toContain('需要补齐补正：共 2 项');
    expect(card.textContent).toContain('11月30日 周一 23:59 前一次补齐');
    expect(card.textContent).toContain('1. 劳动合同');
    expect(card.textContent).toContain('缺少最后一页签字');
    expect(card.textContent).toContain('2. 银行卡复印件');
    // 替你跑: a real way to send them, to the bag page with this case chosen.
    fireEvent.click(within(card as HTMLElement).getByText('扫快递袋寄材料'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/bag/pages/index/index?caseId=${caseId}` });
  });

  it('shows the result with its delivery deadline, when it arrived, and a warning when late', async () => {
    serve(deliveredLate);
    render(<CaseProgress />);
    const result = await shown('#case-result');
    expect(result.textContent).toContain('就业创业证');
    expect(document.querySelector('#case-deliver-by')!.textContent).toBe('2026年12月1日 周二前');
    expect(document.querySelector('#case-delivered-at')!.textContent).toBe('12月2日 周三 14:30');
    expect(within(result).getByRole('alert').textContent).toContain('送达晚于');
  });

  it('shows each EMS leg with its status and flags, and copies the waybill number', async () => {
    serve(deliveredLate);
    render(<CaseProgress />);
    await screen.findByText('办理结果寄给您');
    const legs = [...document.querySelectorAll('.case-shipment')];
    expect(legs.map((el) => el.querySelector('.case-section-title')!.textContent)).toEqual([
      '申请材料寄往政务中心',
      '办理结果寄给您',
    ]);
    expect(legs[1]!.textContent).toContain('已签收');
    const flag = legs[1]!.querySelector('.case-flag')!;
    expect(flag.textContent).toContain('他人代收未登记关系和证件');
    expect(flag.textContent).toContain('代收人：李四，未登记关系');
    expect(legs[0]!.querySelector('.case-flag')).toBeNull();

    fireEvent.click(within(legs[1] as HTMLElement).getByText('复制'));
    await waitFor(() => expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: '1100098765432' }));
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '运单号已复制', icon: 'none' }));
  });

  it('shows one timeline, newest first, in plain words: no EMS codes, government events with the stage', async () => {
    serve(() => caseDetail());
    render(<CaseProgress />);
    await screen.findByText('办理中');
    const items = [...document.querySelectorAll('.case-timeline__item')];
    expect(items.map((el) => el.querySelector('.case-timeline__title')!.textContent)).toEqual([
      '已受理',
      '申请材料寄往政务中心 · 已签收',
      '申请材料寄往政务中心 · 已揽收',
      '政邮专员已收取材料',
    ]);
    expect(items[0]!.className).toContain('case-timeline__item--latest');
    expect(items[0]!.querySelector('.case-timeline__marker')!.textContent).toBe('环节：受理');
    expect(items[1]!.querySelector('.case-timeline__marker')).toBeNull();
    expect(items[1]!.textContent).toContain('本人签收');
    expect(items[1]!.textContent).toContain('EMS · 申请材料寄往政务中心 · 1100012345678');
    expect(items[2]!.querySelector('.case-timeline__marker')).toBeNull();
    // The raw EMS codes stay in the API for support staff; a resident never sees them.
    const timeline = document.querySelector('#case-timeline')!.textContent!;
    for (const code of ['203', '704']) expect(timeline).not.toContain(code);
    expect(items[3]!.querySelector('.case-timeline__marker')).toBeNull();
  });

  it('a visit sent by bag: waiting for the materials in plain words, and the centre’s receipt with what is missing', async () => {
    serve(() =>
      caseDetail({
        status: 'awaiting_materials',
        statusLabel: '补齐材料寄送中',
        caseNumber: null,
        result: null,
        nextStep:
          '补齐的材料正由快递袋寄往政务服务中心，中心收齐后提交政务服务平台；如中心告知仍缺材料，请按清单补寄。',
        timeline: [
          { at: '2026-11-22T03:00:00.000Z', source: 'booking', title: '材料不齐' },
          {
            at: '2026-11-24T03:00:00.000Z',
            source: 'centre',
            title: '政务中心已收到补正材料',
            detail: '仍缺1项：户口簿，请按清单补寄',
          },
        ],
      }),
    );
    render(<CaseProgress />);
    await screen.findByText('补齐材料寄送中');
    expect(screen.getByText(/中心收齐后提交政务服务平台/)).toBeTruthy();
    const latest = document.querySelector('.case-timeline__item')!;
    expect(latest.querySelector('.case-timeline__title')!.textContent).toBe('政务中心已收到补正材料');
    expect(latest.textContent).toContain('仍缺1项：户口簿');
    expect(latest.textContent).toContain('政务服务中心');
  });

  it('reloads on pull-down and stops the indicator', async () => {
    let view = caseDetail();
    const log = serve(() => view);
    render(<CaseProgress />);
    await screen.findByText('办理中');
    view = caseDetail({ status: 'completed', statusLabel: '已办结', nextStep: '证照正在交寄 EMS。' });
    act(() => pullDownRefresh());
    expect(await screen.findByText('证照正在交寄 EMS。')).toBeTruthy();
    expect(log.filter((r) => r.path === `/api/v1/cases/${caseId}`)).toHaveLength(2);
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalledTimes(1));
  });

  it('offers the reminders still ahead for the case, and none once it is over', async () => {
    serve(() => caseDetail({ status: 'completed', statusLabel: '已办结' }));
    const { unmount } = render(<CaseProgress />);
    await screen.findByText('开启进度提醒');
    expect(screen.getByText(/证照寄出通知、签收通知/)).toBeTruthy();
    unmount();

    serve(deliveredLate);
    render(<CaseProgress />);
    await screen.findByText('已送达');
    expect(screen.queryByText('接收进度提醒')).toBeNull();
  });

  it('says why when the case is not there (someone else’s), with a retry', async () => {
    fakeBff(() => ({ status: 404, data: { error: { code: 'CASE_NOT_FOUND', message: '没有找到该办件' } } }));
    render(<CaseProgress />);
    expect(await screen.findByText('没有找到该办件')).toBeTruthy();
    expect(screen.getByText('重试')).toBeTruthy();
  });

  it('is shown in large text when the person chose it', async () => {
    setLargeText(true);
    serve(() => caseDetail());
    const { container } = render(<CaseProgress />);
    await screen.findByText('办理中');
    expect(container.firstElementChild!.className).toContain('page--large');
  });
});
