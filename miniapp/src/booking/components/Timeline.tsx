import { Text, View } from '@tarojs/components';
import type { BookingView } from '@zyt/shared';
import { bookingEventTitle } from '@zyt/shared';
import { beijingDateTime } from '@/lib/beijingTime';

const actors = { resident: '您', agent: '政邮专员', system: '系统' } as const;

/** What happened to a booking, newest first. */
export function Timeline({ events }: { events: BookingView['events'] }) {
  const newestFirst = [...events].reverse();
  return (
    <View className="timeline">
      {newestFirst.map((event, i) => {
        const title = bookingEventTitle(event);
        const note = event.note ?? undefined;
        return (
          <View
            key={`${event.at}-${event.kind}-${event.status}`}
            className={`timeline__item${i === 0 ? ' timeline__item--latest' : ''}`}
          >
            <View className="timeline__dot" />
            <Text className="timeline__title">{title}</Text>
            {note && <Text className="text-body">{note}</Text>}
            <Text className="text-hint">
              {beijingDateTime(event.at)} · {actors[event.actor]}
            </Text>
          </View>
        );
      })}
    </View>
  );
}
