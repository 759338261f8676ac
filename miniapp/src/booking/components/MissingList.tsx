import { Text, View } from '@tarojs/components';
import type { MissingItem } from '@zyt/shared';

/**
 * 一次性告知: everything the agent found missing, in one list, so the resident gathers it all in one go
 * rather than learning of one item per visit.
 */
export function MissingList({ items, title }: { items: MissingItem[]; title?: string }) {
  return (
    <View className="missing" role="alert" id="missing-list">
      <Text className="missing__title">{title ?? `材料不齐：还缺 ${items.length} 项`}</Text>
      <Text className="text-body">以下是本次初审发现缺少的全部材料，请一次备齐：</Text>
      {items.map((item, i) => (
        <View key={item.materialId} className="missing__item">
          <Text className="missing__name">
            {i + 1}. {item.name}
          </Text>
          <Text className="missing__reason">{item.reason}</Text>
        </View>
      ))}
    </View>
  );
}
