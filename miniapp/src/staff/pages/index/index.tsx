import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Role, staffRoles, type VisitView } from '@zyt/shared';
import { useRef } from 'react';
import { useSession } from '@/api/session';
import { getStaffProfile, listVisits } from '@/api/visits';
import { Page } from '@/components/Page';
import { SubscribeCard } from '@/components/SubscribeCard';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { usePolling } from '@/lib/usePolling';
import { routes, withQuery } from '@/navigation';
import { AgentGate } from '@/staff/components/AgentGate';
import { BagEntries } from '@/staff/components/BagEntries';
import { ageText, dueLine, promiseText, statusTones, windowLine } from '@/staff/format';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

/** New visits come in while the agent looks at the queue. */
const POLL_MS = 15_000;

function VisitItem({ visit }: { visit: VisitView }) {
  return (
    <View
      className={`visit-item${visit.overdue ? ' visit-item--overdue' : ''}`}
      hoverClass="visit-item--pressed"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.visit, { id: visit.id }) })}
    >
      <View className="row">
        <Text className="staff-title">{visit.matter.name}</Text>
        <View className="staff-tags">
          {visit.overdue && <Tag type="danger">已超时</Tag>}
          {visit.mine && <Tag type="success">我的</Tag>}
          <Tag type={statusTones[visit.status]}>{visit.statusLabel}</Tag>
        </View>
      </View>
      {visit.status === 'requested' ? (
        <Text className={visit.overdue ? 'overdue-text' : 'text-body'}>
          {ageText(visit)} · {promiseText(visit) ?? dueLine(visit)}
        </Text>
      ) : (
        <Text className={visit.overdue ? 'overdue-text' : 'text-body'}>{dueLine(visit)}</Text>
      )}
      {windowLine(visit) && <Text className="text-hint">{windowLine(visit)}</Text>}
      <Text className="text-hint">
        {visit.address.county} {visit.address.detail} · 材料 {visit.checklist.length} 项
      </Text>
      <Text className="text-hint">预约号 {visit.number}</Text>
    </View>
  );
}

/** The agent's outlet: its open orders come to this queue. */
function OutletLine() {
  const profile = useLoader(getStaffProfile);
  if (!profile.data) return null;
  const { outlet, promiseMinutes } = profile.data;
  return outlet ? (
    <Text className="text-hint" id="agent-outlet">
      所属网点：{outlet.name} · 下单后 {promiseMinutes} 分钟内须接单
    </Text>
  ) : (
    <Text className="overdue-text" id="agent-outlet">
      您的账号还没有归属网点，暂时只能看到自己已接的任务。请联系监管人员设置所属网点。
    </Text>
  );
}

/** The agent's other pages: the day so far, and the sealed bag handed in at the post office. */
function AgentLinks() {
  return (
    <View className="actions">
      <Button block size="large" onClick={() => Taro.navigateTo({ url: routes.agentDay })}>
        今日上门记录
      </Button>
      <Button block size="large" onClick={() => Taro.navigateTo({ url: routes.handover })}>
        材料封袋交接
      </Button>
    </View>
  );
}

function Queue() {
  const visits = useLoader(listVisits);
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) visits.reload();
    shown.current = true;
  });
  usePolling(visits.reload, POLL_MS, true);
  usePullDownRefresh(() => {
    visits.reload();
    Taro.stopPullDownRefresh();
  });

  if (visits.loading && !visits.data) return <LoadingState />;
  if (visits.error && !visits.data)
    return <ErrorState message={visits.error.message} onRetry={visits.reload} />;
  const items = visits.data?.items ?? [];
  const overdue = items.filter((v) => v.overdue).length;
  return (
    <>
      <View className="card">
        <Text className="text-title">上门任务</Text>
        <OutletLine />
        <Text className="text-hint">
          我的 {items.filter((v) => v.mine).length} 个 · 待接单{' '}
          {items.filter((v) => v.status === 'requested').length} 个
          {overdue > 0 ? ` · ${overdue} 个已超时，请优先处理` : ''}
        </Text>
      </View>
      {items.length === 0 ? (
        <EmptyState title="暂无上门任务" text="有新的预约时会出现在这里" />
      ) : (
        items.map((v) => <VisitItem key={v.id} visit={v} />)
      )}
      <Button block size="large" loading={visits.loading} onClick={visits.reload}>
        刷新
      </Button>
      <AgentLinks />
      <SubscribeCard kinds={['visit_reminder']} />
    </>
  );
}

/** A centre clerk's ways in: 材料签收, and mailing a list of issued results (单程寄递, 批量). */
function CentreEntry() {
  return (
    <View className="card" id="centre-entry">
      <Text className="text-title">材料签收</Text>
      <Text className="text-hint">核对专员交来的材料袋，逐项签收</Text>
      <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.centre })}>
        去签收
      </Button>
      <Text className="text-hint">已出证的办件，按清单批量交邮政寄给申请人</Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.resultMailings })}>
        批量寄递结果
      </Button>
    </View>
  );
}

/** An outlet clerk's way in to the post office's government window (网点政务专窗). */
function WindowEntry() {
  return (
    <View className="card" id="window-entry">
      <Text className="text-title">网点政务专窗</Text>
      <Text className="text-hint">今日预约、现场收件、核对材料、打印受理单</Text>
      <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.window })}>
        进入窗口
      </Button>
    </View>
  );
}

/** A supervisor's way in to 时效监管. */
function SupervisionEntry() {
  return (
    <View className="card" id="supervision-entry">
      <Text className="text-title">时效监管</Text>
      <Text className="text-hint">上门超时、证照送达超时、物流异常和办件超期，一处查看</Text>
      <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.supervision })}>
        查看时效监管
      </Button>
    </View>
  );
}

/** 监管工作台: everything that needs a person, for supervisors; one's own assigned items for other staff. */
function WorkbenchEntry({ supervisor }: { supervisor: boolean }) {
  return (
    <View className="card" id="workbench-entry">
      <Text className="text-title">{supervisor ? '监管工作台' : '我的待办'}</Text>
      <Text className="text-hint">
        {supervisor
          ? '超时预警、签收存疑、物流异常、任务失败、办件停滞和整改工单，一处指派、跟进、办结'
          : '监管人员指派给您的待办事项：确认接手、备注、办结'}
      </Text>
      <Button
        type={supervisor ? 'primary' : 'default'}
        size="large"
        onClick={() => Taro.navigateTo({ url: routes.workbench })}
      >
        {supervisor ? '进入监管工作台' : '查看我的待办'}
      </Button>
    </View>
  );
}

/** A supervisor's way in to 统计报表. */
function StatsEntry() {
  return (
    <View className="card" id="stats-entry">
      <Text className="text-title">统计报表</Text>
      <Text className="text-hint">
        受理渠道、免费寄递、各环节用时和专员表现，按时段和政务服务中心统计，可导出
      </Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.stats })}>
        查看统计报表
      </Button>
    </View>
  );
}

/** A supervisor's way in to 免申即享 rounds and their progress. */
function RoundsEntry() {
  return (
    <View className="card" id="rounds-entry">
      <Text className="text-title">免申即享进度</Text>
      <Text className="text-hint">各批次名单内企业的确认、受理、拨付和超期情况，按日统计，可导出 CSV</Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.rounds })}>
        查看免申即享进度
      </Button>
    </View>
  );
}

/** 整改工单: every ticket for supervisors, one's own for the staff member named to rectify. */
function TicketsEntry({ supervisor }: { supervisor: boolean }) {
  return (
    <View className="card" id="tickets-entry">
      <Text className="text-title">差评整改</Text>
      <Text className="text-hint">
        {supervisor ? '不满意评价生成的整改工单：指派、回访、办结、申诉' : '指派给您的整改工单：回访并答复'}
      </Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.tickets })}>
        查看整改工单
      </Button>
    </View>
  );
}

/** 政府买单: a centre's monthly statement and its reconciliation with the post's bill. */
function SettlementEntry() {
  return (
    <View className="card" id="settlement-entry">
      <Text className="text-title">结算对账</Text>
      <Text className="text-hint">
        按服务中心和月份查看政府买单的寄递对账单，与邮政月结账单核对，导出 Excel / CSV
      </Text>
      <Button size="large" onClick={() => Taro.navigateTo({ url: routes.settlement })}>
        查看结算对账
      </Button>
    </View>
  );
}

/** 工作台: 时效监管 for supervisors; 补件袋 for the centre; the agent's queue of door visits, overdue first. */
export default function Workbench() {
  const roles = useSession()?.user.roles ?? [];
  const supervisor = roles.includes(Role.supervisor);
  const centre = roles.includes(Role.centreClerk);
  const windowClerk = roles.includes(Role.outletClerk);
  return (
    <Page className="workbench">
      {roles.some((r) => staffRoles.includes(r)) && <WorkbenchEntry supervisor={supervisor} />}
      {supervisor && <SupervisionEntry />}
      {supervisor && <StatsEntry />}
      {supervisor && <RoundsEntry />}
      {roles.some((r) => staffRoles.includes(r)) && <TicketsEntry supervisor={supervisor} />}
      {windowClerk && <WindowEntry />}
      {centre && <CentreEntry />}
      {(centre || supervisor) && <SettlementEntry />}
      {(centre || supervisor) && <BagEntries centre={centre} />}
      {/* Supervisors, centre and outlet clerks who are not also agents have no visit queue: the entries above are theirs. */}
      {((!supervisor && !centre && !windowClerk) || roles.includes(Role.postalAgent)) && (
        <AgentGate>
          <Queue />
        </AgentGate>
      )}
    </Page>
  );
}
