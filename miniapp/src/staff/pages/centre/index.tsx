import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { type HandoverItemState, type HandoverView, Role } from '@zyt/shared';
import { useState } from 'react';
import { getHandover, listIncomingHandovers, receiveHandover } from '@/api/centre';
import { type ApiError, asApiError } from '@/api/errors';
import { useSession } from '@/api/session';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes } from '@/navigation';
import { CheckSubmit } from '@/staff/components/CheckSubmit';
import { CoverSheetDesk } from '@/staff/components/CoverSheetDesk';
import { OptionToggle, type ToggleOption } from '@/staff/components/OptionToggle';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

const stateLabels: Record<HandoverItemState, string> = { received: '完好', missing: '缺失', damaged: '破损' };
const stateOptions: ToggleOption<HandoverItemState>[] = (['received', 'missing', 'damaged'] as const).map(
  (st) => ({ value: st, label: stateLabels[st], tone: st === 'received' ? 'present' : 'absent' }),
);

/** Item by item: 完好 / 缺失 / 破损, a note for anything wrong, then one confirmation. */
function Receipt({ bag, onDone }: { bag: HandoverView; onDone: (b: HandoverView) => void }) {
  const [marks, setMarks] = useState<Record<string, HandoverItemState | undefined>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const unchecked = bag.items.filter((i) => !marks[i.id]);
  const wrong = bag.items.filter((i) => marks[i.id] && marks[i.id] !== 'received');

  const submit = async () => {
    if (unchecked.length > 0) return;
    const { confirm } = await Taro.showModal({
      title: '确认签收',
      content:
        wrong.length === 0
          ? `${bag.items.length} 项材料全部完好`
          : `${wrong.map((i) => `${i.name}${stateLabels[marks[i.id]!]}`).join('、')}，将报监管人员跟进`,
      confirmText: '确认签收',
      cancelText: '再核对',
    });
    if (!confirm) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(
        await receiveHandover(
          bag.code,
          bag.items.map((i) => ({
            id: i.id,
            state: marks[i.id]!,
            ...(notes[i.id]?.trim() ? { note: notes[i.id]!.trim() } : {}),
          })),
        ),
      );
      Taro.showToast({ title: '已签收', icon: 'success' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card review">
      <Text className="staff-title">
        材料袋 {bag.code}（{bag.from.name} → {bag.to.name}）
      </Text>
      <Text className="text-hint">封袋于 {beijingDateTime(bag.sealedAt)}，逐项核对后签收。</Text>
      {bag.items.map((item) => (
        <View key={item.id} className="review-item" id={`receipt-${item.id}`}>
          <View className="row">
            <Text className="text-body">
              {item.name} {item.copies} 份
            </Text>
            <Text className="text-hint">预约号 {item.bookingNumber}</Text>
          </View>
          <OptionToggle
            label={item.name}
            options={stateOptions}
            value={marks[item.id]}
            onChange={(st) => setMarks((m) => ({ ...m, [item.id]: st }))}
          />
          {marks[item.id] && marks[item.id] !== 'received' && (
            <Input
              className="field__input"
              value={notes[item.id] ?? ''}
              maxlength={200}
              placeholder="情况说明（选填），如：袋内未见"
              onInput={(e) => setNotes((n) => ({ ...n, [item.id]: e.detail.value }))}
            />
          )}
        </View>
      ))}
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      <CheckSubmit
        unchecked={unchecked.length}
        wrong={wrong.length > 0}
        outcome={wrong.length > 0 ? `${wrong.length} 项缺失或破损，签收后报监管人员跟进` : '全部完好'}
        label="确认签收"
        busy={busy}
        onSubmit={submit}
      />
    </View>
  );
}

function Desk({ initialCode }: { initialCode?: string }) {
  const incoming = useLoader(listIncomingHandovers);
  const [code, setCode] = useState(initialCode ?? '');
  const [bag, setBag] = useState<HandoverView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  usePullDownRefresh(() => {
    incoming.reload();
    Taro.stopPullDownRefresh();
  });

  const open = async (value: string) => {
    if (!value.trim()) return;
    setBusy(true);
    setError(undefined);
    setBag(undefined);
    try {
      setBag(await getHandover(value.trim()));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <View className="card">
        <Text className="text-title">材料签收</Text>
        <View className={`field${error ? ' field--invalid' : ''}`}>
          <Text className="field__label">袋号或 EMS 运单号</Text>
          <Input
            className="field__input"
            id="centre-code"
            value={code}
            maxlength={32}
            placeholder="输入材料袋上的编号"
            onInput={(e) => setCode(e.detail.value)}
          />
          {error && <Text className="field__error">{error.message}</Text>}
        </View>
        <Button block size="large" loading={busy} onClick={() => open(code)}>
          查找材料袋
        </Button>
      </View>
      {bag &&
        (bag.status === 'received' ? (
          <View className="result result--collected" id="receipt-result">
            <Text className="result__title">材料袋 {bag.code} 已签收</Text>
            {bag.items.map((i) => (
              <Text key={i.id} className="text-body">
                {i.name}：{i.state ? stateLabels[i.state] : '未核对'}
                {i.note ? `（${i.note}）` : ''}
              </Text>
            ))}
          </View>
        ) : (
          <Receipt
            bag={bag}
            onDone={(b) => {
              setBag(b);
              incoming.reload();
            }}
          />
        ))}
      {incoming.loading && !incoming.data ? (
        <LoadingState />
      ) : !incoming.data ? (
        <ErrorState message={incoming.error?.message ?? '加载失败'} onRetry={incoming.reload} />
      ) : incoming.data.items.length === 0 ? (
        <EmptyState title="暂无在途材料袋" text="专员登记封袋交接后会出现在这里" />
      ) : (
        incoming.data.items.map((h) => (
          <View
            key={h.id}
            className="visit-item"
            hoverClass="visit-item--pressed"
            onClick={() => {
              setCode(h.code);
              open(h.code);
            }}
          >
            <View className="row">
              <Text className="staff-title">材料袋 {h.code}</Text>
              <Tag type="warning">在途</Tag>
            </View>
            <Text className="text-hint">
              {h.from.name} · {h.items.length} 项材料 · 封袋于 {beijingDateTime(h.sealedAt)}
            </Text>
          </View>
        ))
      )}
    </>
  );
}

/** 政务中心收件: the centre clerk confirms receipt of door-visit materials, item by item. */
export default function CentrePage() {
  const session = useSession();
  const code = routeParam(useRouter().params, 'code');
  const clerk = session?.user.roles.includes(Role.centreClerk);
  return (
    <Page className="centre">
      {clerk ? (
        <>
          <Desk initialCode={code} />
          <CoverSheetDesk />
        </>
      ) : (
        <EmptyState
          title={session ? '材料签收仅对政务中心收件人员开放' : '请先登录'}
          text={
            session
              ? '您的账号没有政务中心收件权限，请联系监管人员开通。'
              : '政务中心收件人员登录后可签收材料'
          }
        >
          <Button size="large" onClick={() => Taro.reLaunch({ url: session ? routes.home : routes.login })}>
            {session ? '返回首页' : '去登录'}
          </Button>
        </EmptyState>
      )}
    </Page>
  );
}
