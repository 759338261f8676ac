import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SettlementReconciliation, SettlementStatement } from '@zyt/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import SettlementPage from '@/staff/pages/settlement';
import { apiError, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { downloadFile } from '../taro-mock';

const BEIJING_MS = 8 * 3_600_000;
const monthFromNow = (delta: number) => {
  const now = new Date(Date.now() + BEIJING_MS);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + delta, 1)).toISOString().slice(0, 7);
};
const LAST = monthFromNow(-1);
const BEFORE = monthFromNow(-2);
const centres = {
  items: [
    { id: 'HP-SC-01', name: '黄埔区政务服务中心', contract: null },
    { id: 'TH-SC-01', name: '天河区政务服务中心', contract: null },
  ],
};
const base = (centre: string) => `/api/v1/staff/settlement/centres/${centre}`;

function statement(centre: string, month: string): SettlementStatement {
  return {
    centre: { id: centre, name: '黄埔区政务服务中心' },
    month,
    contract: {
      centreId: centre,
      mode: 'per_piece',
      modeLabel: '计件结算',
      validFrom: '2026-01',
      pricesFen: { materials_to_centre: 1500, supplement_to_centre: 1000, result_to_applicant: 1200 },
      monthlyFen: null,
    },
    pieces: 6,
    totalFen: 7600,
    byLeg: [
      { leg: 'materials_to_centre', legLabel: '申请材料寄往中心', pieces: 2, amountFen: 3000 },
      { leg: 'supplement_to_centre', legLabel: '补正材料寄往中心（替你跑）', pieces: 1, amountFen: 1000 },
      { leg: 'result_to_applicant', legLabel: '办理结果寄给群众', pieces: 3, amountFen: 3600 },
    ],
    lines: [],
    linesTotal: 6,
  };
}

const done: SettlementReconciliation = {
  centreId: 'HP-SC-01',
  month: LAST,
  status: 'done',
  requestedAt: '2026-12-01T02:00:00.000Z',
  finishedAt: '2026-12-01T02:00:03.000Z',
  error: null,
  bill: { pieces: 7, totalFen: 9400 },
  ours: { pieces: 6, totalFen: 7600 },
  mismatches: [
    {
      kind: 'billed_twice',
      kindLabel: '重复计费',
      waybillNo: '1100000000101',
      leg: 'result_to_applicant',
      ours: { weightGrams: 200, amountFen: 1200 },
      billed: { weightGrams: 200, amountFen: 1200, times: 2 },
      detail: '账单中出现 2 次，应只计 1 次',
    },
    {
      kind: 'unknown_piece',
      kindLabel: '账单中有我方没有的邮件',
      waybillNo: '1199999999990',
      leg: null,
      ours: null,
      billed: { weightGrams: 500, amountFen: 1200, times: 1 },
      detail: '我方没有该邮件的寄递记录（账单金额 ¥12.00）',
    },
  ],
};

/** A BFF where the last month has a statement and its reconciliation goes pending → done; older months have no contract. */
function server() {
  let reconciliation: SettlementReconciliation | undefined;
  let polls = 0;
  return fakeBff((req: FakeRequest) => {
    if (req.path === '/api/v1/staff/settlement/centres') return { status: 200, data: centres };
    const m = /^\/api\/v1\/staff\/settlement\/centres\/([^/]+)\/(statements|reconciliations)\/([\d-]+)/.exec(
      req.path,
    );
    if (!m) return { status: 404 };
    const [, centre, what, month] = m as unknown as [string, string, string, string];
    if (month !== LAST)
      return apiError(
        422,
        'SETTLEMENT_CONTRACT_MISSING',
        '黄埔区政务服务中心在该月没有生效的结算合同，请先录入合同（计件单价或包干金额）',
      );
    if (what === 'statements') return { status: 200, data: statement(centre, month) };
    if (req.method === 'POST') {
      reconciliation = { ...done, status: 'pending', bill: null, ours: null, mismatches: [] };
      return { status: 202, data: reconciliation };
    }
    if (!reconciliation)
      return apiError(404, 'RECONCILIATION_NOT_FOUND', '该月份还没有与邮政账单对账，请先发起对账');
    // The bill is in by the second look.
    if (reconciliation.status === 'pending' && ++polls >= 2) reconciliation = done;
    return { status: 200, data: reconciliation };
  });
}

describe('结算 (supervisor)', () => {
  beforeEach(() => saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] }))));

  it('shows last month’s totals for the first centre, and refusals as they come for another month', async () => {
    const log = server();
    render(<SettlementPage />);
    expect(await screen.findByText('共 6 件 · 应付 ¥76.00')).toBeTruthy();
    expect(screen.getByText('计件结算')).toBeTruthy();
    expect(screen.getByText('补正材料寄往中心（替你跑）：1 件 · ¥10.00')).toBeTruthy();
    expect(log.some((r) => r.path === `${base('HP-SC-01')}/statements/${LAST}?limit=50`)).toBe(true);
    // The month not yet over cannot be chosen.
    expect(document.querySelector('#month-next')!.className).toContain('disabled');

    fireEvent.click(screen.getByText('上一月'));
    expect(await screen.findByText(/没有生效的结算合同/)).toBeTruthy();
    expect(log.some((r) => r.path.startsWith(`${base('HP-SC-01')}/statements/${BEFORE}`))).toBe(true);

    fireEvent.click(screen.getByText('天河区政务服务中心'));
    await waitFor(() =>
      expect(log.some((r) => r.path.startsWith(`${base('TH-SC-01')}/statements/${BEFORE}`))).toBe(true),
    );
  });

  it('starts reconciliation, waits for the bill and lists each mismatch with its kind', async () => {
    const log = server();
    render(<SettlementPage />);
    fireEvent.click(await screen.findByText('与邮政月结账单对账'));
    expect(await screen.findByText('发现 2 处差异', {}, { timeout: 8000 })).toBeTruthy();
    expect(screen.getByText('重复计费')).toBeTruthy();
    expect(screen.getByText('账单中有我方没有的邮件')).toBeTruthy();
    expect(screen.getByText('1199999999990')).toBeTruthy();
    expect(screen.getByText('邮政账单 7 件 ¥94.00 · 我方 6 件 ¥76.00')).toBeTruthy();
    expect(log.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      `${base('HP-SC-01')}/reconciliations/${LAST}`,
    ]);
  }, 15_000);

  it('downloads the Excel file with the token and offers it as a link to save (H5)', async () => {
    server();
    downloadFile.mockResolvedValue({ statusCode: 200, tempFilePath: 'blob:statement-1', errMsg: 'ok' });
    render(<SettlementPage />);
    fireEvent.click(await screen.findByText('下载 Excel'));
    const link = await waitFor(() => {
      const a = document.querySelector('#link-xlsx') as HTMLAnchorElement | null;
      expect(a).toBeTruthy();
      return a!;
    });
    expect(link.getAttribute('href')).toBe('blob:statement-1');
    expect(link.getAttribute('download')).toBe(`政府买单对账单-黄埔区政务服务中心-${LAST}.xlsx`);
    expect(downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({
        url: `https://bff.test${base('HP-SC-01')}/statements/${LAST}/export?format=xlsx`,
        header: { Authorization: 'Bearer access-1' },
      }),
    );
    expect(Taro.openDocument).not.toHaveBeenCalled();
  });

  it('a failed download says so', async () => {
    server();
    downloadFile.mockResolvedValue({ statusCode: 500, tempFilePath: '', errMsg: 'ok' });
    render(<SettlementPage />);
    fireEvent.click(await screen.findByText('下载 CSV'));
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalled());
    expect(document.querySelector('#link-csv')).toBeNull();
    vi.mocked(Taro.showToast).mockClear();
  });
});

describe('结算 (centre clerk)', () => {
  it('sees their centre’s statement but cannot start reconciliation', async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'centre_clerk'] })));
    server();
    render(<SettlementPage />);
    expect(await screen.findByText('共 6 件 · 应付 ¥76.00')).toBeTruthy();
    expect(await screen.findByText('尚未与邮政月结账单核对，对账由监管人员发起')).toBeTruthy();
    expect(screen.queryByText('与邮政月结账单对账')).toBeNull();
  });

  it('a resident is told the page is for staff', async () => {
    saveTokens(tokens(1, user({ roles: ['resident'] })));
    fakeBff(() => ({ status: 404 }));
    render(<SettlementPage />);
    expect(await screen.findByText(/查看结算对账仅对/)).toBeTruthy();
  });
});
