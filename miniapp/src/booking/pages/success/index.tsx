import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { getBooking } from '@/api/bookings';
import { NextSteps } from '@/booking/components/Guidance';
import { visitTimeText, whenText } from '@/booking/format';
import { Page } from '@/components/Page';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../booking.css';

/** Subscribe messages exist only in WeChat, and only with template ids configured for this build. */
const canSubscribe = process.env.TARO_ENV === 'weapp' && SUBSCRIBE_TEMPLATE_IDS.length > 0;

/**
 * Right after booking, the moment the resident wants to hear what happens next: ask for subscribe-message
 * consent here. WeChat only shows the request from a tap, hence a button rather than a prompt on load.
 */
function SubscribeCard() {
  const [answered, setAnswered] = useState<'accepted' | 'declined'>();
  if (!canSubscribe) return null;
  const ask = async () => {
    try {
      // Taro's typing also asks for Alipay's entityIds; WeChat ignores them.
      // Failures (no tap, unknown templates) reject and are caught below; a person saying no still resolves.
      const result = (await Taro.requestSubscribeMessage({
        tmplIds: SUBSCRIBE_TEMPLATE_IDS,
        entityIds: [],
      })) as Taro.requestSubscribeMessage.SuccessCallbackResult;
      // The answer carries one key per template id: accept, reject or ban.
      setAnswered(SUBSCRIBE_TEMPLATE_IDS.some((id) => result[id] === 'accept') ? 'accepted' : 'declined');
    } catch {
      setAnswered('declined');
    }
  };
  return (
    <View className="card">
      <Text className="booking-section-title">接收进度提醒</Text>
      {answered === 'accepted' ? (
        <Text className="text-body">
          已开启。专员接单、上门和办件进度有变化时，会通过微信服务通知告诉您。
        </Text>
      ) : (
        <>
          <Text className="text-hint">
            专员接单、上门和办件进度有变化时，通过微信服务通知告诉您。
            {answered === 'declined' ? '您暂未开启，可在预约详情中查看进度。' : ''}
          </Text>
          <Button type="primary" size="large" onClick={ask}>
            开启进度提醒
          </Button>
        </>
      )}
    </View>
  );
}

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
      <SubscribeCard />
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
