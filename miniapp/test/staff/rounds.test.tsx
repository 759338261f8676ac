import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { RoundProgress, RoundSummary } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import RoundPage from '@/staff/pages/round';
import RoundsPage from '@/staff/pages/rounds';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { downloadFile, setRouterParams } from '../taro-mock';

const ROUND = '7ba7b81a-fe37-4969-9e1f-0beffa2dff12';
const summary: RoundSummary = {
  id: ROUND,
  name: '2026年稳岗补贴区配套资助（第一批）',
  matterName: '稳岗补贴区配套资助',
  status: 'open',
  statusLabel: '确认中',
  publishedAt: '2026-11-01T01:00:00.000Z',
  deadline: '2026-12-10T15:59:59.000Z',
  closed: false,
  counts: {
    listed: 30000,
    listedFen: 3_000_000_000,
    confirmed: 1200,
    confirmedFen: 120_000_000,
    accepted: 900,
    refused: 3,
    paid: 400,
    paidFen: 40_000_000,
    overdue: 12,
    paidLate: 2,
  },
};
const progress: RoundProgress = {
  round: summary,
  rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
  claims: { received: 0, byChannel: { ems_pickup: 0, door_visit: 0, self_post: 0 } },
  days: [
    { date: '2026-11-02', confirmed: 700, accepted: 0, paid: 0, paidFen: 0 },
    { date: '2026-11-03', confirmed: 500, accepted: 900, paid: 0, paidFen: 0 },
    { date: '2026-11-28', confirmed: 0, accepted: 0, paid: 400, paidFen: 40_000_000 },
  ],
  asOf: '2026-12-02T03:00:00.000Z',
  oldestOverdueDue: '2026-11-30',
};

const tableRows = () =>
  [...document.querySelectorAll('#round-days-table .round-table__row')].map((r) =>
    [...r.querySelectorAll('.round-table__cell')].map((c) => c.textContent),
  );

describe('免申即享进度 (supervisor)', () => {
  beforeEach(() => saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] }))));

  it('lists rounds with their headline counts and opens one', async () => {
    const log = fakeBff((req) =>
      req.path === '/api/v1/supervision/rounds'
        ? { status: 200, data: { items: [summary] } }
        : { status: 404 },
    );
    render(<RoundsPage />);
    expect(await screen.findByText(summary.name)).toBeTruthy();
    expect(
      screen.getByText('名单 30000 家 · 已确认 1200 · 已受理 900 · 已拨付 400（¥400,000.00）'),
    ).toBeTruthy();
    expect(screen.getByText('超期未拨付 12 家')).toBeTruthy();
    fireEvent.click(document.querySelector(`#round-${ROUND}`)!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/round/index?id=${ROUND}` });
    expect(log).toHaveLength(1);
  });

  it("shows a round's counts, claims by channel and the per-day table; exports the CSV", async () => {
    setRouterParams({ id: ROUND });
    fakeBff((req) =>
      req.path === `/api/v1/supervision/rounds/${ROUND}` ? { status: 200, data: progress } : { status: 404 },
    );
    downloadFile.mockResolvedValue({ statusCode: 200, tempFilePath: 'blob:round-1', errMsg: 'ok' });
    render(<RoundPage />);
    expect((await screen.findByText('1200 家（4%）')).id).toBe('count-confirmed');
    expect(document.querySelector('#count-listed')!.textContent).toBe('30000 家，¥30,000,000.00');
    expect(document.querySelector('#count-paid')!.textContent).toBe('400 件，¥400,000.00');
    expect(document.querySelector('#count-overdue')!.textContent).toBe('12 件，最早应于 2026-11-30 前拨付');
    expect(screen.getByText('邮寄申领（已收到 0 件）')).toBeTruthy();
    expect(screen.getByText('EMS免费上门取件')).toBeTruthy();
    expect(tableRows()).toEqual([
      ['日期', '确认', '受理', '拨付', '拨付金额'],
      ['2026-11-02', '700', '0', '0', '¥0.00'],
      ['2026-11-03', '500', '900', '0', '¥0.00'],
      ['2026-11-28', '0', '0', '400', '¥400,000.00'],
    ]);
    fireEvent.click(screen.getByText('导出CSV'));
    const link = await waitFor(() => {
      const a = document.querySelector('#round-csv-link') as HTMLAnchorElement | null;
      expect(a).toBeTruthy();
      return a!;
    });
    expect(link.getAttribute('href')).toBe('blob:round-1');
    expect(link.getAttribute('download')).toBe(`免申即享进度-${summary.name}.csv`);
    expect(downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({
        url: `https://bff.test/api/v1/supervision/rounds/${ROUND}/progress.csv`,
        header: { Authorization: 'Bearer access-1' },
      }),
    );
  });

  it('an unknown round says so', async () => {
    setRouterParams({ id: ROUND });
    fakeBff(() => apiError(404, 'ROUND_NOT_FOUND', '没有找到该免申即享批次，请从批次列表中重新选择'));
    render(<RoundPage />);
    expect(await screen.findByText('没有找到该免申即享批次，请从批次列表中重新选择')).toBeTruthy();
  });

  it('is for supervisors only', async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    const log = fakeBff(() => ({ status: 404 }));
    render(<RoundsPage />);
    expect(await screen.findByText(/查看免申即享进度仅对/)).toBeTruthy();
    expect(log).toHaveLength(0);
  });
});
