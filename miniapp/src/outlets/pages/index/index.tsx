import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { OutletList } from '@zyt/shared';
import { useCallback, useEffect, useState } from 'react';
import { listOutlets, type Point } from '@/api/catalogue';
import { type ApiError, asApiError } from '@/api/errors';
import { type ChipOption, Chips } from '@/components/Chips';
import { OutletCard } from '@/components/OutletCard';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { routeParam, routes, withQuery } from '@/navigation';
import { currentPosition } from '@/outlets/location';
import { Button } from '@/ui/nutui';
import './index.css';

/** Where to list from: the person's position, or a district they picked (or all) when it is unknown. */
type Origin =
  | { kind: 'locating' }
  | { kind: 'point'; point: Point }
  | { kind: 'district'; district?: string };

/** 附近网点: nearest first when the location is known, else by district; today's hours, phone, matters. */
export default function Outlets() {
  const matter = routeParam(useRouter().params, 'matter');
  const [origin, setOrigin] = useState<Origin>({ kind: 'locating' });
  const [list, setList] = useState<OutletList>();
  const [error, setError] = useState<ApiError>();

  const locate = useCallback(() => {
    setOrigin({ kind: 'locating' });
    currentPosition().then((point) => setOrigin(point ? { kind: 'point', point } : { kind: 'district' }));
  }, []);
  useEffect(locate, [locate]);

  const load = useCallback(() => {
    if (origin.kind === 'locating') return;
    setError(undefined);
    setList(undefined);
    listOutlets({
      point: origin.kind === 'point' ? origin.point : undefined,
      district: origin.kind === 'district' ? origin.district : undefined,
      matter,
      limit: 50,
    }).then(setList, (e: unknown) => setError(asApiError(e)));
  }, [origin, matter]);
  useEffect(load, [load]);

  const point = origin.kind === 'point' ? origin.point : undefined;
  const open = (id: string) =>
    Taro.navigateTo({ url: withQuery(routes.outlet, { id, lat: point?.lat, lng: point?.lng }) });

  const header = () => {
    if (origin.kind === 'point') return <Text className="text-hint">已按距离由近到远排列</Text>;
    if (origin.kind !== 'district') return null;
    const options: ChipOption<string>[] = [
      { value: undefined, label: '全部' },
      ...(list?.districts ?? []).map((d) => ({ value: d, label: d })),
    ];
    return (
      <View className="outlets__where">
        <Text className="text-hint">未获取到您的位置，可按区县查看，或开启定位后重新定位。</Text>
        <Chips
          name="区县"
          options={options}
          value={origin.district}
          onChange={(district) => setOrigin({ kind: 'district', district })}
        />
        <Button size="large" onClick={locate}>
          重新定位
        </Button>
      </View>
    );
  };

  const body = () => {
    if (origin.kind === 'locating') return <LoadingState text="正在获取您的位置…" />;
    if (error) return <ErrorState message={error.message} onRetry={load} />;
    if (!list) return <LoadingState />;
    if (list.items.length === 0) {
      return <EmptyState title="没有找到网点" text="换个区县试试，或到区政务服务中心办理" />;
    }
    return list.items.map((outlet) => (
      <OutletCard key={outlet.id} outlet={outlet} onOpen={() => open(outlet.id)} />
    ));
  };

  return (
    <Page className="outlets">
      {matter && <Text className="notice outlets__matter">只显示可办理所选事项的网点</Text>}
      {header()}
      {body()}
    </Page>
  );
}
