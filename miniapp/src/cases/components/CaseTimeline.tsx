import { Text, View } from '@tarojs/components';
import { govStageLabels, type ShipmentLeg, shipmentLegLabels, type TimelineItem } from '@zyt/shared';
import { beijingDateTime } from '@/lib/beijingTime';

const sources = {
  booking: '上门收件',
  window: '网点就近办',
  gov: '政务服务平台',
  ems: 'EMS',
  centre: '政务服务中心',
} as const;

/** Beside the title: the platform's stage. EMS events say what happened in their title, in plain words. */
function marker(item: TimelineItem): string | undefined {
  if (item.source === 'gov' && item.stage) return `环节：${govStageLabels[item.stage] ?? item.stage}`;
  return undefined;
}

/** Where the event came from: the visit, the platform, or which EMS leg and waybill. */
function origin(item: TimelineItem): string {
  if (item.source !== 'ems') return sources[item.source];
  const leg = item.leg ? (shipmentLegLabels[item.leg as ShipmentLeg] ?? item.leg) : undefined;
  return [sources.ems, leg, item.waybillNo].filter(Boolean).join(' · ');
}

/**
 * The case's one timeline — the visit, every government stage and every EMS event of every leg — newest first
 * (the API sends it oldest first), the latest highlighted.
 */
export function CaseTimeline({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) return <Text className="text-hint">暂无进度记录</Text>;
  const newestFirst = [...items].reverse();
  return (
    <View className="case-timeline" id="case-timeline">
      {newestFirst.map((item, i) => {
        const mark = marker(item);
        const classes = [
          'case-timeline__item',
          `case-timeline__item--${item.source}`,
          i === 0 ? 'case-timeline__item--latest' : '',
          item.flag ? 'case-timeline__item--flagged' : '',
        ];
        return (
          <View
            key={`${item.at}|${item.source}|${item.title}|${item.opCode ?? item.stage ?? ''}|${item.waybillNo ?? ''}`}
            className={classes.filter(Boolean).join(' ')}
          >
            <View className="case-timeline__dot" />
            <View className="case-timeline__head">
              <Text className="case-timeline__title">{item.title}</Text>
              {mark && <Text className="case-timeline__marker">{mark}</Text>}
            </View>
            {item.detail && <Text className="case-timeline__detail">{item.detail}</Text>}
            {item.flag && (
              <Text className="case-flag__text">
                {item.flag.label}：{item.flag.detail}
              </Text>
            )}
            <Text className="text-hint">
              {beijingDateTime(item.at)} · {origin(item)}
            </Text>
          </View>
        );
      })}
    </View>
  );
}
