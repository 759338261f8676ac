import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import {
  type EvaluationLevel,
  evaluationLevelLabels,
  evaluationStageLabels,
  Role,
  type TicketSummary,
  ticketStatusLabels,
} from '@zyt/shared';
import { useRef } from 'react';
import { listTickets } from '@/api/evaluations';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { RoleGate } from '@/staff/components/RoleGate';
import { ticketTones } from '@/staff/format';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

function TicketItem({ ticket: t }: { ticket: TicketSummary }) {
  return (
    <View
      className={`visit-item${t.overdue ? ' visit-item--overdue' : ''}`}
      hoverClass="visit-item--pressed"
      id={`ticket-${t.id}`}
      onClick={() => Taro.navigateTo({ url: withQuery(routes.ticket, { id: t.id }) })}
    >
      <View className="row">
        <Text className="staff-title">{t.matterName}</Text>
        <View className="staff-tags">
          {t.overdue && <Tag type="danger">已超期</Tag>}
          <Tag type={ticketTones[t.status]}>{ticketStatusLabels[t.status]}</Tag>
        </View>
      </View>
      <Text className="text-body">
        {evaluationStageLabels[t.stage]} · {evaluationLevelLabels[t.level as EvaluationLevel]}
      </Text>
      <Text className={t.overdue ? 'overdue-text' : 'text-hint'}>
        整改期限：{t.dueDate}
        {t.dueProvisional ? '（预计）' : ''} · 负责人：{t.assignee?.label ?? '待指派'}
      </Text>
      {t.caseNumber && <Text className="text-hint">办件编号 {t.caseNumber}</Text>}
    </View>
  );
}

function Tickets() {
  const tickets = useLoader(listTickets);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) tickets.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    tickets.reload();
    Taro.stopPullDownRefresh();
  });
  if (!tickets.data)
    return tickets.error ? (
      <ErrorState message={tickets.error.message} onRetry={tickets.reload} />
    ) : (
      <LoadingState />
    );
  const items = tickets.data.items;
  const working = items.filter((t) => t.status === 'open' || t.status === 'assigned');
  return (
    <>
      <View className="card">
        <Text className="text-title">差评整改</Text>
        <Text className="text-hint">
          待办 {working.length} 件
          {working.some((t) => t.overdue) ? ` · ${working.filter((t) => t.overdue).length} 件已超期` : ''}
        </Text>
      </View>
      {items.length === 0 ? (
        <EmptyState title="暂无整改工单" text="群众给出不满意评价时，会在这里生成整改工单" />
      ) : (
        items.map((t) => <TicketItem key={t.id} ticket={t} />)
      )}
      <Button block size="large" loading={tickets.loading} onClick={tickets.reload}>
        刷新
      </Button>
    </>
  );
}

/** 整改工单: the tickets bad ratings opened; supervisors see all, other staff those assigned to them. */
export default function TicketsPage() {
  return (
    <Page className="tickets">
      <RoleGate roles={[Role.supervisor, Role.postalAgent, Role.centreClerk]} what="处理整改工单">
        <Tickets />
      </RoleGate>
    </Page>
  );
}
