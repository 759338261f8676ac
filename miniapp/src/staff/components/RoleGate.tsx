import Taro from '@tarojs/taro';
import type { Role } from '@zyt/shared';
import type { PropsWithChildren } from 'react';
import { useSession } from '@/api/session';
import { roleLabels } from '@/auth/profile';
import { EmptyState } from '@/components/states';
import { routes } from '@/navigation';
import { Button } from '@/ui/nutui';

/**
 * A staff page for some roles only (e.g. 快递袋 pages: 政务中心收件, and 监管/运营 for batches); anyone else
 * is told which role it needs, not shown errors.
 */
export function RoleGate({ roles, what, children }: PropsWithChildren<{ roles: Role[]; what: string }>) {
  const session = useSession();
  const needed = roles.map((role) => roleLabels[role]).join('或');
  if (!session) {
    return (
      <EmptyState title="请先登录" text={`${needed}人员登录后可${what}`}>
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
          去登录
        </Button>
      </EmptyState>
    );
  }
  if (!session.user.roles.some((role) => roles.includes(role))) {
    return (
      <EmptyState
        title={`${what}仅对${needed}人员开放`}
        text="您的账号没有相应权限。如需开通，请联系上级主管为账号授权后重新登录。"
      >
        <Button size="large" onClick={() => Taro.reLaunch({ url: routes.home })}>
          返回首页
        </Button>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
