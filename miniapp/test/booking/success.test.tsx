import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens, startSession } from '@/api/session';
import BookingDone from '@/booking/pages/success';
import { subscriptions } from '../cases/fixtures';
import { fakeBff, tokens } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { booking } from './fixtures';

describe('booking success (预约成功)', () => {
  beforeEach(() => {
    saveTokens(tokens(1));
    const b = booking();
    setRouterParams({ id: b.id, number: b.number });
    fakeBff((req) => (req.path === `/api/v1/bookings/${b.id}` ? { status: 200, data: b } : { status: 404 }));
  });

  it('shows the booking number and what happens next, and opens the detail', async () => {
    render(<BookingDone />);
    expect(screen.getByText('261122000042')).toBeTruthy();
    expect(await screen.findByText('2. 专员接单后 1 小时内上门。')).toBeTruthy();
    fireEvent.click(screen.getByText('查看预约详情'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/booking/pages/detail/index?id=${booking().id}` });
  });

  it('offers the case-progress reminders (H5 demo: the simulator stands in for WeChat)', async () => {
    startSession(tokens(1), 'demo-resident');
    const b = booking();
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/bookings/${b.id}`) return { status: 200, data: b };
      if (req.path === '/api/v1/me/subscriptions')
        return {
          status: 200,
          data:
            req.method === 'GET'
              ? subscriptions()
              : subscriptions({ case_accepted: 1, supplement_required: 1, case_completed: 1 }),
        };
      if (req.path === '/sim/wechat/subscriptions') return { status: 200, data: { ok: true } };
      return { status: 404 };
    });
    render(<BookingDone />);
    fireEvent.click(await screen.findByText('开启进度提醒'));
    expect(await screen.findByText('已开启：办件受理、补正、办结提醒')).toBeTruthy();
    expect(log.filter((r) => r.path === '/sim/wechat/subscriptions')).toHaveLength(3);
    expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();
  });
});
