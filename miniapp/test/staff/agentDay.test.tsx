import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { HandoverView } from '@zyt/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import BookingDetail from '@/booking/pages/detail';
import OutletDetail from '@/outlets/pages/detail';
import CentrePage from '@/staff/pages/centre';
import DayPage from '@/staff/pages/day';
import HandoverPage from '@/staff/pages/handover';
import Workbench from '@/staff/pages/index';
import Supervision from '@/staff/pages/supervision';
import VisitPage from '@/staff/pages/visit';
import { booking, visit } from '../booking/fixtures';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const id = visit().id;
const type = (selector: string, value: string) =>
  fireEvent.input(document.querySelector(`#${selector} input, input#${selector}`)!, { target: { value } });
const agent = () => saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));

describe('agent queue: outlet, order age and the acceptance promise', () => {
  beforeEach(agent);

  it("says the agent's outlet and, for each open order, its age and the time left to accept it", async () => {
    const now = Date.now();
    const open = visit({
      status: 'requested',
      statusLabel: '等待专员接单',
      mine: false,
      createdAt: new Date(now - 25 * 60_000 - 5_000).toISOString(),
      acceptBy: new Date(now + 35 * 60_000 - 5_000).toISOString(),
    });
    fakeBff((req) => {
      if (req.path === '/api/v1/staff/visits') return { status: 200, data: { items: [open] } };
      if (req.path === '/api/v1/staff/me')
        return {
          status: 200,
          data: { outlet: { id: 'HP-PO-01', name: '黄埔邮局', kind: 'post_office' }, promiseMinutes: 60 },
        };
      return { status: 404 };
    });
    render(<Workbench />);
    await screen.findByText(/已下单 25 分钟/);
    expect(screen.getByText(/距接单时限还剩 34 分钟/)).toBeTruthy();
    expect((await screen.findByText(/所属网点：黄埔邮局/)).textContent).toContain('下单后 60 分钟内须接单');
    fireEvent.click(screen.getByText('今日上门记录'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/pages/day/index' });
  });

  it('tells an agent without an outlet to ask a supervisor', async () => {
    fakeBff((req) => {
      if (req.path === '/api/v1/staff/visits') return { status: 200, data: { items: [] } };
      if (req.path === '/api/v1/staff/me') return { status: 200, data: { outlet: null, promiseMinutes: 60 } };
      return { status: 404 };
    });
    render(<Workbench />);
    expect((await screen.findByText(/还没有归属网点/)).textContent).toContain('请联系监管人员');
  });
});

describe('on the visit: note, call, navigation, hand-back', () => {
  beforeEach(() => {
    agent();
    setRouterParams({ id });
  });

  it("shows the resident's note, navigates to the marked door and hands the visit back with a reason", async () => {
    const assigned = visit({
      status: 'assigned',
      statusLabel: '专员已接单',
      note: '门铃坏了，到了请打电话',
      location: { lat: 23.1066, lng: 113.4581 },
    });
    const log = fakeBff((req) => {
      if (req.method === 'GET' && req.path === `/api/v1/staff/visits/${id}`)
        return { status: 200, data: assigned };
      if (req.method === 'POST' && req.path === `/api/v1/staff/visits/${id}/hand-back`)
        return {
          status: 200,
          data: visit({ status: 'requested', statusLabel: '等待专员接单', mine: false }),
        };
      return { status: 404 };
    });
    render(<VisitPage />);
    expect((await screen.findByText('门铃坏了，到了请打电话')).textContent).toBeTruthy();
    fireEvent.click(screen.getByText('导航到上门地址'));
    expect(Taro.openLocation).toHaveBeenCalledWith(
      expect.objectContaining({ latitude: 23.1066, longitude: 113.4581 }),
    );
    fireEvent.click(screen.getByText('拨打电话 13800138000'));
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13800138000' });

    fireEvent.click(screen.getByText('转交其他专员（AB岗）'));
    // No reason yet: nothing is sent.
    fireEvent.click(screen.getByText('确认转交'));
    expect(log.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByText('车辆故障，无法按时上门'));
    fireEvent.click(screen.getByText('确认转交'));
    await waitFor(() => expect(log.some((r) => r.method === 'POST')).toBe(true));
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({ reason: '车辆故障，无法按时上门' });
    await waitFor(() => expect(screen.getByText('等待专员接单')).toBeTruthy());
    expect(screen.queryByText('门铃坏了，到了请打电话')).toBeNull();
  });

  it('says when the visit cannot be handed back any more (409)', async () => {
    fakeBff((req) => {
      if (req.path.endsWith('/photos')) return { status: 200, data: { items: [] } };
      if (req.method === 'GET')
        return { status: 200, data: visit({ status: 'arrived', statusLabel: '专员已到达' }) };
      if (req.path.endsWith('/hand-back'))
        return apiError(409, 'VISIT_UNDER_REVIEW', '材料初审已开始，不能再转交其他专员');
      return { status: 404 };
    });
    render(<VisitPage />);
    fireEvent.click(await screen.findByText('转交其他专员（AB岗）'));
    type('visit-handback-reason', '临时有事');
    fireEvent.click(screen.getByText('确认转交'));
    expect(await screen.findByText('材料初审已开始，不能再转交其他专员')).toBeTruthy();
  });
});

describe('final review asks for confirmation with the summary', () => {
  beforeEach(() => {
    agent();
    setRouterParams({ id });
  });

  const choose = (materialId: string, answer: '有' | '无') =>
    fireEvent.click(
      [...document.querySelector(`#review-${materialId}`)!.querySelectorAll('[role="radio"]')].find(
        (el) => el.textContent === answer,
      )!,
    );

  it('lists the complete missing list, and sends nothing when the agent goes back to check', async () => {
    const log = fakeBff((req) =>
      req.method === 'GET' && req.path === `/api/v1/staff/visits/${id}`
        ? { status: 200, data: visit() }
        : req.path.endsWith('/photos')
          ? { status: 200, data: { items: [] } }
          : { status: 200, data: visit({ status: 'materials_incomplete', statusLabel: '材料不齐' }) },
    );
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    const [first, ...rest] = visit().checklist;
    choose(first!.materialId, '无');
    for (const m of rest) choose(m.materialId, '有');
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'ok' });
    fireEvent.click(screen.getByText('提交初审结果'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1));
    const asked = vi.mocked(Taro.showModal).mock.calls[0]![0]!;
    expect(asked.title).toBe('确认材料不齐');
    expect(asked.content).toContain(`1. ${first!.name}（未提供）`);
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(0);

    fireEvent.click(screen.getByText('提交初审结果'));
    await waitFor(() => expect(log.filter((r) => r.method === 'POST')).toHaveLength(1));
  });

  it('lists every collected item with its copies when all is there', async () => {
    fakeBff((req) =>
      req.method === 'GET'
        ? req.path.endsWith('/photos')
          ? { status: 200, data: { items: [] } }
          : { status: 200, data: visit() }
        : { status: 200, data: visit({ status: 'collected', statusLabel: '材料已收取' }) },
    );
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    for (const m of visit().checklist) choose(m.materialId, '有');
    fireEvent.click(screen.getByText('提交初审结果'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    const asked = vi.mocked(Taro.showModal).mock.calls[0]![0]!;
    expect(asked.title).toBe('确认收件');
    for (const m of visit().checklist) expect(asked.content).toContain(`${m.name} ${m.count} 份`);
    expect(await screen.findByText('材料齐全，已收件')).toBeTruthy();
  });
});

describe("the agent's day", () => {
  beforeEach(agent);

  it('lists finished and handed-back visits with their steps', async () => {
    fakeBff(() => ({
      status: 200,
      data: {
        date: '2026-12-01',
        items: [
          {
            id: 'a',
            number: '261201000001',
            matterName: '城乡居民养老保险参保登记',
            status: 'case_submitted',
            statusLabel: '已提交审批',
            place: '黄埔区 大沙地东****',
            steps: [
              { at: '2026-12-01T01:10:00.000Z', title: '专员已接单', note: null },
              { at: '2026-12-01T01:55:00.000Z', title: '材料已收取', note: null },
            ],
            outcome: '材料齐全，已收件',
            handedOver: true,
          },
          {
            id: 'b',
            number: '261201000002',
            matterName: '居民身份证换领',
            status: 'assigned',
            statusLabel: '专员已接单',
            place: '黄埔区 港湾路1****',
            steps: [{ at: '2026-12-01T02:00:00.000Z', title: '专员无法上门，已重新派单', note: '车辆故障' }],
            outcome: '已转交其他专员：车辆故障',
            handedOver: false,
          },
        ],
      },
    }));
    render(<DayPage />);
    expect((await screen.findByText(/共 2 个上门任务/)).textContent).toBe('共 2 个上门任务，收件 1 个');
    expect(screen.getByText('已转交其他专员：车辆故障')).toBeTruthy();
    expect(screen.getByText('09:55 材料已收取')).toBeTruthy();
    expect(screen.getByText('已封袋交接')).toBeTruthy();
  });
});

const bag = (over: Partial<HandoverView> = {}): HandoverView => ({
  id: 'h1',
  code: 'HPBAG0001',
  status: 'in_transit',
  from: { id: 'HP-PO-01', name: '黄埔邮局' },
  to: { id: 'HP-SC-01', name: '黄埔区政务服务中心' },
  sealedAt: '2026-12-01T03:00:00.000Z',
  receivedAt: null,
  items: [
    {
      id: '00000000-0000-4000-8000-000000000001',
      bookingNumber: '261201000001',
      matterName: '养老保险',
      name: '居民身份证',
      copies: 1,
      state: null,
      note: null,
    },
    {
      id: '00000000-0000-4000-8000-000000000002',
      bookingNumber: '261201000001',
      matterName: '养老保险',
      name: '户口簿',
      copies: 1,
      state: null,
      note: null,
    },
  ],
  ...over,
});

describe('handover (agent) and receipt (centre clerk)', () => {
  it('records the sealed bag with the visits picked', async () => {
    agent();
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/staff/handovers/pending')
        return {
          status: 200,
          data: {
            items: [
              {
                id: 'v1',
                number: '261201000001',
                matterName: '养老保险',
                items: 2,
                collectedAt: '2026-12-01T02:00:00Z',
              },
            ],
          },
        };
      if (req.path === '/api/v1/staff/handovers' && req.method === 'GET')
        return { status: 200, data: { items: [] } };
      if (req.method === 'POST') return { status: 201, data: bag() };
      return { status: 404 };
    });
    render(<HandoverPage />);
    fireEvent.click(await screen.findByText('养老保险'));
    type('handover-code', 'HPBAG0001');
    fireEvent.click(screen.getByText('登记封袋交接（1 个任务）'));
    await waitFor(() => expect(log.some((r) => r.method === 'POST')).toBe(true));
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({ code: 'HPBAG0001', bookingIds: ['v1'] });
  });

  it('checks every item, reports a missing one, and refuses a bag for another centre', async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'centre_clerk'] })));
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/centre/handovers') return { status: 200, data: { items: [bag()] } };
      if (req.path === '/api/v1/centre/handovers/OTHER0001')
        return apiError(422, 'HANDOVER_NOT_FOR_THIS_CENTRE', '该材料袋不是寄往本政务服务中心的，请勿签收');
      if (req.path === '/api/v1/centre/handovers/HPBAG0001') return { status: 200, data: bag() };
      if (req.method === 'POST')
        return {
          status: 200,
          data: bag({
            status: 'received',
            items: bag().items.map((i, n) => ({ ...i, state: n === 0 ? 'received' : 'missing' })),
          }),
        };
      return { status: 404 };
    });
    render(<CentrePage />);
    await screen.findByText('材料袋 HPBAG0001');
    type('centre-code', 'OTHER0001');
    fireEvent.click(screen.getByText('查找材料袋'));
    expect(await screen.findByText('该材料袋不是寄往本政务服务中心的，请勿签收')).toBeTruthy();

    fireEvent.click(screen.getByText('材料袋 HPBAG0001'));
    await screen.findByText('还有 2 项未核对');
    const mark = (itemId: string, label: string) =>
      fireEvent.click(
        [...document.querySelector(`#receipt-${itemId}`)!.querySelectorAll('[role="radio"]')].find(
          (el) => el.textContent === label,
        )!,
      );
    const [ok, gone] = bag().items;
    mark(ok!.id, '完好');
    mark(gone!.id, '缺失');
    expect(screen.getByText('1 项缺失或破损，签收后报监管人员跟进')).toBeTruthy();
    fireEvent.click(screen.getByText('确认签收'));
    await waitFor(() => expect(log.some((r) => r.method === 'POST')).toBe(true));
    expect(vi.mocked(Taro.showModal).mock.calls[0]![0]!.content).toContain('户口簿缺失');
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({
      items: [
        { id: ok!.id, state: 'received' },
        { id: gone!.id, state: 'missing' },
      ],
    });
    expect(await screen.findByText('材料袋 HPBAG0001 已签收')).toBeTruthy();
  });
});

describe('supervisors: outlets and per-agent figures', () => {
  it('places an agent at a post office and shows the figures', async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] })));
    const member = {
      id: '00000000-0000-4000-8000-0000000000aa',
      roles: ['resident', 'postal_agent'],
      name: '赵*',
      staffNo: 'HP0012',
      outlet: null,
    };
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/supervision/breaches')
        return { status: 200, data: { items: [], counts: {} } };
      if (req.path === '/api/v1/supervision/staff') return { status: 200, data: { items: [member] } };
      if (req.path.startsWith('/api/v1/outlets'))
        return {
          status: 200,
          data: {
            items: [
              { id: 'HP-PO-01', name: '黄埔邮局', kind: 'post_office' },
              { id: 'HP-SC-01', name: '黄埔区政务服务中心', kind: 'service_centre' },
            ],
            districts: ['黄埔区'],
          },
        };
      if (req.path.startsWith('/api/v1/supervision/agents/figures'))
        return {
          status: 200,
          data: {
            from: '2026-11-01T00:00:00Z',
            to: '2026-12-01T00:00:00Z',
            items: [
              {
                agentId: member.id,
                name: '赵*',
                staffNo: 'HP0012',
                outletId: null,
                visits: 4,
                arrived: 4,
                onTime: 3,
                onTimeShare: 0.75,
                handBacks: 1,
                collected: 3,
              },
            ],
          },
        };
      if (req.method === 'PUT')
        return {
          status: 200,
          data: { ...member, outlet: { id: 'HP-PO-01', name: '黄埔邮局', kind: 'post_office' } },
        };
      return { status: 404 };
    });
    render(<Supervision />);
    expect(await screen.findByText('接单 4 · 准时 75% · 转交 1 · 收件 3')).toBeTruthy();
    expect(await screen.findByText('所属网点：未设置')).toBeTruthy();
    fireEvent.click(screen.getByText('调整网点'));
    // Agents go to post offices only.
    expect(screen.queryByText('黄埔区政务服务中心')).toBeNull();
    fireEvent.click(screen.getByText('黄埔邮局'));
    await waitFor(() => expect(log.some((r) => r.method === 'PUT')).toBe(true));
    expect(log.find((r) => r.method === 'PUT')).toMatchObject({
      path: `/api/v1/supervision/staff/${member.id}/outlet`,
      body: { outletId: 'HP-PO-01' },
    });
  });
});

describe('the resident side', () => {
  it('shows their note and tells them the visit changed hands, still waiting for an agent', async () => {
    saveTokens(tokens(1));
    setRouterParams({ id });
    fakeBff((req) =>
      req.path === `/api/v1/bookings/${id}`
        ? {
            status: 200,
            data: booking({
              note: '门铃坏了，到了请打电话',
              events: [
                {
                  kind: 'created',
                  status: 'requested',
                  at: '2026-12-01T02:00:00.000Z',
                  actor: 'resident',
                  note: null,
                },
                {
                  kind: 'status_changed',
                  status: 'assigned',
                  at: '2026-12-01T02:05:00.000Z',
                  actor: 'agent',
                  note: null,
                },
                {
                  kind: 'handed_back',
                  status: 'requested',
                  at: '2026-12-01T02:20:00.000Z',
                  actor: 'agent',
                  note: '车辆故障，无法按时上门',
                },
              ],
            }),
          }
        : { status: 404 },
    );
    render(<BookingDetail />);
    expect(await screen.findByText('专员无法上门，已重新派单')).toBeTruthy();
    expect(screen.getByText('车辆故障，无法按时上门')).toBeTruthy();
    expect(screen.getByText('门铃坏了，到了请打电话')).toBeTruthy();
  });

  it('opens navigation to an outlet', async () => {
    setRouterParams({ id: 'HP-PO-01' });
    fakeBff((req) =>
      req.path.startsWith('/api/v1/outlets/HP-PO-01')
        ? {
            status: 200,
            data: {
              id: 'HP-PO-01',
              name: '黄埔邮局',
              kind: 'post_office',
              kindLabel: '邮政网点',
              address: '广州市黄埔区大沙地东路326号',
              district: '黄埔区',
              street: '黄埔街道',
              lat: 23.1,
              lng: 113.45,
              phone: '020-82200000',
              distanceMeters: null,
              today: { open: true, text: '08:30–18:00' },
              hours: [],
              matters: [],
            },
          }
        : { status: 404 },
    );
    render(<OutletDetail />);
    fireEvent.click(await screen.findByText('导航到网点'));
    expect(Taro.openLocation).toHaveBeenCalledWith(
      expect.objectContaining({ latitude: 23.1, longitude: 113.45, name: '黄埔邮局' }),
    );
  });
});
