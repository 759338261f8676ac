import { Text, View } from '@tarojs/components';
import type { StaffBagView, VisitView } from '@zyt/shared';
import { useState } from 'react';
import { bindBag } from '@/api/bags';
import { asApiError } from '@/api/errors';
import { CodeEntry } from '@/bag/components/CodeEntry';
import { Button } from '@/ui/nutui';

/**
 * 材料不齐 at the door: the agent leaves a courier bag bound to what is missing, so the resident sends it by
 * post once they have it (替你跑) instead of booking another visit.
 */
export function LeaveBag({ visit }: { visit: VisitView }) {
  const [code, setCode] = useState<string>();
  const [bound, setBound] = useState<StaffBagView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const bind = async (scanned: string) => {
    setCode(scanned);
    setBusy(true);
    setError(undefined);
    try {
      setBound(await bindBag(scanned, { bookingId: visit.id }));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (bound) {
    return (
      <View className="result result--collected" id="leave-bag-done">
        <Text className="result__title">已留下快递袋 {bound.code}</Text>
        <Text className="text-body">
          已绑定缺少的 {bound.supplement?.items.length ?? 0}{' '}
          项材料。请告诉居民：备齐后装袋，扫袋子背面的二维码约 EMS 免费上门揽收，无需重新预约。
        </Text>
      </View>
    );
  }
  return (
    <View id="leave-bag">
      <CodeEntry
        title="留下快递袋（可选）"
        hint="居民备齐缺少的材料后，可用快递袋免费寄到政务服务中心，无需重新预约。扫描要留下的快递袋绑定到本次缺少的材料。"
        busy={busy}
        onCode={bind}
      />
      {error && (
        <View className="notice" role="alert">
          <Text>
            快递袋 {code}：{error}
          </Text>
          <Button size="large" onClick={() => setError(undefined)}>
            知道了
          </Button>
        </View>
      )}
    </View>
  );
}
