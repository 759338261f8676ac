import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { validatePersonName, validateResidentId } from '@zyt/shared';
import { useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import { submitIdentity } from '@/api/me';
import { useSession } from '@/api/session';
import { needsConsent } from '@/auth/profile';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

type Field = 'name' | 'idNumber';

/** 实名认证: name and resident ID, checked as the person types with the same validators as the server. */
export default function Identity() {
  const session = useSession();
  const fromSignIn = useRouter().params.from === 'signin';
  const [values, setValues] = useState<Record<Field, string>>({ name: '', idNumber: '' });
  const [touched, setTouched] = useState<Record<Field, boolean>>({ name: false, idNumber: false });
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  if (!session) {
    return (
      <Page>
        <EmptyState title="请先登录" text="登录后进行实名认证">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
            去登录
          </Button>
        </EmptyState>
      </Page>
    );
  }
  if (needsConsent(session.user)) {
    return (
      <Page>
        <EmptyState title="请先阅读并同意《隐私保护指引》" text="同意后才能填写姓名和身份证号码">
          <Button type="primary" size="large" onClick={() => Taro.redirectTo({ url: routes.privacy })}>
            阅读《隐私保护指引》
          </Button>
        </EmptyState>
      </Page>
    );
  }

  const checks = { name: validatePersonName(values.name), idNumber: validateResidentId(values.idNumber) };
  const messageFor = (field: Field): string | undefined => {
    if (serverErrors[field]) return serverErrors[field];
    const check = checks[field];
    return touched[field] && !check.ok ? check.message : undefined;
  };

  const change = (field: Field, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };

  const done = () => {
    if (fromSignIn) Taro.redirectTo({ url: routes.me });
    else Taro.navigateBack();
  };

  const submit = async () => {
    setTouched({ name: true, idNumber: true });
    setFormError(undefined);
    if (!checks.name.ok || !checks.idNumber.ok) return;
    setBusy(true);
    try {
      await submitIdentity({ name: checks.name.value, idNumber: checks.idNumber.value });
      Taro.showToast({ title: '实名认证成功', icon: 'success' });
      done();
    } catch (e) {
      const error = asApiError(e);
      const byField: Partial<Record<Field, string>> = {};
      for (const field of ['name', 'idNumber'] as const) byField[field] = error.fieldMessage(field);
      setServerErrors(byField);
      if (!byField.name && !byField.idNumber) setFormError(error);
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: Field,
    label: string,
    input: { placeholder: string; maxlength: number; type?: 'idcard' },
  ) => {
    return (
      <FormField
        id={`identity-${name}`}
        label={label}
        value={values[name]}
        message={messageFor(name)}
        placeholder={input.placeholder}
        maxlength={input.maxlength}
        type={input.type}
        onInput={(value) => change(name, value)}
      />
    );
  };

  return (
    <Page>
      <View className="card">
        <Text className="text-title">实名认证</Text>
        <Text className="text-hint">
          预约上门、办理事项需要实名。信息加密保存，页面中只显示脱敏后的内容。
        </Text>
      </View>
      <View className="card">
        {field('name', '姓名', { placeholder: '与身份证上的姓名一致', maxlength: 30 })}
        {field('idNumber', '身份证号码', { placeholder: '18位身份证号码', maxlength: 18, type: 'idcard' })}
      </View>
      {formError && (
        <View className="notice" role="alert">
          <Text>{formError.message}</Text>
          {formError.code === 'CONSENT_REQUIRED' && (
            <Button size="large" onClick={() => Taro.redirectTo({ url: routes.privacy })}>
              阅读《隐私保护指引》
            </Button>
          )}
        </View>
      )}
      <View className="actions">
        <Button block type="primary" size="large" loading={busy} onClick={submit}>
          提交认证
        </Button>
        {fromSignIn && (
          <Button block size="large" disabled={busy} onClick={done}>
            暂不认证
          </Button>
        )}
      </View>
    </Page>
  );
}
