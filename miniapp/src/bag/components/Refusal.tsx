import Taro from '@tarojs/taro';
import type { ApiError } from '@/api/errors';
import { EmptyState, ErrorState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/** What the person can do next after a refusal: scan another bag, look at their cases, try later. */
type Next = 'rescan' | 'cases' | 'outlets' | 'retry';

/** Every refusal of the bag API, titled in plain words; the server's message says the rest. */
const refusals: Record<string, { title: string; next: Next[] }> = {
  BAG_CODE_INVALID: { title: '袋码不正确', next: ['rescan'] },
  BAG_NOT_FOUND: { title: '没有找到这个快递袋', next: ['rescan'] },
  BAG_ALREADY_USED: { title: '这个快递袋已经用过', next: ['cases', 'rescan'] },
  BAG_ALREADY_BOUND: { title: '这个快递袋已绑定其他办件', next: ['rescan'] },
  BAG_EXPIRED: { title: '这个快递袋已过有效期', next: ['outlets', 'rescan'] },
  SUPPLEMENT_NOT_NEEDED: { title: '这个办件不需要补交材料', next: ['cases'] },
  SUPPLEMENT_DEADLINE_PASSED: { title: '补正期限已过', next: ['cases'] },
  RATE_LIMITED: { title: '查询太频繁', next: ['retry'] },
};

/** True for the refusals the bag page explains itself (anything else is a plain error with 重试). */
export const isBagRefusal = (error: ApiError) => error.code in refusals;

export function Refusal({
  error,
  onRescan,
  onRetry,
}: {
  error: ApiError;
  onRescan: () => void;
  onRetry: () => void;
}) {
  const refusal = refusals[error.code];
  if (!refusal) return <ErrorState message={error.message} onRetry={onRetry} />;
  const actions: Record<Next, { label: string; run: () => void }> = {
    rescan: { label: '重新扫码或输入袋码', run: onRescan },
    cases: { label: '查看我的办件', run: () => Taro.navigateTo({ url: routes.cases }) },
    outlets: { label: '查看附近网点', run: () => Taro.navigateTo({ url: routes.outlets }) },
    retry: { label: '稍后重试', run: onRetry },
  };
  return (
    <EmptyState title={refusal.title} text={error.message}>
      {refusal.next.map((next, i) => (
        <Button key={next} type={i === 0 ? 'primary' : 'default'} size="large" onClick={actions[next].run}>
          {actions[next].label}
        </Button>
      ))}
    </EmptyState>
  );
}
