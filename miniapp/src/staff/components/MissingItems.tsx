import { Text, View } from '@tarojs/components';

/** The numbered list of what is still missing, each with why, as told to the person once. */
export function MissingItems({ items }: { items: readonly { key: string; name: string; reason: string }[] }) {
  return (
    <>
      {items.map((item, i) => (
        <View key={item.key} className="result__item">
          <Text className="text-body">
            {i + 1}. {item.name}
          </Text>
          <Text className="short">{item.reason}</Text>
        </View>
      ))}
    </>
  );
}
