import { Text, View } from '@tarojs/components';

/** One summary line, label then value (styles in app.css). */
export function Kv({ label, value, id }: { label: string; value: string; id?: string }) {
  return (
    <View className="kv">
      <Text className="kv__key">{label}</Text>
      <Text className="kv__value" id={id}>
        {value}
      </Text>
    </View>
  );
}
