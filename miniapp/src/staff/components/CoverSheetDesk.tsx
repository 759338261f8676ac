import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { isCoverCode, normalizeCoverCode, type StaffCoverSheetView } from '@zyt/shared';
import { useState } from 'react';
import { getCoverSheet, receiveCoverSheet } from '@/api/enterprises';
import { type ApiError, asApiError } from '@/api/errors';
import { beijingDateTime } from '@/lib/beijingTime';
import { Button } from '@/ui/nutui';

/**
 * 企业邮寄申领: an envelope the enterprise posted itself, with its printed cover sheet (封面单). The clerk enters
 * the sheet's 12-digit code, sees whose claim it is and what should be inside, and registers it received: the
 * claim's case is then submitted to the platform.
 */
export function CoverSheetDesk() {
  const [code, setCode] = useState('');
  const [sheet, setSheet] = useState<StaffCoverSheetView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | { message: string }>();

  const run = async (action: () => Promise<StaffCoverSheetView>) => {
    setBusy(true);
    setError(undefined);
    try {
      setSheet(await action());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const find = () => {
    const value = normalizeCoverCode(code);
    setSheet(undefined);
    if (!isCoverCode(value)) return setError({ message: '封面单编号为12位数字，请核对信封上的编号' });
    return run(() => getCoverSheet(value));
  };
  const receive = async () => {
    if (!sheet) return;
    const { confirm } = await Taro.showModal({
      title: '登记收到',
      content: `${sheet.enterpriseName}的申领材料已收到，登记后办件提交政务服务平台`,
      confirmText: '登记收到',
      cancelText: '再核对',
    });
    if (confirm) await run(() => receiveCoverSheet(sheet.code));
  };

  return (
    <View className="card" id="cover-sheet-desk">
      <Text className="text-title">企业申领封面单</Text>
      <View className={`field${error ? ' field--invalid' : ''}`}>
        <Text className="field__label">封面单编号</Text>
        <Input
          className="field__input"
          id="cover-code"
          value={code}
          maxlength={20}
          placeholder="信封上的12位编号"
          onInput={(e) => setCode(e.detail.value)}
        />
        {error && <Text className="field__error">{error.message}</Text>}
      </View>
      <Button block size="large" loading={busy && !sheet} onClick={find}>
        查找封面单
      </Button>
      {sheet && (
        <View className="review" id="cover-sheet">
          <Text className="staff-title">{sheet.enterpriseName}</Text>
          <Text className="text-hint">
            {sheet.roundName} · {sheet.matterName}
          </Text>
          {sheet.materials.map((m) => (
            <Text key={m.id} className="text-body">
              {m.required ? '必交' : '如有'}：{m.name}（{m.formLabel}）
            </Text>
          ))}
          {sheet.receivedAt ? (
            <Text className="text-hint" id="cover-sheet-received">
              已于 {beijingDateTime(sheet.receivedAt)} 登记收到，办件已提交
            </Text>
          ) : (
            <Button block type="primary" size="large" loading={busy} onClick={receive}>
              登记收到
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
