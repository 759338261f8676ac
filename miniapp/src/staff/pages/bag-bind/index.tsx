import { Text, View } from '@tarojs/components';
import { Role, type StaffBagView } from '@zyt/shared';
import { useState } from 'react';
import { bindBag } from '@/api/bags';
import { asApiError } from '@/api/errors';
import { CodeEntry } from '@/bag/components/CodeEntry';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { RoleGate } from '@/staff/components/RoleGate';
import { StaffBagCard } from '@/staff/components/StaffBagCard';
import { Button } from '@/ui/nutui';
import '../../staff.css';

/** The window hands a bag out bound to a case whose platform asked for 补正: bag code, then case number. */
function BindAtWindow() {
  const [code, setCode] = useState<string>();
  const [caseNumber, setCaseNumber] = useState('');
  const [bound, setBound] = useState<StaffBagView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const bind = async () => {
    if (!code) return;
    if (!caseNumber.trim()) return setError('请输入办件编号');
    setBusy(true);
    setError(undefined);
    try {
      setBound(await bindBag(code, { caseNumber: caseNumber.trim() }));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const next = () => {
    setCode(undefined);
    setCaseNumber('');
    setBound(undefined);
    setError(undefined);
  };

  if (bound) {
    return (
      <>
        <View className="result result--collected" id="bag-bound">
          <Text className="result__title">已绑定，可交给申请人</Text>
          <Text className="text-body">申请人备齐材料装袋后扫袋子背面的二维码，即可约 EMS 免费寄回。</Text>
        </View>
        <StaffBagCard bag={bound} />
        <Button block type="primary" size="large" onClick={next}>
          继续发下一个
        </Button>
      </>
    );
  }
  if (!code) {
    return <CodeEntry title="扫描要发出的快递袋" onCode={setCode} />;
  }
  return (
    <View className="card">
      <Text className="staff-title">快递袋 {code}</Text>
      <FormField
        id="bind-caseNumber"
        label="办件编号（需补齐补正的办件）"
        value={caseNumber}
        message={error}
        maxlength={64}
        onInput={(value) => {
          setCaseNumber(value);
          setError(undefined);
        }}
      />
      <Button block type="primary" size="large" loading={busy} onClick={bind}>
        绑定并发袋
      </Button>
      <Button block size="large" disabled={busy} onClick={next}>
        换一个快递袋
      </Button>
    </View>
  );
}

export default function BagBind() {
  return (
    <Page className="workbench">
      <RoleGate roles={[Role.centreClerk]} what="窗口发袋">
        <BindAtWindow />
      </RoleGate>
    </Page>
  );
}
