import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import BookingDone from '@/booking/pages/success';
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

  it('does not ask for subscribe messages outside WeChat (H5)', async () => {
    render(<BookingDone />);
    await screen.findByText('接下来会怎样');
    expect(screen.queryByText('开启进度提醒')).toBeNull();
    expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();
  });
});
