import { Text, View } from '@tarojs/components';
import { getBagStats } from '@/api/bags';
import { Kv } from '@/components/Kv';
import { useLoader } from '@/lib/useLoader';

/** 替你跑 for supervisors: how often residents sent a bag, what arrived complete, deadlines missed. */
export function BagStats() {
  const stats = useLoader(getBagStats);
  const s = stats.data;
  return (
    <View className="card" id="bag-stats">
      <Text className="staff-title">替你跑（快递袋寄补正材料）</Text>
      {stats.error && <Text className="text-hint">统计加载失败：{stats.error.message}</Text>}
      {s && (
        <>
          <Kv label="居民寄出" value={`${s.uses} 袋`} />
          <Kv
            label="快递袋"
            value={`未绑定 ${s.bags.issued} · 已绑定 ${s.bags.bound} · 寄送中 ${s.bags.sent} · 已收件 ${s.bags.received}`}
          />
          <Kv label="收件时材料齐全" value={`${s.receivedComplete} 袋`} />
          <Kv label="收件时仍缺材料" value={`${s.receivedIncomplete} 袋`} />
          <Kv label="补正逾期未寄" value={`${s.deadlinesMissed} 件`} />
        </>
      )}
    </View>
  );
}
