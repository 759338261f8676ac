import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import BundleProgressPage from '@/cases/pages/bundle';
import BundleGuidePage from '@/catalogue/pages/bundle';
import { fakeBff } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { birthBundle, birthTimeline, bundleBookingId } from './fixtures';

const lines = (selector: string) =>
  [...document.querySelectorAll(`${selector} .material`)].map((el) =>
    el.textContent?.replace(/\s+/g, ' ').trim(),
  );

describe('一件事 guide', () => {
  it('shows the matters, the merged materials and the form of the situation picked, then books it', async () => {
    const guide = birthBundle();
    fakeBff((req) =>
      req.path === `/api/v1/bundles/${guide.code}` ? { status: 200, data: guide } : { status: 404 },
    );
    setRouterParams({ code: guide.code });
    render(<BundleGuidePage />);
    await screen.findByText('出生一件事');
    // Nothing promised before the situation is known.
    expect(document.querySelector('#bundle-materials')).toBeNull();
    fireEvent.click(screen.getByText('新生儿不在本区落户'));
    await screen.findByText('本情形一次办理 2 个事项');
    // Only the materials of the matters that apply, each once; the one the bundle issues is not asked for.
    expect(lines('#bundle-materials')).toEqual([
      '1. 父母双方居民身份证必需原件 · 2 份 · 用于出生医学证明首次签发、预防接种证办理核验后退还',
    ]);
    expect(screen.getByText('申请表（2 项，只填一次）')).toBeTruthy();
    expect(screen.getByText('新生儿姓名、出生日期')).toBeTruthy();

    fireEvent.click(screen.getByText('新生儿在本区落户'));
    await screen.findByText('本情形一次办理 4 个事项');
    expect(screen.getByText('在出生医学证明首次签发办结后办理')).toBeTruthy();
    expect(lines('#bundle-materials')).toHaveLength(2);
    fireEvent.click(screen.getByText('预约上门收件（一次办理）'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({
      url: `/booking/pages/index/index?matterCode=${guide.code}&situation=settle_here`,
    });
  });
});

describe('一件事 progress', () => {
  it('shows each matter, what it waits for, the parcels with their certificates and one timeline', async () => {
    fakeBff((req) =>
      req.path === `/api/v1/bookings/${bundleBookingId}/bundle`
        ? { status: 200, data: birthTimeline() }
        : { status: 404 },
    );
    setRouterParams({ id: bundleBookingId });
    render(<BundleProgressPage />);
    await screen.findByText('各事项进度');
    expect(screen.getByText('4 个事项，已送达证卡 2 本，2 个事项办理中，办结后证卡由EMS寄出')).toBeTruthy();
    expect(screen.getByText('等待出生登记办结后办理')).toBeTruthy();
    expect(screen.getByText('证卡寄递（1 个邮件）')).toBeTruthy();
    expect(screen.getByText('内含：出生医学证明、预防接种证')).toBeTruthy();
    expect(screen.getByText('证照寄递（出生医学证明、预防接种证）：已妥投')).toBeTruthy();
    fireEvent.click(screen.getAllByText('查看办件')[0]!);
    await waitFor(() =>
      expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/cases/pages/detail/index?id=c1' }),
    );
  });
});
