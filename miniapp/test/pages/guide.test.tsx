import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import type { MatterGuide } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import Guide from '@/catalogue/pages/guide';
import { apiError, fakeBff } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { guide } from './catalogueFixtures';

function show(body: MatterGuide) {
  const log = fakeBff((req) =>
    req.path === `/api/v1/matters/${body.code}` ? { status: 200, data: body } : { status: 404 },
  );
  setRouterParams({ code: body.code });
  render(<Guide />);
  return log;
}

/** The text of each material line. */
const materialLines = () =>
  [...document.querySelectorAll('#guide-materials .material')].map((el) =>
    el.textContent?.replace(/\s+/g, ' ').trim(),
  );

describe('guide page (办事指南)', () => {
  it('lists the materials: original or copy, copies, required or not, with notes', async () => {
    show(guide());
    await screen.findByText('失业保险金申领');
    expect(screen.getByText('申请材料（3 项）')).toBeTruthy();
    expect(materialLines()).toEqual([
      '1. 申请人居民身份证必需原件 · 1 份核验后当场退还',
      '2. 终止或解除劳动关系证明必需复印件 · 2 份',
      '3. 授权委托书及受托人居民身份证非必需原件和复印件 · 1 份委托他人办理时提供',
    ]);
  });

  it('shows case type, time limit, fees, department, result, channels and outlets', async () => {
    show(guide());
    await screen.findByText('失业保险金申领');
    expect(screen.getByText('承诺件')).toBeTruthy();
    expect(screen.getByText('5 个工作日（法定 20 个工作日）')).toBeTruthy();
    expect(screen.getByText('不收费')).toBeTruthy();
    expect(screen.getByText('免费')).toBeTruthy();
    expect(screen.getByText('广州市黄埔区人力资源和社会保障局')).toBeTruthy();
    expect(screen.getByText('失业保险待遇核定通知书')).toBeTruthy();
    expect(screen.getByText('材料寄递、结果邮寄送达（双程）')).toBeTruthy();
    expect(screen.getByText('可办网点（1）')).toBeTruthy();
    expect(screen.getByText('今日营业：09:00-17:00')).toBeTruthy();
  });

  it('offers 预约上门收件 when the matter supports door pickup, and opens booking for it', async () => {
    const log = show(guide());
    fireEvent.click(await screen.findByText('预约上门收件'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: '/booking/pages/index/index?matterCode=114401120075021314050001000',
    });
    expect(log.every((r) => r.token === undefined)).toBe(true);
  });

  it('has no booking button when door pickup is not supported', async () => {
    show(
      guide({
        name: '失业登记',
        code: 'OUTLET-ONLY',
        caseType: 1,
        caseTypeLabel: '即办件',
        promisedWorkingDays: 0,
        channels: { doorPickup: false, outlet: true, mail: 'none' },
      }),
    );
    await screen.findByText('失业登记');
    expect(screen.queryByText('预约上门收件')).toBeNull();
    expect(screen.getByText('本事项暂不支持上门收件，请到下列网点办理。')).toBeTruthy();
    expect(screen.getByText('即办件')).toBeTruthy();
    expect(screen.getByText('当场办结（法定 20 个工作日）')).toBeTruthy();
    expect(screen.getByText('不支持邮寄')).toBeTruthy();
  });

  it('offers no booking for an enterprise (法人) matter, even with door pickup: the enterprise applies', async () => {
    show(
      guide({
        name: '稳岗补贴申领',
        code: 'ENTERPRISE-1',
        applicantType: 'enterprise',
        channels: { doorPickup: true, outlet: true, mail: 'two_way' },
      }),
    );
    await screen.findByText('稳岗补贴申领');
    expect(screen.queryByText('预约上门收件')).toBeNull();
    expect(
      screen.getByText(
        '本事项的服务对象是企业（法人），需由企业作为申请人办理，不能以个人身份预约上门收件。',
      ),
    ).toBeTruthy();
  });

  it('says when the matter no longer exists', async () => {
    fakeBff(() => apiError(404, 'MATTER_NOT_FOUND', '没有找到该事项，它可能已调整或停办，请重新搜索'));
    setRouterParams({ code: 'GONE' });
    render(<Guide />);
    expect(await screen.findByText('没有找到该事项，它可能已调整或停办，请重新搜索')).toBeTruthy();
  });
});
