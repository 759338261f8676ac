import { Text, View } from '@tarojs/components';
import { Role, type StaffBagView } from '@zyt/shared';
import { useState } from 'react';
import { getStaffBag, receiveBag } from '@/api/bags';
import { type ApiError, asApiError } from '@/api/errors';
import { CodeEntry } from '@/bag/components/CodeEntry';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { CheckSubmit } from '@/staff/components/CheckSubmit';
import { MissingItems } from '@/staff/components/MissingItems';
import { OptionToggle, presenceOptions } from '@/staff/components/OptionToggle';
import { RoleGate } from '@/staff/components/RoleGate';
import { StaffBagCard } from '@/staff/components/StaffBagCard';
import { Button } from '@/ui/nutui';
import '../../staff.css';

/** After receipt: complete (pushed to the platform) or the one new complete list sent to the applicant. */
function Receipt({ bag }: { bag: StaffBagView }) {
  const receipt = bag.receipt;
  if (!receipt) return null;
  if (receipt.complete) {
    return (
      <View className="result result--collected" id="bag-receipt">
        <Text className="result__title">已确认收件，材料齐全</Text>
        <Text className="text-body">补正材料已提交政务服务平台，办件继续办理；申请人会收到通知。</Text>
      </View>
    );
  }
  return (
    <View className="result result--incomplete" id="bag-receipt">
      <Text className="result__title">已收件，材料仍不齐</Text>
      <Text className="text-body">已一次性告知申请人仍缺少的全部 {receipt.missing.length} 项材料：</Text>
      <MissingItems items={receipt.missing.map((item) => ({ ...item, key: item.id }))} />
    </View>
  );
}

/** 逐项核对: every item of the bag's supplement 有 or 无; nothing pre-ticked, each must be looked at. */
function Checklist({ bag, onReceived }: { bag: StaffBagView; onReceived: (b: StaffBagView) => void }) {
  const items = bag.supplement?.items ?? [];
  const [marks, setMarks] = useState<Record<string, boolean | undefined>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const unchecked = items.filter((i) => marks[i.id] === undefined);
  const absent = items.filter((i) => marks[i.id] === false);

  const submit = async () => {
    if (unchecked.length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      onReceived(
        await receiveBag(
          bag.code,
          items.map((i) => ({ id: i.id, present: marks[i.id] === true })),
        ),
      );
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card review">
      <Text className="staff-title">逐项核对袋内材料</Text>
      <Text className="text-hint">按补正清单逐项选择“有”或“无”。缺少的材料会一次性告知申请人。</Text>
      {items.map((item) => (
        <View key={item.id} className="review-item" id={`receive-${item.id}`}>
          <Text className="text-body">{item.name}</Text>
          <Text className="text-hint">
            {item.specification ? `${item.specification}；` : ''}
            {item.reason}
          </Text>
          <OptionToggle
            label={item.name}
            options={presenceOptions}
            value={marks[item.id]}
            onChange={(present) => setMarks((m) => ({ ...m, [item.id]: present }))}
          />
        </View>
      ))}
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      <CheckSubmit
        unchecked={unchecked.length}
        wrong={absent.length > 0}
        outcome={
          absent.length > 0
            ? `提交后将一次性告知申请人仍缺少 ${absent.length} 项材料`
            : '材料齐全，提交后推送政务服务平台，办件继续办理'
        }
        label="确认收件"
        busy={busy}
        onSubmit={submit}
      />
    </View>
  );
}

function ReceiveOne({ code, onNext }: { code: string; onNext: () => void }) {
  const loaded = useLoader(() => getStaffBag(code));
  const [bag, setBag] = useState<StaffBagView>();
  const shown = bag ?? loaded.data;
  if (loaded.loading && !shown) return <LoadingState text="正在查询快递袋…" />;
  if (loaded.error && !shown) {
    return (
      <>
        <ErrorState message={loaded.error.message} onRetry={loaded.reload} />
        <Button block size="large" onClick={onNext}>
          换一个快递袋
        </Button>
      </>
    );
  }
  if (!shown) return null;
  return (
    <>
      <StaffBagCard bag={shown} />
      {shown.state === 'sent' && !shown.receipt && <Checklist bag={shown} onReceived={setBag} />}
      {shown.state === 'received' && <Receipt bag={shown} />}
      {(shown.state === 'issued' || shown.state === 'bound') && (
        <View className="notice" role="alert">
          <Text>这个快递袋还没有寄出，不能登记收件；请确认袋码，或等申请人扫码寄出后再收件。</Text>
        </View>
      )}
      <Button block type={shown.receipt ? 'primary' : 'default'} size="large" onClick={onNext}>
        收下一个快递袋
      </Button>
    </>
  );
}

function Receive() {
  const [code, setCode] = useState<string>();
  if (!code) return <CodeEntry title="扫描寄到的快递袋" onCode={setCode} />;
  return <ReceiveOne key={code} code={code} onNext={() => setCode(undefined)} />;
}

/** 快递袋收件: the centre scans a bag that arrived, ticks what was inside and confirms receipt. */
export default function BagReceive() {
  return (
    <Page className="workbench">
      <RoleGate roles={[Role.centreClerk]} what="快递袋收件">
        <Receive />
      </RoleGate>
    </Page>
  );
}
