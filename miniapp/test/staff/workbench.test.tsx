import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { StaffList, WorkItemDetail, WorkItemList, WorkItemSummary } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import WorkbenchPage from '@/staff/pages/workbench';
import { apiError, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { typeInto } from '../typeInto';

const base = '/api/v1/workbench/items';
const stuckId = '9b1d2f6e-1111-4000-8000-000000000001';
const ticketItemId = '9b1d2f6e-1111-4000-8000-000000000002';
const ticketId = '7a1d2f6e-2222-4000-8000-000000000002';

function summary(over: Partial<WorkItemSummary> = {}): WorkItemSummary {
  return {
    id: stuckId,
    kind: 'stuck_case',
    sourceKind: 'case_stuck',
    status: 'open',
    title: '办件提交受阻',
    detail: '任务 gov.submit 已停止重试：平台拒收',
    matterName: '失业保险金申领',
    caseNumber: '44011226112200000042',
    bookingNumber: null,
    waybillNo: null,
    dueAt: null,
    raisedAt: '2026-12-01T02:00:00.000Z',
    openedAt: '2026-12-01T02:05:00.000Z',
    assignee: null,
    ticketId: null,
    closed: null,
    ...over,
  };
}
const ticketItem = summary({
  id: ticketItemId,
  kind: 'ticket',
  sourceKind: 'visit',
  title: '差评整改：上门收件 · 不满意',
  detail: '不满意原因：上门或送达不及时；整改期限 2026-12-08',
  ticketId,
});
const staff: StaffList = {
  items: [
    {
      id: 'u-agent',
      roles: ['resident', 'postal_agent'],
      name: '赵*',
      staffNo: 'HP0012',
      outlet: { id: 'HP-PO-01', name: '黄埔邮政支局', kind: 'post_office' },
    },
  ],
};

/** A fake BFF keeping the items and moving them as the real one does (close needs an outcome). */
function server(role: 'supervisor' | 'postal_agent', start: WorkItemSummary[] = [summary(), ticketItem]) {
  let items = start;
  const events = new Map<string, WorkItemDetail['events']>(
    start.map((i) => [
      i.id,
      [{ id: `${i.id}-0`, kind: 'opened', by: '系统', at: i.openedAt, note: null, assignee: null }],
    ]),
  );
  const me = role === 'supervisor' ? 'u-super' : 'u-agent';
  const detail = (i: WorkItemSummary): WorkItemDetail => ({
    ...i,
    events: events.get(i.id) ?? [],
    canAssign: role === 'supervisor' && i.status !== 'closed',
    canAcknowledge: i.status === 'open' && i.assignee?.id === me,
    canNote: i.status !== 'closed',
    canClose: i.status !== 'closed' && i.kind !== 'ticket',
  });
  const update = (
    id: string,
    change: Partial<WorkItemSummary>,
    event: Omit<WorkItemDetail['events'][number], 'id'>,
  ) => {
    items = items.map((i) => (i.id === id ? { ...i, ...change } : i));
    events.set(id, [...(events.get(id) ?? []), { ...event, id: `${id}-${events.get(id)?.length}` }]);
  };
  const at = '2026-12-02T03:00:00.000Z';
  const log = fakeBff((req: FakeRequest) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const [path, query = ''] = req.path.split('?');
    if (path === base) {
      const params = new URLSearchParams(query);
      const shown = items.filter(
        (i) =>
          (!params.get('kind') || i.kind === params.get('kind')) &&
          (params.get('mine') !== 'true' || i.assignee?.id === me),
      );
      const list: WorkItemList = {
        items: shown,
        counts: { stuck_case: 1, ticket: 1 },
        mine: items.filter((i) => i.assignee?.id === me).length,
      };
      return { status: 200, data: list };
    }
    if (path === '/api/v1/supervision/staff') return { status: 200, data: staff };
    const [, id, step] = path!.slice(base.length).split('/');
    const item = items.find((i) => i.id === id);
    if (!item) return apiError(404, 'WORKBENCH_ITEM_NOT_FOUND', '没有找到该待办事项，请刷新工作台后查看');
    if (!step) return { status: 200, data: detail(item) };
    if (step === 'assign') {
      update(
        id!,
        { assignee: { id: body.assigneeId!, label: 'HP0012 赵*' }, status: 'open' },
        { kind: 'assigned', by: 'S0001 钱*', at, note: null, assignee: 'HP0012 赵*' },
      );
      return { status: 204 };
    }
    if (step === 'acknowledge') {
      update(
        id!,
        { status: 'acknowledged' },
        { kind: 'acknowledged', by: 'HP0012 赵*', at, note: null, assignee: null },
      );
      return { status: 204 };
    }
    if (step === 'close') {
      if (!body.outcome?.trim())
        return apiError(400, 'WORKBENCH_OUTCOME_REQUIRED', '请写明处理结果（至少2个字）再办结');
      update(
        id!,
        { status: 'closed', closed: { by: 'HP0012 赵*', at, outcome: body.outcome } },
        { kind: 'closed', by: 'HP0012 赵*', at, note: body.outcome, assignee: null },
      );
      return { status: 204 };
    }
    return { status: 404 };
  });
  return log;
}
const posts = (log: FakeRequest[]) =>
  log.filter((r) => r.method === 'POST').map((r) => [r.path.split('/').pop(), r.body]);
const rows = () => [...document.querySelectorAll('.desk-item')];

describe('监管工作台 (supervisor)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ id: 'u-super', roles: ['resident', 'supervisor'] })));
    setRouterParams({});
  });

  it('shows counts per kind as filters, filters by kind, and says who is named', async () => {
    const log = server('supervisor');
    render(<WorkbenchPage />);
    await screen.findByText('办件提交受阻');
    const chips = [...document.querySelectorAll('[aria-label="类别"] .chip')].map((c) => c.textContent);
    expect(chips).toEqual([
      '全部 2',
      '超时预警 0',
      '签收存疑 0',
      '物流异常 0',
      '任务失败 0',
      '办件停滞 1',
      '整改工单 1',
    ]);
    expect(rows()).toHaveLength(2);
    expect(rows()[0]!.textContent).toContain('负责人：待指派');
    fireEvent.click(screen.getByText('整改工单 1'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(log.some((r) => r.path === `${base}?kind=ticket`)).toBe(true);
    expect(screen.getByText('差评整改：上门收件 · 不满意')).toBeTruthy();
  });

  it('assigns an item to a named staff member; the history keeps who and when', async () => {
    const log = server('supervisor');
    render(<WorkbenchPage />);
    fireEvent.click(await screen.findByText('办件提交受阻'));
    await screen.findByText('处理记录');
    fireEvent.click(screen.getByText('确认指派'));
    expect(await screen.findByText('请选择负责人')).toBeTruthy();
    fireEvent.click(await screen.findByText('HP0012 · 赵* · 黄埔邮政支局'));
    fireEvent.click(screen.getByText('确认指派'));
    await waitFor(() => expect(document.querySelector('#work-assignee')!.textContent).toBe('HP0012 赵*'));
    expect(document.querySelector('#work-history')!.textContent).toContain('S0001 钱* 指派 → HP0012 赵*');
    expect(posts(log)).toEqual([['assign', { assigneeId: 'u-agent' }]]);
  });

  it('sends a ticket to its own page to be called back and closed', async () => {
    server('supervisor');
    render(<WorkbenchPage />);
    fireEvent.click(await screen.findByText('差评整改：上门收件 · 不满意'));
    fireEvent.click(await screen.findByText('打开整改工单'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/ticket/index?id=${ticketId}` });
    expect(document.querySelector('#work-close')).toBeNull();
  });
});

describe('我的待办 (the assignee)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ id: 'u-agent', roles: ['resident', 'postal_agent'] })));
  });

  it('opens the item the message named, acknowledges it, refuses a close without outcome, then closes', async () => {
    setRouterParams({ id: stuckId });
    const log = server('postal_agent', [summary({ assignee: { id: 'u-agent', label: 'HP0012 赵*' } })]);
    render(<WorkbenchPage />);
    // Other staff see only their own: the list asks for mine.
    await waitFor(() => expect(log.some((r) => r.path === `${base}?mine=true`)).toBe(true));
    fireEvent.click(await screen.findByText('确认接手'));
    await waitFor(() => expect(document.querySelector('#work-acknowledge')).toBeNull());
    const closeButton = () => screen.getByText('确认办结');
    fireEvent.click(closeButton());
    expect(await screen.findByText('请写明处理结果（至少2个字）再办结')).toBeTruthy();
    expect(posts(log)).toEqual([['acknowledge', {}]]);
    await typeInto('#work-close', '材料已补交，平台重新受理');
    fireEvent.click(closeButton());
    await waitFor(() =>
      expect(document.querySelector('#work-outcome')?.textContent).toBe('材料已补交，平台重新受理'),
    );
    expect(document.querySelector('#work-close')).toBeNull();
    expect(posts(log)).toEqual([
      ['acknowledge', {}],
      ['close', { outcome: '材料已补交，平台重新受理' }],
    ]);
  });
});
