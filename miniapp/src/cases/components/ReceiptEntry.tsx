import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { checkReceiptFields, parseReceiptCode } from '@zyt/shared';
import { useState } from 'react';
import { FormField } from '@/components/FormField';
import { Button } from '@/ui/nutui';

export interface ReceiptFields {
  caseNumber: string;
  queryCode: string;
}

const NOT_A_RECEIPT =
  '这不是受理单上的二维码，请扫描受理单上的“结果邮寄”二维码，或手动输入办件编号和查询码。';

/**
 * How a case applied for elsewhere gets in: scanning the QR on its acceptance receipt (受理单), or typing the
 * case number (办件编号) and the six-digit query code (查询码) printed beside it.
 */
export function ReceiptEntry({ onReceipt }: { onReceipt: (r: ReceiptFields) => void }) {
  const [caseNumber, setCaseNumber] = useState('');
  const [queryCode, setQueryCode] = useState('');
  const [error, setError] = useState<string>();

  const scan = async () => {
    setError(undefined);
    let result: string | undefined;
    try {
      result = (await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] }))?.result;
    } catch {
      return; // the person closed the scanner
    }
    if (!result) {
      setError('当前环境无法扫码，请输入受理单上的办件编号和查询码。');
      return;
    }
    const parsed = parseReceiptCode(result);
    if (parsed.ok) onReceipt({ caseNumber: parsed.caseNumber, queryCode: parsed.queryCode });
    else setError(NOT_A_RECEIPT);
  };

  const submit = () => {
    const parsed = checkReceiptFields(caseNumber, queryCode);
    if (parsed.ok) onReceipt({ caseNumber: parsed.caseNumber, queryCode: parsed.queryCode });
    else setError('办件编号或查询码有误：请核对受理单上的办件编号和6位数字查询码。');
  };

  return (
    <View className="card receipt-entry">
      <Text className="case-section-title">扫描受理单二维码</Text>
      <Text className="text-hint">在窗口或网上申请后拿到的受理单上，有“结果邮寄”二维码和查询码。</Text>
      <Button block type="primary" size="large" onClick={scan}>
        扫码
      </Button>
      <FormField
        id="receipt-case-number"
        label="或输入办件编号"
        value={caseNumber}
        placeholder="受理单上的办件编号"
        maxlength={40}
        onInput={(v) => {
          setCaseNumber(v);
          setError(undefined);
        }}
      />
      <FormField
        id="receipt-query-code"
        label="查询码"
        value={queryCode}
        placeholder="6位数字"
        maxlength={6}
        type="number"
        message={error}
        onInput={(v) => {
          setQueryCode(v);
          setError(undefined);
        }}
      />
      <Button block size="large" onClick={submit}>
        下一步
      </Button>
    </View>
  );
}
