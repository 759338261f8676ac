import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { WindowAppointmentView, WindowIntakeView, WindowReviewBody } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import WindowBooking from '@/booking/pages/window';
import WindowIntake from '@/staff/pages/window-intake';
import WindowServe from '@/staff/pages/window-serve';
import { CODE } from '../bag/fixtures';
import { slots } from '../booking/fixtures';
import { type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { guide, outlet } from '../pages/catalogueFixtures';
import { navigateTo, redirectTo, setRouterParams } from '../taro-mock';

/** 网点就近办 in the mini-program: the resident books a window slot; the clerk serves, reviews, prints. */
const OUTLET = { id: 'HP-PO-01', name: '黄埔邮局（政务服务便民点）', kind: 'post_office' };
const intakeId = '5f0c1c1e-0000-4000-8000-00000000aaaa';

function intake(over: Partial<WindowIntakeView> = {}): WindowIntakeView {
  return {
    id: intakeId,
    outletId: OUTLET.id,
    appointmentId: null,
    appointmentNumber: null,
    matterCode: 'CODE-1',
    matterName: '失业保险金申领',
    applicant: { name: '李*', idNumber: '4401**********0034', phone: '139****9000' },
    status: 'reviewing',
    statusLabel: '核对材料中',
    checklist: [
      { materialId: 'm1', name: '申请人居民身份证', form: 'original', count: 1, required: true, note: null },
      {
        materialId: 'm2',
        name: '终止或解除劳动关系证明',
        form: 'copy',
        count: 2,
        required: true,
        note: null,
      },
    ],
    missingItems: null,
    tolerantAcceptance: false,
    tolerated: false,
    resultMailing: false,
    caseId: null,
    caseNumber: null,
    queryCode: null,
    receiptUrl: null,
    waybillNo: null,
    createdAt: '2026-12-05T01:00:00.000Z',
    collectedAt: null,
    ...over,
  };
}

/** Types into a Taro Input by its id (H5 renders the <input> inside the element or as it). */
function type(id: string, value: string) {
  const input = document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
  fireEvent.input(input, { target: { value } });
}

const clerk = () => saveTokens(tokens(1, user({ roles: ['resident', 'outlet_clerk'] })));
const posts = (log: FakeRequest[]) => log.filter((r) => r.method === 'POST');
const choose = (materialId: string, answer: '有' | '无') =>
  fireEvent.click(
    [...document.querySelector(`#review-${materialId}`)!.querySelectorAll('[role="radio"]')].find(
      (el) => el.textContent === answer,
    )!,
  );

describe('window intake (clerk)', () => {
  beforeEach(() => {
    clerk();
    setRouterParams({ id: intakeId });
  });

  it('reviews the checklist as at the door, then shows the case number and the receipt to print', async () => {
    let current = intake();
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/staff/me')
        return { status: 200, data: { outlet: OUTLET, promiseMinutes: 60 } };
      if (req.path === `/api/v1/staff/window/intakes/${intakeId}`) return { status: 200, data: current };
      if (req.method === 'POST' && req.path.endsWith('/review')) {
        current = intake({
          status: 'collected',
          statusLabel: '已收件',
          caseId: 'c-1',
          caseNumber: '44011220261205000001',
          queryCode: '123456',
          waybillNo: '1100000000011',
        });
        return { status: 200, data: current };
      }
      return { status: 404 };
    });
    render(<WindowIntake />);
    await screen.findByText('初审：逐项核对材料');
    choose('m1', '有');
    choose('m2', '有');
    fireEvent.click(screen.getByText('提交初审结果'));
    expect(await screen.findByText('材料齐全，已收件')).toBeTruthy();
    expect(posts(log)[0]!.body as WindowReviewBody).toEqual({
      items: [
        { materialId: 'm1', present: true, copies: 1 },
        { materialId: 'm2', present: true, copies: 2 },
      ],
    });
    expect(screen.getByText('办件编号 44011220261205000001')).toBeTruthy();
    fireEvent.click(screen.getByText('打印受理单'));
    expect(navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/window-receipt/index?id=${intakeId}` });
  });

  it('shows everything missing, once, when the materials are incomplete', async () => {
    fakeBff((req) => {
      if (req.path === '/api/v1/staff/me')
        return { status: 200, data: { outlet: OUTLET, promiseMinutes: 60 } };
      return {
        status: 200,
        data: intake({
          status: 'incomplete',
          statusLabel: '材料不齐',
          missingItems: [
            { materialId: 'm1', name: '申请人居民身份证', reason: '未提供' },
            { materialId: 'm2', name: '终止或解除劳动关系证明', reason: '需2份，仅提供1份' },
          ],
        }),
      };
    });
    render(<WindowIntake />);
    expect(await screen.findByText('材料不齐：已一次性告知申请人缺少 2 项')).toBeTruthy();
    expect(screen.getByText('需2份，仅提供1份')).toBeTruthy();
    expect(screen.queryByText('提交初审结果')).toBeNull();
  });

  it('tells a clerk without an outlet to ask for one, and other roles that the window is not theirs', async () => {
    fakeBff((req) =>
      req.path === '/api/v1/staff/me'
        ? { status: 200, data: { outlet: null, promiseMinutes: 60 } }
        : { status: 404 },
    );
    const { unmount } = render(<WindowIntake />);
    expect(await screen.findByText('您的账号还没有归属网点')).toBeTruthy();
    unmount();
    saveTokens(tokens(2, user({ roles: ['resident', 'postal_agent'] })));
    render(<WindowIntake />);
    expect(await screen.findByText('办理网点窗口收件仅对网点政务专窗人员开放')).toBeTruthy();
  });
});

describe('容缺受理 at the window (clerk)', () => {
  beforeEach(() => {
    clerk();
    setRouterParams({ id: intakeId });
  });
  const serve = (tolerant: boolean) => {
    let current = intake({ tolerantAcceptance: tolerant });
    return fakeBff((req) => {
      if (req.path === '/api/v1/staff/me')
        return { status: 200, data: { outlet: OUTLET, promiseMinutes: 60 } };
      if (req.path === `/api/v1/staff/window/intakes/${intakeId}`) return { status: 200, data: current };
      if (req.method === 'POST' && req.path.endsWith('/review')) {
        current = intake({
          tolerantAcceptance: tolerant,
          status: 'collected',
          statusLabel: '已收件',
          tolerated: true,
          missingItems: [{ materialId: 'm2', name: '终止或解除劳动关系证明', reason: '未提供' }],
          caseId: 'c-1',
        });
        return { status: 200, data: current };
      }
      return { status: 404 };
    });
  };
  const enterBag = async () => {
    await screen.findByText('查询');
    type('bag-code', CODE.toLowerCase());
    fireEvent.click(screen.getByText('查询'));
  };

  it('with something missing, the clerk scans a bag: what is complete is collected, the rest follows by 替你跑', async () => {
    const log = serve(true);
    render(<WindowIntake />);
    await screen.findByText('初审：逐项核对材料');
    choose('m1', '有');
    choose('m2', '无');
    await screen.findByText('容缺受理：先收件，缺少的用快递袋补寄');
    await enterBag();
    await screen.findByText(`容缺受理：留下快递袋 ${CODE}`);
    fireEvent.click(screen.getByText('提交初审结果'));
    expect(await screen.findByText('容缺受理，已收件')).toBeTruthy();
    expect(screen.getByText(/1\. 终止或解除劳动关系证明/)).toBeTruthy();
    expect(posts(log)[0]!.body as WindowReviewBody).toEqual({
      items: [
        { materialId: 'm1', present: true, copies: 1 },
        { materialId: 'm2', present: false, copies: 0 },
      ],
      tolerate: { bagCode: CODE },
    });
  });

  it('a matter without 容缺 offers no bag, and the review is sent without one', async () => {
    const log = serve(false);
    render(<WindowIntake />);
    await screen.findByText('初审：逐项核对材料');
    choose('m1', '有');
    choose('m2', '无');
    await screen.findByText('提交后将告知居民缺少 1 项材料，本次不收件');
    expect(screen.queryByText('容缺受理：先收件，缺少的用快递袋补寄')).toBeNull();
    fireEvent.click(screen.getByText('提交初审结果'));
    await waitFor(() => expect(posts(log)).toHaveLength(1));
    expect(posts(log)[0]!.body).not.toHaveProperty('tolerate');
  });
});

describe('结果邮寄 chosen at the window (clerk)', () => {
  beforeEach(() => {
    clerk();
    setRouterParams({ id: intakeId });
  });
  const serve = () => {
    let current = intake();
    return fakeBff((req) => {
      if (req.path === '/api/v1/staff/me')
        return { status: 200, data: { outlet: OUTLET, promiseMinutes: 60 } };
      if (req.path === `/api/v1/staff/window/intakes/${intakeId}`) return { status: 200, data: current };
      if (req.method === 'POST' && req.path.endsWith('/review')) {
        current = intake({ status: 'collected', statusLabel: '已收件', caseId: 'c-1', resultMailing: true });
        return { status: 200, data: current };
      }
      return { status: 404 };
    });
  };
  const chooseMail = () =>
    fireEvent.click(
      [...document.querySelector('#window-mailing')!.querySelectorAll('[role="radio"]')].find(
        (el) => el.textContent === '邮寄送达',
      )!,
    );

  it('sends the address and receiver with the review', async () => {
    const log = serve();
    render(<WindowIntake />);
    await screen.findByText('办理结果怎么领取');
    chooseMail();
    type('window-mail-county', '黄埔区');
    type('window-mail-detail', '大沙地东路1号3栋502');
    type('window-mail-name', '李四');
    type('window-mail-phone', '13900139000');
    choose('m1', '有');
    choose('m2', '有');
    fireEvent.click(screen.getByText('提交初审结果'));
    expect(await screen.findByText('办结后办理结果由EMS免费寄给申请人')).toBeTruthy();
    expect(posts(log)[0]!.body).toMatchObject({
      resultMailing: {
        address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
        contact: { name: '李四', phone: '13900139000' },
      },
    });
  });

  it('an unfinished address stops the review before anything is sent', async () => {
    const log = serve();
    render(<WindowIntake />);
    await screen.findByText('办理结果怎么领取');
    chooseMail();
    choose('m1', '有');
    choose('m2', '有');
    fireEvent.click(screen.getByText('提交初审结果'));
    expect(await screen.findByText('请先填好办理结果的邮寄地址和收件人')).toBeTruthy();
    expect(screen.getByText('请填写区县')).toBeTruthy();
    expect(posts(log)).toHaveLength(0);
  });
});

describe('walk-in (clerk)', () => {
  it('sends the applicant as typed for the chosen matter and opens the intake', async () => {
    clerk();
    setRouterParams({});
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/staff/me')
        return { status: 200, data: { outlet: OUTLET, promiseMinutes: 60 } };
      if (req.path.startsWith('/api/v1/matters'))
        return {
          status: 200,
          data: { items: [guide()], total: 1, page: 1, pageSize: 6, syncedAt: null },
        };
      if (req.method === 'POST' && req.path === `/api/v1/staff/window/outlets/${OUTLET.id}/intakes`)
        return { status: 201, data: intake() };
      return { status: 404 };
    });
    render(<WindowServe />);
    await screen.findByText('办理事项');
    type('window-matter-search', '失业');
    fireEvent.click(screen.getByText('搜索'));
    fireEvent.click(await screen.findByText('失业保险金申领'));
    type('window-name', '李四');
    type('window-id-number', '440112199002020034');
    type('window-phone', '13900139000');
    type('window-address', '广州市黄埔区丰乐北路8号');
    fireEvent.click(screen.getByText('实名核验，开始收件'));
    await waitFor(() => expect(redirectTo).toHaveBeenCalled());
    expect(posts(log)[0]!.body).toEqual({
      matterCode: guide().code,
      applicant: {
        name: '李四',
        idNumber: '440112199002020034',
        phone: '13900139000',
        address: '广州市黄埔区丰乐北路8号',
      },
    });
    expect(redirectTo).toHaveBeenCalledWith({ url: `/staff/pages/window-intake/index?id=${intakeId}` });
  });
});

describe('window appointment (resident)', () => {
  it('picks the post office and a slot from the guide, and shows the 预约号', async () => {
    saveTokens(
      tokens(
        1,
        user({
          identity: { name: '张*', idNumber: '1101**********002X', verifiedAt: '2026-11-01T00:00:00Z' },
        }),
      ),
    );
    const g = guide({
      outlets: [outlet(), outlet({ id: 'HP-SC-01', kind: 'service_centre', name: '区政务服务中心' })],
    });
    setRouterParams({ matterCode: g.code });
    const booked: WindowAppointmentView = {
      id: 'a-1',
      number: 'WA261205000001',
      matterCode: g.code,
      matterName: g.name,
      outlet: { id: 'HP-PO-01', name: outlet().name, address: outlet().address, phone: outlet().phone },
      start: slots.slots[0]!.start,
      end: slots.slots[0]!.end,
      status: 'booked',
      statusLabel: '已预约',
      caseId: null,
      createdAt: '2026-11-22T01:00:00.000Z',
    };
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/matters/${g.code}`) return { status: 200, data: g };
      if (req.path.startsWith('/api/v1/window/slots')) return { status: 200, data: slots };
      if (req.method === 'POST' && req.path === '/api/v1/window/appointments')
        return { status: 201, data: booked };
      if (req.path === '/api/v1/window/appointments') return { status: 200, data: { items: [] } };
      return { status: 404 };
    });
    render(<WindowBooking />);
    // Only post offices have a government window.
    expect(await screen.findByText(outlet().name)).toBeTruthy();
    expect(screen.queryByText('区政务服务中心')).toBeNull();
    fireEvent.click(screen.getByText(outlet().name));
    fireEvent.click(await screen.findByText('09:00–11:00'));
    fireEvent.click(screen.getByText(/^预约 /));
    expect(await screen.findByText('WA261205000001')).toBeTruthy();
    const post = posts(log)[0]!;
    expect(post.body).toEqual({ matterCode: g.code, outletId: 'HP-PO-01', slotId: slots.slots[0]!.id });
    expect(log.find((r) => r.path.startsWith('/api/v1/window/slots'))!.path).toContain('outletId=HP-PO-01');
  });
});

describe('my window appointments (resident): 改约 and 取消', () => {
  const mine = (over: Partial<WindowAppointmentView> = {}): WindowAppointmentView => ({
    id: 'a-9',
    number: 'WA261205000009',
    matterCode: 'CODE-1',
    matterName: '失业保险金申领',
    outlet: { id: 'HP-PO-01', name: outlet().name, address: outlet().address, phone: outlet().phone },
    start: slots.slots[0]!.start,
    end: slots.slots[0]!.end,
    status: 'booked',
    statusLabel: '已预约',
    caseId: null,
    createdAt: '2026-11-22T01:00:00.000Z',
    ...over,
  });
  const resident = (g: ReturnType<typeof guide>) => {
    saveTokens(
      tokens(
        1,
        user({
          identity: { name: '张*', idNumber: '1101**********002X', verifiedAt: '2026-11-01T00:00:00Z' },
        }),
      ),
    );
    setRouterParams({ matterCode: g.code });
  };

  it('moves a booked appointment to another slot of the same outlet', async () => {
    const g = guide({ outlets: [outlet()] });
    resident(g);
    let current = mine();
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/matters/${g.code}`) return { status: 200, data: g };
      if (req.path.startsWith('/api/v1/window/slots')) return { status: 200, data: slots };
      if (req.method === 'POST' && req.path === '/api/v1/window/appointments/a-9/reschedule') {
        current = mine({ start: slots.slots[1]!.start, end: slots.slots[1]!.end });
        return { status: 200, data: current };
      }
      if (req.path === '/api/v1/window/appointments') return { status: 200, data: { items: [current] } };
      return { status: 404 };
    });
    render(<WindowBooking />);
    fireEvent.click(await screen.findByText('改约'));
    const picker = await waitFor(() => {
      const el = document.querySelector('#reschedule-a-9');
      if (!el?.querySelector('[role="radio"]')) throw new Error('slots not shown yet');
      return el;
    });
    fireEvent.click([...picker.querySelectorAll('[role="radio"]')][1]!);
    fireEvent.click(screen.getByText(/^改约到 /));
    await waitFor(() => expect(posts(log)).toHaveLength(1));
    expect(posts(log)[0]!.body).toEqual({ slotId: slots.slots[1]!.id });
    expect(log.find((r) => r.path.startsWith('/api/v1/window/slots'))!.path).toContain('outletId=HP-PO-01');
    await waitFor(() => expect(document.querySelector('#reschedule-a-9')).toBeNull());
  });

  it('a full slot shows the server’s message and fetches the slots again', async () => {
    const g = guide({ outlets: [outlet()] });
    resident(g);
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/matters/${g.code}`) return { status: 200, data: g };
      if (req.path.startsWith('/api/v1/window/slots')) return { status: 200, data: slots };
      if (req.method === 'POST' && req.path.endsWith('/reschedule'))
        return {
          status: 409,
          data: { error: { code: 'WINDOW_SLOT_FULL', message: '该时段预约已满，请选择其他时段' } },
        };
      if (req.path === '/api/v1/window/appointments') return { status: 200, data: { items: [mine()] } };
      return { status: 404 };
    });
    render(<WindowBooking />);
    fireEvent.click(await screen.findByText('改约'));
    const picker = await waitFor(() => {
      const el = document.querySelector('#reschedule-a-9');
      if (!el?.querySelector('[role="radio"]')) throw new Error('slots not shown yet');
      return el;
    });
    fireEvent.click([...picker.querySelectorAll('[role="radio"]')][1]!);
    fireEvent.click(screen.getByText(/^改约到 /));
    expect(await screen.findByText('该时段预约已满，请选择其他时段')).toBeTruthy();
    await waitFor(() =>
      expect(log.filter((r) => r.path.startsWith('/api/v1/window/slots')).length).toBeGreaterThan(1),
    );
  });

  it('a no-show says so and offers neither 改约 nor 取消', async () => {
    const g = guide({ outlets: [outlet()] });
    resident(g);
    fakeBff((req) => {
      if (req.path === `/api/v1/matters/${g.code}`) return { status: 200, data: g };
      if (req.path === '/api/v1/window/appointments')
        return { status: 200, data: { items: [mine({ status: 'no_show', statusLabel: '已过号' })] } };
      return { status: 404 };
    });
    render(<WindowBooking />);
    expect(await screen.findByText('已过号')).toBeTruthy();
    expect(screen.queryByText('改约')).toBeNull();
    expect(screen.queryByText('取消预约')).toBeNull();
  });
});
