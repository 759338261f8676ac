import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { claimChannelLabels, claimChannels, formatYuan, Role, type RoundProgress } from '@zyt/shared';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { downloadRoundCsv, getRoundProgress, roundCsvFileName } from '@/api/rounds';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime, beijingDay } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam } from '@/navigation';
import { RoleGate } from '@/staff/components/RoleGate';
import { Button } from '@/ui/nutui';
import '../../staff.css';

type Cell = string | number;

/** A plain table (the per-day figures), readable by screen readers. */
function Table({ id, head, rows }: { id: string; head: string[]; rows: Cell[][] }) {
  return (
    <View className="round-table" id={id} role="table">
      <View className="round-table__row round-table__head" role="row">
        {head.map((h) => (
          <Text key={h} className="round-table__cell">
            {h}
          </Text>
        ))}
      </View>
      {rows.map((row) => (
        <View key={String(row[0])} className="round-table__row" role="row">
          {row.map((cell, j) => (
            <Text key={head[j]} className="round-table__cell">
              {cell}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

const share = (n: number, of: number) => (of === 0 ? '' : `（${Math.round((n / of) * 1000) / 10}%）`);

function Counts({ p }: { p: RoundProgress }) {
  const c = p.round.counts;
  return (
    <View className="card" id="round-counts">
      <Text className="text-title">{p.round.name}</Text>
      <Text className="text-hint">
        {p.round.statusLabel} · 确认截止 {beijingDay(p.round.deadline)} · 统计于 {beijingDateTime(p.asOf)}
      </Text>
      <Kv label="名单内企业" value={`${c.listed} 家，${formatYuan(c.listedFen)}`} id="count-listed" />
      <Kv label="已确认" value={`${c.confirmed} 家${share(c.confirmed, c.listed)}`} id="count-confirmed" />
      <Kv label="平台已受理" value={`${c.accepted} 件`} id="count-accepted" />
      {c.refused > 0 && <Kv label="不予受理" value={`${c.refused} 件`} id="count-refused" />}
      <Kv label="已拨付" value={`${c.paid} 件，${formatYuan(c.paidFen)}`} id="count-paid" />
      <Kv
        label="超期未拨付"
        value={c.overdue > 0 ? `${c.overdue} 件，最早应于 ${p.oldestOverdueDue} 前拨付` : '无'}
        id="count-overdue"
      />
      {c.paidLate > 0 && <Kv label="超期拨付" value={`${c.paidLate} 件`} id="count-paid-late" />}
    </View>
  );
}

function Claims({ p }: { p: RoundProgress }) {
  return (
    <View className="card" id="round-claims">
      <Text className="staff-title">邮寄申领（已收到 {p.claims.received} 件）</Text>
      {claimChannels.map((ch) => (
        <Kv key={ch} label={claimChannelLabels[ch]} value={`${p.claims.byChannel[ch]} 件`} />
      ))}
    </View>
  );
}

/** H5 offers the file as a link to save; WeChat sends it to a chat, from which it can be saved. */
function Export({ id, name }: { id: string; name: string }) {
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string>();
  const fileName = roundCsvFileName(name);
  const get = async () => {
    setBusy(true);
    try {
      const path = await downloadRoundCsv(id);
      if (process.env.TARO_ENV === 'h5') setLink(path);
      else await Taro.shareFileMessage({ filePath: path, fileName });
    } catch (e) {
      void Taro.showToast({ title: asApiError(e).message, icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card" id="round-export">
      <Text className="text-hint">CSV 含进度汇总、每日数据和名单内每家企业的确认、受理、拨付情况</Text>
      <Button size="large" loading={busy} onClick={get} id="round-export-csv">
        {process.env.TARO_ENV === 'h5' ? '导出CSV' : '导出CSV（发送到聊天）'}
      </Button>
      {process.env.TARO_ENV === 'h5' && link && (
        <a className="round-csv-link" href={link} download={fileName} id="round-csv-link">
          保存 {fileName}
        </a>
      )}
    </View>
  );
}

function Progress({ id }: { id: string }) {
  const progress = useLoader(() => getRoundProgress(id));
  usePullDownRefresh(() => {
    progress.reload();
    Taro.stopPullDownRefresh();
  });
  if (!progress.data)
    return progress.error ? (
      <ErrorState message={progress.error.message} onRetry={progress.reload} />
    ) : (
      <LoadingState />
    );
  const p = progress.data;
  return (
    <>
      <Counts p={p} />
      <Claims p={p} />
      <View className="card" id="round-days">
        <Text className="staff-title">每日数据（北京时间）</Text>
        {p.days.length === 0 ? (
          <Text className="text-hint">还没有企业确认</Text>
        ) : (
          <Table
            id="round-days-table"
            head={['日期', '确认', '受理', '拨付', '拨付金额']}
            rows={p.days.map((d) => [d.date, d.confirmed, d.accepted, d.paid, formatYuan(d.paidFen)])}
          />
        )}
      </View>
      <Export id={id} name={p.round.name} />
    </>
  );
}

/** A 免申即享 round's progress for supervisors: counts, claims by post, per-day table, CSV export. */
export default function RoundPage() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  return (
    <Page className="round">
      <RoleGate roles={[Role.supervisor]} what="查看免申即享进度">
        <Progress id={id} />
      </RoleGate>
    </Page>
  );
}
