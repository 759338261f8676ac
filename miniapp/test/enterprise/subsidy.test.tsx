import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SubsidyOfferView } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import SubsidyPage from '@/enterprise/pages/subsidy';
import { caseSummary } from '../cases/fixtures';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const CODE = '91440112MA5CKP3R7X';
const ROUND = '0d3c0e58-1111-4000-8000-000000000001';
const offer = (over: Partial<SubsidyOfferView> = {}): SubsidyOfferView => ({
  roundId: ROUND,
  roundName: '2026年稳岗补贴区配套资助（免申即享）',
  rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
  matterName: '稳岗补贴区配套资助申领（“暖企8条”）',
  deadline: '2026-12-12T15:59:59.999Z',
  amountFen: 1_000_000,
  amountLabel: '可获 ¥10,000.00',
  basis: '上年度稳岗补贴 ¥20000.00 × 50% = ¥10000.00',
  state: 'open',
  confirmation: null,
  ...over,
});
const field = (id: string) => document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(field(id), { target: { value } });

describe('免申即享 page', () => {
  it('shows what the enterprise may get with its working; refuses a bad account before sending; confirms', async () => {
    saveTokens(tokens(1, user()));
    setRouterParams({ code: CODE, round: ROUND });
    let confirmed: SubsidyOfferView | undefined;
    const log = fakeBff((req) => {
      if (req.path.endsWith('/subsidies') && req.method === 'GET')
        return { status: 200, data: { items: [confirmed ?? offer()] } };
      if (req.path.endsWith('/confirm')) {
        const body = req.body as { bankAccount: string };
        if (body.bankAccount.length < 8) return apiError(422, 'BANK_ACCOUNT_INVALID', '账号不正确');
        confirmed = offer({
          state: 'confirmed',
          confirmation: {
            confirmedAt: '2026-12-02T02:00:00.000Z',
            sizeClass: 'small',
            headcount: 48,
            bankName: '中国工商银行广州开发区支行',
            bankAccount: '****3456',
            case: caseSummary({ caseNumber: null, statusLabel: '提交中', status: 'submitting' }),
            payment: null,
            payBy: null,
          },
        });
        return { status: 201, data: confirmed };
      }
      return { status: 200, data: { templates: [], grants: {} } };
    });
    render(<SubsidyPage />);
    await screen.findByText('可获 ¥10,000.00');
    expect(screen.getByText(/× 50%/)).toBeTruthy();

    fireEvent.click(screen.getByText('小型企业'));
    type('subsidy-headcount', '48');
    type('subsidy-bankName', '中国工商银行广州开发区支行');
    type('subsidy-bankAccount', '1234');
    type('subsidy-contactPhone', '13800138009');
    fireEvent.click(screen.getByText('确认并申领'));
    await screen.findByText(/银行账号应为8至32位数字/);
    expect(log.some((r) => r.path.endsWith('/confirm'))).toBe(false);

    type('subsidy-bankAccount', '3602001209200123456');
    fireEvent.click(screen.getByText('确认并申领'));
    await screen.findByText(/\*\*\*\*3456/);
    const sent = log.find((r) => r.path.endsWith('/confirm'))!;
    expect(sent.body).toMatchObject({
      sizeClass: 'small',
      headcount: 48,
      bankAccount: '3602001209200123456',
    });
    await waitFor(() => expect(screen.getByText(/受理后21个工作日内拨付到企业账户/)).toBeTruthy());
  });
});
