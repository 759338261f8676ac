import { Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import {
  type BookingAction,
  type BookingStatus,
  bookingActions,
  finalBookingStatuses,
  type VisitView,
} from '@zyt/shared';
import { useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import {
  cancelVisit,
  getVisit,
  handBackVisit,
  listVisitPhotos,
  submitReview,
  takeVisitStep,
  uploadVisitPhoto,
  type VisitStep,
} from '@/api/visits';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLive } from '@/lib/useLive';
import { useLoader } from '@/lib/useLoader';
import { routeParam } from '@/navigation';
import { AgentGate } from '@/staff/components/AgentGate';
import { MissingItems } from '@/staff/components/MissingItems';
import { ReviewChecklist } from '@/staff/components/ReviewChecklist';
import { dueLine, formLabel, statusTones, windowLine } from '@/staff/format';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

const POLL_MS = 15_000;

/** The steps before the review, in order, as the agent's one next button. */
const steps: { action: BookingAction; step: VisitStep; label: string; done: string }[] = [
  { action: 'accept', step: 'accept', label: '接单', done: '已接单' },
  { action: 'depart', step: 'depart', label: '出发', done: '已出发' },
  { action: 'arrive', step: 'arrive', label: '已到达', done: '已到达' },
  { action: 'startReview', step: 'start-review', label: '开始初审', done: '开始初审' },
];

const allows = (action: BookingAction, status: BookingStatus) =>
  (bookingActions[action].from as readonly BookingStatus[]).includes(status);

const collectedStatuses: readonly BookingStatus[] = ['collected', 'handed_over', 'case_submitted'];
const photoStatuses: readonly BookingStatus[] = ['arrived', 'reviewing'];

/** What the review decided: collected, or the one complete list told to the resident. */
function ReviewResult({ visit, leftBag }: { visit: VisitView; leftBag?: string }) {
  if (collectedStatuses.includes(visit.status)) {
    return (
      <View className="result result--collected" id="review-result">
        <Text className="result__title">{leftBag ? '容缺受理，已收件' : '材料齐全，已收件'}</Text>
        {leftBag && <Text className="text-body">缺少的材料由居民装入快递袋 {leftBag} 补寄。</Text>}
        <Text className="text-body">材料将由 EMS 寄往政务服务中心，并提交政务服务平台审批。</Text>
        {visit.waybillNo && <Kv label="EMS 运单号" value={visit.waybillNo} />}
        {visit.caseNumber && <Kv label="办件编号" value={visit.caseNumber} />}
      </View>
    );
  }
  if (visit.status === 'materials_incomplete') {
    const missing = visit.missingItems ?? [];
    return (
      <View className="result result--incomplete" id="review-result">
        <Text className="result__title">材料不齐，未收件</Text>
        <Text className="text-body">已一次性告知居民缺少的全部 {missing.length} 项材料：</Text>
        <MissingItems items={missing.map((item) => ({ ...item, key: item.materialId }))} />
      </View>
    );
  }
  if (visit.status === 'cancelled') {
    return (
      <View className="result result--incomplete">
        <Text className="result__title">已取消</Text>
        {visit.cancelReason && <Text className="text-body">原因：{visit.cancelReason}</Text>}
      </View>
    );
  }
  return null;
}

/** 材料拍照留档: photos of what the resident showed, kept with the visit. */
function Photos({ visit }: { visit: VisitView }) {
  const photos = useLoader(() => listVisitPhotos(visit.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const take = async () => {
    let filePath: string | undefined;
    try {
      const chosen = await Taro.chooseImage({
        count: 1,
        sizeType: ['compressed'],
        sourceType: ['camera', 'album'],
      });
      filePath = chosen.tempFilePaths[0];
    } catch {
      return; // the agent closed the camera
    }
    if (!filePath) return;
    setBusy(true);
    setError(undefined);
    try {
      await uploadVisitPhoto(visit.id, filePath);
      photos.reload();
      Taro.showToast({ title: '已留档', icon: 'success' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const count = photos.data?.items.length ?? 0;
  return (
    <View className="card">
      <Text className="staff-title">材料拍照留档</Text>
      <Text className="text-hint">
        {photos.error
          ? `照片记录加载失败：${photos.error.message}`
          : `已留档 ${count} 张。照片加密保存，仅专员和监管人员可见。`}
      </Text>
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
        </View>
      )}
      <Button block size="large" loading={busy} onClick={take}>
        拍照留档
      </Button>
    </View>
  );
}

/**
 * What the agent can do when the visit can't go ahead: hand it back to the outlet's queue (AB岗: a colleague
 * takes it, the booking and its slot stay) or cancel it for good (resident unreachable, wrong address: the
 * slot is freed). Either way the reason is told to the resident.
 */
const endings = {
  handBack: {
    open: '转交其他专员（AB岗）',
    label: '转交原因（会告知居民）',
    placeholder: '如：车辆故障，无法按时上门',
    confirm: '确认转交',
    done: '已转交',
    id: 'visit-handback-reason',
    presets: ['临时有紧急任务', '车辆故障，无法按时上门'],
  },
  cancel: {
    open: '取消上门',
    label: '取消原因（会告知居民，时段将释放）',
    placeholder: '如：多次致电居民无人接听',
    confirm: '确认取消上门',
    done: '已取消',
    id: 'visit-cancel-reason',
    presets: ['多次致电居民无人接听', '上门地址有误，无法联系居民更正'],
  },
} as const;

function EndVisit({
  visit,
  kind,
  onDone,
}: {
  visit: VisitView;
  kind: keyof typeof endings;
  onDone: (v: VisitView) => void;
}) {
  const text = endings[kind];
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const tooShort = [...reason.trim()].length < 2;

  const submit = async () => {
    if (tooShort) return;
    setBusy(true);
    setError(undefined);
    try {
      const act = kind === 'handBack' ? handBackVisit : cancelVisit;
      onDone(await act(visit.id, reason.trim()));
      Taro.showToast({ title: text.done, icon: 'success' });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Button block size="large" onClick={() => setOpen(true)}>
        {text.open}
      </Button>
    );
  }
  return (
    <View className="card">
      <View className={`field${error ? ' field--invalid' : ''}`}>
        <Text className="field__label">{text.label}</Text>
        <View className="staff-tags">
          {text.presets.map((p) => (
            <Tag key={p} type={reason === p ? 'primary' : 'default'} onClick={() => setReason(p)}>
              {p}
            </Tag>
          ))}
        </View>
        <Input
          className="field__input"
          id={text.id}
          value={reason}
          maxlength={200}
          placeholder={text.placeholder}
          onInput={(e) => setReason(e.detail.value)}
        />
        {error && <Text className="field__error">{error.message}</Text>}
      </View>
      <View className="actions">
        <Button block type="danger" size="large" loading={busy} disabled={tooShort} onClick={submit}>
          {text.confirm}
        </Button>
        <Button block size="large" disabled={busy} onClick={() => setOpen(false)}>
          返回
        </Button>
      </View>
    </View>
  );
}

/** Opens the map app at the door (the point the resident marked). */
function navigateTo(visit: VisitView) {
  if (!visit.location) return;
  const a = visit.address;
  Taro.openLocation({
    latitude: visit.location.lat,
    longitude: visit.location.lng,
    name: `${a.county}${a.detail}`,
    address: `${a.province}${a.city}${a.county}${a.detail}`,
    scale: 17,
  });
}

function useVisit(id: string) {
  // The resident may cancel or reschedule until the agent sets off: keep polling until the visit is final.
  const live = useLive(
    () => getVisit(id),
    (v) => !finalBookingStatuses.includes(v.status),
    POLL_MS,
    [id],
  );
  return { visit: live.value, error: live.error, refresh: live.refresh, replace: live.replace };
}

function Visit({ id }: { id: string }) {
  const { visit, error, refresh, replace } = useVisit(id);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError>();
  /** The bag left under 容缺受理 by this review (the visit itself does not say). */
  const [leftBag, setLeftBag] = useState<string>();
  usePullDownRefresh(() => {
    refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!visit) return error ? <ErrorState message={error.message} onRetry={refresh} /> : <LoadingState />;

  const next = steps.find((s) => allows(s.action, visit.status) && (s.action === 'accept' || visit.mine));
  const takeStep = async () => {
    if (!next) return;
    setBusy(true);
    setActionError(undefined);
    try {
      replace(await takeVisitStep(visit.id, next.step));
      Taro.showToast({ title: next.done, icon: 'success' });
    } catch (e) {
      setActionError(asApiError(e));
      refresh();
    } finally {
      setBusy(false);
    }
  };

  const a = visit.address;
  return (
    <>
      <ReviewResult visit={visit} leftBag={leftBag} />
      <View className="card">
        <View className="row">
          <Text className="staff-title">{visit.matter.name}</Text>
          <View className="staff-tags">
            {visit.overdue && <Tag type="danger">已超时</Tag>}
            <Tag type={statusTones[visit.status]}>{visit.statusLabel}</Tag>
          </View>
        </View>
        {!finalBookingStatuses.includes(visit.status) && (
          <Text className={visit.overdue ? 'overdue-text' : 'text-body'}>{dueLine(visit)}</Text>
        )}
        {windowLine(visit) && <Text className="text-hint">{windowLine(visit)}</Text>}
        <Kv label="预约号" value={visit.number} />
        <Kv label="下单时间" value={beijingDateTime(visit.createdAt)} />
        {error && <Text className="text-hint">刷新失败：{error.message}</Text>}
      </View>

      <View className="card">
        <Text className="staff-title">上门地址和联系人</Text>
        <Kv label="地址" value={`${a.province}${a.city}${a.county}${a.detail}`} id="visit-address" />
        <Kv label="联系人" value={visit.contact.name} />
        <Kv label="电话" value={visit.contact.phone} id="visit-phone" />
        {visit.note && <Kv label="居民备注" value={visit.note} id="visit-note" />}
        {visit.mine &&
        !finalBookingStatuses.includes(visit.status) &&
        !collectedStatuses.includes(visit.status) ? (
          <View className="actions">
            <Button
              block
              size="large"
              onClick={() => Taro.makePhoneCall({ phoneNumber: visit.contact.phone })}
            >
              拨打电话 {visit.contact.phone}
            </Button>
            {visit.location ? (
              <Button block size="large" id="visit-navigate" onClick={() => navigateTo(visit)}>
                导航到上门地址
              </Button>
            ) : (
              <Text className="text-hint">居民未在地图上标注位置，请按地址前往。</Text>
            )}
          </View>
        ) : (
          <Text className="text-hint">
            {visit.mine
              ? '上门已结束，地址、电话和备注不再显示。'
              : '接单后显示完整地址、电话和居民备注（查看会留痕）。'}
          </Text>
        )}
        {visit.entrust && (
          <Kv
            label="委托代办"
            value={`${visit.entrust.scope}（有效期至 ${visit.entrust.validUntil}，已记录授权委托）`}
          />
        )}
      </View>

      {actionError && (
        <View className="notice" role="alert">
          <Text>{actionError.message}</Text>
        </View>
      )}
      {next && (
        <View className="actions next-step">
          <Button block type="primary" size="large" loading={busy} onClick={takeStep}>
            {next.label}
          </Button>
          <View className="spacer" />
        </View>
      )}

      {visit.status === 'reviewing' && visit.mine ? (
        <ReviewChecklist
          checklist={visit.checklist}
          tolerantAcceptance={visit.tolerantAcceptance}
          submit={(items, tolerate) => submitReview(visit.id, items, tolerate)}
          onReviewed={(v, bag) => {
            replace(v);
            setLeftBag(bag);
          }}
        />
      ) : (
        !finalBookingStatuses.includes(visit.status) &&
        !collectedStatuses.includes(visit.status) && (
          <View className="card">
            <Text className="staff-title">材料清单（{visit.checklist.length} 项）</Text>
            {visit.checklist.map((m) => (
              <View key={m.materialId} className="row">
                <Text className="text-body">{m.name}</Text>
                <Text className="text-hint">
                  {formLabel(m.form)} {m.count} 份{m.required ? ' · 必需' : ''}
                </Text>
              </View>
            ))}
          </View>
        )
      )}

      {visit.mine && photoStatuses.includes(visit.status) && <Photos visit={visit} />}

      {visit.mine && allows('handBack', visit.status) && (
        <EndVisit visit={visit} kind="handBack" onDone={replace} />
      )}
      {visit.mine && allows('agentCancel', visit.status) && (
        <EndVisit visit={visit} kind="cancel" onDone={replace} />
      )}
    </>
  );
}

/** One door visit for the agent: where and whom, the next step, the review at the door. */
export default function VisitPage() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  return (
    <Page className="visit">
      <AgentGate>
        <Visit id={id} />
      </AgentGate>
    </Page>
  );
}
