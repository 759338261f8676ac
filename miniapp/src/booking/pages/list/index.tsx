import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { type BookingView, finalBookingStatuses, finalCaseStatuses } from '@zyt/shared';
import { useRef, useState } from 'react';
import { listBookings } from '@/api/bookings';
import { useSession } from '@/api/session';
import { StatusTag } from '@/booking/components/StatusTag';
import { visitTimeText } from '@/booking/format';
import { CaseStatusTag } from '@/cases/components/CaseStatusTag';
import { Chips } from '@/components/Chips';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../booking.css';

type Filter = 'open' | 'done';
const filters: { value: Filter | undefined; label: string }[] = [
  { value: undefined, label: '全部' },
  { value: 'open', label: '进行中' },
  { value: 'done', label: '已结束' },
];
/** A booking that became a case is over when its case is. */
const isDone = (b: BookingView) =>
  b.case ? finalCaseStatuses.includes(b.case.status) : finalBookingStatuses.includes(b.status);

function BookingItem({ booking }: { booking: BookingView }) {
  return (
    <View
      className="booking-item"
      hoverClass="booking-item--pressed"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.bookingDetail, { id: booking.id }) })}
    >
      <View className="row">
        <Text className="booking-section-title">{booking.matter.name}</Text>
        {booking.case ? (
          <CaseStatusTag status={booking.case.status} label={booking.case.statusLabel} />
        ) : (
          <StatusTag status={booking.status} />
        )}
      </View>
      <Text className="text-hint">预约号 {booking.number}</Text>
      <Text className="text-hint">上门时间：{visitTimeText(booking.window)}</Text>
      {booking.status === 'materials_incomplete' && booking.missingItems && (
        <Text className="field__error">缺少 {booking.missingItems.length} 项材料，点开查看清单</Text>
      )}
      {booking.caseNumber && <Text className="text-hint">办件编号 {booking.caseNumber}</Text>}
      <Text className="text-hint">预约于 {beijingDateTime(booking.createdAt)}</Text>
    </View>
  );
}

/** 我的预约: every door-visit booking, newest first, with its status. */
export default function MyBookings() {
  const session = useSession();
  const bookings = useLoader(listBookings, session !== null);
  const [filter, setFilter] = useState<Filter>();
  const shown = useRef(false);
  // Coming back from a detail (cancelled, rescheduled): show what changed.
  useDidShow(() => {
    if (shown.current && session) bookings.reload();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    bookings.reload();
    // The list keeps showing while it reloads: no need to hold the pull indicator.
    Taro.stopPullDownRefresh();
  });

  if (!session) {
    return (
      <Page>
        <EmptyState title="请先登录" text="登录后查看您的上门收件预约">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
            去登录
          </Button>
        </EmptyState>
      </Page>
    );
  }

  const body = () => {
    if (bookings.loading && !bookings.data) return <LoadingState />;
    if (bookings.error && !bookings.data)
      return <ErrorState message={bookings.error.message} onRetry={bookings.reload} />;
    const all = bookings.data?.items ?? [];
    if (all.length === 0) {
      return (
        <EmptyState title="还没有预约" text="预约政邮专员上门核对材料、收件，免去跑腿">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.booking })}>
            预约上门收件
          </Button>
        </EmptyState>
      );
    }
    const items = all.filter((b) => filter === undefined || (filter === 'done') === isDone(b));
    return (
      <>
        <Chips name="预约状态" options={filters} value={filter} onChange={setFilter} />
        {items.length === 0 ? (
          <EmptyState title={filter === 'open' ? '没有进行中的预约' : '没有已结束的预约'} />
        ) : (
          items.map((b) => <BookingItem key={b.id} booking={b} />)
        )}
      </>
    );
  };

  return (
    <Page className="my-bookings">
      {body()}
      <Button block size="large" onClick={() => Taro.navigateTo({ url: routes.booking })}>
        新的预约
      </Button>
    </Page>
  );
}
