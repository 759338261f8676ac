import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { signInWithWechatCode } from '@/api/auth';
import { issueDemoCode, listDemoUsers } from '@/api/demo';
import { ApiError, asApiError } from '@/api/errors';
import type { Session } from '@/api/session';
import { needsConsent } from '@/auth/profile';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { leaveTo, routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/** After sign-in: the privacy guide first if not yet agreed, else back to where the person came from. */
function continueAfterSignIn({ user }: Session) {
  if (needsConsent(user)) Taro.redirectTo({ url: `${routes.privacy}?from=signin` });
  else leaveTo(routes.me);
}

function WechatSignIn() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const signIn = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { code } = await Taro.login();
      continueAfterSignIn(await signInWithWechatCode(code));
    } catch (e) {
      // Taro.login itself fails with a plain error (no network, WeChat refused).
      setError(e instanceof ApiError ? e.message : '微信登录失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="actions">
      <Text className="text-body">使用微信账号登录政邮通</Text>
      {error && <Text className="notice">{error}</Text>}
      <Button block type="primary" size="large" loading={busy} onClick={signIn}>
        微信一键登录
      </Button>
    </View>
  );
}

/** H5 has no WeChat: the demo stack's WeChat simulator issues a code for a chosen demo user instead. */
function DemoSignIn() {
  const users = useLoader(listDemoUsers);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();

  const signInAs = async (openid: string) => {
    setBusy(openid);
    setError(undefined);
    try {
      const { code } = await issueDemoCode(openid);
      continueAfterSignIn(await signInWithWechatCode(code, openid));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(undefined);
    }
  };

  if (users.loading) return <LoadingState text="正在加载演示用户…" />;
  if (users.error) return <ErrorState message={users.error.message} onRetry={users.reload} />;
  if (!users.data?.length) return <EmptyState title="暂无演示用户" text="请确认演示环境已启动" />;
  return (
    <View className="actions">
      <Text className="demo-banner">演示环境：选择演示用户登录</Text>
      {error && <Text className="notice">{error}</Text>}
      {users.data.map((user) => (
        <View key={user.openid} className="card demo-user">
          <Text className="text-title">{user.nickname}</Text>
          <Text className="text-hint">{user.description}</Text>
          <Button
            block
            type="primary"
            size="large"
            loading={busy === user.openid}
            disabled={busy !== undefined}
            onClick={() => signInAs(user.openid)}
          >
            用此身份登录
          </Button>
        </View>
      ))}
    </View>
  );
}

export default function Login() {
  return (
    <Page>
      <View className="card">
        <Text className="text-title">登录</Text>
        <Text className="text-hint">登录后可预约上门收件、查看办件进度。</Text>
      </View>
      {DEMO_MODE ? <DemoSignIn /> : <WechatSignIn />}
    </Page>
  );
}
