import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { Breach, BreachKind } from '@zyt/shared';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { handleFinding, listBreaches } from '@/api/supervision';
import { type ChipOption, Chips } from '@/components/Chips';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLive } from '@/lib/useLive';
import { routes } from '@/navigation';
import { BagStats } from '@/staff/components/BagStats';
import { AgentFiguresCard, StaffOutlets } from '@/staff/components/StaffOutlets';
import { SupervisorGate } from '@/staff/components/SupervisorGate';
import { breachKindLabels, breachKinds, lateText } from '@/staff/format';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

/** Breaches appear the moment a deadline passes: keep the list fresh while it is on screen. */
const POLL_MS = 30_000;
const always = () => true;

/** 标记已处理: what the supervisor did about a flagged delivery (who and when are recorded by the server). */
function HandleFinding({ findingId, onHandled }: { findingId: string; onHandled: () => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    if ([...note.trim()].length < 2) return setError('请写明处理情况，如：已致电收件人核实');
    setBusy(true);
    setError(undefined);
    try {
      await handleFinding(findingId, note.trim());
      setNote('');
      onHandled();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="field">
      <Text className="field__label">处理情况</Text>
      <Input
        className="field__input"
        id={`finding-note-${findingId}`}
        value={note}
        maxlength={200}
        placeholder="如：已致电收件人，确认本人收到"
        onInput={(e) => setNote(e.detail.value)}
      />
      {error && <Text className="field__error">{error}</Text>}
      <Button size="large" type="primary" loading={busy} onClick={submit}>
        标记已处理
      </Button>
    </View>
  );
}

/** Logistics exceptions wait for a person (待处理 → 已处理); the other breaches resolve when the late step happens. */
function stateLabel(breach: Breach): string {
  if (breach.findingId) return breach.outstanding ? '待处理' : '已处理';
  return breach.outstanding ? '未解决' : '已解决';
}

function BreachItem({ breach, onChanged }: { breach: Breach; onChanged: () => void }) {
  const late = lateText(breach);
  const numbers = [
    breach.bookingNumber && `预约号 ${breach.bookingNumber}`,
    breach.caseNumber && `办件编号 ${breach.caseNumber}`,
    breach.waybillNo && `运单号 ${breach.waybillNo}`,
  ].filter(Boolean);
  return (
    <View className={`breach-item${breach.outstanding ? ' breach-item--outstanding' : ''}`}>
      <View className="row">
        <Text className="staff-title">{breach.label}</Text>
        <Tag type={breach.outstanding ? 'danger' : 'success'}>{stateLabel(breach)}</Tag>
      </View>
      <Text className="text-body">{breach.matterName}</Text>
      {numbers.map((line) => (
        <Text key={line as string} className="text-hint">
          {line}
        </Text>
      ))}
      {breach.dueAt && <Text className="text-hint">时限 {beijingDateTime(breach.dueAt)}</Text>}
      {late && <Text className={breach.outstanding ? 'overdue-text' : 'text-body'}>{late}</Text>}
      {breach.at && (
        <Text className="text-hint">
          {breach.findingId ? '发生于' : '完成于'} {beijingDateTime(breach.at)}
        </Text>
      )}
      <Text className="text-body">{breach.detail}</Text>
      {breach.handled && (
        <Text className="text-hint">
          {breach.handled.by} 于 {beijingDateTime(breach.handled.at)} 处理：{breach.handled.note}
        </Text>
      )}
      {breach.findingId && breach.outstanding && (
        <HandleFinding findingId={breach.findingId} onHandled={onChanged} />
      )}
    </View>
  );
}

function Breaches() {
  const live = useLive(listBreaches, always, POLL_MS, []);
  const [kind, setKind] = useState<BreachKind>();
  usePullDownRefresh(() => {
    live.refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!live.value) {
    return live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />;
  }
  const { items, counts } = live.value;
  const count = (k: BreachKind) => counts[k] ?? items.filter((b) => b.kind === k).length;
  const total = breachKinds.reduce((sum, k) => sum + count(k), 0);
  const tabs: ChipOption<BreachKind>[] = [
    { value: undefined, label: `全部 ${total}` },
    ...breachKinds.map((k) => ({ value: k, label: `${breachKindLabels[k]} ${count(k)}` })),
  ];
  const shown = kind ? items.filter((b) => b.kind === kind) : items;
  const open = items.filter((b) => b.outstanding).length;
  return (
    <>
      <View className="card">
        <Text className="text-title">时效监管</Text>
        <Text className="text-hint">
          上门：接单后 1 小时内或预约时段内到达；证照：出证后 2 个工作日内送达；办件：承诺时限内办结。
        </Text>
        <Text className={open > 0 ? 'overdue-text' : 'text-body'} id="breach-summary">
          {open > 0 ? `${open} 项未解决，请优先跟进` : '没有未解决的超时或异常'}
        </Text>
        {live.error && (
          <Text className="text-hint">刷新失败：{live.error.message}（显示的是上次的结果）</Text>
        )}
      </View>
      <Chips name="超时类别" options={tabs} value={kind} onChange={setKind} />
      {shown.length === 0 ? (
        <EmptyState
          title={kind ? `没有${breachKindLabels[kind]}` : '暂无超时或异常'}
          text="有超时或物流异常时会出现在这里"
        />
      ) : (
        shown.map((b) => (
          <BreachItem
            key={`${b.kind}|${b.subjectId}|${b.waybillNo ?? ''}`}
            breach={b}
            onChanged={live.refresh}
          />
        ))
      )}
    </>
  );
}

/** 时效监管: every missed time limit and logistics exception, by kind, open ones first. */
export default function Supervision() {
  return (
    <Page className="supervision">
      <SupervisorGate>
        <View className="card" id="workbench-link">
          <Text className="text-hint">
            这里是时效情况一览；要指派专人跟进、记录处理过程并办结，请到监管工作台。
          </Text>
          <Button size="large" onClick={() => Taro.navigateTo({ url: routes.workbench })}>
            去监管工作台
          </Button>
        </View>
        <Breaches />
        <BagStats />
        <AgentFiguresCard />
        <StaffOutlets />
      </SupervisorGate>
    </Page>
  );
}
