import { Text, View } from '@tarojs/components';
import { bagCodeFrom } from '@/bag/code';
import { CodeEntry } from '@/bag/components/CodeEntry';
import { Button } from '@/ui/nutui';

/**
 * 容缺受理 at the door (matters that allow it): instead of ending the visit as 材料不齐, the agent collects
 * what is complete and leaves a courier bag bound to the rest; the resident sends it by post once they have it
 * (替你跑). The bag is scanned here and sent with the review, which binds it.
 */
export function LeaveBag({
  missing,
  bagCode,
  onChange,
  busy,
}: {
  /** How many required materials are missing or short. */
  missing: number;
  bagCode: string | undefined;
  onChange: (code: string | undefined) => void;
  busy?: boolean;
}) {
  if (bagCode) {
    return (
      <View className="card" id="leave-bag">
        <Text className="staff-title">容缺受理：留下快递袋 {bagCode}</Text>
        <Text className="text-hint">
          提交后收取齐全的材料；缺少的 {missing}{' '}
          项绑定到这个快递袋，居民备齐后扫码免费寄到政务服务中心，无需重新预约。
        </Text>
        <Button size="large" disabled={busy} onClick={() => onChange(undefined)}>
          不留快递袋
        </Button>
      </View>
    );
  }
  return (
    <View id="leave-bag">
      <CodeEntry
        title="容缺受理：先收件，缺少的用快递袋补寄"
        hint={`该事项支持容缺受理。扫描要留给居民的快递袋，可先收取齐全的材料，缺少的 ${missing} 项由居民备齐后装袋寄回；不留袋则本次不收件。`}
        busy={busy}
        onCode={(code) => onChange(bagCodeFrom(code))}
      />
    </View>
  );
}
