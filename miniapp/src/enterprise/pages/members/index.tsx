import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { type EnterpriseMemberView, enterpriseRoleLabels } from '@zyt/shared';
import { useState } from 'react';
import { decideMember, listMembers } from '@/api/enterprises';
import { asApiError } from '@/api/errors';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLive } from '@/lib/useLive';
import { routeParam } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import '../../enterprise.css';

type Decision = 'approve' | 'refuse' | 'revoke';

function MemberItem({
  m,
  onDecide,
}: {
  m: EnterpriseMemberView;
  onDecide: (m: EnterpriseMemberView, d: Decision) => Promise<void>;
}) {
  const [busy, setBusy] = useState<Decision>();
  const act = (d: Decision) => {
    setBusy(d);
    onDecide(m, d).finally(() => setBusy(undefined));
  };
  return (
    <View className="card enterprise-card enterprise-member" id={`member-${m.id}`}>
      <View className="row">
        <Text className="case-section-title">
          {m.name}
          {m.self ? '（本人）' : ''}
        </Text>
        <Tag type={m.status === 'active' ? 'success' : m.status === 'pending' ? 'warning' : 'default'}>
          {m.status === 'active' ? enterpriseRoleLabels[m.role] : m.statusLabel}
        </Tag>
      </View>
      <Text className="text-hint">申请时间 {m.requestedAt.slice(0, 10)}</Text>
      {m.status === 'pending' && (
        <View className="enterprise-actions">
          <Button type="primary" size="small" loading={busy === 'approve'} onClick={() => act('approve')}>
            同意
          </Button>
          <Button size="small" loading={busy === 'refuse'} onClick={() => act('refuse')}>
            拒绝
          </Button>
        </View>
      )}
      {m.status === 'active' && m.role === 'clerk' && (
        <Button size="small" loading={busy === 'revoke'} onClick={() => act('revoke')}>
          解除绑定
        </Button>
      )}
    </View>
  );
}

/** The admin (法定代表人) approves or refuses clerks' requests and revokes clerks. */
export default function EnterpriseMembers() {
  const code = routeParam(useRouter().params, 'code') ?? '';
  const live = useLive(
    () => listMembers(code),
    (v) => v.items.some((m) => m.status === 'pending'),
    15_000,
    [code],
  );
  const [message, setMessage] = useState<string>();
  const decide = async (m: EnterpriseMemberView, d: Decision) => {
    setMessage(undefined);
    try {
      await decideMember(code, m.id, d);
      setMessage(
        { approve: `已同意${m.name}绑定`, refuse: `已拒绝${m.name}的申请`, revoke: `已解除${m.name}的绑定` }[
          d
        ],
      );
    } catch (e) {
      setMessage(asApiError(e).message);
    }
    await live.refresh();
  };
  return (
    <Page className="enterprise-members">
      {message && (
        <View className="notice" role="status">
          <Text>{message}</Text>
        </View>
      )}
      {!live.value ? (
        live.error ? (
          <ErrorState message={live.error.message} onRetry={live.refresh} />
        ) : (
          <LoadingState />
        )
      ) : (
        live.value.items.map((m) => <MemberItem key={m.id} m={m} onDecide={decide} />)
      )}
    </Page>
  );
}
