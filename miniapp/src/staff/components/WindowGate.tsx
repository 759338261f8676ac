import { Role, type StaffProfile } from '@zyt/shared';
import type { ReactNode } from 'react';
import { getStaffProfile } from '@/api/visits';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { RoleGate } from '@/staff/components/RoleGate';

type Outlet = NonNullable<StaffProfile['outlet']>;

function WithOutlet({ children }: { children: (outlet: Outlet) => ReactNode }) {
  const profile = useLoader(getStaffProfile);
  if (profile.loading && !profile.data) return <LoadingState />;
  if (profile.error || !profile.data)
    return <ErrorState message={profile.error?.message ?? '加载失败'} onRetry={profile.reload} />;
  const { outlet } = profile.data;
  if (!outlet)
    return (
      <EmptyState
        title="您的账号还没有归属网点"
        text="网点政务专窗只能办理所属网点的预约和收件。请联系监管人员设置所属网点。"
      />
    );
  return <>{children(outlet)}</>;
}

/** The window pages: outlet clerks (网点政务专窗) at the post office a supervisor placed them in. */
export function WindowGate({ children }: { children: (outlet: Outlet) => ReactNode }) {
  return (
    <RoleGate roles={[Role.outletClerk]} what="办理网点窗口收件">
      <WithOutlet>{children}</WithOutlet>
    </RoleGate>
  );
}
