import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { DayVisit } from '@zyt/shared';
import { getAgentDay } from '@/api/visits';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingClock } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { AgentGate } from '@/staff/components/AgentGate';
import { statusTones } from '@/staff/format';
import { Tag } from '@/ui/nutui';
import '../../staff.css';

function DayItem({ visit }: { visit: DayVisit }) {
  return (
    <View
      className="visit-item day-item"
      hoverClass="visit-item--pressed"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.visit, { id: visit.id }) })}
    >
      <View className="row">
        <Text className="staff-title">{visit.matterName}</Text>
        <View className="staff-tags">
          {visit.handedOver && <Tag type="success">已封袋交接</Tag>}
          <Tag type={statusTones[visit.status]}>{visit.statusLabel}</Tag>
        </View>
      </View>
      <Text className="text-body day-outcome">{visit.outcome}</Text>
      <Text className="text-hint">
        预约号 {visit.number} · {visit.place}
      </Text>
      {visit.steps.map((step) => (
        <Text key={`${step.at}|${step.title}`} className="text-hint">
          {beijingClock(step.at)} {step.title}
          {step.note ? `：${step.note}` : ''}
        </Text>
      ))}
    </View>
  );
}

function Day() {
  const day = useLoader(getAgentDay);
  usePullDownRefresh(() => {
    day.reload();
    Taro.stopPullDownRefresh();
  });
  if (day.loading && !day.data) return <LoadingState />;
  if (!day.data) return <ErrorState message={day.error?.message ?? '加载失败'} onRetry={day.reload} />;
  const { items, date } = day.data;
  const collected = items.filter((v) => v.outcome === '材料齐全，已收件').length;
  return (
    <>
      <View className="card">
        <Text className="text-title">今日上门记录（{date}）</Text>
        <Text className="text-hint" id="day-summary">
          共 {items.length} 个上门任务，收件 {collected} 个
        </Text>
      </View>
      {items.length === 0 ? (
        <EmptyState title="今天还没有上门记录" text="接单、上门、转交和收件都会记在这里" />
      ) : (
        items.map((v) => <DayItem key={v.id} visit={v} />)
      )}
    </>
  );
}

/** The agent's day: today's visits, finished and handed back ones too, with what happened at each. */
export default function DayPage() {
  return (
    <Page className="agent-day">
      <AgentGate>
        <Day />
      </AgentGate>
    </Page>
  );
}
