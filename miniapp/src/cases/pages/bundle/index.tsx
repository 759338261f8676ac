import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { BundleTimeline } from '@zyt/shared';
import { getBundleTimeline } from '@/api/bundles';
import { Label } from '@/components/Label';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import '../../cases.css';

const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).replace(/:\d\d$/, '');

function Progress({ view }: { view: BundleTimeline }) {
  const delivered = view.items.filter((i) => i.status === 'delivered').length;
  const open = view.items.filter((i) => !['delivered', 'completed'].includes(i.status)).length;
  const waiting = view.waiting ?? [];
  // A visit that ended 材料不齐: no case yet, each matter's share of the missing list below.
  const notYet = view.items.length === 0 && waiting.length > 0;
  return (
    <>
      <View className="card" id="bundle-summary">
        <Text className="text-title">{view.bundle.name}</Text>
        <Text className="text-hint">
          预约号 {view.bookingNumber} · {view.situation.name}
        </Text>
        {notYet ? (
          <Text className="text-body">
            上门核对时材料不齐，各事项尚未提交。补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心。
          </Text>
        ) : (
          <Text className="text-body">
            {`${view.items.length} 个事项，已送达证卡 ${delivered} 本`}
            {open > 0 ? `，${open} 个事项办理中，办结后证卡由EMS寄出` : ''}
          </Text>
        )}
        {notYet && (
          <View>
            <Button
              type="primary"
              size="small"
              onClick={() =>
                Taro.navigateTo({
                  url: withQuery(routes.booking, { matterCode: view.bundle.code, from: view.bookingId }),
                })
              }
            >
              重新预约上门
            </Button>
          </View>
        )}
      </View>
      {waiting.length > 0 && (
        <View className="card" id="bundle-waiting">
          <Text className="text-title">待补材料</Text>
          {waiting.map((w) => (
            <View key={w.matter.code} className="material">
              <View>
                <Text className="text-body">
                  {w.matter.name}：{w.materials.join('、')}
                </Text>
              </View>
              <View>
                <Text className="text-hint">{w.note}</Text>
              </View>
            </View>
          ))}
        </View>
      )}
      {view.items.length > 0 && (
        <View className="card" id="bundle-items">
          <Text className="text-title">各事项进度</Text>
          {view.items.map((item) => (
            <View key={item.caseId} className="material bundle-item">
              <View className="row">
                <Text className="text-body">{item.matter.name}</Text>
                <Tag
                  type={item.status === 'delivered' || item.status === 'completed' ? 'success' : 'default'}
                >
                  {item.statusLabel}
                </Tag>
              </View>
              {item.waitingFor.length > 0 && (
                <Text className="text-hint">等待{item.waitingFor.join('、')}办结后办理</Text>
              )}
              {(item.waitingForMaterials ?? []).length > 0 && (
                <Text className="text-hint">待补材料：{item.waitingForMaterials!.join('、')}</Text>
              )}
              {item.result && (
                <Text className="text-hint">
                  {item.result.kind === 'physical' ? '证卡' : '电子结果'}：{item.result.name}
                  {item.waybillNo ? ` · EMS ${item.waybillNo}` : ''}
                </Text>
              )}
              <View>
                <Button
                  size="small"
                  onClick={() => Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: item.caseId }) })}
                >
                  查看办件
                </Button>
              </View>
            </View>
          ))}
        </View>
      )}
      {view.parcels.length > 0 && (
        <View className="card" id="bundle-parcels">
          <Text className="text-title">证卡寄递（{view.parcels.length} 个邮件）</Text>
          {view.parcels.map((p) => (
            <View key={p.waybillNo ?? p.documents.join()} className="material">
              <View className="row">
                <Text className="text-body">EMS {p.waybillNo ?? '下单中'}</Text>
                <Label>{p.statusLabel}</Label>
              </View>
              <Text className="text-hint">内含：{p.documents.join('、')}</Text>
            </View>
          ))}
        </View>
      )}
      <View className="card" id="bundle-timeline">
        <Text className="text-title">办理时间线</Text>
        {[...view.events].reverse().map((e) => (
          <View key={`${e.at}|${e.title}`} className="timeline__item">
            <Text className="text-hint">{time(e.at)}</Text>
            <Text className="text-body">{e.title}</Text>
            {e.detail && <Text className="text-hint">{e.detail}</Text>}
          </View>
        ))}
      </View>
    </>
  );
}

/** 一件事 progress (?id=<booking>): one timeline for every matter of the bundle and each certificate's parcel. */
export default function BundleProgressPage() {
  const id = routeParam(useRouter().params, 'id');
  const view = useLoader(() => getBundleTimeline(id ?? ''), !!id);
  return (
    <Page className="cases">
      {view.loading ? (
        <LoadingState />
      ) : view.error ? (
        <ErrorState message={view.error.message} onRetry={view.reload} />
      ) : view.data ? (
        <Progress view={view.data} />
      ) : null}
    </Page>
  );
}
