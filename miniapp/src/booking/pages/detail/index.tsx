import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { type BookingStatus, type BookingView, canReschedule, finalBookingStatuses } from '@zyt/shared';
import { useState } from 'react';
import { cancelBooking, getAgentPhone, getBooking, rescheduleBooking } from '@/api/bookings';
import { type ApiError, asApiError } from '@/api/errors';
import { MissingList } from '@/booking/components/MissingList';
import { StatusTag } from '@/booking/components/StatusTag';
import { Timeline } from '@/booking/components/Timeline';
import { TimePicker, type WindowChoice } from '@/booking/components/TimePicker';
import { canSendVisitByBag, dueText, visitTimeText } from '@/booking/format';
import { CaseStatusTag } from '@/cases/components/CaseStatusTag';
import { CopyRow } from '@/components/CopyRow';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLive } from '@/lib/useLive';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../booking.css';

/** While the agent is on the visit, the resident sees who is coming and can call them. */
const agentOnVisit: readonly BookingStatus[] = ['assigned', 'en_route', 'arrived', 'reviewing'];

/** How often the status is fetched while the page is on screen and the booking still moving. */
const POLL_MS = 10_000;

const explanations: Record<BookingStatus, string> = {
  requested: '正在为您安排政邮专员，接单后会先打电话联系您。',
  assigned: '专员已接单，会先打电话和您确认上门时间。',
  en_route: '专员已出发，请保持电话畅通，备好材料。',
  arrived: '专员已到达，请当面出示材料。',
  reviewing: '专员正在核对您的材料。',
  collected: '材料齐全，已收件，正在寄往政务服务中心。',
  handed_over: '材料已交 EMS 寄往政务服务中心。',
  case_submitted: '已提交政务服务平台审批，可凭办件编号查询办理进度。',
  materials_incomplete: '本次材料不齐，未收件。请按清单一次备齐后重新预约。',
  cancelled: '预约已取消。',
  expired: '没有专员在预约时间内接单，预约已过期，可以重新预约。',
};

/** The booking, fetched on open, every few seconds while it is still moving, and on pull-down. */
function useBooking(id: string) {
  const live = useLive(
    () => getBooking(id),
    (b) => !finalBookingStatuses.includes(b.status),
    POLL_MS,
    [id],
  );
  return { booking: live.value, error: live.error, refresh: live.refresh, replace: live.replace };
}

/** 改约 and 取消预约, offered until the agent is on the way. */
function ChangeBooking({
  booking,
  onChanged,
}: {
  booking: BookingView;
  onChanged: (b: BookingView) => void;
}) {
  const [open, setOpen] = useState<'reschedule' | 'cancel'>();
  const [time, setTime] = useState<WindowChoice | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const run = async (action: () => Promise<BookingView>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await action());
      setOpen(undefined);
      Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const reschedule = () => {
    if (!time) return;
    const window =
      time.kind === 'asap' ? { kind: 'asap' as const } : { kind: 'slot' as const, slotId: time.slot.id };
    return run(() => rescheduleBooking(booking.id, window), '已改约');
  };
  const cancel = () => run(() => cancelBooking(booking.id, reason.trim() || undefined), '已取消预约');

  return (
    <View className="card">
      <Text className="booking-section-title">需要调整？</Text>
      <Text className="text-hint">专员出发前可以改约或取消；出发后请直接联系专员。</Text>
      {open === 'reschedule' && (
        <>
          <TimePicker
            matterCode={booking.matter.code}
            county={booking.address.county}
            value={time}
            onChange={setTime}
          />
          <Button block type="primary" size="large" loading={busy} disabled={!time} onClick={reschedule}>
            确认改约
          </Button>
        </>
      )}
      {open === 'cancel' && (
        <View className="field">
          <Text className="field__label">取消原因（选填）</Text>
          <Input
            className="field__input"
            id="booking-cancel-reason"
            value={reason}
            maxlength={200}
            placeholder="如：已在网点办理"
            onInput={(e) => setReason(e.detail.value)}
          />
          <Button block type="danger" size="large" loading={busy} onClick={cancel}>
            确认取消预约
          </Button>
        </View>
      )}
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      {open === undefined ? (
        <View className="actions">
          <Button block size="large" onClick={() => setOpen('reschedule')}>
            改约上门时间
          </Button>
          <Button block size="large" onClick={() => setOpen('cancel')}>
            取消预约
          </Button>
        </View>
      ) : (
        <Button block size="large" disabled={busy} onClick={() => setOpen(undefined)}>
          不改了
        </Button>
      )}
    </View>
  );
}

/** 上门专员: who is coming (name, 工号), the work phone masked, and a tap to call the full number. */
function AgentCard({ booking }: { booking: BookingView }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const agent = booking.agent;
  if (!agent) return null;
  const call = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { phone } = await getAgentPhone(booking.id);
      await Taro.makePhoneCall({ phoneNumber: phone }).catch(() => {
        // The person closed the dialler: nothing to do.
      });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card" id="booking-agent">
      <Text className="booking-section-title">上门专员</Text>
      <Kv label="姓名" value={agent.name} />
      {agent.staffNo && <Kv label="工号" value={agent.staffNo} />}
      {agent.phone && <Kv label="电话" value={agent.phone} />}
      <Text className="text-hint">专员上门时会出示工作证，请核对姓名和工号。</Text>
      {agent.phone && (
        <Button block size="large" loading={busy} onClick={call}>
          拨打专员电话
        </Button>
      )}
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
    </View>
  );
}

function Details({ booking }: { booking: BookingView }) {
  const a = booking.address;
  return (
    <View className="card">
      <Text className="booking-section-title">预约信息</Text>
      <Kv label="上门地址" value={`${a.province}${a.city}${a.county}${a.detail}`} />
      <Kv label="联系人" value={`${booking.contact.name} ${booking.contact.phone}`} />
      {booking.note && <Kv label="给专员的备注" value={booking.note} />}
      {booking.entrust && (
        <Kv label="委托代办" value={`${booking.entrust.scope}（有效期至 ${booking.entrust.validUntil}）`} />
      )}
      {booking.cancelReason && <Kv label="取消原因" value={booking.cancelReason} />}
    </View>
  );
}

/** One booking: live status, the one complete missing list, case number, waybill, timeline, changes. */
export default function BookingDetail() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  const { booking, error, refresh, replace } = useBooking(id);
  usePullDownRefresh(() => {
    refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!booking) {
    return <Page>{error ? <ErrorState message={error.message} onRetry={refresh} /> : <LoadingState />}</Page>;
  }

  const due = dueText(booking.dueAt);
  // Once the materials became a case, the case is the one truth about progress (also once an incomplete
  // visit's materials were sent by bag: no list to act on, no re-booking).
  const theCase = booking.case;
  const missing = booking.status === 'materials_incomplete' && !theCase ? (booking.missingItems ?? []) : [];
  return (
    <Page className="booking-detail">
      {missing.length > 0 && (
        <>
          <MissingList items={missing} />
          <Button
            block
            type="primary"
            size="large"
            onClick={() =>
              Taro.navigateTo({
                url: withQuery(routes.booking, { matterCode: booking.matter.code, from: booking.id }),
              })
            }
          >
            备齐后重新预约上门
          </Button>
          {canSendVisitByBag(booking) && (
            <>
              <View className="spacer" />
              <Button
                block
                size="large"
                onClick={() => Taro.navigateTo({ url: withQuery(routes.bag, { bookingId: booking.id }) })}
              >
                已备齐？扫描邮袋寄送
              </Button>
            </>
          )}
          <View className="spacer" />
        </>
      )}
      <View className="card">
        <View className="row">
          <Text className="booking-section-title">{booking.matter.name}</Text>
          {theCase ? (
            <CaseStatusTag status={theCase.status} label={theCase.statusLabel} />
          ) : (
            <StatusTag status={booking.status} />
          )}
        </View>
        <Text className="text-body" id="booking-status-text">
          {theCase
            ? `${booking.status === 'materials_incomplete' ? '缺少的材料已用快递袋寄出' : '材料已收取'}，办件进度：${theCase.statusLabel}。办理情况以办件进度为准。`
            : explanations[booking.status]}
        </Text>
        <Kv label="预约号" value={booking.number} />
        <Kv label="上门时间" value={visitTimeText(booking.window)} />
        {due && !finalBookingStatuses.includes(booking.status) && <Kv label="最迟到达" value={due} />}
        {error && <Text className="text-hint">刷新失败：{error.message}（显示的是上次的状态）</Text>}
        {booking.bundle && (
          <Kv label="一件事" value={`${booking.bundle.name}（${booking.bundle.situation.name}）`} />
        )}
        {booking.bundle && (
          <Button
            block
            type="primary"
            size="large"
            id="booking-bundle-progress"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.bundleTimeline, { id: booking.id }) })}
          >
            查看一件事办理进度
          </Button>
        )}
        {theCase && (
          <Button
            block
            type="primary"
            size="large"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: theCase.id }) })}
          >
            查看办件进度
          </Button>
        )}
      </View>

      {agentOnVisit.includes(booking.status) && <AgentCard booking={booking} />}

      {(booking.caseNumber || booking.waybillNo) && (
        <View className="card">
          {booking.caseNumber && (
            <CopyRow
              label="办件编号（政务服务平台）"
              value={booking.caseNumber}
              id="booking-case-number"
              copied="办件编号已复制"
            />
          )}
          {booking.waybillNo && (
            <CopyRow
              label="材料寄递运单号（EMS）"
              value={booking.waybillNo}
              id="booking-waybill"
              copied="运单号已复制"
            />
          )}
        </View>
      )}

      {canReschedule(booking.status) && <ChangeBooking booking={booking} onChanged={replace} />}

      <Details booking={booking} />

      <View className="card">
        <Text className="booking-section-title">进度</Text>
        <Timeline events={booking.events} />
      </View>
    </Page>
  );
}
