import Taro from '@tarojs/taro';
import { Role } from '@zyt/shared';
import type { PropsWithChildren } from 'react';
import { useSession } from '@/api/session';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/** The supervision pages are for supervisors (监管/运营) only; anyone else is told why, not shown errors. */
export function SupervisorGate({ children }: PropsWithChildren) {
  const session = useSession();
  if (!session) {
    return (
      <EmptyState title="请先登录" text="监管/运营人员登录后可查看时效监管">
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
          去登录
        </Button>
      </EmptyState>
    );
  }
  if (!session.user.roles.includes(Role.supervisor)) {
    return (
      <EmptyState
        title="时效监管仅对监管/运营人员开放"
        text="您的账号没有监管权限。如需开通，请联系上级主管为账号授权后重新登录。"
      >
        <Button size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
          返回首页
        </Button>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
