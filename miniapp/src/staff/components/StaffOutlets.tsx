import { Text, View } from '@tarojs/components';
import { Role, type StaffMember } from '@zyt/shared';
import { useState } from 'react';
import { listOutlets } from '@/api/catalogue';
import { asApiError } from '@/api/errors';
import { assignOutlet, getAgentFigures, listStaff } from '@/api/supervision';
import { Chips } from '@/components/Chips';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { Button } from '@/ui/nutui';

const loadOutlets = () => listOutlets({ limit: 100 });

/** One staff member and, when opened, the outlets they can be placed at (post offices or centres). */
function Member({
  member,
  outlets,
  onChanged,
}: {
  member: StaffMember;
  outlets: { id: string; name: string; kind: string }[];
  onChanged: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const agent = member.roles.includes(Role.postalAgent);
  const fitting = outlets.filter((o) => o.kind === (agent ? 'post_office' : 'service_centre'));
  const pick = async (outletId: string | undefined) => {
    if (!outletId) return;
    setError(undefined);
    try {
      await assignOutlet(member.id, outletId);
      setOpen(false);
      onChanged();
    } catch (e) {
      setError(asApiError(e).message);
    }
  };
  return (
    <View className="breach-item staff-member" id={`staff-${member.id}`}>
      <View className="row">
        <Text className="staff-title">
          {[member.staffNo, member.name].filter(Boolean).join(' ') || '未登记姓名'}
          {agent ? ' · 政邮专员' : ' · 政务中心收件'}
        </Text>
        <Button size="small" onClick={() => setOpen(!open)}>
          {open ? '收起' : '调整网点'}
        </Button>
      </View>
      <Text className={member.outlet ? 'text-body' : 'overdue-text'}>
        所属网点：{member.outlet?.name ?? '未设置'}
      </Text>
      {open && (
        <Chips
          name={`${member.staffNo ?? member.id}所属网点`}
          options={fitting.map((o) => ({ value: o.id, label: o.name }))}
          value={member.outlet?.id}
          onChange={pick}
        />
      )}
      {error && <Text className="field__error">{error}</Text>}
    </View>
  );
}

/** 人员与网点: supervisors place agents at post offices and clerks at centres; agents see their outlet's orders. */
export function StaffOutlets() {
  const staff = useLoader(listStaff);
  const outlets = useLoader(loadOutlets);
  if ((staff.loading && !staff.data) || (outlets.loading && !outlets.data)) return <LoadingState />;
  if (!staff.data || !outlets.data)
    return (
      <ErrorState
        message={(staff.error ?? outlets.error)?.message ?? '加载失败'}
        onRetry={() => {
          staff.reload();
          outlets.reload();
        }}
      />
    );
  return (
    <View className="card" id="staff-outlets">
      <Text className="text-title">人员与网点</Text>
      <Text className="text-hint">政邮专员只接所属网点的上门预约；收件人员只签收寄往所属中心的材料袋。</Text>
      {staff.data.items.map((m) => (
        <Member key={m.id} member={m} outlets={outlets.data!.items} onChanged={staff.reload} />
      ))}
    </View>
  );
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** 专员业绩: per agent over the last 30 days — visits accepted, on-time share at the door, hand-backs. */
export function AgentFiguresCard() {
  const figures = useLoader(getAgentFigures);
  if (figures.loading && !figures.data) return <LoadingState />;
  if (!figures.data)
    return <ErrorState message={figures.error?.message ?? '加载失败'} onRetry={figures.reload} />;
  return (
    <View className="card" id="agent-figures">
      <Text className="text-title">专员上门情况（近30天）</Text>
      {figures.data.items.map((f) => (
        <View key={f.agentId} className="row agent-figure">
          <Text className="text-body">{[f.staffNo, f.name].filter(Boolean).join(' ') || '专员'}</Text>
          <Text className="text-hint">
            接单 {f.visits} · 准时 {percent(f.onTimeShare)} · 转交 {f.handBacks} · 收件 {f.collected}
          </Text>
        </View>
      ))}
    </View>
  );
}
