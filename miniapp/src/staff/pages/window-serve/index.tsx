import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { MatterSummary } from '@zyt/shared';
import { useState } from 'react';
import { searchMatters } from '@/api/catalogue';
import { type ApiError, asApiError } from '@/api/errors';
import { serveAppointment, startWalkIn, windowToday } from '@/api/window';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingClock } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { WindowGate } from '@/staff/components/WindowGate';
import { Button } from '@/ui/nutui';
import '../../staff.css';

interface Fields {
  name: string;
  idNumber: string;
  phone: string;
  address: string;
}

/** The applicant as on the ID card presented; with an appointment the name is the booking resident's own. */
function ApplicantFields({
  fields,
  set,
  error,
  withName,
}: {
  fields: Fields;
  set: (f: Partial<Fields>) => void;
  error?: ApiError;
  withName: boolean;
}) {
  const msg = (field: string) => error?.fieldMessage(`applicant.${field}`) ?? error?.fieldMessage(field);
  return (
    <View className="card form">
      <Text className="staff-title">申请人（核对身份证原件）</Text>
      {withName && (
        <FormField
          id="window-name"
          label="姓名"
          value={fields.name}
          maxlength={30}
          message={msg('name')}
          onInput={(name) => set({ name })}
        />
      )}
      <FormField
        id="window-id-number"
        label="身份证号码"
        type="idcard"
        value={fields.idNumber}
        maxlength={18}
        message={msg('idNumber')}
        onInput={(idNumber) => set({ idNumber })}
      />
      <FormField
        id="window-phone"
        label="联系电话"
        type="number"
        value={fields.phone}
        maxlength={11}
        message={msg('phone')}
        onInput={(phone) => set({ phone })}
      />
      <FormField
        id="window-address"
        label="住址"
        value={fields.address}
        maxlength={120}
        message={msg('address')}
        onInput={(address) => set({ address })}
      />
    </View>
  );
}

/** A walk-in's matter: searched by name among the matters taken at post-office windows. */
function MatterSearch({ value, onChange }: { value?: MatterSummary; onChange: (m: MatterSummary) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<MatterSummary[]>([]);
  const search = async () => {
    if (!q.trim()) return;
    try {
      setFound(
        (await searchMatters({ q: q.trim(), channel: 'outlet', applicant: 'person', pageSize: 6 })).items,
      );
    } catch (e) {
      Taro.showToast({ title: asApiError(e).message, icon: 'none' });
    }
  };
  return (
    <View className="card form">
      <Text className="staff-title">办理事项</Text>
      {value ? (
        <View className="row">
          <Text className="text-body" id="window-matter">
            {value.name}
          </Text>
          <Button onClick={() => setFound([])}>已选择</Button>
        </View>
      ) : (
        <Text className="text-hint">输入事项名称搜索，选择要办理的事项</Text>
      )}
      <View className="row">
        <Input
          className="field__input"
          id="window-matter-search"
          value={q}
          placeholder="如：失业保险金"
          maxlength={30}
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={search}
        />
        <Button onClick={search}>搜索</Button>
      </View>
      {found.map((m) => (
        <View
          key={m.code}
          className={`choice${value?.code === m.code ? ' choice--chosen' : ''}`}
          role="radio"
          aria-checked={value?.code === m.code}
          onClick={() => onChange(m)}
        >
          <Text className="choice__title">{m.name}</Text>
          <Text className="choice__hint">{m.department}</Text>
        </View>
      ))}
    </View>
  );
}

function Serve({ outlet, appointmentId }: { outlet: { id: string; name: string }; appointmentId?: string }) {
  const today = useLoader(() => windowToday(outlet.id), !!appointmentId);
  const [fields, setFields] = useState<Fields>({ name: '', idNumber: '', phone: '', address: '' });
  const [matter, setMatter] = useState<MatterSummary>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const set = (f: Partial<Fields>) => setFields((x) => ({ ...x, ...f }));
  const appointment = today.data?.appointments.find((a) => a.id === appointmentId);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const intake = appointmentId
        ? await serveAppointment(appointmentId, {
            idNumber: fields.idNumber.trim(),
            phone: fields.phone.trim(),
            address: fields.address.trim(),
          })
        : await startWalkIn(outlet.id, {
            matterCode: matter!.code,
            applicant: {
              name: fields.name.trim(),
              idNumber: fields.idNumber.trim(),
              phone: fields.phone.trim(),
              address: fields.address.trim(),
            },
          });
      Taro.redirectTo({ url: withQuery(routes.windowIntake, { id: intake.id }) });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  if (appointmentId && today.loading && !today.data) return <LoadingState />;
  if (appointmentId && !appointment)
    return <ErrorState message={today.error?.message ?? '没有找到该预约，请返回今日预约列表'} />;
  const ready =
    fields.idNumber.trim() &&
    fields.phone.trim() &&
    fields.address.trim() &&
    (appointment || (matter && fields.name.trim()));
  return (
    <>
      {appointment ? (
        <View className="card" id="window-appointment">
          <Text className="staff-title">
            预约 {appointment.number} · {appointment.applicantName}
          </Text>
          <Text className="text-body">{appointment.matterName}</Text>
          <Text className="text-hint">
            预约时段 {beijingClock(appointment.start)}–{beijingClock(appointment.end)}
            ，核对身份证与预约人实名信息一致后开始收件
          </Text>
        </View>
      ) : (
        <MatterSearch value={matter} onChange={setMatter} />
      )}
      <ApplicantFields fields={fields} set={set} error={error} withName={!appointment} />
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      <View className="actions">
        <Button block type="primary" size="large" disabled={!ready} loading={busy} onClick={submit}>
          {appointment ? '核对身份，开始收件' : '实名核验，开始收件'}
        </Button>
      </View>
    </>
  );
}

/** Starts an intake at the window: a booked appointment (the resident's own ID card) or a walk-in (实名核验). */
export default function WindowServe() {
  const appointmentId = routeParam(useRouter().params, 'appointment');
  return (
    <Page className="window-serve">
      <WindowGate>{(outlet) => <Serve outlet={outlet} appointmentId={appointmentId} />}</WindowGate>
    </Page>
  );
}
