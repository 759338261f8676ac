import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { WindowToday } from '@zyt/shared';
import { useRef } from 'react';
import { windowToday } from '@/api/window';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingClock, beijingDateTime, beijingDay, beijingDayLabel } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { WindowGate } from '@/staff/components/WindowGate';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

type Appointment = WindowToday['appointments'][number];

function AppointmentItem({ a, withDay = false }: { a: Appointment; withDay?: boolean }) {
  const open = () => {
    if (a.intakeId) Taro.navigateTo({ url: withQuery(routes.windowIntake, { id: a.intakeId }) });
    else if (a.status === 'booked')
      Taro.navigateTo({ url: withQuery(routes.windowServe, { appointment: a.id }) });
  };
  return (
    <View className="visit-item window-appointment" hoverClass="visit-item--pressed" onClick={open}>
      <View className="row">
        <Text className="staff-title">
          {withDay ? `${beijingDayLabel(a.start)} ` : ''}
          {beijingClock(a.start)}–{beijingClock(a.end)} {a.applicantName}
        </Text>
        <Tag type={a.status === 'booked' ? 'primary' : a.status === 'served' ? 'success' : 'default'}>
          {a.statusLabel}
        </Tag>
      </View>
      <Text className="text-body">{a.matterName}</Text>
      <Text className="text-hint">预约号 {a.number}</Text>
    </View>
  );
}

function Today({ outlet }: { outlet: { id: string; name: string } }) {
  const today = useLoader(() => windowToday(outlet.id));
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) today.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    today.reload();
    Taro.stopPullDownRefresh();
  });
  if (today.loading && !today.data) return <LoadingState />;
  if (today.error && !today.data) return <ErrorState message={today.error.message} onRetry={today.reload} />;
  const { appointments = [], intakes = [] } = today.data ?? {};
  const date = today.data?.date;
  const todays = appointments.filter((a) => beijingDay(a.start) === date);
  const later = appointments.filter((a) => beijingDay(a.start) !== date);
  const waiting = todays.filter((a) => a.status === 'booked').length;
  return (
    <>
      <View className="card">
        <Text className="text-title">{outlet.name} · 政务服务专窗</Text>
        <Text className="text-hint">
          今日预约 {todays.length} 个，待办理 {waiting} 个 · 已收件{' '}
          {intakes.filter((i) => i.status === 'collected').length} 件
        </Text>
        <Button
          block
          type="primary"
          size="large"
          onClick={() => Taro.navigateTo({ url: routes.windowServe })}
        >
          无预约收件（现场办理）
        </Button>
      </View>
      <Text className="text-body window-section">今日预约</Text>
      {todays.length === 0 ? (
        <EmptyState title="今日暂无预约" text="居民在小程序预约本网点后会出现在这里" />
      ) : (
        todays.map((a) => <AppointmentItem key={a.id} a={a} />)
      )}
      {later.length > 0 && (
        <>
          <Text className="text-body window-section">近期预约（提前到达的可直接办理）</Text>
          {later.map((a) => (
            <AppointmentItem key={a.id} a={a} withDay />
          ))}
        </>
      )}
      <Text className="text-body window-section">今日收件</Text>
      {intakes.length === 0 ? (
        <Text className="text-hint">今日还没有收件</Text>
      ) : (
        intakes.map((i) => (
          <View
            key={i.id}
            className="visit-item window-intake"
            hoverClass="visit-item--pressed"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.windowIntake, { id: i.id }) })}
          >
            <View className="row">
              <Text className="staff-title">
                {i.applicantName} · {i.matterName}
              </Text>
              <Tag
                type={i.status === 'collected' ? 'success' : i.status === 'incomplete' ? 'danger' : 'primary'}
              >
                {i.statusLabel}
              </Tag>
            </View>
            <Text className="text-hint">
              {beijingDateTime(i.createdAt)}
              {i.caseNumber ? ` · 办件编号 ${i.caseNumber}` : ''}
            </Text>
          </View>
        ))
      )}
      <Button block size="large" loading={today.loading} onClick={today.reload}>
        刷新
      </Button>
    </>
  );
}

/** 网点政务专窗: today's window appointments at the clerk's post office, walk-ins, and today's intakes. */
export default function WindowDesk() {
  return (
    <Page className="window-desk">
      <WindowGate>{(outlet) => <Today outlet={outlet} />}</WindowGate>
    </Page>
  );
}
