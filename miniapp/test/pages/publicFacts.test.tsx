import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import type { PublicFacts } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import PublicFactsPage from '@/me/pages/facts';
import Me from '@/me/pages/index';
import { apiError, fakeBff } from '../fakeBff';

const facts: PublicFacts = {
  region: '张掖市甘州区',
  services: ['政务+邮政便民服务代办'],
  process: ['业务受理', '部门线上流转审批', '邮政快递送达'],
  fees: [
    { item: '上门收件', standard: '免费' },
    { item: '结果寄递', standard: '免费（邮费由政府支付）' },
  ],
  hotlines: [{ name: '监督热线', phone: '0936-8360299', hours: '工作日' }],
};

describe('服务公开 (public facts)', () => {
  it('shows what the BFF publishes: services, process, fees and hotlines, without signing in', async () => {
    const log = fakeBff((req) =>
      req.path === '/api/v1/public/facts' ? { status: 200, data: facts } : { status: 404 },
    );
    render(<PublicFactsPage />);
    expect(await screen.findByText('张掖市甘州区')).toBeTruthy();
    expect(screen.getByText('收费标准')).toBeTruthy();
    expect(screen.getByText('免费（邮费由政府支付）')).toBeTruthy();
    expect(document.querySelector('#facts-process')?.textContent).toContain('2. 部门线上流转审批');
    expect(screen.getByText('监督热线（工作日）')).toBeTruthy();
    fireEvent.click(screen.getByText('0936-8360299'));
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '0936-8360299' });
    expect(log.every((r) => r.token === undefined)).toBe(true);
  });

  it('publishes the 好差评 figures', async () => {
    fakeBff((req) => {
      if (req.path === '/api/v1/public/facts') return { status: 200, data: facts };
      if (req.path === '/api/v1/public/evaluation-figures')
        return {
          status: 200,
          data: {
            from: null,
            to: null,
            evaluations: 7,
            satisfied: 3,
            satisfactionRate: 0.4286,
            bad: 3,
            rectifiedOnTime: 1,
            rectifiedOnTimeRate: 0.3333,
            calledBack: 3,
            callbackRate: 1,
          },
        };
      return { status: 404 };
    });
    render(<PublicFactsPage />);
    const card = await screen.findByText('好差评公开');
    const text = card.parentElement!.textContent;
    expect(text).toContain('评价总数7 条');
    expect(text).toContain('满意率（满意及非常满意）42.9%');
    expect(text).toContain('差评按时整改率33.3%');
    expect(text).toContain('差评回访率100.0%');
  });

  it('says when the facts cannot be loaded', async () => {
    fakeBff(() => apiError(503, 'UPSTREAM_UNAVAILABLE', '服务暂时不可用，请稍后再试'));
    render(<PublicFactsPage />);
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
  });

  it('is reachable from 我的, signed in or not', async () => {
    fakeBff(() => ({ status: 404 }));
    render(<Me />);
    fireEvent.click(await screen.findByText('查看收费标准与监督热线'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/me/pages/facts/index' });
  });
});
