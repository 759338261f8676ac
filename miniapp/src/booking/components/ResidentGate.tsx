import Taro from '@tarojs/taro';
import { type PropsWithChildren, useEffect } from 'react';
import { getMe } from '@/api/me';
import { useSession } from '@/api/session';
import { SignInGate } from '@/components/SignInGate';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/**
 * Booking needs a signed-in person who agreed to the privacy guide and did real-name verification (实名):
 * each missing step is explained with a button to it; coming back here continues the booking.
 */
export function ResidentGate({
  children,
  loginText = '登录后预约政邮专员上门收件',
  consentText = '预约需要填写地址和联系电话，同意后才能继续',
  realNameTitle = '预约上门收件需要先实名认证',
  realNameText = '为核实办事人身份，请先完成实名认证。认证后回到这里继续预约。',
}: PropsWithChildren<{
  loginText?: string;
  consentText?: string;
  realNameTitle?: string;
  realNameText?: string;
}>) {
  const session = useSession();
  const user = session?.user;
  const unverified = !!user && !user.identity;
  // Real name may have been done on another device since this profile was stored.
  // biome-ignore lint/correctness/useExhaustiveDependencies: checked once when the page opens.
  useEffect(() => {
    if (unverified) getMe().catch(() => undefined);
  }, []);

  return (
    <SignInGate loginText={loginText} consentText={consentText}>
      {user && !user.identity ? (
        <EmptyState title={realNameTitle} text={realNameText}>
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.identity })}>
            去实名认证
          </Button>
        </EmptyState>
      ) : (
        children
      )}
    </SignInGate>
  );
}
