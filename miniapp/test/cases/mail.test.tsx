import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { errorMessages } from '@zyt/shared';
import { describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import MyCases from '@/cases/pages/index';
import ResultMailing from '@/cases/pages/mail';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { caseSummary } from './fixtures';

const N = '44011220261202000042';
const RECEIPT_URL = `https://zyt.example.gov.cn/r/${N}/123456`;
const verified = () =>
  saveTokens(
    tokens(
      1,
      user({
        identity: { name: '张*', idNumber: '1101**********002X', verifiedAt: '2026-11-02T01:30:00.000Z' },
      }),
    ),
  );
const field = (id: string) => document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(field(id), { target: { value } });
const added = {
  case: caseSummary({
    id: '6f1d2f6e-1111-4000-8000-0000000000aa',
    caseNumber: N,
    matterName: '社会保障卡补换',
  }),
  receiver: { name: '张*', phone: '138****8000', address: '广东省广州市黄埔区****' },
};
const lastAddress = {
  address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
};

function fillContact() {
  type('mail-name', '张三');
  type('mail-phone', '13800138000');
}

describe('单程寄递: the resident adds a window case and has its result mailed', () => {
  it('opened from a receipt QR (`q`): starts at the address, prefilled, and posts once with an Idempotency-Key', async () => {
    verified();
    const headers: Record<string, string>[] = [];
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: lastAddress };
      if (req.path === '/api/v1/cases/result-mailings') return { status: 201, data: added };
      return { status: 404 };
    });
    const original = vi.mocked(Taro.request).getMockImplementation()!;
    vi.mocked(Taro.request).mockImplementation(((o: { header: Record<string, string> }) => {
      headers.push(o.header);
      return original(o as never);
    }) as never);
    setRouterParams({ q: encodeURIComponent(RECEIPT_URL) });
    render(<ResultMailing />);
    expect((await screen.findByText(N)).id).toBe('mail-case-number');
    await waitFor(() => expect(field('mail-detail').value).toBe('大沙地东路1号3栋502'));
    fillContact();
    fireEvent.click(screen.getByText('确认邮寄'));
    await screen.findByText('已添加，办理结果将邮寄给您');
    const posts = log.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      caseNumber: N,
      queryCode: '123456',
      address: lastAddress.address,
      contact: { name: '张三', phone: '13800138000' },
    });
    expect(headers.at(-1)!['Idempotency-Key']).toMatch(/^bk-/);
    fireEvent.click(screen.getByText('查看办件进度'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/cases/pages/detail/index?id=${added.case.id}` });
  });

  it('scans with the in-app button; a QR that is not a receipt is explained', async () => {
    verified();
    fakeBff((req) =>
      req.path === '/api/v1/bookings/defaults' ? { status: 200, data: { address: null } } : { status: 404 },
    );
    setRouterParams({});
    render(<ResultMailing />);
    vi.mocked(Taro.scanCode).mockResolvedValueOnce({
      result: 'https://zyt.example.gov.cn/b/K7QM-2XNP-8RTV',
    } as never);
    fireEvent.click(await screen.findByText('扫码'));
    expect(await screen.findByText(/这不是受理单上的二维码/)).toBeTruthy();
    vi.mocked(Taro.scanCode).mockResolvedValueOnce({ result: RECEIPT_URL } as never);
    fireEvent.click(screen.getByText('扫码'));
    expect(await screen.findByText(N)).toBeTruthy();
  });

  it('takes a typed number and query code, checking their shape first', async () => {
    verified();
    const log = fakeBff((req) =>
      req.path === '/api/v1/bookings/defaults' ? { status: 200, data: lastAddress } : { status: 404 },
    );
    setRouterParams({});
    render(<ResultMailing />);
    type('receipt-case-number', '4401 1220 2612 0200 0042');
    type('receipt-query-code', '1234');
    fireEvent.click(await screen.findByText('下一步'));
    expect(await screen.findByText(/办件编号或查询码有误/)).toBeTruthy();
    type('receipt-query-code', '123456');
    fireEvent.click(screen.getByText('下一步'));
    expect(await screen.findByText(N)).toBeTruthy();
    expect(log.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('shows a refusal in the server’s words, with the way on for a case already added', async () => {
    verified();
    fakeBff((req) => {
      if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: lastAddress };
      if (req.path === '/api/v1/cases/result-mailings')
        return apiError(409, 'RESULT_MAILING_ALREADY_ADDED', errorMessages.RESULT_MAILING_ALREADY_ADDED);
      return { status: 404 };
    });
    setRouterParams({ q: encodeURIComponent(RECEIPT_URL) });
    render(<ResultMailing />);
    await waitFor(() => expect(field('mail-detail').value).not.toBe(''));
    fillContact();
    fireEvent.click(screen.getByText('确认邮寄'));
    expect(
      (await screen.findByText(errorMessages.RESULT_MAILING_ALREADY_ADDED)).closest('#mail-refusal'),
    ).toBeTruthy();
    fireEvent.click(screen.getByText('查看我的办件'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/cases/pages/index/index' });
  });

  it('marks fields the server refused (area not served) and asks for real name first', async () => {
    verified();
    fakeBff((req) => {
      if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: lastAddress };
      if (req.path === '/api/v1/cases/result-mailings')
        return apiError(422, 'AREA_NOT_SERVED', errorMessages.AREA_NOT_SERVED, [
          { field: 'address.county', message: '天河区暂未开通上门收件服务' },
        ]);
      return { status: 404 };
    });
    setRouterParams({ q: encodeURIComponent(RECEIPT_URL) });
    const { unmount } = render(<ResultMailing />);
    await waitFor(() => expect(field('mail-detail').value).not.toBe(''));
    fillContact();
    fireEvent.click(screen.getByText('确认邮寄'));
    expect(await screen.findByText('天河区暂未开通上门收件服务')).toBeTruthy();
    unmount();

    saveTokens(tokens(2, user()));
    render(<ResultMailing />);
    expect(await screen.findByText('邮寄办理结果需要先实名认证')).toBeTruthy();
  });

  it('is reached from 我的办件', async () => {
    verified();
    fakeBff((req) => (req.path === '/api/v1/cases' ? { status: 200, data: { items: [] } } : { status: 404 }));
    render(<MyCases />);
    fireEvent.click(await screen.findByText('添加窗口或网上办的件，结果邮寄到家'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/cases/pages/mail/index' });
  });
});
