import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CaseEvaluations, EvaluationView } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import CaseProgress from '@/cases/pages/detail';
import Evaluate from '@/cases/pages/evaluate';
import { apiError, fakeBff, tokens } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { typeInto } from '../typeInto';
import { caseDetail, caseId, subscriptions } from './fixtures';

const online = ['overall', 'efficiency', 'guide_accuracy', 'convenience', 'usability'];
const onSite = ['overall', 'efficiency', 'conduct', 'attitude'];

function evaluations(
  over: Partial<Record<'visit' | 'completion' | 'delivery', EvaluationView | null>> = {},
  reached = ['visit', 'completion'],
): CaseEvaluations {
  return {
    caseId,
    matterName: '失业保险金申领',
    stages: (['visit', 'completion', 'delivery'] as const).map((stage) => ({
      stage,
      reached: reached.includes(stage),
      indicators: stage === 'visit' ? onSite : online,
      evaluation: over[stage] ?? null,
    })),
  };
}
const given = (over: Partial<EvaluationView> = {}): EvaluationView => ({
  id: 'e-1',
  stage: 'completion',
  level: 2,
  indicators: Object.fromEntries(online.map((k) => [k, 2])),
  tags: ['slow'],
  comment: '等了很久才办好',
  createdAt: '2026-12-01T02:00:00.000Z',
  voided: false,
  reply: null,
  rectifying: true,
  ...over,
});

/** Clicks the n-th star of an indicator's Rate. */
function star(indicator: string, n: number) {
  const stars = document.querySelectorAll(`#indicator-${indicator} .nut-rate-item`);
  if (stars.length !== 5) throw new Error(`expected 5 stars for ${indicator}, found ${stars.length}`);
  fireEvent.click(stars[n - 1]!.querySelector('.nut-rate-item-icon') ?? stars[n - 1]!);
}

describe('服务评价 on the case page', () => {
  beforeEach(() => saveTokens(tokens(1)));

  it('offers 评价 for each stage that is done, and shows a given rating with its reply', async () => {
    setRouterParams({ id: caseId });
    fakeBff((req) => {
      if (req.path === `/api/v1/cases/${caseId}`) return { status: 200, data: caseDetail() };
      if (req.path === '/api/v1/me/subscriptions') return { status: 200, data: subscriptions() };
      if (req.path === `/api/v1/cases/${caseId}/evaluations`)
        return {
          status: 200,
          data: evaluations({
            completion: given({
              rectifying: false,
              reply: { text: '已督促窗口整改并向您致歉', at: '2026-12-03T02:00:00.000Z' },
            }),
          }),
        };
      return { status: 404 };
    });
    render(<CaseProgress />);
    const card = await waitFor(() => {
      const el = document.querySelector('#case-evaluations');
      if (!el) throw new Error('not yet');
      return el as HTMLElement;
    });
    expect(card.querySelector('#evaluation-visit')!.textContent).toContain('评价');
    expect(card.querySelector('#evaluation-delivery')).toBeNull(); // not reached: nothing offered
    expect(card.querySelector('#evaluation-completion')!.textContent).toContain('您的评价：不满意');
    expect(card.querySelector('#evaluation-completion')!.textContent).toContain(
      '整改答复：已督促窗口整改并向您致歉',
    );
    fireEvent.click(screen.getByText('评价'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: `/cases/pages/evaluate/index?id=${caseId}&stage=visit`,
    });
  });
});

describe('评价 page', () => {
  beforeEach(() => saveTokens(tokens(1)));

  it('asks for reasons and details on a bad level before sending, then shows the rating', async () => {
    setRouterParams({ id: caseId, stage: 'completion' });
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/cases/${caseId}/evaluations`) return { status: 200, data: evaluations() };
      if (req.method === 'POST' && req.path === `/api/v1/cases/${caseId}/evaluations/completion`)
        return { status: 201, data: given() };
      return { status: 404 };
    });
    render(<Evaluate />);
    expect(await screen.findByText('评价环节：办结')).toBeTruthy();
    for (const label of ['整体满意度', '办事效率', '办事指南精确度', '办事便捷度', '平台操作性'])
      expect(screen.getByText(label)).toBeTruthy();
    expect(screen.queryByText('服务态度')).toBeNull();

    fireEvent.click(screen.getByText('提交评价'));
    expect(await screen.findByText('请选择总体评价')).toBeTruthy();
    expect(screen.getByText('请为每项指标打分')).toBeTruthy();

    fireEvent.click(screen.getByText('不满意'));
    for (const k of online) star(k, 2);
    expect(await screen.findByText('不满意的原因（必填）')).toBeTruthy();
    fireEvent.click(screen.getByText('提交评价'));
    expect(await screen.findByText('请至少勾选一项不满意的原因')).toBeTruthy();
    expect(screen.getByText('请写明具体情况（至少5个字）')).toBeTruthy();
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.click(screen.getByText('办理效率低'));
    await typeInto('#evaluate-form', '等了很久才办好');
    fireEvent.click(screen.getByText('提交评价'));
    expect(await screen.findByText('感谢您的评价！')).toBeTruthy();
    const sent = log.find((r) => r.method === 'POST')!;
    expect(sent.body).toEqual({
      level: 2,
      indicators: Object.fromEntries(online.map((k) => [k, 2])),
      tags: ['slow'],
      comment: '等了很久才办好',
    });
    expect(screen.getByText(/已转交整改/)).toBeTruthy();
  });

  it('rates the agent’s visit on the on-site indicators and shows the server’s refusal', async () => {
    setRouterParams({ id: caseId, stage: 'visit' });
    fakeBff((req) => {
      if (req.path === `/api/v1/cases/${caseId}/evaluations`) return { status: 200, data: evaluations() };
      if (req.method === 'POST')
        return apiError(409, 'EVALUATION_ALREADY_SUBMITTED', '这一环节您已经评价过了，每个环节只能评价一次');
      return { status: 404 };
    });
    render(<Evaluate />);
    expect(await screen.findByText('服务态度')).toBeTruthy();
    expect(screen.queryByText('平台操作性')).toBeNull();
    fireEvent.click(screen.getByText('非常满意'));
    for (const k of onSite) star(k, 5);
    expect(screen.queryByText('不满意的原因（必填）')).toBeNull();
    fireEvent.click(screen.getByText('提交评价'));
    expect(await screen.findByText('这一环节您已经评价过了，每个环节只能评价一次')).toBeTruthy();
  });

  it('names the on-site stage of a window case as the server does (网点窗口办理)', async () => {
    setRouterParams({ id: caseId, stage: 'visit' });
    const data = evaluations();
    data.stages[0] = { ...data.stages[0]!, label: '网点窗口办理' };
    fakeBff(() => ({ status: 200, data }));
    render(<Evaluate />);
    expect(await screen.findByText('评价环节：网点窗口办理')).toBeTruthy();
    expect(screen.queryByText('评价环节：上门收件')).toBeNull();
  });

  it('shows a stage not yet done, and a given rating with the reply', async () => {
    setRouterParams({ id: caseId, stage: 'delivery' });
    fakeBff(() => ({ status: 200, data: evaluations() }));
    const { unmount } = render(<Evaluate />);
    expect(await screen.findByText('这一环节还没有完成')).toBeTruthy();
    unmount();
    setRouterParams({ id: caseId, stage: 'completion' });
    fakeBff(() => ({
      status: 200,
      data: evaluations({
        completion: given({ rectifying: false, reply: { text: '已整改', at: '2026-12-03T02:00:00.000Z' } }),
      }),
    }));
    render(<Evaluate />);
    expect(await screen.findByText('整改答复：已整改')).toBeTruthy();
    expect(screen.getByText('不满意原因：办理效率低')).toBeTruthy();
    expect(screen.queryByText('提交评价')).toBeNull();
  });
});
