import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import type { StaffList, TicketDetail } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import TicketPage from '@/staff/pages/ticket';
import TicketsPage from '@/staff/pages/tickets';
import { apiError, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { typeInto } from '../typeInto';

const ticketId = '7a1d2f6e-2222-4000-8000-000000000002';
const base = `/api/v1/supervision/tickets/${ticketId}`;

function ticket(over: Partial<TicketDetail> = {}): TicketDetail {
  return {
    id: ticketId,
    status: 'open',
    caseNumber: '44011226112200000042',
    matterName: '失业保险金申领',
    stage: 'completion',
    level: 2,
    tags: ['slow', 'repeat_trips'],
    dueAt: '2026-12-08T15:59:59.999Z',
    dueDate: '2026-12-08',
    dueProvisional: false,
    overdue: false,
    assignee: null,
    createdAt: '2026-12-01T02:00:00.000Z',
    indicators: { overall: 2, efficiency: 1, guide_accuracy: 3, convenience: 2, usability: 3 },
    comment: '材料被要求补了两次',
    assigned: null,
    callback: null,
    closed: null,
    appeal: null,
    canAssign: true,
    canWork: false,
    ...over,
  };
}
const staff: StaffList = {
  items: [
    {
      id: 'u-clerk',
      roles: ['resident', 'centre_clerk'],
      name: '王*',
      staffNo: 'C0007',
      outlet: { id: 'HP-SC-01', name: '黄埔区政务服务中心', kind: 'service_centre' },
    },
  ],
};

/** A fake BFF that keeps the ticket and moves it as the real one does (close refused without a call-back). */
function server(start: TicketDetail) {
  let t = start;
  const log = fakeBff((req: FakeRequest) => {
    const body = req.body as Record<string, string>;
    if (req.path === base) return { status: 200, data: t };
    if (req.path === '/api/v1/supervision/staff') return { status: 200, data: staff };
    if (req.path === `${base}/assign`) {
      t = {
        ...t,
        status: 'assigned',
        assignee: { id: body.assigneeId!, label: 'C0007 王*' },
        assigned: { by: 'S0001 李*', at: '2026-12-01T03:00:00.000Z' },
        canWork: true,
      };
      return { status: 204 };
    }
    if (req.path === `${base}/callback`) {
      t = {
        ...t,
        callback: {
          by: 'C0007 王*',
          at: '2026-12-02T03:00:00.000Z',
          outcome: body.outcome as 'satisfied',
          note: body.note!,
        },
      };
      return { status: 204 };
    }
    if (req.path === `${base}/close`) {
      if (!t.callback)
        return apiError(409, 'TICKET_CALLBACK_REQUIRED', '请先回访评价人并记录回访结果，再办结工单');
      t = {
        ...t,
        status: 'closed',
        closed: { by: 'C0007 王*', at: '2026-12-02T04:00:00.000Z', reply: body.reply! },
        canWork: false,
        canAssign: false,
      };
      return { status: 204 };
    }
    if (req.path === `${base}/void`) {
      t = {
        ...t,
        status: 'voided',
        appeal: { by: 'S0001 李*', at: '2026-12-02T04:00:00.000Z', reason: body.reason! },
        canWork: false,
        canAssign: false,
      };
      return { status: 204 };
    }
    return { status: 404 };
  });
  return log;
}
const posts = (log: FakeRequest[]) =>
  log.filter((r) => r.method === 'POST').map((r) => [r.path.split('/').pop(), r.body]);
const type = (card: string, text: string) => typeInto(`#${card}`, text);

describe('整改工单 (supervisor)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] })));
    setRouterParams({ id: ticketId });
  });

  it('lists tickets and opens one', async () => {
    fakeBff((req) =>
      req.path === '/api/v1/supervision/tickets'
        ? { status: 200, data: { items: [{ ...ticket(), overdue: true }] } }
        : { status: 404 },
    );
    render(<TicketsPage />);
    expect(await screen.findByText('失业保险金申领')).toBeTruthy();
    expect(screen.getByText('已超期')).toBeTruthy();
    expect(screen.getByText(/负责人：待指派/)).toBeTruthy();
    fireEvent.click(document.querySelector(`#ticket-${ticketId}`)!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/ticket/index?id=${ticketId}` });
  });

  it('assigns, records the call-back before closing is offered, and closes with a reply', async () => {
    const log = server(ticket());
    render(<TicketPage />);
    expect(await screen.findByText('材料被要求补了两次')).toBeTruthy();
    expect(screen.getByText('办理效率低、材料反复要求、多次跑动')).toBeTruthy();
    expect(document.querySelector('#ticket-callback')).toBeNull();

    fireEvent.click(screen.getByText('确认指派'));
    expect(await screen.findByText('请选择整改负责人')).toBeTruthy();
    fireEvent.click(await screen.findByText('C0007 · 王* · 黄埔区政务服务中心'));
    fireEvent.click(screen.getByText('确认指派'));
    expect(await screen.findByText('回访记录（必填）')).toBeTruthy();
    // No call-back yet: closing is not offered, only what it needs.
    expect(document.querySelector('#ticket-close')).toBeNull();
    expect(screen.getByText('回访并记录结果后才能办结工单。')).toBeTruthy();

    fireEvent.click(screen.getByText('回访满意'));
    await type('ticket-callback', '电话回访，群众表示理解');
    fireEvent.click(screen.getByText('保存回访记录'));
    expect(await screen.findByText('整改答复并办结')).toBeTruthy();
    await type('ticket-close', '已督促窗口一次性告知材料清单');
    fireEvent.click(screen.getByText('办结工单'));
    expect(await screen.findByText('已办结')).toBeTruthy();
    expect(document.querySelector('#ticket-history')!.textContent).toContain('已督促窗口一次性告知材料清单');
    expect(posts(log)).toEqual([
      ['assign', { assigneeId: 'u-clerk' }],
      ['callback', { outcome: 'satisfied', note: '电话回访，群众表示理解' }],
      ['close', { reply: '已督促窗口一次性告知材料清单' }],
    ]);
  });

  it('shows the server’s refusal to close without a call-back', async () => {
    // A stale page offers closing; the server's record has no call-back and refuses.
    const log = fakeBff((req) => {
      if (req.path === base)
        return {
          status: 200,
          data: ticket({
            status: 'assigned',
            canWork: true,
            callback: { by: 'x', at: '2026-12-02T03:00:00.000Z', outcome: 'satisfied', note: '已回访' },
          }),
        };
      if (req.path === `${base}/close`)
        return apiError(409, 'TICKET_CALLBACK_REQUIRED', '请先回访评价人并记录回访结果，再办结工单');
      return { status: 404 };
    });
    render(<TicketPage />);
    const close = await screen.findByText('办结工单');
    await type('ticket-close', '已督促窗口一次性告知材料清单');
    fireEvent.click(close);
    expect(await screen.findByText('请先回访评价人并记录回访结果，再办结工单')).toBeTruthy();
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('voids a malicious rating through a recorded appeal', async () => {
    const log = server(ticket());
    render(<TicketPage />);
    fireEvent.click(await screen.findByText('申诉并撤销评价'));
    expect(await screen.findByText('请写明申诉理由（至少5个字）')).toBeTruthy();
    await type('ticket-appeal', '录音核实，评价内容不属实');
    fireEvent.click(screen.getByText('申诉并撤销评价'));
    expect(await screen.findByText('已申诉撤销')).toBeTruthy();
    expect(posts(log)).toEqual([['void', { reason: '录音核实，评价内容不属实' }]]);
    expect(document.querySelector('#ticket-appeal')).toBeNull();
  });
});
