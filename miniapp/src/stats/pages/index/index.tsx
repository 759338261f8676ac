import { Picker, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { type FiguresResponse, hoursOf, yuanOf } from '@zyt/shared';
import { useEffect, useMemo, useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import { type FiguresPeriod, getFigures, getFiguresCsv, listFigureCentres } from '@/api/figures';
import { type ChipOption, Chips } from '@/components/Chips';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingDatePlus } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { SupervisorGate } from '@/staff/components/SupervisorGate';
import { Button } from '@/ui/nutui';
import { type Bar, FigureChart } from '../../components/FigureChart';
import '../../stats.css';

type Cell = string | number;

/** A plain table: the numbers behind the chart beside it, readable by everyone (and by screen readers). */
function FigureTable({ id, head, rows }: { id: string; head: string[]; rows: Cell[][] }) {
  return (
    <View className="figure-table" id={id} role="table">
      <View className="figure-table__row figure-table__head" role="row">
        {head.map((h) => (
          <Text key={h} className="figure-table__cell">
            {h}
          </Text>
        ))}
      </View>
      {rows.map((row) => (
        <View key={row.join('|')} className="figure-table__row" role="row">
          {row.map((cell, j) => (
            <Text key={head[j]} className="figure-table__cell">
              {cell}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

/** One figure: its title, the chart, and the table beside it (below on a phone). */
function Figure({
  id,
  title,
  hint,
  bars,
  unit,
  head,
  rows,
}: {
  id: string;
  title: string;
  hint?: string;
  bars: Bar[];
  unit?: string;
  head: string[];
  rows: Cell[][];
}) {
  return (
    <View className="card figure" id={id}>
      <Text className="staff-title">{title}</Text>
      {hint && <Text className="text-hint">{hint}</Text>}
      <View className="figure__body">
        <View className="figure__chart">
          {bars.some((b) => b.y > 0) ? (
            <FigureChart bars={bars} name={id} unit={unit} />
          ) : (
            <Text className="text-hint">本时段没有数据</Text>
          )}
        </View>
        <FigureTable id={`${id}-table`} head={head} rows={rows} />
      </View>
    </View>
  );
}

const dash = (v: number | string | null) => (v === null ? '—' : v);
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

function Figures({ f }: { f: FiguresResponse }) {
  const charts = useMemo(
    () => ({
      channels: f.channels.map((c) => ({ x: c.label, y: c.count })),
      legs: f.freeMail.legs.map((l) => ({ x: l.label, y: l.pieces })),
      stages: f.stages.flatMap((s) => [
        { x: s.label, y: hoursOf(s.medianSeconds) ?? 0, series: '中位数' },
        { x: s.label, y: hoursOf(s.p90Seconds) ?? 0, series: '90分位' },
      ]),
      agents: f.agents.slice(0, 12).map((a) => ({ x: a.name ?? a.staffNo ?? '—', y: a.visits })),
    }),
    [f],
  );
  return (
    <View className="figures">
      <Figure
        id="figure-channels"
        title={`受理渠道（共 ${f.applications} 件）`}
        hint="本时段新办件按来源渠道统计；替你跑为寄出的补正快递袋"
        bars={charts.channels}
        unit="件"
        head={['渠道', '件数']}
        rows={f.channels.map((c) => [c.label, c.count])}
      />
      <Figure
        id="figure-mail"
        title={`免费寄递 ${f.freeMail.pieces} 件，群众免付邮费 ¥${yuanOf(f.freeMail.postageFen)}`}
        hint="政府买单的邮件，按寄递环节统计"
        bars={charts.legs}
        unit="件"
        head={['环节', '件数']}
        rows={[...f.freeMail.legs.map((l) => [l.label, l.pieces]), ['合计', f.freeMail.pieces]]}
      />
      <Figure
        id="figure-stages"
        title="各环节用时（小时）"
        hint="本时段办件从一步到下一步的用时：中位数与90分位"
        bars={charts.stages}
        unit="小时"
        head={['环节', '办件数', '中位数', '90分位']}
        rows={f.stages.map((s) => [
          s.label,
          s.cases,
          dash(hoursOf(s.medianSeconds)),
          dash(hoursOf(s.p90Seconds)),
        ])}
      />
      <Figure
        id="figure-agents"
        title="政邮专员"
        hint="接单数、准时到达率和上门服务的平均评分（5分为非常满意）"
        bars={charts.agents}
        unit="单"
        head={['专员', '工号', '接单', '准时率', '评价', '平均评分']}
        rows={f.agents.map((a) => [
          a.name ?? '—',
          a.staffNo ?? '—',
          a.visits,
          percent(a.onTimeShare),
          a.ratings,
          dash(a.averageRating),
        ])}
      />
    </View>
  );
}

/** H5 (a desk browser): the CSV downloads as a file. */
async function downloadCsv(p: FiguresPeriod) {
  const csv = await getFiguresCsv(p);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `统计报表-${p.from}-${p.to}${p.centre ? `-${p.centre}` : ''}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DateField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <View className="field figures-filter__date">
      <Text className="field__label">{label}</Text>
      <Picker mode="date" value={value} end={beijingDatePlus(0)} onChange={(e) => onChange(e.detail.value)}>
        <View className="field__input" id={id}>
          {value}
        </View>
      </Picker>
    </View>
  );
}

function FiguresPage() {
  const today = beijingDatePlus(0);
  const [period, setPeriod] = useState<FiguresPeriod>({ from: `${today.slice(0, 8)}01`, to: today });
  const centres = useLoader(listFigureCentres);
  const [figures, setFigures] = useState<{ data?: FiguresResponse; error?: ApiError }>({});
  // A copy of the same period asks again (pull-down, retry).
  const reload = () => setPeriod((p) => ({ ...p }));
  // Loaded again whenever the period or centre changes, or on reload; the last answer wins.
  useEffect(() => {
    let current = true;
    setFigures((f) => ({ data: f.data }));
    getFigures(period).then(
      (data) => current && setFigures({ data }),
      (e: unknown) => current && setFigures({ error: asApiError(e) }),
    );
    return () => {
      current = false;
    };
  }, [period]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });
  const change = (next: Partial<FiguresPeriod>) => setPeriod((p) => ({ ...p, ...next }));
  const centreOptions: ChipOption<string>[] = [
    { value: undefined, label: '全部中心' },
    ...(centres.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];
  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      await downloadCsv(period);
    } catch (e) {
      setExportError(asApiError(e).message);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <View className="card figures-filter" id="figures-filter">
        <View className="figures-filter__dates">
          <DateField
            id="figures-from"
            label="开始日期"
            value={period.from}
            onChange={(from) => change({ from })}
          />
          <DateField id="figures-to" label="结束日期" value={period.to} onChange={(to) => change({ to })} />
        </View>
        <Chips
          name="政务服务中心"
          options={centreOptions}
          value={period.centre}
          onChange={(centre) => change({ centre })}
          scroll
        />
        {process.env.TARO_ENV === 'h5' ? (
          <Button size="large" loading={exporting} onClick={exportCsv} id="figures-export">
            导出 CSV
          </Button>
        ) : (
          <Text className="text-hint">导出 CSV 请在电脑浏览器中打开本页</Text>
        )}
        {exportError && <Text className="field__error">{exportError}</Text>}
      </View>
      {figures.error ? (
        <ErrorState message={figures.error.message} onRetry={reload} />
      ) : !figures.data ? (
        <LoadingState />
      ) : (
        <Figures f={figures.data} />
      )}
    </>
  );
}

/** 统计报表 for supervisors: by period and service centre, each chart with its table, exportable as CSV. */
export default function StatsPage() {
  return (
    <Page className="stats">
      <SupervisorGate>
        <FiguresPage />
      </SupervisorGate>
    </Page>
  );
}
