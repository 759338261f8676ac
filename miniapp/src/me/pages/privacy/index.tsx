import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { agreeToPrivacyGuide, getMe } from '@/api/me';
import { useSession } from '@/api/session';
import { formatBeijingTime, needsConsent } from '@/auth/profile';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';
import './index.css';

/** 《隐私保护指引》: shown and agreed before any personal data is asked for. */
const sections: { title: string; text: string }[] = [
  {
    title: '我们收集哪些信息',
    text: '登录时的微信身份标识；实名认证时的姓名和身份证号码；预约上门和寄递时的联系电话、地址；您交寄的办件材料信息。',
  },
  {
    title: '为什么收集',
    text: '仅用于核验您的身份、向受理事项的政务服务部门提交办件、安排邮政专员上门收件和寄送办理结果。',
  },
  {
    title: '如何保护',
    text: '个人信息加密存储，页面中脱敏显示；工作人员查阅会留下记录；不用于与政务服务无关的用途。',
  },
  {
    title: '与谁共享',
    text: '仅在办理所需范围内，提供给受理事项的政务服务部门和负责寄递的中国邮政（EMS）。',
  },
  {
    title: '您的权利',
    text: '您可以在“我的”中查看实名信息，也可以撤回同意或申请删除个人信息；撤回后需要个人信息的服务将无法使用。',
  },
];

export default function Privacy() {
  const session = useSession();
  const fromSignIn = useRouter().params.from === 'signin';
  // The version in force comes from the server, not from what this app was built with.
  const me = useLoader(getMe, session !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (!session) {
    return (
      <Page>
        <EmptyState title="请先登录" text="登录后阅读并同意《隐私保护指引》">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
            去登录
          </Button>
        </EmptyState>
      </Page>
    );
  }
  if (me.loading)
    return (
      <Page>
        <LoadingState />
      </Page>
    );
  if (me.error || !me.data) {
    return (
      <Page>
        <ErrorState message={me.error?.message ?? '加载失败'} onRetry={me.reload} />
      </Page>
    );
  }
  const user = me.data;

  const agree = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await agreeToPrivacyGuide(user.privacyGuideVersion);
      Taro.showToast({ title: '已同意', icon: 'success' });
      if (fromSignIn && !updated.identity) Taro.redirectTo({ url: `${routes.identity}?from=signin` });
      else if (fromSignIn) Taro.redirectTo({ url: routes.me });
      else Taro.navigateBack();
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError.message);
      // A newer guide came into force meanwhile: show that one.
      if (apiError.code === 'CONSENT_VERSION_OUTDATED') me.reload();
    } finally {
      setBusy(false);
    }
  };

  const decline = () => {
    Taro.showToast({ title: '未同意，需要个人信息的服务暂不可用', icon: 'none' });
    Taro.reLaunch({ url: routes.home });
  };

  return (
    <Page>
      <View className="card">
        <Text className="text-title">《隐私保护指引》</Text>
        <Text className="text-hint">版本 {user.privacyGuideVersion}</Text>
        {sections.map((section) => (
          <View key={section.title} className="privacy__section">
            <Text className="text-body privacy__heading">{section.title}</Text>
            <Text className="text-hint">{section.text}</Text>
          </View>
        ))}
      </View>
      {error && <Text className="notice">{error}</Text>}
      {needsConsent(user) ? (
        <View className="actions">
          <Button block type="primary" size="large" loading={busy} onClick={agree}>
            同意并继续
          </Button>
          <Button block size="large" disabled={busy} onClick={decline}>
            不同意
          </Button>
        </View>
      ) : (
        <Text className="text-hint">您已于 {formatBeijingTime(user.consent!.agreedAt)} 同意本版本。</Text>
      )}
    </Page>
  );
}
