import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type BagBatch, Role } from '@zyt/shared';
import { useState } from 'react';
import { createBagBatch, getLabelSheet, listBagBatches } from '@/api/bags';
import { type ApiError, asApiError } from '@/api/errors';
import { FormField } from '@/components/FormField';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingDatePlus, beijingDateTime } from '@/lib/beijingTime';
import { isWeapp } from '@/lib/platform';
import { useLoader } from '@/lib/useLoader';
import { RoleGate } from '@/staff/components/RoleGate';
import { Button } from '@/ui/nutui';
import '../../staff.css';

const MAX_COUNT = 1000;

/** Saves the label sheet as a file in the desk browser, to print on A4. */
async function downloadLabels(batch: BagBatch): Promise<void> {
  const svg = await getLabelSheet(batch.labelsUrl);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `快递袋标签-${batch.validUntil}-${batch.id.slice(0, 8)}.svg`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function BatchCard({ batch }: { batch: BagBatch }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await downloadLabels(batch);
      Taro.showToast({ title: '标签已下载', icon: 'success' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const { issued, bound, sent, received } = batch.states;
  return (
    <View className="card bag-batch" id={`bag-batch-${batch.id}`}>
      <Text className="staff-title">
        {batch.count} 个快递袋 · 有效期至 {batch.validUntil}
      </Text>
      {batch.note && <Text className="text-hint">{batch.note}</Text>}
      <Kv label="创建时间" value={beijingDateTime(batch.createdAt)} />
      <Kv label="状态" value={`未绑定 ${issued} · 已绑定 ${bound} · 寄送中 ${sent} · 已收件 ${received}`} />
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      {isWeapp() ? (
        <Text className="text-hint">标签需打印：请在电脑浏览器打开工作台下载标签。</Text>
      ) : (
        <Button block size="large" loading={busy} onClick={download}>
          下载标签（A4，可打印）
        </Button>
      )}
    </View>
  );
}

function NewBatch({ onCreated }: { onCreated: () => void }) {
  const [count, setCount] = useState('50');
  const [validUntil, setValidUntil] = useState(beijingDatePlus(180));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ count?: string; validUntil?: string; note?: string }>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();

  const create = async () => {
    const n = Number(count);
    const e: typeof errors = {};
    if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) e.count = `请输入1到${MAX_COUNT}之间的整数`;
    if (validUntil < beijingDatePlus(0)) e.validUntil = '有效期不能早于今天';
    if ([...note.trim()].length > 100) e.note = '备注最多100个字';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    setNotice(undefined);
    try {
      const batch = await createBagBatch({
        count: n,
        validUntil,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      Taro.showToast({ title: `已生成 ${batch.codes.length} 个袋码`, icon: 'success' });
      setNote('');
      onCreated();
    } catch (err) {
      const error = asApiError(err);
      const byField: typeof errors = {};
      for (const issue of error.details)
        if (issue.field === 'count' || issue.field === 'validUntil' || issue.field === 'note')
          byField[issue.field] = issue.message;
      setErrors(byField);
      setNotice(error.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card" id="bag-new-batch">
      <Text className="staff-title">新建一批快递袋</Text>
      <Text className="text-hint">
        每个快递袋一个二维码和袋码，打印后贴在袋子背面；过了有效期的袋子不能再寄。
      </Text>
      <FormField
        id="batch-count"
        label="数量（个）"
        type="number"
        value={count}
        message={errors.count}
        maxlength={4}
        onInput={setCount}
      />
      <View className={`field${errors.validUntil ? ' field--invalid' : ''}`}>
        <Text className="field__label">有效期至</Text>
        <Picker
          mode="date"
          value={validUntil}
          start={beijingDatePlus(0)}
          end={beijingDatePlus(3 * 366)}
          onChange={(e) => setValidUntil(e.detail.value)}
        >
          <View className="field__input" id="batch-validUntil">
            {validUntil}
          </View>
        </Picker>
        {errors.validUntil && <Text className="field__error">{errors.validUntil}</Text>}
      </View>
      <FormField
        id="batch-note"
        label="备注（选填）"
        placeholder="如：黄埔区政务服务中心窗口"
        value={note}
        message={errors.note}
        maxlength={100}
        onInput={setNote}
      />
      {notice && (
        <View className="notice" role="alert">
          <Text>{notice}</Text>
        </View>
      )}
      <Button block type="primary" size="large" loading={busy} onClick={create}>
        生成袋码
      </Button>
    </View>
  );
}

function Batches() {
  const batches = useLoader(listBagBatches);
  if (batches.loading && !batches.data) return <LoadingState />;
  if (batches.error && !batches.data)
    return <ErrorState message={batches.error.message} onRetry={batches.reload} />;
  const items = batches.data?.items ?? [];
  return (
    <>
      <NewBatch onCreated={batches.reload} />
      {items.length === 0 ? (
        <EmptyState title="还没有快递袋批次" text="新建一批后，在这里下载标签打印" />
      ) : (
        items.map((batch) => <BatchCard key={batch.id} batch={batch} />)
      )}
    </>
  );
}

/** 快递袋批次与标签: create a batch (count, valid until) and download its printable label sheet. */
export default function BagBatches() {
  return (
    <Page className="workbench">
      <RoleGate roles={[Role.centreClerk, Role.supervisor]} what="管理快递袋批次">
        <Batches />
      </RoleGate>
    </Page>
  );
}
