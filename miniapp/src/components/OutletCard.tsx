import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { OutletSummary } from '@zyt/shared';
import { Label } from '@/components/Label';
import { distanceText } from '@/lib/format';
import { Button, Tag } from '@/ui/nutui';
import './OutletCard.css';

export const callOutlet = (phone: string) => {
  Taro.makePhoneCall({ phoneNumber: phone }).catch(() => {
    // Cancelled by the person, or no phone on this device: nothing to undo.
  });
};

/** An outlet in a list: distance, today's hours (周末 too), open now, phone, how many matters it accepts. */
export function OutletCard({
  outlet,
  onOpen,
  showCall = true,
}: {
  outlet: OutletSummary;
  onOpen?: () => void;
  /** Off where the page has its own, larger call button. */
  showCall?: boolean;
}) {
  const { today } = outlet;
  return (
    <View className="card outlet-card" hoverClass={onOpen ? 'outlet-card--pressed' : 'none'} onClick={onOpen}>
      <View className="row">
        <Text className="text-title outlet-card__name">{outlet.name}</Text>
        {outlet.distanceMetres !== null && (
          <Text className="outlet-card__distance">距您 {distanceText(outlet.distanceMetres)}</Text>
        )}
      </View>
      <View className="outlet-card__tags">
        <Tag type={outlet.kind === 'post_office' ? 'success' : 'primary'}>{outlet.kindLabel}</Tag>
        {outlet.openNow ? <Tag type="success">营业中</Tag> : <Label>休息中</Label>}
        {outlet.openAtWeekends && <Tag type="warning">周末营业</Tag>}
      </View>
      <Text className={today.closed ? 'text-body outlet-card__closed' : 'text-body'}>
        今日营业：{today.text}
      </Text>
      <Text className="text-hint">{outlet.address}</Text>
      <View className="row">
        <Text className="text-hint">可办事项 {outlet.matterCount} 项</Text>
        {showCall && (
          <Button
            onClick={(e) => {
              e.stopPropagation();
              callOutlet(outlet.phone);
            }}
          >
            拨打 {outlet.phone}
          </Button>
        )}
      </View>
    </View>
  );
}
