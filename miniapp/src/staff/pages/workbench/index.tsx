import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import {
  Role,
  type WorkItemDetail,
  type WorkItemKind,
  type WorkItemStatus,
  type WorkItemSummary,
  workItemEventLabels,
  workItemKindLabels,
  workItemKinds,
  workItemStatusLabels,
} from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '@/api/session';
import { listStaff } from '@/api/supervision';
import {
  acknowledgeWorkItem,
  assignWorkItem,
  closeWorkItem,
  getWorkItem,
  listWorkItems,
  noteWorkItem,
  type WorkItemFilters,
} from '@/api/workbench';
import { type ChipOption, Chips } from '@/components/Chips';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { RoleGate } from '@/staff/components/RoleGate';
import { Button, Tag, TextArea } from '@/ui/nutui';
import '../../staff.css';
import { StaffPicker, useStep } from '@/staff/components/staffSteps';
import './index.css';

const statusTones: Record<WorkItemStatus, 'danger' | 'warning' | 'success'> = {
  open: 'danger',
  acknowledged: 'warning',
  closed: 'success',
};
type StatusFilter = NonNullable<WorkItemFilters['status']>;
const statusOptions: ChipOption<StatusFilter>[] = [
  { value: undefined, label: '未办结' },
  { value: 'open', label: '待处理' },
  { value: 'acknowledged', label: '处理中' },
  { value: 'closed', label: '已办结' },
  { value: 'all', label: '全部' },
];

/** One step on an item: runs, shows the server's message beside the form, reloads on success. */
const refOf = (i: WorkItemSummary) =>
  [
    i.caseNumber && `办件编号 ${i.caseNumber}`,
    i.bookingNumber && `预约号 ${i.bookingNumber}`,
    i.waybillNo && `单号 ${i.waybillNo}`,
  ]
    .filter(Boolean)
    .join(' · ');

function ItemRow({
  item,
  selected,
  onSelect,
}: {
  item: WorkItemSummary;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <View
      className={`desk-item${selected ? ' desk-item--selected' : ''}${item.status === 'closed' ? ' desk-item--closed' : ''}`}
      id={`work-item-${item.id}`}
      hoverClass="visit-item--pressed"
      onClick={onSelect}
    >
      <View className="row">
        <Text className="staff-title">{item.title}</Text>
        <View className="staff-tags">
          <Tag type="primary">{workItemKindLabels[item.kind]}</Tag>
          <Tag type={statusTones[item.status]}>{workItemStatusLabels[item.status]}</Tag>
        </View>
      </View>
      {item.matterName && <Text className="text-body">{item.matterName}</Text>}
      {refOf(item) && <Text className="text-hint">{refOf(item)}</Text>}
      <Text className={item.assignee ? 'text-hint' : 'overdue-text'}>
        负责人：{item.assignee?.label ?? '待指派'} · 发现于 {beijingDateTime(item.raisedAt)}
      </Text>
    </View>
  );
}

function Assign({ item, onDone }: { item: WorkItemDetail; onDone: () => void }) {
  const [who, setWho] = useState(item.assignee?.id ?? '');
  const step = useStep(() => assignWorkItem(item.id, who), onDone);
  return (
    <View className="desk-form" id="work-assign">
      <Text className="text-title">{item.assignee ? '改派负责人' : '指派负责人'}</Text>
      <StaffPicker value={who} onChange={setWho} />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        type="primary"
        size="large"
        loading={step.busy}
        onClick={() => step.go(() => (who ? undefined : '请选择负责人'))}
      >
        确认指派
      </Button>
    </View>
  );
}

function Acknowledge({ item, onDone }: { item: WorkItemDetail; onDone: () => void }) {
  const step = useStep(() => acknowledgeWorkItem(item.id), onDone);
  return (
    <View className="desk-form" id="work-acknowledge">
      <Text className="text-hint">该事项已指派给您，确认后开始处理。</Text>
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button type="primary" size="large" loading={step.busy} onClick={() => step.go()}>
        确认接手
      </Button>
    </View>
  );
}

function TextStep({
  id,
  title,
  placeholder,
  action,
  min,
  missing,
  run,
  onDone,
  primary,
}: {
  id: string;
  title: string;
  placeholder: string;
  action: string;
  min: number;
  missing: string;
  run: (text: string) => Promise<void>;
  onDone: () => void;
  primary?: boolean;
}) {
  const [text, setText] = useState('');
  const step = useStep(
    () => run(text.trim()),
    () => {
      setText('');
      onDone();
    },
  );
  return (
    <View className="desk-form" id={id}>
      <Text className="text-title">{title}</Text>
      <TextArea value={text} maxLength={300} placeholder={placeholder} onChange={setText} />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        type={primary ? 'primary' : 'default'}
        size="large"
        loading={step.busy}
        onClick={() => step.go(() => ([...text.trim()].length < min ? missing : undefined))}
      >
        {action}
      </Button>
    </View>
  );
}

function Detail({ id, onChanged, onBack }: { id: string; onChanged: () => void; onBack: () => void }) {
  const loaded = useLoader(() => getWorkItem(id));
  const item = loaded.data;
  const reload = () => {
    loaded.reload();
    onChanged();
  };
  return (
    <View className="card desk-detail" id="work-detail">
      <View className="desk-back" onClick={onBack}>
        <Text>‹ 返回列表</Text>
      </View>
      {!item ? (
        loaded.error ? (
          <ErrorState message={loaded.error.message} onRetry={loaded.reload} />
        ) : (
          <LoadingState />
        )
      ) : (
        <>
          <View className="row">
            <Text className="staff-title">{item.title}</Text>
            <View className="staff-tags">
              <Tag type="primary">{workItemKindLabels[item.kind]}</Tag>
              <Tag type={statusTones[item.status]}>{workItemStatusLabels[item.status]}</Tag>
            </View>
          </View>
          <Text className="text-body">{item.detail}</Text>
          {item.matterName && <Kv label="事项" value={item.matterName} />}
          {item.caseNumber && <Kv label="办件编号" value={item.caseNumber} />}
          {item.bookingNumber && <Kv label="预约号" value={item.bookingNumber} />}
          {item.waybillNo && <Kv label="单号" value={item.waybillNo} />}
          {item.dueAt && <Kv label="时限" value={beijingDateTime(item.dueAt)} />}
          <Kv label="发现时间" value={beijingDateTime(item.raisedAt)} />
          <Kv label="负责人" value={item.assignee?.label ?? '待指派'} id="work-assignee" />
          {item.closed && <Kv label="处理结果" value={item.closed.outcome} id="work-outcome" />}
          <View className="desk-history" id="work-history">
            <Text className="text-title">处理记录</Text>
            {item.events.map((e) => (
              <Text key={e.id} className="text-hint desk-event">
                {beijingDateTime(e.at)} {e.by} {workItemEventLabels[e.kind]}
                {e.assignee ? ` → ${e.assignee}` : ''}
                {e.note ? `：${e.note}` : ''}
              </Text>
            ))}
          </View>
          {item.ticketId && (
            <View className="desk-form" id="work-ticket">
              <Text className="text-hint">整改工单须在工单页回访评价人、填写整改答复后办结。</Text>
              <Button
                size="large"
                onClick={() => Taro.navigateTo({ url: withQuery(routes.ticket, { id: item.ticketId! }) })}
              >
                打开整改工单
              </Button>
            </View>
          )}
          {item.canAssign && <Assign key={item.assignee?.id ?? ''} item={item} onDone={reload} />}
          {item.canAcknowledge && <Acknowledge item={item} onDone={reload} />}
          {item.canNote && (
            <TextStep
              id="work-note"
              title="添加备注"
              placeholder="如：已致电收件人，约定明日重新投递"
              action="保存备注"
              min={2}
              missing="请填写备注内容（至少2个字）"
              run={(note) => noteWorkItem(item.id, note)}
              onDone={reload}
            />
          )}
          {item.canClose && (
            <TextStep
              id="work-close"
              title="办结并写明处理结果"
              placeholder="如：已核实为本人签收"
              action="确认办结"
              min={2}
              missing="请写明处理结果（至少2个字）再办结"
              run={(outcome) => closeWorkItem(item.id, outcome)}
              onDone={reload}
              primary
            />
          )}
        </>
      )}
    </View>
  );
}

function Desk({ initialId }: { initialId?: string }) {
  const supervisor = useSession()?.user.roles.includes(Role.supervisor) ?? false;
  const [kind, setKind] = useState<WorkItemKind>();
  const [status, setStatus] = useState<StatusFilter>();
  const [who, setWho] = useState<string | undefined>(supervisor ? undefined : 'mine');
  const [selected, setSelected] = useState<string | undefined>(initialId);
  const filters: WorkItemFilters = {
    kind,
    status,
    mine: who === 'mine' || undefined,
    assignee: who && who !== 'mine' ? who : undefined,
  };
  const key = JSON.stringify(filters);
  const list = useLoader(() => listWorkItems(filters));
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    list.reload();
  }, [key, list.reload]);
  const staff = useLoader(listStaff, supervisor);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) list.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    list.reload();
    Taro.stopPullDownRefresh();
  });

  const counts = list.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const kindOptions: ChipOption<WorkItemKind>[] = [
    { value: undefined, label: `全部 ${total}` },
    ...workItemKinds.map((k) => ({ value: k, label: `${workItemKindLabels[k]} ${counts[k] ?? 0}` })),
  ];
  const whoOptions: ChipOption<string>[] = [
    ...(supervisor ? [{ value: undefined, label: '所有人' }] : []),
    { value: 'mine', label: `指派给我 ${list.data?.mine ?? 0}` },
    ...(supervisor
      ? [
          { value: 'none', label: '待指派' },
          ...(staff.data?.items ?? []).map((s) => ({
            value: s.id,
            label: [s.staffNo, s.name].filter(Boolean).join(' ') || '工作人员',
          })),
        ]
      : []),
  ];

  return (
    <View className={`desk${selected ? ' desk--selected' : ''}`}>
      <View className="desk-list">
        <View className="card" id="work-filters">
          <Text className="text-title">监管工作台</Text>
          <Text className="text-hint" id="work-summary">
            未办结 {total} 项{supervisor ? '' : '（指派给您的）'}，办结前一直保留在这里
          </Text>
          <Chips name="类别" options={kindOptions} value={kind} onChange={setKind} scroll />
          <Chips name="状态" options={statusOptions} value={status} onChange={setStatus} />
          <Chips name="负责人" options={whoOptions} value={who} onChange={setWho} scroll />
        </View>
        {!list.data ? (
          list.error ? (
            <ErrorState message={list.error.message} onRetry={list.reload} />
          ) : (
            <LoadingState />
          )
        ) : list.data.items.length === 0 ? (
          <EmptyState title="没有需要处理的事项" text="换个筛选条件看看，或稍后刷新" />
        ) : (
          list.data.items.map((i) => (
            <ItemRow key={i.id} item={i} selected={i.id === selected} onSelect={() => setSelected(i.id)} />
          ))
        )}
        <Button block size="large" loading={list.loading} onClick={list.reload}>
          刷新
        </Button>
      </View>
      <View className="desk-side">
        {selected ? (
          <Detail
            key={selected}
            id={selected}
            onChanged={list.reload}
            onBack={() => setSelected(undefined)}
          />
        ) : (
          <View className="card desk-placeholder">
            <Text className="text-hint">从左侧列表选择一项，查看详情并处理</Text>
          </View>
        )}
      </View>
    </View>
  );
}

/**
 * 监管工作台: SLA breaches, flagged deliveries, logistics exceptions, failed jobs, stuck cases and rectification
 * tickets in one list; assign, acknowledge, note, close. Two columns at a desk (H5), one on a phone.
 */
export default function WorkbenchPage() {
  const id = routeParam(useRouter().params, 'id');
  return (
    <Page className="desk-page">
      <RoleGate roles={[Role.supervisor, Role.postalAgent, Role.centreClerk]} what="处理待办事项">
        <Desk initialId={id} />
      </RoleGate>
    </Page>
  );
}
