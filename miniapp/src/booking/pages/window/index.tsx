import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { MatterGuide, NotificationKind, WindowAppointmentView } from '@zyt/shared';
import { useState } from 'react';
import { newIdempotencyKey } from '@/api/bookings';
import { getMatterGuide } from '@/api/catalogue';
import { type ApiError, asApiError } from '@/api/errors';
import {
  bookWindowAppointment,
  cancelWindowAppointment,
  myWindowAppointments,
  rescheduleWindowAppointment,
  windowSlots,
} from '@/api/window';
import { MaterialsChecklist } from '@/booking/components/Guidance';
import { ResidentGate } from '@/booking/components/ResidentGate';
import { byDay, type Slot } from '@/booking/components/TimePicker';
import { OutletCard } from '@/components/OutletCard';
import { Page } from '@/components/Page';
import { SubscribeCard } from '@/components/SubscribeCard';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { beijingClock, beijingDayLabel } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import '../../booking.css';

/** The resident's messages about a window appointment: reminder and changes, then the rating invitation. */
const windowAppointmentKinds: NotificationKind[] = ['visit_update', 'evaluation_invite'];

const when = (a: { start: string; end: string }) =>
  `${beijingDayLabel(a.start)} ${beijingClock(a.start)}–${beijingClock(a.end)}`;

/** The outlet's window slots for the matter, by day (weekends where it opens), with the places left. */
function SlotChoice({
  matterCode,
  outletId,
  value,
  onChange,
}: {
  matterCode: string;
  outletId: string;
  value: Slot | undefined;
  onChange: (s: Slot) => void;
}) {
  const slots = useLoader(() => windowSlots(matterCode, outletId));
  if (slots.loading && !slots.data) return <Text className="text-hint">正在查询可预约的时段…</Text>;
  if (slots.error) return <Text className="field__error">{slots.error.message}</Text>;
  if (!slots.data || slots.data.slots.length === 0)
    return <Text className="text-hint">近一周的时段都已约满，可直接到网点窗口办理。</Text>;
  return (
    <View className="choices" role="radiogroup" aria-label="到网点时间">
      <Text className="text-hint">每个时段 30 分钟，请按时到{slots.data.outlet.name}政务服务专窗</Text>
      {byDay(slots.data.slots).map((day) => (
        <View key={day.day} className="slot-day">
          <Text className="slot-day__label">{day.label}</Text>
          <View className="slot-grid">
            {day.slots.map((slot) => {
              const chosen = slot.id === value?.id;
              return (
                <View
                  key={slot.id}
                  className={`choice slot${chosen ? ' choice--chosen' : ''}`}
                  role="radio"
                  aria-checked={chosen}
                  onClick={() => onChange(slot)}
                >
                  <Text className="choice__title">
                    {beijingClock(slot.start)}–{beijingClock(slot.end)}
                  </Text>
                  <Text className="choice__hint">剩余 {slot.remaining} 个名额</Text>
                </View>
              );
            })}
          </View>
        </View>
      ))}
    </View>
  );
}

/** 改约: another slot of the same outlet for a booked appointment; the old place is given back. */
function Reschedule({
  appointment,
  onDone,
  onClose,
}: {
  appointment: WindowAppointmentView;
  onDone: () => void;
  onClose: () => void;
}) {
  const [slot, setSlot] = useState<Slot>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [reloadKey, setReloadKey] = useState(0);
  const submit = async () => {
    if (!slot) return;
    setBusy(true);
    setError(undefined);
    try {
      await rescheduleWindowAppointment(appointment.id, slot.id);
      Taro.showToast({ title: '已改约', icon: 'success' });
      onDone();
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      if (err.code === 'WINDOW_SLOT_FULL') {
        setSlot(undefined);
        setReloadKey((k) => k + 1);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="window-reschedule" id={`reschedule-${appointment.id}`}>
      <Text className="text-body">改到{appointment.outlet.name}的其他时段：</Text>
      <SlotChoice
        key={reloadKey}
        matterCode={appointment.matterCode}
        outletId={appointment.outlet.id}
        value={slot}
        onChange={setSlot}
      />
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      <Button type="primary" disabled={!slot} loading={busy} onClick={submit}>
        {slot ? `改约到 ${when(slot)}` : '请选择新的时段'}
      </Button>
      <Button disabled={busy} onClick={onClose}>
        不改约
      </Button>
    </View>
  );
}

const statusTag = (s: WindowAppointmentView['status']) =>
  s === 'booked' ? 'primary' : s === 'served' ? 'success' : s === 'no_show' ? 'warning' : 'default';

/** My window appointments: where and when; 改约 and cancel while booked. */
function MyAppointments() {
  const list = useLoader(myWindowAppointments);
  const [moving, setMoving] = useState<string>();
  const cancel = async (a: WindowAppointmentView) => {
    const { confirm } = await Taro.showModal({
      title: '取消预约',
      content: `取消${when(a)}在${a.outlet.name}的预约？`,
      confirmText: '取消预约',
      cancelText: '不取消',
    });
    if (!confirm) return;
    try {
      await cancelWindowAppointment(a.id);
      list.reload();
    } catch (e) {
      Taro.showToast({ title: asApiError(e).message, icon: 'none' });
    }
  };
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <View className="card" id="my-window-appointments">
      <Text className="text-title">我的网点预约</Text>
      {items.map((a) => (
        <View key={a.id} className="window-appointment">
          <View className="row">
            <Text className="text-body">{a.matterName}</Text>
            <Tag type={statusTag(a.status)}>{a.statusLabel}</Tag>
          </View>
          <Text className="text-hint">
            {a.outlet.name} · {when(a)} · 预约号 {a.number}
          </Text>
          {a.status === 'no_show' && (
            <Text className="text-hint">预约时段内未到网点办理，如需办理请重新预约或直接到网点窗口。</Text>
          )}
          {a.status === 'booked' &&
            (moving === a.id ? (
              <Reschedule
                appointment={a}
                onClose={() => setMoving(undefined)}
                onDone={() => {
                  setMoving(undefined);
                  list.reload();
                }}
              />
            ) : (
              <View className="row">
                <Button onClick={() => setMoving(a.id)}>改约</Button>
                <Button onClick={() => cancel(a)}>取消预约</Button>
              </View>
            ))}
          {a.caseId && (
            <Button
              onClick={() =>
                Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: a.caseId ?? undefined }) })
              }
            >
              查看办件进度
            </Button>
          )}
        </View>
      ))}
    </View>
  );
}

function Booking({ guide, initialOutlet }: { guide: MatterGuide; initialOutlet?: string }) {
  const postOffices = guide.outlets.filter((o) => o.kind === 'post_office');
  const [outletId, setOutletId] = useState(
    postOffices.some((o) => o.id === initialOutlet) ? initialOutlet : undefined,
  );
  const [slot, setSlot] = useState<Slot>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [booked, setBooked] = useState<WindowAppointmentView>();
  const [reloadKey, setReloadKey] = useState(0);
  const [key] = useState(newIdempotencyKey);
  const outlet = postOffices.find((o) => o.id === outletId);

  const submit = async () => {
    if (!outletId || !slot) return;
    setBusy(true);
    setError(undefined);
    try {
      setBooked(await bookWindowAppointment({ matterCode: guide.code, outletId, slotId: slot.id }, key));
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      if (err.code === 'WINDOW_SLOT_FULL') {
        setSlot(undefined);
        setReloadKey((k) => k + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  if (booked)
    return (
      <>
        <View className="card" id="window-booked">
          <Text className="text-title">预约成功</Text>
          <Text className="text-hint">预约号（到窗口时报给工作人员）</Text>
          <Text className="booking-number" id="window-number">
            {booked.number}
          </Text>
          <Text className="text-body">{booked.matterName}</Text>
          <Text className="text-body">
            {booked.outlet.name} · {when(booked)}
          </Text>
          <Text className="text-hint">{booked.outlet.address}</Text>
          <Text className="text-hint">请携带本人身份证和下列材料，窗口核对齐全后当场收件并打印受理单。</Text>
        </View>
        {/* 预约提醒 (the day before), 过号 and the 好差评 invitation after the window: asked for from this tap. */}
        <SubscribeCard kinds={windowAppointmentKinds} />
        <MaterialsChecklist materials={guide.materials} />
        {/* Keyed: a new instance fetches the list with this appointment in it. */}
        <MyAppointments key={booked.id} />
      </>
    );

  if (postOffices.length === 0)
    return <EmptyState title="本事项不在邮政网点受理" text="请通过上门收件或到政务服务中心办理" />;
  return (
    <>
      <View className="card">
        <Text className="text-title">{guide.name}</Text>
        <Text className="text-hint">
          选择邮政网点和时段，到网点政务服务专窗办理，材料由EMS免费寄往政务服务中心。
        </Text>
      </View>
      {!outlet ? (
        <>
          <Text className="text-body window-pick">选择办理网点：</Text>
          {postOffices.map((o) => (
            <OutletCard key={o.id} outlet={o} showCall={false} onOpen={() => setOutletId(o.id)} />
          ))}
        </>
      ) : (
        <>
          <OutletCard outlet={outlet} showCall={false} />
          {postOffices.length > 1 && (
            <Button
              onClick={() => {
                setOutletId(undefined);
                setSlot(undefined);
              }}
            >
              换一个网点
            </Button>
          )}
          <View className="card">
            <Text className="text-title">到网点时间</Text>
            {/* A slot that filled up meanwhile: remounted, the list is fetched again. */}
            <SlotChoice
              key={reloadKey}
              matterCode={guide.code}
              outletId={outlet.id}
              value={slot}
              onChange={setSlot}
            />
          </View>
          {error && (
            <View className="notice" role="alert">
              <Text>{error.message}</Text>
            </View>
          )}
          <View className="actions">
            <Button block type="primary" size="large" disabled={!slot} loading={busy} onClick={submit}>
              {slot ? `预约 ${when(slot)}` : '请选择时段'}
            </Button>
          </View>
        </>
      )}
      <MyAppointments />
    </>
  );
}

/** 网点就近办: book a time at a post office's government window for a matter (from its guide). */
export default function WindowBooking() {
  const params = useRouter().params;
  const matterCode = routeParam(params, 'matterCode') ?? '';
  const guide = useLoader(() => getMatterGuide(matterCode), matterCode !== '');
  return (
    <Page className="window-booking">
      <ResidentGate
        loginText="登录后预约到网点办理"
        consentText="预约需要核实您的身份，同意后才能继续"
        realNameTitle="预约网点办理需要先实名认证"
        realNameText="窗口会核对您的身份证。请先完成实名认证，认证后回到这里继续预约。"
      >
        {guide.loading ? (
          <LoadingState />
        ) : guide.error || !guide.data ? (
          <ErrorState message={guide.error?.message ?? '没有找到该事项'} onRetry={guide.reload} />
        ) : (
          <Booking guide={guide.data} initialOutlet={routeParam(params, 'outletId')} />
        )}
      </ResidentGate>
    </Page>
  );
}
