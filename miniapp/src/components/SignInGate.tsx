import Taro from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { useSession } from '@/api/session';
import { needsConsent } from '@/auth/profile';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/**
 * A resident's page needs a signed-in person who agreed to the privacy guide: each missing step is explained
 * (why, in the page's own words) with a button to it.
 */
export function SignInGate({
  loginText,
  consentText,
  children,
}: PropsWithChildren<{ loginText: string; consentText: string }>) {
  const user = useSession()?.user;
  if (!user) {
    return (
      <EmptyState title="请先登录" text={loginText}>
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
          去登录
        </Button>
      </EmptyState>
    );
  }
  if (needsConsent(user)) {
    return (
      <EmptyState title="请先阅读并同意《隐私保护指引》" text={consentText}>
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.privacy })}>
          阅读《隐私保护指引》
        </Button>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
