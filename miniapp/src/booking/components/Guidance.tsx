import { Text, View } from '@tarojs/components';
import type { MatterMaterial } from '@zyt/shared';
import { Tag } from '@/ui/nutui';

/** What happens after booking, in the order the resident will live it. */
export function NextSteps({ when }: { when: string }) {
  return (
    <View className="card">
      <Text className="booking-section-title">接下来会怎样</Text>
      <View className="steps-next">
        <Text>1. 政邮专员接单后，会先打电话和您确认。</Text>
        <Text>2. {when}</Text>
        <Text>
          3.
          专员当面核对材料：齐全的当场收件，寄往政务服务中心并提交审批；如有缺少，会一次性告诉您缺少的全部材料。
        </Text>
        <Text>4. 上门收件和材料寄递不收取任何费用。</Text>
      </View>
    </View>
  );
}

/** The matter's checklist, as the resident should prepare it before the agent comes. */
export function MaterialsChecklist({ materials }: { materials: MatterMaterial[] }) {
  return (
    <View className="card">
      <Text className="booking-section-title">请提前备好这些材料</Text>
      <View className="materials">
        {materials.map((m) => (
          <View key={m.id} className="material">
            <View className="row">
              <Text className="text-body">{m.name}</Text>
              <Tag type={m.required ? 'danger' : 'default'}>{m.required ? '必需' : '如有'}</Tag>
            </View>
            <Text className="text-hint">
              {m.formLabel} {m.count} 份{m.note ? `；${m.note}` : ''}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}
