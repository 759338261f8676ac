import { Text, View } from '@tarojs/components';
import type { BagState, StaffBagView } from '@zyt/shared';
import { Kv } from '@/components/Kv';
import { beijingDateTime } from '@/lib/beijingTime';
import { Tag } from '@/ui/nutui';

export const bagStateLabels: Record<BagState, string> = {
  issued: '未绑定',
  bound: '已绑定，待寄出',
  sent: '已寄出',
  received: '已收件',
};

/** A bag as staff see it: state, the case and supplement it carries (applicant masked), its EMS leg. */
export function StaffBagCard({ bag }: { bag: StaffBagView }) {
  const s = bag.supplement;
  return (
    <View className="card" id="staff-bag">
      <View className="row">
        <Text className="staff-title">快递袋 {bag.code}</Text>
        <Tag type={bag.expired ? 'danger' : bag.state === 'received' ? 'success' : 'primary'}>
          {bag.expired ? '已过期' : bagStateLabels[bag.state]}
        </Tag>
      </View>
      <Kv label="有效期至" value={bag.validUntil} />
      {s && (
        <>
          <Kv label="办件" value={s.matterName} />
          <Kv label="办件编号" value={s.caseNumber ?? '未编号'} />
          <Kv label="申请人" value={s.applicantName} />
          <Kv label="补正期限" value={beijingDateTime(s.deadline)} />
          <Text className="text-body">补正材料 {s.items.length} 项：</Text>
          {s.items.map((item, i) => (
            <Text key={item.id} className="text-hint">
              {i + 1}. {item.name}
              {item.specification ? `（${item.specification}）` : ''}
              {s.ticked.includes(item.id) ? ' · 申请人已勾选装袋' : ''}
            </Text>
          ))}
        </>
      )}
      {bag.shipment && (
        <Kv
          label="EMS"
          value={`${bag.shipment.statusLabel}${bag.shipment.waybillNo ? ` · 运单号 ${bag.shipment.waybillNo}` : ''}`}
        />
      )}
    </View>
  );
}
