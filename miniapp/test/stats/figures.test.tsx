import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { FiguresResponse } from '@zyt/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import StatsPage from '@/stats/pages/index';
import { apiError, fakeBff, tokens, user } from '../fakeBff';

// The chart draws on a canvas (jsdom has none): here it only shows what it was given.
vi.mock('@/stats/components/FigureChart', () => ({
  FigureChart: ({ bars, name }: { bars: { x: string; y: number; series?: string }[]; name: string }) => (
    <div className="chart-stub" data-chart={name}>
      {bars.map((b) => `${b.x}${b.series ? `/${b.series}` : ''}=${b.y}`).join(';')}
    </div>
  ),
}));

const H = 3600;
const figures = (over: Partial<FiguresResponse> = {}): FiguresResponse => ({
  from: '2026-11-01',
  to: '2026-11-30',
  centre: null,
  applications: 6,
  channels: [
    { channel: 'door_visit', label: '上门收件', count: 4 },
    { channel: 'online', label: '网上申请', count: 2 },
    { channel: 'bag_supplement', label: '替你跑补正', count: 1 },
  ],
  freeMail: {
    pieces: 7,
    postageFen: 8400,
    legs: [
      { leg: 'materials_to_centre', label: '申请材料寄往政务中心', pieces: 5 },
      { leg: 'result_to_applicant', label: '办理结果寄给您', pieces: 2 },
    ],
  },
  stages: [
    { stage: 'booking_visit', label: '预约→上门', cases: 4, medianSeconds: 2.5 * H, p90Seconds: 7.9 * H },
    { stage: 'completion_delivery', label: '办结→送达', cases: 0, medianSeconds: null, p90Seconds: null },
  ],
  agents: [
    {
      agentId: 'a1',
      name: '李*',
      staffNo: 'A001',
      outletId: 'HP-PO-01',
      visits: 3,
      arrived: 2,
      onTime: 1,
      onTimeShare: 0.5,
      handBacks: 0,
      collected: 2,
      ratings: 2,
      averageRating: 4.5,
    },
  ],
  ...over,
});
const centres = { items: [{ id: 'HP-SC-01', name: '黄埔区政务服务中心' }] };
const tableRows = (id: string) =>
  [...document.querySelectorAll(`#${id} .figure-table__row`)].map((r) =>
    [...r.querySelectorAll('.figure-table__cell')].map((c) => c.textContent),
  );

describe('统计报表 (supervisor)', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'supervisor'] })));
  });

  it('shows each figure as a chart with its table, for this month by default', async () => {
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/supervision/figures/centres') return { status: 200, data: centres };
      if (req.path.startsWith('/api/v1/supervision/figures?')) return { status: 200, data: figures() };
      return { status: 404 };
    });
    render(<StatsPage />);
    await screen.findByText('受理渠道（共 6 件）');
    const asked = log.find((r) => r.path.startsWith('/api/v1/supervision/figures?'))!.path;
    expect(asked).toMatch(/^\/api\/v1\/supervision\/figures\?from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}$/);

    expect(tableRows('figure-channels-table')).toEqual([
      ['渠道', '件数'],
      ['上门收件', '4'],
      ['网上申请', '2'],
      ['替你跑补正', '1'],
    ]);
    expect(document.querySelector('[data-chart="figure-channels"]')!.textContent).toBe(
      '上门收件=4;网上申请=2;替你跑补正=1',
    );
    expect(screen.getByText('免费寄递 7 件，群众免付邮费 ¥84.00')).toBeTruthy();
    expect(tableRows('figure-mail-table').at(-1)).toEqual(['合计', '7']);
    expect(tableRows('figure-stages-table')).toEqual([
      ['环节', '办件数', '中位数', '90分位'],
      ['预约→上门', '4', '2.5', '7.9'],
      ['办结→送达', '0', '—', '—'],
    ]);
    expect(document.querySelector('[data-chart="figure-stages"]')!.textContent).toBe(
      '预约→上门/中位数=2.5;预约→上门/90分位=7.9;办结→送达/中位数=0;办结→送达/90分位=0',
    );
    expect(tableRows('figure-agents-table')[1]).toEqual(['李*', 'A001', '3', '50%', '2', '4.5']);
  });

  it('asks again for one centre, and says why a period is refused', async () => {
    const log = fakeBff((req) => {
      if (req.path === '/api/v1/supervision/figures/centres') return { status: 200, data: centres };
      if (req.path.includes('centre=HP-SC-01'))
        return apiError(422, 'FIGURES_PERIOD_TOO_LONG', '统计时段最长366天，请缩短时段或分段查询');
      if (req.path.startsWith('/api/v1/supervision/figures?')) return { status: 200, data: figures() };
      return { status: 404 };
    });
    render(<StatsPage />);
    await screen.findByText('受理渠道（共 6 件）');
    fireEvent.click(await screen.findByText('黄埔区政务服务中心'));
    await screen.findByText('统计时段最长366天，请缩短时段或分段查询');
    expect(log.some((r) => r.path.includes('centre=HP-SC-01'))).toBe(true);
  });

  it('draws no chart when the period is empty, and says so', async () => {
    const empty = figures({
      applications: 0,
      channels: [{ channel: 'door_visit', label: '上门收件', count: 0 }],
      freeMail: { pieces: 0, postageFen: 0, legs: [] },
      stages: [],
      agents: [],
    });
    fakeBff((req) =>
      req.path === '/api/v1/supervision/figures/centres'
        ? { status: 200, data: centres }
        : { status: 200, data: empty },
    );
    render(<StatsPage />);
    await screen.findByText('受理渠道（共 0 件）');
    expect(document.querySelectorAll('.chart-stub')).toHaveLength(0);
    expect(screen.getAllByText('本时段没有数据')).toHaveLength(4);
  });

  it('is for supervisors only', async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    const log = fakeBff(() => ({ status: 404 }));
    render(<StatsPage />);
    await waitFor(() => expect(screen.getByText('时效监管仅对监管/运营人员开放')).toBeTruthy());
    expect(log.filter((r) => r.path.startsWith('/api/v1/supervision/figures'))).toHaveLength(0);
  });
});
