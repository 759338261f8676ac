import { fireEvent, render, screen } from '@testing-library/react';
import type { ClaimRoundView, EnterpriseBindingView } from '@zyt/shared';
import { describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import ClaimPage, { splitAddress, yuanToFen } from '@/enterprise/pages/claim';
import { caseSummary } from '../cases/fixtures';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const CODE = '91440112MA5CKP3R7X';
const ROUND = '0d3c0e58-1111-4000-8000-000000000002';
const round = (over: Partial<ClaimRoundView> = {}): ClaimRoundView => ({
  roundId: ROUND,
  roundName: '2026年稳岗补贴区配套资助',
  rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
  ratePercent: 50,
  matterCode: 'SC-112',
  matterName: '稳岗补贴区配套资助申领（“暖企8条”）',
  deadline: '2026-12-12T15:59:59.999Z',
  state: 'open',
  materials: [
    {
      id: 'M1',
      name: '《稳岗补贴区配套资助申请表》',
      form: 'original',
      formLabel: '原件',
      count: 1,
      required: true,
      note: '加盖单位公章',
    },
    {
      id: 'M2',
      name: '上年度稳岗补贴到账凭证',
      form: 'copy',
      formLabel: '复印件',
      count: 1,
      required: true,
      note: null,
    },
  ],
  claim: null,
  ...over,
});
const enterprise: EnterpriseBindingView = {
  id: '0d3c0e58-1111-4000-8000-000000000003',
  creditCode: CODE,
  enterpriseName: '广州市黄埔区精密制造有限公司',
  address: '广东省广州市黄埔区科学大道18号A栋',
  legalRepresentative: '张*',
  role: 'clerk',
  status: 'active',
  statusLabel: '已绑定',
  requestedAt: '2026-12-01T02:00:00.000Z',
  decidedAt: '2026-12-01T03:00:00.000Z',
};
const field = (id: string) => document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(field(id), { target: { value } });

describe('邮寄申领 page', () => {
  it('reads amounts and the registry address', () => {
    expect(yuanToFen('20000')).toBe(2_000_000);
    expect(yuanToFen('1234.5')).toBe(123_450);
    expect(yuanToFen('0')).toBeUndefined();
    expect(yuanToFen('12.345')).toBeUndefined();
    expect(splitAddress('广东省广州市黄埔区科学大道18号A栋')).toEqual({
      province: '广东省',
      city: '广州市',
      county: '黄埔区',
      detail: '科学大道18号A栋',
    });
  });

  it('shows the checklist and the working, refuses before sending what is wrong, then shows the cover sheet', async () => {
    saveTokens(tokens(1, user()));
    setRouterParams({ code: CODE, round: ROUND });
    let claimed: ClaimRoundView | undefined;
    let refuse = true;
    const log = fakeBff((req) => {
      if (req.path.endsWith('/claim') && req.method === 'GET')
        return { status: 200, data: claimed ?? round() };
      if (req.path.endsWith(`/enterprises/${CODE}`)) return { status: 200, data: enterprise };
      if (req.path.endsWith('/claim') && req.method === 'POST') {
        if (refuse) {
          refuse = false;
          return apiError(409, 'CLAIM_DEADLINE_PASSED', '这一批次的申领期限已过，不能再申领');
        }
        claimed = round({
          state: 'claimed',
          claim: {
            id: '0d3c0e58-1111-4000-8000-000000000004',
            channel: 'self_post',
            channelLabel: '自行邮寄（打印封面单）',
            state: 'awaiting_materials',
            stateLabel: '待寄出材料',
            lastYearFen: 2_000_000,
            amountFen: 1_000_000,
            working: '上年度稳岗补贴 ¥20,000.00 × 50% = ¥10,000.00',
            headcount: 36,
            bankName: '中国建设银行广州开发区支行',
            bankAccount: '****9012',
            claimedAt: '2026-12-02T02:00:00.000Z',
            coverSheet: {
              code: '123456789012',
              codeLabel: '1234 5678 9012',
              centre: {
                name: '黄埔区政务服务中心',
                address: '广东省广州市黄埔区水西路1号',
                phone: '020-12345678',
              },
            },
            waybillNo: null,
            bookingNumber: null,
            materialsReceivedAt: null,
            case: caseSummary({ caseNumber: null, status: 'awaiting_materials', statusLabel: '待寄出材料' }),
          },
        });
        return { status: 201, data: claimed };
      }
      return { status: 200, data: {} };
    });
    render(<ClaimPage />);
    await screen.findByText(/《稳岗补贴区配套资助申请表》/);
    expect(field('claim-county').value).toBe('黄埔区');

    type('claim-lastYear', '20000');
    await screen.findByText('计算方式：上年度稳岗补贴 ¥20,000.00 × 50% = ¥10,000.00');
    expect(screen.getByText('可申领 ¥10,000.00')).toBeTruthy();
    type('claim-headcount', '36');
    type('claim-bankName', '中国建设银行广州开发区支行');
    type('claim-bankAccount', '12');
    type('claim-contactName', '王五');
    type('claim-contactPhone', '13800138000');
    fireEvent.click(screen.getByText('提交申领'));
    await screen.findByText('请选择材料寄送方式');
    expect(log.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.click(screen.getByText('自行邮寄（打印封面单）'));
    type('claim-bankAccount', '4400123456789012');
    fireEvent.click(screen.getByText('提交申领'));
    await screen.findByText(/申领期限已过/);
    fireEvent.click(screen.getByText('提交申领'));
    await screen.findByText('1234 5678 9012');
    expect(screen.getByText(/黄埔区政务服务中心/)).toBeTruthy();
    const posts = log.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body).toMatchObject({
      lastYearFen: 2_000_000,
      headcount: 36,
      bankAccount: '4400123456789012',
      channel: 'self_post',
      contact: { name: '王五', phone: '13800138000' },
      address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '科学大道18号A栋' },
    });
  });
});

describe('centre desk: cover sheets', () => {
  it('finds a self-posted claim by its code and registers it received', async () => {
    const { CoverSheetDesk } = await import('@/staff/components/CoverSheetDesk');
    saveTokens(tokens(1, user()));
    let received = false;
    const sheet = () => ({
      code: '123456789012',
      enterpriseName: '广州市黄埔区精密制造有限公司',
      creditCode: CODE,
      roundName: '2026年稳岗补贴区配套资助',
      matterName: '稳岗补贴区配套资助申领（“暖企8条”）',
      materials: round().materials,
      receivedAt: received ? '2026-12-02T03:00:00.000Z' : null,
      caseId: '0d3c0e58-1111-4000-8000-000000000005',
    });
    const log = fakeBff((req) => {
      if (req.path.endsWith('/000000000000'))
        return apiError(404, 'COVER_SHEET_NOT_FOUND', '没有找到这个封面单编号');
      if (req.path.endsWith('/receive')) {
        received = true;
        return { status: 200, data: sheet() };
      }
      return { status: 200, data: sheet() };
    });
    render(<CoverSheetDesk />);
    type('cover-code', '1234');
    fireEvent.click(screen.getByText('查找封面单'));
    await screen.findByText(/封面单编号为12位数字/);
    expect(log).toHaveLength(0);
    type('cover-code', '000000000000');
    fireEvent.click(screen.getByText('查找封面单'));
    await screen.findByText('没有找到这个封面单编号');
    type('cover-code', '1234 5678 9012');
    fireEvent.click(screen.getByText('查找封面单'));
    await screen.findByText('广州市黄埔区精密制造有限公司');
    fireEvent.click(screen.getByText('登记收到'));
    await screen.findByText(/登记收到，办件已提交/);
    expect(log.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/staff/claims/cover/123456789012/receive',
    });
  });
});
