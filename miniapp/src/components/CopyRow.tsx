import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@/ui/nutui';
import './CopyRow.css';

/** A number people paste elsewhere (case number, EMS waybill): shown large, with a 复制 button. */
export function CopyRow({
  label,
  value,
  id,
  copied,
}: {
  label: string;
  value: string;
  id?: string;
  copied: string;
}) {
  const copy = async () => {
    try {
      await Taro.setClipboardData({ data: value });
      Taro.showToast({ title: copied, icon: 'none' });
    } catch {
      Taro.showToast({ title: '复制失败，请长按号码复制', icon: 'none' });
    }
  };
  return (
    <View className="copy-row">
      <View className="copy-row__label">
        <Text className="text-hint">{label}</Text>
        <Text className="copy-row__value" id={id}>
          {value}
        </Text>
      </View>
      <Button size="normal" onClick={copy}>
        复制
      </Button>
    </View>
  );
}
