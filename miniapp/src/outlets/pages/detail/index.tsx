import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { applicantLabels, type OutletDetail as Detail, weekdayLabels } from '@zyt/shared';
import { useCallback } from 'react';
import { getOutlet } from '@/api/catalogue';
import { Label } from '@/components/Label';
import { callOutlet, OutletCard } from '@/components/OutletCard';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import './index.css';

function WeeklyHours({ outlet }: { outlet: Detail }) {
  return (
    <View className="card">
      <Text className="text-title">营业时间</Text>
      {[1, 2, 3, 4, 5, 6, 7].map((day) => {
        const ranges = outlet.hours.filter((h) => h.day === day);
        const today = day === outlet.today.weekday;
        return (
          <View key={day} className={today ? 'row outlet-hours outlet-hours--today' : 'row outlet-hours'}>
            <Text className="text-body">
              {weekdayLabels[day]}
              {today ? '（今天）' : ''}
            </Text>
            <Text className={ranges.length === 0 ? 'text-body outlet-hours__closed' : 'text-body'}>
              {ranges.length === 0 ? '休息' : ranges.map((r) => `${r.open}-${r.close}`).join(' ')}
            </Text>
          </View>
        );
      })}
    </View>
  );
}

export default function OutletDetail() {
  const params = useRouter().params;
  const id = routeParam(params, 'id');
  const lat = Number(routeParam(params, 'lat'));
  const lng = Number(routeParam(params, 'lng'));
  const point =
    Number.isFinite(lat) && Number.isFinite(lng) && routeParam(params, 'lat') ? { lat, lng } : undefined;
  const outlet = useLoader(
    // biome-ignore lint/correctness/useExhaustiveDependencies: the point comes with the page and never changes.
    useCallback(() => getOutlet(id ?? '', point), [id]),
    id !== undefined,
  );

  if (!id) {
    return (
      <Page>
        <EmptyState title="没有指定网点">
          <Button type="primary" size="large" onClick={() => Taro.redirectTo({ url: routes.outlets })}>
            查看附近网点
          </Button>
        </EmptyState>
      </Page>
    );
  }
  if (outlet.loading && !outlet.data) {
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  }
  if (!outlet.data) {
    return (
      <Page>
        <ErrorState message={outlet.error?.message ?? '加载失败'} onRetry={outlet.reload} />
      </Page>
    );
  }

  const o = outlet.data;
  return (
    <Page className="outlet-detail">
      <OutletCard outlet={o} showCall={false} />
      <Button block type="primary" size="large" onClick={() => callOutlet(o.phone)}>
        拨打电话 {o.phone}
      </Button>
      <View className="outlet-detail__gap" />
      <Button
        block
        size="large"
        id="outlet-navigate"
        onClick={() =>
          Taro.openLocation({
            latitude: o.lat,
            longitude: o.lng,
            name: o.name,
            address: o.address,
            scale: 17,
          })
        }
      >
        导航到网点
      </Button>
      <View className="outlet-detail__gap" />
      <WeeklyHours outlet={o} />
      <View className="card">
        <Text className="text-title">可办事项（{o.matters.length}）</Text>
        {o.matters.map((m) => (
          <View
            key={m.code}
            className="row outlet-matter"
            hoverClass="outlet-matter--pressed"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.guide, { code: m.code }) })}
          >
            <Text className="text-body outlet-matter__name">{m.name}</Text>
            <Label>{applicantLabels[m.applicantType]}</Label>
            {o.kind === 'post_office' && m.applicantType === 'person' && (
              // 网点就近办: book a time at this post office's window for the matter.
              <Button
                onClick={(e) => {
                  e.stopPropagation();
                  Taro.navigateTo({
                    url: withQuery(routes.windowBooking, { matterCode: m.code, outletId: o.id }),
                  });
                }}
              >
                预约
              </Button>
            )}
          </View>
        ))}
      </View>
    </Page>
  );
}
