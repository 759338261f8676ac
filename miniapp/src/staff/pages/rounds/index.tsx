import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { formatYuan, Role, type RoundSummary } from '@zyt/shared';
import { listRounds } from '@/api/rounds';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDay } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { RoleGate } from '@/staff/components/RoleGate';
import { Tag } from '@/ui/nutui';
import '../../staff.css';

function RoundItem({ r }: { r: RoundSummary }) {
  const c = r.counts;
  return (
    <View
      className="card visit-item"
      id={`round-${r.id}`}
      role="button"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.round, { id: r.id }) })}
    >
      <View className="row">
        <Text className="staff-title">{r.name}</Text>
        <Tag type={r.status === 'importing' ? 'warning' : r.closed ? 'default' : 'primary'}>
          {r.statusLabel}
        </Tag>
      </View>
      <Text className="text-hint">
        发布 {beijingDay(r.publishedAt)} · 确认截止 {beijingDay(r.deadline)}
      </Text>
      <Text className="text-body">
        名单 {c.listed} 家 · 已确认 {c.confirmed} · 已受理 {c.accepted} · 已拨付 {c.paid}（
        {formatYuan(c.paidFen)}）
      </Text>
      {c.overdue > 0 && <Text className="overdue-text">超期未拨付 {c.overdue} 家</Text>}
    </View>
  );
}

function Rounds() {
  const rounds = useLoader(listRounds);
  usePullDownRefresh(() => {
    rounds.reload();
    Taro.stopPullDownRefresh();
  });
  if (!rounds.data)
    return rounds.error ? (
      <ErrorState message={rounds.error.message} onRetry={rounds.reload} />
    ) : (
      <LoadingState />
    );
  if (rounds.data.items.length === 0)
    return <EmptyState title="暂无免申即享批次" text="政务服务平台发布免申即享名单后，批次会显示在这里" />;
  return (
    <>
      <Text className="text-hint">点开批次查看确认、受理、拨付进度和每日数据，可导出 CSV</Text>
      {rounds.data.items.map((r) => (
        <RoundItem key={r.id} r={r} />
      ))}
    </>
  );
}

/** 免申即享进度 for supervisors: every round with its headline counts, newest first. */
export default function RoundsPage() {
  return (
    <Page className="rounds">
      <RoleGate roles={[Role.supervisor]} what="查看免申即享进度">
        <Rounds />
      </RoleGate>
    </Page>
  );
}
