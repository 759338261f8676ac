import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { getBooking } from '@/api/bookings';
import { NextSteps } from '@/booking/components/Guidance';
import { visitTimeText, whenText } from '@/booking/format';
import { Page } from '@/components/Page';
import { caseProgressKinds, SubscribeCard } from '@/components/SubscribeCard';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../booking.css';

export default function BookingDone() {
  const params = useRouter().params;
  const id = routeParam(params, 'id') ?? '';
  const booking = useLoader(() => getBooking(id), id !== '');
  const number = booking.data?.number ?? routeParam(params, 'number');

  return (
    <Page className="booking-done">
      <View className="card">
        <Text className="text-title">预约成功</Text>
        <Text className="text-hint">预约号（接电话时可核对）</Text>
        <Text className="booking-number" id="booking-number">
          {number}
        </Text>
        {booking.data && (
          <>
            <Text className="text-body">{booking.data.matter.name}</Text>
            <Text className="text-hint">上门时间：{visitTimeText(booking.data.window)}</Text>
          </>
        )}
      </View>
      {booking.data && <NextSteps when={whenText(booking.data.window)} />}
      {/* Right after booking, the moment the resident wants to hear what happens next. */}
      <SubscribeCard kinds={caseProgressKinds} />
      <View className="actions">
        <Button
          block
          type="primary"
          size="large"
          disabled={!id}
          onClick={() => Taro.redirectTo({ url: withQuery(routes.bookingDetail, { id }) })}
        >
          查看预约详情
        </Button>
        <Button block size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
          返回首页
        </Button>
      </View>
    </Page>
  );
}
