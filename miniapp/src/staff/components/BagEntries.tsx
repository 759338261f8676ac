import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type Route, routes } from '@/navigation';
import { Button } from '@/ui/nutui';

const entries: {
  id: string;
  title: string;
  text: string;
  action: string;
  route: Route;
  centreOnly: boolean;
}[] = [
  {
    id: 'bag-receive-entry',
    title: '快递袋收件',
    text: '扫描寄到的快递袋，逐项勾选袋内材料，确认收件后办件继续办理',
    action: '扫码收件',
    route: routes.bagReceive,
    centreOnly: true,
  },
  {
    id: 'bag-bind-entry',
    title: '窗口发袋',
    text: '把快递袋交给需要补齐补正的申请人前，先绑定到其办件',
    action: '绑定快递袋',
    route: routes.bagBind,
    centreOnly: true,
  },
  {
    id: 'bag-batches-entry',
    title: '快递袋批次与标签',
    text: '新建一批快递袋，下载二维码标签打印贴到袋子背面',
    action: '管理批次',
    route: routes.bagBatches,
    centreOnly: false,
  },
];

/** 替你跑 at the service centre: receive bags, bind one at the window, print labels (supervisors too). */
export function BagEntries({ centre }: { centre: boolean }) {
  return (
    <>
      {entries
        .filter((entry) => centre || !entry.centreOnly)
        .map((entry) => (
          <View key={entry.id} className="card" id={entry.id}>
            <Text className="text-title">{entry.title}</Text>
            <Text className="text-hint">{entry.text}</Text>
            <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: entry.route })}>
              {entry.action}
            </Button>
          </View>
        ))}
    </>
  );
}
