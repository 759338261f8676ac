import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { bagCodeFrom } from '@/bag/code';
import { FormField } from '@/components/FormField';
import { Button } from '@/ui/nutui';

const NOT_A_BAG = '这不是快递袋的二维码，请扫描快递袋背面的二维码，或手动输入二维码下方的袋码。';

/**
 * How a bag's code gets in: the scan button (WeChat's scanner; in a browser only inside WeChat), or typing the
 * code printed under the QR — a desk without a camera, or a label too worn to scan.
 */
export function CodeEntry({
  onCode,
  busy,
  title = '扫描快递袋二维码',
  hint = '二维码在快递袋背面；扫不了时，输入二维码下方的袋码。',
}: {
  onCode: (code: string) => void;
  busy?: boolean;
  title?: string;
  hint?: string;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();

  const scan = async () => {
    setError(undefined);
    let result: string | undefined;
    try {
      result = (await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] }))?.result;
    } catch {
      return; // the person closed the scanner
    }
    // Outside WeChat the H5 scanner resolves with nothing: say how to go on instead of doing nothing.
    if (!result) {
      setError('当前环境无法扫码，请输入二维码下方的袋码。');
      return;
    }
    const code = bagCodeFrom(result);
    if (code) onCode(code);
    else setError(NOT_A_BAG);
  };

  const submit = () => {
    const code = bagCodeFrom(typed);
    if (code) {
      setError(undefined);
      onCode(code);
    } else setError('袋码不完整或有误，请核对二维码下方的袋码后重新输入。');
  };

  return (
    <View className="card bag-entry">
      <Text className="text-title">{title}</Text>
      <Text className="text-hint">{hint}</Text>
      <Button block type="primary" size="large" disabled={busy} onClick={scan}>
        扫码
      </Button>
      <FormField
        id="bag-code"
        label="或输入袋码"
        value={typed}
        placeholder="12位，如 K7QM-2XNP-8RTV"
        maxlength={40}
        message={error}
        onInput={(value) => {
          setTyped(value);
          setError(undefined);
        }}
      />
      <Button block size="large" loading={busy} onClick={submit}>
        查询
      </Button>
    </View>
  );
}
