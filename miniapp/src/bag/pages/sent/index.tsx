import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { NotificationKind } from '@zyt/shared';
import { windowText } from '@/bag/components/SendForm';
import { sentConfirmation } from '@/bag/sent';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { SubscribeCard } from '@/components/SubscribeCard';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../bag.css';

/** Reminders for the bag's way to the centre: picked up, delivered, and the centre's receipt. */
const bagKinds: NotificationKind[] = ['bag_picked_up', 'bag_delivered', 'supplement_received'];

/** After the confirm: what was booked, what is still to send, and the way to the case's progress. */
export default function BagSent() {
  const params = useRouter().params;
  const code = routeParam(params, 'code') ?? '';
  const caseId = routeParam(params, 'caseId') ?? '';
  const sent = sentConfirmation(code);
  const shipment = sent?.shipment;

  return (
    <Page className="bag">
      <View className="card bag-done">
        <Text className="bag-done__title" id="bag-sent-title">
          已预约寄出
        </Text>
        <Text className="text-body" id="bag-next-step">
          {sent?.nextStep ?? '快递袋的寄递进度会显示在办件进度中。'}
        </Text>
      </View>
      {shipment && (
        <View className="card">
          <Kv label="快递袋" value={code} />
          {shipment.handover === 'pickup' && shipment.window && (
            <Kv label="EMS 上门揽收" value={windowText(shipment.window)} />
          )}
          {shipment.handover === 'outlet' && shipment.outlet && (
            <>
              <Kv label="投递网点" value={shipment.outlet.name} />
              <Kv label="网点地址" value={shipment.outlet.address} />
              <Kv label="营业时间" value={shipment.outlet.hours} />
            </>
          )}
          <Kv label="EMS 运单号" value={shipment.waybillNo ?? '生成中'} />
          <Kv label="袋内材料" value={sent.items.map((i) => i.name).join('、')} />
        </View>
      )}
      {sent && sent.notIncluded.length > 0 && (
        <View className="notice" role="alert">
          <Text>
            还有 {sent.notIncluded.length} 项未寄：{sent.notIncluded.map((i) => i.name).join('、')}
            。请在补正期限前另用一个快递袋寄送。
          </Text>
        </View>
      )}
      <SubscribeCard kinds={bagKinds} />
      <View className="actions">
        {caseId && (
          <Button
            block
            type="primary"
            size="large"
            onClick={() => Taro.redirectTo({ url: withQuery(routes.caseDetail, { id: caseId }) })}
          >
            查看办件进度
          </Button>
        )}
        <Button block size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
          返回首页
        </Button>
      </View>
    </Page>
  );
}
