import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { errorMessages } from '@zyt/shared';
import { describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import BagEntry from '@/bag/pages/index';
import BagSent from '@/bag/pages/sent';
import { apiError, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import {
  boundScan,
  CASE_ID,
  CODE,
  confirmation,
  OTHER_CASE_ID,
  OUTLET,
  supplement,
  visitTarget,
} from './fixtures';

const LABEL_URL = `https://zyt.example.gov.cn/b/${CODE}`;
const signIn = () => saveTokens(tokens(1, user()));
const field = (id: string) => document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(field(id), { target: { value } });

/** Fills what a resident fills: both items, the first window, the address and the contact. */
async function fillPickup() {
  await screen.findByText('户口簿');
  fireEvent.click(screen.getByText('户口簿'));
  fireEvent.click(screen.getByText('近期免冠照片'));
  fireEvent.click(screen.getByText('12月2日 周三 09:00-11:00'));
  type('bag-province', '广东省');
  type('bag-city', '广州市');
  type('bag-county', '黄埔区');
  type('bag-detail', '大沙地东路1号3栋502');
  type('bag-name', '张三');
  type('bag-phone', '13800138000');
}

describe('替你跑: the resident sends a bag', () => {
  it('opened from the WeChat camera (`q`) without a session: asks to sign in and calls nothing', async () => {
    const log = fakeBff(() => ({ status: 500 }));
    setRouterParams({ q: encodeURIComponent(LABEL_URL), scancode_time: '1764580000' });
    render(<BagEntry />);
    await screen.findByText('请先登录');
    fireEvent.click(screen.getByText('去登录'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(log).toEqual([]);
  });

  it('shows the case, each item with its specification and the deadline; confirms once with an Idempotency-Key', async () => {
    signIn();
    let failFirst = true;
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/bags/${CODE}`) return { status: 200, data: boundScan() };
      if (req.path === `/api/v1/bags/${CODE}/confirm`) {
        // The first confirm never reaches the server: the retry must reuse the key.
        if (failFirst) {
          failFirst = false;
          return 'offline';
        }
        return { status: 201, data: confirmation() };
      }
      if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: { address: null } };
      return { status: 404 };
    });
    const headers: Record<string, string>[] = [];
    const original = (
      Taro.request as unknown as { getMockImplementation: () => (o: unknown) => unknown }
    ).getMockImplementation()!;
    (
      Taro.request as unknown as {
        mockImplementation: (f: (o: { header: Record<string, string> }) => unknown) => void;
      }
    ).mockImplementation((o) => {
      headers.push(o.header);
      return original(o);
    });
    setRouterParams({ q: encodeURIComponent(LABEL_URL) });
    render(<BagEntry />);

    await screen.findByText('居民身份证换领');
    expect(screen.getByText('规格：原件1份')).toBeTruthy();
    expect(screen.getByText('照片不清晰')).toBeTruthy();
    expect(document.querySelector('#bag-deadline')!.textContent).toBe('请于 12月8日 周二 23:59 前寄出');

    // Nothing ticked yet: the form says what to do.
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    expect(await screen.findByText('请勾选装进快递袋的材料')).toBeTruthy();

    await fillPickup();
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    await screen.findByText('请核对后寄出');
    expect(screen.getByText('12月2日 周三 09:00-11:00')).toBeTruthy();
    expect(screen.getByText('广东省广州市黄埔区大沙地东路1号3栋502')).toBeTruthy();

    fireEvent.click(screen.getByText('确认寄出'));
    // Offline: said so, and the same confirm screen stays for the retry.
    await screen.findByText(errorMessages.NETWORK);
    fireEvent.click(screen.getByText('确认寄出'));
    await waitFor(() =>
      expect(Taro.redirectTo).toHaveBeenCalledWith({
        url: `/bag/pages/sent/index?code=${encodeURIComponent(CODE)}&caseId=${CASE_ID}`,
      }),
    );

    const confirms = log.filter((r) => r.path.endsWith('/confirm'));
    expect(confirms).toHaveLength(2);
    expect(confirms[0]!.body).toEqual({
      items: ['m1', 'm2'],
      contact: { name: '张三', phone: '13800138000' },
      handover: {
        kind: 'pickup',
        address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
        window: boundScan().pickupWindows[0],
      },
    });
    const keys = headers.filter((h) => h['Idempotency-Key']).map((h) => h['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('an unbound bag: the resident picks which case (preselected from the case page) and drops it at an outlet', async () => {
    signIn();
    const second = supplement({ caseId: OTHER_CASE_ID, matterName: '社会保障卡补领', caseNumber: null });
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/bags/${CODE}`)
        return {
          status: 200,
          data: boundScan({ state: 'issued', supplement: null, candidates: [supplement(), second] }),
        };
      if (req.path.endsWith('/confirm'))
        return { status: 201, data: confirmation({ caseId: OTHER_CASE_ID }) };
      return { status: 200, data: { address: null } };
    });
    setRouterParams({ code: CODE.toLowerCase().replace(/-/g, ''), caseId: OTHER_CASE_ID });
    render(<BagEntry />);
    await screen.findByText('这个快递袋寄哪个办件的材料？');
    // The case the person came from is chosen: its items are shown.
    expect(screen.getAllByText('社会保障卡补领').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByText('户口簿'));
    fireEvent.click(screen.getByText('自己送到邮政网点'));
    fireEvent.click(screen.getByText(OUTLET.name));
    type('bag-name', '张三');
    type('bag-phone', '13800138000');
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    await screen.findByText('请核对后寄出');
    // One item left out: said plainly before sending.
    expect(screen.getByText(/未装入的 1 项（近期免冠照片）仍需在期限前补交/)).toBeTruthy();
    fireEvent.click(screen.getByText('确认寄出'));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled());
    expect(log.find((r) => r.path.endsWith('/confirm'))!.body).toEqual({
      caseId: OTHER_CASE_ID,
      items: ['m1'],
      contact: { name: '张三', phone: '13800138000' },
      handover: { kind: 'outlet', outletId: OUTLET.id },
    });
  });

  it('an incomplete door visit, chosen from its booking page: what else goes in; confirm names the booking', async () => {
    signIn();
    const v = visitTarget();
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/bags/${CODE}`)
        return {
          status: 200,
          data: boundScan({ state: 'issued', supplement: null, candidates: [supplement()], visits: [v] }),
        };
      if (req.path.endsWith('/confirm'))
        return { status: 201, data: confirmation({ caseId: OTHER_CASE_ID }) };
      return { status: 200, data: { address: null } };
    });
    setRouterParams({ code: CODE, bookingId: v.bookingId });
    render(<BagEntry />);
    await screen.findByText('这个快递袋寄哪个办件的材料？');
    expect(screen.getByText(/上门材料不齐：/)).toBeTruthy();
    // The visit is chosen: its missing list, its booking number, and what the agent already checked goes in too.
    expect(screen.getByText('终止或解除劳动关系证明')).toBeTruthy();
    expect(screen.getByText(v.bookingNumber)).toBeTruthy();
    expect(document.querySelector('#bag-visit-hint')!.textContent).toContain('居民身份证也请一并装入');
    fireEvent.click(screen.getByText('终止或解除劳动关系证明'));
    fireEvent.click(screen.getByText('自己送到邮政网点'));
    fireEvent.click(screen.getByText(OUTLET.name));
    type('bag-name', '张三');
    type('bag-phone', '13800138000');
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    await screen.findByText('请核对后寄出');
    fireEvent.click(screen.getByText('确认寄出'));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled());
    expect(log.find((r) => r.path.endsWith('/confirm'))!.body).toEqual({
      bookingId: v.bookingId,
      items: ['m-proof'],
      contact: { name: '张三', phone: '13800138000' },
      handover: { kind: 'outlet', outletId: OUTLET.id },
    });
  });

  it('a resident with no case needing supplements is told so, with the way to their cases', async () => {
    signIn();
    fakeBff(() => ({ status: 200, data: boundScan({ state: 'issued', supplement: null, candidates: [] }) }));
    setRouterParams({ code: CODE });
    render(<BagEntry />);
    await screen.findByText('您目前没有需要补交材料的办件');
    fireEvent.click(screen.getByText('查看我的办件'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/cases/pages/index/index' });
  });

  it.each([
    ['BAG_CODE_INVALID', 400, '袋码不正确', '重新扫码或输入袋码'],
    ['BAG_NOT_FOUND', 404, '没有找到这个快递袋', '重新扫码或输入袋码'],
    ['BAG_ALREADY_USED', 409, '这个快递袋已经用过', '查看我的办件'],
    ['BAG_ALREADY_BOUND', 404, '这个快递袋已绑定其他办件', '重新扫码或输入袋码'],
    ['BAG_EXPIRED', 410, '这个快递袋已过有效期', '查看附近网点'],
    ['SUPPLEMENT_NOT_NEEDED', 409, '这个办件不需要补交材料', '查看我的办件'],
    ['SUPPLEMENT_DEADLINE_PASSED', 409, '补正期限已过', '查看我的办件'],
    ['RATE_LIMITED', 429, '查询太频繁', '稍后重试'],
  ])('refusal %s: a title, the server’s message and what to do next', async (code, status, title, action) => {
    signIn();
    const message = `服务器说明：${code}，请按提示操作`;
    fakeBff(() => apiError(status, code, message));
    setRouterParams({ code: CODE });
    render(<BagEntry />);
    await screen.findByText(title);
    expect(screen.getByText(message)).toBeTruthy();
    expect(screen.getByText(action)).toBeTruthy();
  });

  it('a refusal at confirm (the bag was used meanwhile) replaces the form; 重新扫码 goes back to the scanner', async () => {
    signIn();
    fakeBff((req) => {
      if (req.path.endsWith('/confirm'))
        return apiError(
          409,
          'BAG_ALREADY_USED',
          '这个快递袋已经寄送过（办件：居民身份证换领），不能再次寄送',
        );
      if (req.path === `/api/v1/bags/${CODE}`) return { status: 200, data: boundScan() };
      return { status: 200, data: { address: null } };
    });
    setRouterParams({ code: CODE });
    render(<BagEntry />);
    await fillPickup();
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    fireEvent.click(await screen.findByText('确认寄出'));
    await screen.findByText('这个快递袋已经用过');
    expect(screen.getByText(/办件：居民身份证换领/)).toBeTruthy();
    fireEvent.click(screen.getByText('重新扫码或输入袋码'));
    await screen.findByText('扫描快递袋二维码');
  });

  it('a pickup window taken meanwhile: back to the form, the window to choose again, the list fetched again', async () => {
    signIn();
    const log = fakeBff((req) => {
      if (req.path.endsWith('/confirm'))
        return apiError(409, 'PICKUP_WINDOW_UNAVAILABLE', '该上门揽收时段已不可选，请重新选择时段');
      if (req.path === `/api/v1/bags/${CODE}`) return { status: 200, data: boundScan() };
      return { status: 200, data: { address: null } };
    });
    setRouterParams({ code: CODE });
    render(<BagEntry />);
    await fillPickup();
    fireEvent.click(screen.getByText('下一步：核对寄件信息'));
    fireEvent.click(await screen.findByText('确认寄出'));
    expect(
      (await screen.findByText('该上门揽收时段已不可选，请重新选择时段', { selector: '#bag-window-error' }))
        .id,
    ).toBe('bag-window-error');
    await waitFor(() =>
      expect(log.filter((r: FakeRequest) => r.path === `/api/v1/bags/${CODE}`)).toHaveLength(2),
    );
  });

  it('from home: the scan button reads the label URL; a foreign QR is refused with what to do', async () => {
    signIn();
    const log = fakeBff((req) =>
      req.path === `/api/v1/bags/${CODE}`
        ? { status: 200, data: boundScan() }
        : { status: 200, data: { address: null } },
    );
    render(<BagEntry />);
    vi.mocked(Taro.scanCode).mockResolvedValueOnce({ result: 'https://weixin.qq.com/x/abc' } as never);
    fireEvent.click(screen.getByText('扫码'));
    await screen.findByText(/这不是快递袋的二维码/);
    vi.mocked(Taro.scanCode).mockResolvedValueOnce({ result: LABEL_URL } as never);
    fireEvent.click(screen.getByText('扫码'));
    await screen.findByText('居民身份证换领');
    expect(log[0]!.path).toBe(`/api/v1/bags/${CODE}`);
  });

  it('a typed code with a mistake is refused before asking the server', async () => {
    signIn();
    const log = fakeBff(() => ({ status: 500 }));
    render(<BagEntry />);
    type('bag-code', 'K7QM-2XNP-8RT');
    fireEvent.click(screen.getByText('查询'));
    await screen.findByText(/袋码不完整或有误/);
    expect(log).toEqual([]);
  });
});

describe('替你跑: after the confirm', () => {
  it('says what happens next, what is still to send, and opens the case', async () => {
    signIn();
    fakeBff(() => ({ status: 200, data: { templates: [] } }));
    const { rememberSent } = await import('@/bag/sent');
    rememberSent(confirmation({ notIncluded: [supplement().items[1]!] }));
    setRouterParams({ code: CODE, caseId: CASE_ID });
    render(<BagSent />);
    expect(screen.getByText(confirmation().nextStep)).toBeTruthy();
    expect(screen.getByText('1180000000123')).toBeTruthy();
    expect(screen.getByText(/还有 1 项未寄：近期免冠照片/)).toBeTruthy();
    fireEvent.click(screen.getByText('查看办件进度'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/cases/pages/detail/index?id=${CASE_ID}` });
  });
});
