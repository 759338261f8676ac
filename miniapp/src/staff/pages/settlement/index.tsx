import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatFen, Role, type SettlementReconciliation, type SettlementStatement } from '@zyt/shared';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { useSession } from '@/api/session';
import {
  downloadStatement,
  type ExportFormat,
  getReconciliation,
  getStatement,
  listSettlementCentres,
  startReconciliation,
  statementFileName,
} from '@/api/settlement';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { usePolling } from '@/lib/usePolling';
import { RoleGate } from '@/staff/components/RoleGate';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

const BEIJING_MS = 8 * 3_600_000;
/** yyyy-MM of the Beijing month `delta` months from now. */
function monthFromNow(delta: number): string {
  const now = new Date(Date.now() + BEIJING_MS);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + delta, 1)).toISOString().slice(0, 7);
}
const shift = (month: string, delta: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + delta, 1)).toISOString().slice(0, 7);
};
const monthText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
const yuan = (fen: number) => `¥${formatFen(fen)}`;

/** The pending reconciliation is checked this often until the post's bill is in. */
const POLL_MS = 2_000;

function Totals({ s }: { s: SettlementStatement }) {
  return (
    <View className="card" id="settlement-totals">
      <View className="row">
        <Text className="text-title">{monthText(s.month)}对账单</Text>
        <Tag type="primary">{s.contract.modeLabel}</Tag>
      </View>
      <Text className="text-body">
        共 {s.pieces} 件 · 应付 {yuan(s.totalFen)}
      </Text>
      {s.byLeg.map((l) => (
        <Text className="text-hint" key={l.leg}>
          {l.legLabel}：{l.pieces} 件{l.amountFen === null ? '' : ` · ${yuan(l.amountFen)}`}
        </Text>
      ))}
      {s.contract.mode === 'lump_sum' && s.contract.monthlyFen !== null && (
        <Text className="text-hint">包干结算：每月 {yuan(s.contract.monthlyFen)}，不按件数计费</Text>
      )}
    </View>
  );
}

function Reconciliation({
  centreId,
  month,
  canStart,
}: {
  centreId: string;
  month: string;
  canStart: boolean;
}) {
  const r = useLoader(() => getReconciliation(centreId, month));
  const [starting, setStarting] = useState(false);
  const pending = r.data?.status === 'pending';
  usePolling(r.reload, POLL_MS, pending);

  const start = async () => {
    setStarting(true);
    try {
      await startReconciliation(centreId, month);
      r.reload();
    } catch (e) {
      void Taro.showToast({ title: asApiError(e).message, icon: 'none' });
    } finally {
      setStarting(false);
    }
  };
  const startButton = canStart && (
    <Button
      block
      size="large"
      loading={starting || pending}
      disabled={pending}
      onClick={start}
      id="reconcile"
    >
      {r.data ? '重新对账' : '与邮政月结账单对账'}
    </Button>
  );

  if (!r.data) {
    if (r.error && r.error.code !== 'RECONCILIATION_NOT_FOUND')
      return <ErrorState message={r.error.message} onRetry={r.reload} />;
    if (!r.error) return <LoadingState />;
    return (
      <View className="card" id="reconciliation">
        <Text className="text-title">对账</Text>
        <Text className="text-hint">
          {canStart ? '尚未与邮政月结账单核对' : '尚未与邮政月结账单核对，对账由监管人员发起'}
        </Text>
        {startButton}
      </View>
    );
  }
  const d: SettlementReconciliation = r.data;
  return (
    <View className="card" id="reconciliation">
      <Text className="text-title">对账结果</Text>
      {d.status === 'pending' && <Text className="text-hint">正在获取邮政月结账单…</Text>}
      {d.status === 'failed' && <Text className="overdue-text">{d.error}</Text>}
      {d.status === 'done' && d.bill && d.ours && (
        <>
          <Text className="text-body">
            邮政账单 {d.bill.pieces} 件 {yuan(d.bill.totalFen)} · 我方 {d.ours.pieces} 件{' '}
            {yuan(d.ours.totalFen)}
          </Text>
          {d.mismatches.length === 0 ? (
            <Text className="text-body" id="reconciliation-clean">
              账单与我方记录一致
            </Text>
          ) : (
            <Text className="overdue-text">发现 {d.mismatches.length} 处差异</Text>
          )}
          {d.mismatches.map((m) => (
            <View className="visit-item" key={`${m.kind}-${m.waybillNo}`}>
              <View className="row">
                <Text className="staff-title">{m.waybillNo}</Text>
                <Tag type="danger">{m.kindLabel}</Tag>
              </View>
              <Text className="text-hint">{m.detail}</Text>
            </View>
          ))}
        </>
      )}
      {startButton}
    </View>
  );
}

/**
 * In WeChat the file is downloaded and opened (openDocument shows Excel files; a CSV is sent to a chat from
 * which it can be saved); in H5 it is offered as a link to save.
 */
function Downloads({ centreId, centreName, month }: { centreId: string; centreName: string; month: string }) {
  const [busy, setBusy] = useState<ExportFormat>();
  const [links, setLinks] = useState<Partial<Record<ExportFormat, string>>>({});
  const get = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const path = await downloadStatement(centreId, month, format);
      const fileName = statementFileName(centreName, month, format);
      if (process.env.TARO_ENV === 'h5') setLinks((l) => ({ ...l, [format]: path }));
      else if (format === 'xlsx')
        await Taro.openDocument({ filePath: path, fileType: 'xlsx', showMenu: true });
      else await Taro.shareFileMessage({ filePath: path, fileName });
    } catch (e) {
      void Taro.showToast({ title: asApiError(e).message, icon: 'none' });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <View className="card" id="settlement-downloads">
      <Text className="text-title">导出对账单</Text>
      <Text className="text-hint">逐件明细、分类小计和合计；已对账的，Excel 另附对账差异</Text>
      <View className="actions">
        <Button size="large" loading={busy === 'xlsx'} onClick={() => get('xlsx')} id="download-xlsx">
          下载 Excel
        </Button>
        <Button size="large" loading={busy === 'csv'} onClick={() => get('csv')} id="download-csv">
          {process.env.TARO_ENV === 'h5' ? '下载 CSV' : 'CSV 发送到聊天'}
        </Button>
      </View>
      {process.env.TARO_ENV === 'h5' &&
        (['xlsx', 'csv'] as const).map(
          (format) =>
            links[format] && (
              <a
                key={format}
                className="settlement-link"
                href={links[format]}
                download={statementFileName(centreName, month, format)}
                id={`link-${format}`}
              >
                保存 {statementFileName(centreName, month, format)}
              </a>
            ),
        )}
    </View>
  );
}

function Statement({ centreId, centreName, month }: { centreId: string; centreName: string; month: string }) {
  const statement = useLoader(() => getStatement(centreId, month));
  const supervisor = useSession()?.user.roles.includes(Role.supervisor) ?? false;
  if (!statement.data)
    return statement.error ? (
      <EmptyState title="无法生成对账单" text={statement.error.message} />
    ) : (
      <LoadingState />
    );
  return (
    <>
      <Totals s={statement.data} />
      <Reconciliation centreId={centreId} month={month} canStart={supervisor} />
      <Downloads centreId={centreId} centreName={centreName} month={month} />
    </>
  );
}

function Settlement() {
  const centres = useLoader(listSettlementCentres);
  const [centreId, setCentreId] = useState<string>();
  const [month, setMonth] = useState(() => monthFromNow(-1));
  if (!centres.data)
    return centres.error ? (
      <ErrorState message={centres.error.message} onRetry={centres.reload} />
    ) : (
      <LoadingState />
    );
  const items = centres.data.items;
  if (items.length === 0)
    return (
      <EmptyState title="没有可结算的服务中心" text="您的账号还没有归属政务服务中心，请联系监管人员设置" />
    );
  const chosen = items.find((c) => c.id === centreId) ?? items[0]!;
  const latestClosed = monthFromNow(-1);
  return (
    <>
      <View className="card">
        <Text className="text-title">政府买单结算</Text>
        <Text className="text-hint">服务中心</Text>
        <View className="toggle" role="radiogroup" aria-label="服务中心">
          {items.map((c) => (
            <View
              key={c.id}
              className={`toggle__option${c.id === chosen.id ? ' toggle__option--present' : ''}`}
              role="radio"
              aria-checked={c.id === chosen.id}
              onClick={() => setCentreId(c.id)}
            >
              {c.name}
            </View>
          ))}
        </View>
        <Text className="text-hint">月份（已结束的月份才能出账）</Text>
        <View className="row">
          <Button size="small" onClick={() => setMonth(shift(month, -1))} id="month-prev">
            上一月
          </Button>
          <Text className="text-body" id="settlement-month">
            {monthText(month)}
          </Text>
          <Button
            size="small"
            disabled={month >= latestClosed}
            onClick={() => setMonth(shift(month, 1))}
            id="month-next"
          >
            下一月
          </Button>
        </View>
      </View>
      <Statement key={`${chosen.id}-${month}`} centreId={chosen.id} centreName={chosen.name} month={month} />
    </>
  );
}

/** 结算: a centre's monthly statement of government-paid postage, its reconciliation with the post, the export. */
export default function SettlementPage() {
  return (
    <Page className="settlement">
      <RoleGate roles={[Role.supervisor, Role.centreClerk]} what="查看结算对账">
        <Settlement />
      </RoleGate>
    </Page>
  );
}
