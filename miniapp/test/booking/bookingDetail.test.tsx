import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import BookingDetail from '@/booking/pages/detail';
import MyBookings from '@/booking/pages/list';
import { type FakeReply, fakeBff, tokens } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { booking, slots } from './fixtures';

const id = booking().id;
const caseId = '7c2e0000-2222-4000-8000-000000000009';
const serve = (
  view: ReturnType<typeof booking>,
  extra: (path: string, method: string) => FakeReply | undefined = () => undefined,
) =>
  fakeBff(
    (req) =>
      extra(req.path, req.method) ??
      (req.path === `/api/v1/bookings/${id}` ? { status: 200, data: view } : { status: 404 }),
  );

describe('booking detail (预约详情)', () => {
  beforeEach(() => {
    saveTokens(tokens(1));
    setRouterParams({ id });
  });

  it('shows the one complete list of missing materials, and no cancel or reschedule', async () => {
    serve(
      booking({
        status: 'materials_incomplete',
        statusLabel: '材料不齐',
        missingItems: [
          { materialId: 'm-id', name: '居民身份证', reason: '未提供' },
          { materialId: 'm-proof', name: '终止或解除劳动关系证明', reason: '需2份，仅提供1份' },
        ],
      }),
    );
    render(<BookingDetail />);
    expect(await screen.findByText('材料不齐：还缺 2 项')).toBeTruthy();
    const list = document.querySelector('#missing-list')!;
    expect(list.textContent).toContain('1. 居民身份证');
    expect(list.textContent).toContain('未提供');
    expect(list.textContent).toContain('2. 终止或解除劳动关系证明');
    expect(list.textContent).toContain('需2份，仅提供1份');
    expect(screen.getByText('备齐后重新预约上门')).toBeTruthy();
    expect(screen.queryByText('取消预约')).toBeNull();
    expect(screen.queryByText('改约上门时间')).toBeNull();
  });

  it('offers sending an incomplete visit by bag (已备齐？扫描邮袋寄送), which opens the bag page for it', async () => {
    serve(
      booking({
        status: 'materials_incomplete',
        statusLabel: '材料不齐',
        missingItems: [{ materialId: 'm-id', name: '居民身份证', reason: '未提供' }],
        events: [
          {
            kind: 'status_changed',
            status: 'materials_incomplete',
            at: new Date().toISOString(),
            actor: 'agent',
            note: '缺少1项材料',
          },
        ],
      }),
    );
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('已备齐？扫描邮袋寄送'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/bag/pages/index/index?bookingId=${id}` });
  });

  it("once the visit was sent by bag: neither the bag nor re-booking, the case's progress instead", async () => {
    serve(
      booking({
        status: 'materials_incomplete',
        statusLabel: '材料不齐',
        missingItems: [{ materialId: 'm-id', name: '居民身份证', reason: '未提供' }],
        case: { id: caseId, status: 'awaiting_materials', statusLabel: '补齐材料寄送中' },
        events: [
          {
            kind: 'status_changed',
            status: 'materials_incomplete',
            at: new Date().toISOString(),
            actor: 'agent',
            note: null,
          },
        ],
      }),
    );
    render(<BookingDetail />);
    expect((await screen.findByText(/缺少的材料已用快递袋寄出/)).textContent).toContain('补齐材料寄送中');
    expect(screen.queryByText('已备齐？扫描邮袋寄送')).toBeNull();
    expect(screen.queryByText('备齐后重新预约上门')).toBeNull();
  });

  it('shows the case number once submitted, and copies the waybill number', async () => {
    serve(
      booking({
        status: 'case_submitted',
        statusLabel: '已提交审批',
        caseNumber: '44011226112200000042',
        waybillNo: '1100012345678',
        case: { id: caseId, status: 'in_progress', statusLabel: '办理中' },
        events: [
          {
            kind: 'created',
            status: 'requested',
            at: '2026-11-22T02:00:00.000Z',
            actor: 'resident',
            note: null,
          },
          {
            kind: 'status_changed',
            status: 'collected',
            at: '2026-11-22T03:00:00.000Z',
            actor: 'agent',
            note: null,
          },
          {
            kind: 'status_changed',
            status: 'case_submitted',
            at: '2026-11-22T03:05:00.000Z',
            actor: 'system',
            note: null,
          },
        ],
      }),
    );
    render(<BookingDetail />);
    expect(await screen.findByText('44011226112200000042')).toBeTruthy();
    expect(document.querySelector('.timeline__item--latest')?.textContent).toContain('已提交审批');
    const copies = screen.getAllByText('复制');
    fireEvent.click(copies[1]!);
    await waitFor(() => expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: '1100012345678' }));
    // The case exists from collection on: its progress is one tap away.
    fireEvent.click(screen.getByText('查看办件进度'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/cases/pages/detail/index?id=${caseId}` });
  });

  it('shows the case’s status once there is a case, not the booking’s last step (one truth)', async () => {
    serve(
      booking({
        status: 'case_submitted',
        statusLabel: '已提交审批',
        caseNumber: '44011226112200000042',
        case: { id: caseId, status: 'supplement_required', statusLabel: '待补齐补正' },
      }),
    );
    render(<BookingDetail />);
    await screen.findByText('44011226112200000042');
    const head = document.querySelector('.booking-detail .card')!;
    expect(head.querySelector('.row')!.textContent).toContain('待补齐补正');
    expect(head.textContent).not.toContain('已提交审批');
    expect(document.querySelector('#booking-status-text')!.textContent).toContain('待补齐补正');
  });

  it('lists a booking with the case’s status once it has one', async () => {
    fakeBff((req) =>
      req.path === '/api/v1/bookings'
        ? {
            status: 200,
            data: {
              items: [
                booking({
                  status: 'handed_over',
                  statusLabel: '材料已交寄',
                  case: { id: caseId, status: 'delivered', statusLabel: '已送达' },
                }),
              ],
            },
          }
        : { status: 404 },
    );
    render(<MyBookings />);
    const item = (await screen.findByText('已送达')).closest('.booking-item')!;
    expect(item.textContent).not.toContain('材料已交寄');
    // Its case is over, so the booking counts as over too.
    fireEvent.click(screen.getByText('已结束'));
    expect(document.querySelectorAll('.booking-item')).toHaveLength(1);
  });

  it('shows who is coming once accepted, the phone masked, and calls the full number on a tap', async () => {
    serve(
      booking({
        status: 'assigned',
        statusLabel: '专员已接单',
        agent: { name: '赵敏', staffNo: 'HP0012', phone: '139****0012' },
      }),
      (path) =>
        path === `/api/v1/bookings/${id}/agent-phone`
          ? { status: 200, data: { phone: '13922200012' } }
          : undefined,
    );
    render(<BookingDetail />);
    const card = (await screen.findByText('上门专员')).closest('#booking-agent')!;
    expect(card.textContent).toContain('赵敏');
    expect(card.textContent).toContain('HP0012');
    expect(card.textContent).toContain('139****0012');
    expect(card.textContent).not.toContain('13922200012');
    fireEvent.click(screen.getByText('拨打专员电话'));
    await waitFor(() => expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13922200012' }));
  });

  it('books again from a visit that found materials missing, starting from that booking', async () => {
    serve(
      booking({
        status: 'materials_incomplete',
        statusLabel: '材料不齐',
        missingItems: [{ materialId: 'm-id', name: '居民身份证', reason: '未提供' }],
      }),
    );
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('备齐后重新预约上门'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: `/booking/pages/index/index?matterCode=${encodeURIComponent(booking().matter.code)}&from=${id}`,
    });
  });

  it('links to the case progress only once the materials are collected', async () => {
    serve(booking({ status: 'en_route', statusLabel: '专员已出发' }));
    render(<BookingDetail />);
    await screen.findByText('专员已出发，请保持电话畅通，备好材料。');
    expect(screen.queryByText('查看办件进度')).toBeNull();
  });

  it('cancels while the agent is not yet on the way', async () => {
    const log = serve(booking(), (path, method) =>
      method === 'POST' && path === `/api/v1/bookings/${id}/cancel`
        ? {
            status: 200,
            data: booking({ status: 'cancelled', statusLabel: '已取消', cancelReason: '已在网点办理' }),
          }
        : undefined,
    );
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('取消预约'));
    const reason = document.querySelector('#booking-cancel-reason input, input#booking-cancel-reason')!;
    fireEvent.input(reason, { target: { value: '已在网点办理' } });
    fireEvent.click(screen.getByText('确认取消预约'));
    await waitFor(() => expect(screen.getByText('预约已取消。')).toBeTruthy());
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({ reason: '已在网点办理' });
    expect(screen.queryByText('改约上门时间')).toBeNull();
  });

  it('moves the visit to another slot', async () => {
    const log = serve(booking(), (path, method) => {
      if (path.startsWith('/api/v1/bookings/slots')) return { status: 200, data: slots };
      if (method === 'POST' && path === `/api/v1/bookings/${id}/reschedule`)
        return {
          status: 200,
          data: booking({
            window: { kind: 'slot', start: slots.slots[1]!.start, end: slots.slots[1]!.end },
            events: [
              {
                kind: 'created',
                status: 'requested',
                at: '2026-11-22T02:00:00.000Z',
                actor: 'resident',
                note: null,
              },
              // The timeline reads the kind: the status stays and there is no note to match on.
              {
                kind: 'rescheduled',
                status: 'requested',
                at: '2026-11-22T02:10:00.000Z',
                actor: 'resident',
                note: null,
              },
            ],
          }),
        };
      return undefined;
    });
    render(<BookingDetail />);
    fireEvent.click(await screen.findByText('改约上门时间'));
    fireEvent.click(await screen.findByText('14:00–16:00'));
    fireEvent.click(screen.getByText('确认改约'));
    await waitFor(() => expect(screen.getByText('11月24日 周二 14:00–16:00')).toBeTruthy());
    expect(document.querySelector('.timeline__item--latest')?.textContent).toContain('已改约上门时间');
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({
      window: { kind: 'slot', slotId: slots.slots[1]!.id },
    });
    expect(log.find((r) => r.path.startsWith('/api/v1/bookings/slots'))!.path).toContain(
      `county=${encodeURIComponent('黄埔区')}`,
    );
  });

  it('says why when the booking cannot be loaded', async () => {
    fakeBff(() => ({
      status: 404,
      data: { error: { code: 'BOOKING_NOT_FOUND', message: '没有找到该预约' } },
    }));
    render(<BookingDetail />);
    expect(await screen.findByText('没有找到该预约')).toBeTruthy();
  });
});
