import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import { createHandover, listHandovers, listPendingHandovers } from '@/api/visits';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { AgentGate } from '@/staff/components/AgentGate';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

const CODE = /^[A-Za-z0-9-]{6,32}$/;

/**
 * 材料封袋交接: at the post office the agent seals the collected materials in a bag and records its bag code or
 * EMS waybill with the visits inside; the service centre confirms receipt item by item.
 */
function Handover() {
  const pending = useLoader(listPendingHandovers);
  const sent = useLoader(listHandovers);
  const [picked, setPicked] = useState<string[]>([]);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  usePullDownRefresh(() => {
    pending.reload();
    sent.reload();
    Taro.stopPullDownRefresh();
  });

  if (pending.loading && !pending.data) return <LoadingState />;
  if (!pending.data)
    return <ErrorState message={pending.error?.message ?? '加载失败'} onRetry={pending.reload} />;
  const items = pending.data.items;
  const codeOk = CODE.test(code.trim());
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  const submit = async () => {
    if (!codeOk || picked.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const bag = await createHandover(code.trim(), picked);
      Taro.showToast({ title: '已登记交接', icon: 'success' });
      setPicked([]);
      setCode('');
      pending.reload();
      sent.reload();
      return bag;
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <View className="card">
        <Text className="text-title">待封袋的材料（{items.length}）</Text>
        <Text className="text-hint">选择装入同一个材料袋的上门任务，再填写袋号或 EMS 运单号。</Text>
      </View>
      {items.length === 0 ? (
        <EmptyState title="没有待交接的材料" text="收件后的材料会出现在这里" />
      ) : (
        items.map((v) => (
          <View
            key={v.id}
            className={`visit-item${picked.includes(v.id) ? ' visit-item--picked' : ''}`}
            role="checkbox"
            aria-checked={picked.includes(v.id)}
            onClick={() => toggle(v.id)}
          >
            <View className="row">
              <Text className="staff-title">{v.matterName}</Text>
              <Tag type={picked.includes(v.id) ? 'primary' : 'default'}>
                {picked.includes(v.id) ? '已选' : '未选'}
              </Tag>
            </View>
            <Text className="text-hint">
              预约号 {v.number} · 材料 {v.items} 项 · 收件于 {beijingDateTime(v.collectedAt)}
            </Text>
          </View>
        ))
      )}
      {items.length > 0 && (
        <View className="card">
          <View className={`field${error ? ' field--invalid' : ''}`}>
            <Text className="field__label">袋号或 EMS 运单号</Text>
            <Input
              className="field__input"
              id="handover-code"
              value={code}
              maxlength={32}
              placeholder="如：HPBAG0001 或 1100000000001"
              onInput={(e) => setCode(e.detail.value)}
            />
            {code.trim() !== '' && !codeOk && (
              <Text className="field__error">袋号为6到32位字母、数字或“-”</Text>
            )}
            {error && <Text className="field__error">{error.message}</Text>}
          </View>
          <Button
            block
            type="primary"
            size="large"
            loading={busy}
            disabled={!codeOk || picked.length === 0}
            onClick={submit}
          >
            登记封袋交接（{picked.length} 个任务）
          </Button>
        </View>
      )}
      {(sent.data?.items.length ?? 0) > 0 && (
        <View className="card">
          <Text className="staff-title">最近交接</Text>
          {sent.data!.items.map((h) => (
            <View key={h.id} className="row">
              <Text className="text-body">
                {h.code} → {h.to.name}（{h.items.length} 项）
              </Text>
              <Tag type={h.status === 'received' ? 'success' : 'warning'}>
                {h.status === 'received' ? '中心已签收' : '在途'}
              </Tag>
            </View>
          ))}
        </View>
      )}
    </>
  );
}

export default function HandoverPage() {
  return (
    <Page className="handover">
      <AgentGate>
        <Handover />
      </AgentGate>
    </Page>
  );
}
