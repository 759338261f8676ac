import Taro from '@tarojs/taro';
import { Role } from '@zyt/shared';
import type { PropsWithChildren } from 'react';
import { useSession } from '@/api/session';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/** The visit pages are for postal agents (政邮专员) only; anyone else is told why, not shown errors. */
export function AgentGate({ children }: PropsWithChildren) {
  const session = useSession();
  if (!session) {
    return (
      <EmptyState title="请先登录" text="政邮专员登录后可接单、上门初审">
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
          去登录
        </Button>
      </EmptyState>
    );
  }
  if (!session.user.roles.includes(Role.postalAgent)) {
    const supervisor = session.user.roles.includes(Role.supervisor);
    return (
      <EmptyState
        title="上门任务仅对政邮专员开放"
        text={
          supervisor
            ? '您的账号是监管/运营人员，可在时效监管中查看上门和寄递的超时情况。'
            : '您的账号没有政邮专员权限。如您是专员，请联系所在网点为账号开通权限后重新登录。'
        }
      >
        {supervisor && (
          <Button type="primary" size="large" onClick={() => Taro.redirectTo({ url: routes.supervision })}>
            查看时效监管
          </Button>
        )}
        <Button size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
          返回首页
        </Button>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
