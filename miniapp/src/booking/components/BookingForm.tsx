import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  type BookingView,
  type BundleBookingInput,
  type CreateBookingBody,
  type GeoPoint,
  type MatterGuide,
  type MissingItem,
  type RebookDraft,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { createBooking, getBookingDefaults, newIdempotencyKey } from '@/api/bookings';
import { type ApiError, asApiError } from '@/api/errors';
import { FormField } from '@/components/FormField';
import { Kv } from '@/components/Kv';
import { beijingDatePlus } from '@/lib/beijingTime';
import { routes, withQuery } from '@/navigation';
import { nearestOutletRegion, type Region } from '@/outlets/location';
import { Button, Switch } from '@/ui/nutui';
import { visitTimeText, whenText } from '../format';
import { MaterialsChecklist, NextSteps } from './Guidance';
import { TimePicker, type WindowChoice } from './TimePicker';

/** Field names match the last segment of the server's `details[].field` (contact.phone → phone). */
type Field =
  | 'province'
  | 'city'
  | 'county'
  | 'detail'
  | 'name'
  | 'phone'
  | 'window'
  | 'scope'
  | 'validUntil'
  | 'note';

interface Values {
  province: string;
  city: string;
  county: string;
  detail: string;
  name: string;
  phone: string;
  note: string;
  entrust: boolean;
  scope: string;
  validUntil: string;
}

const DEFAULT_SCOPE = '代为提交申请材料、跟进办理并领取办理结果';
/**
 * The address starts empty and is filled from `startingAddress` once known: never a fixed district. Booking
 * again (e.g. after 材料不齐) starts from the earlier booking's address, contact and entrust.
 */
const initialValues = (draft?: RebookDraft): Values => ({
  province: draft?.address.province ?? '',
  city: draft?.address.city ?? '',
  county: draft?.address.county ?? '',
  detail: draft?.address.detail ?? '',
  name: draft?.contact.name ?? '',
  phone: draft?.contact.phone ?? '',
  note: '',
  entrust: !!draft?.entrust,
  scope: draft?.entrust?.scope ?? DEFAULT_SCOPE,
  validUntil:
    draft?.entrust && draft.entrust.validUntil >= beijingDatePlus(0)
      ? draft.entrust.validUntil
      : beijingDatePlus(90),
});

/**
 * Where a new booking's address starts: the resident's last address (GET /bookings/defaults); without one, the
 * region of the outlet nearest to where they are; null when neither is known (they pick the region).
 */
export async function startingAddress(): Promise<(Region & { detail?: string }) | null> {
  const last = await getBookingDefaults().then(
    (d) => d.address,
    () => null,
  );
  return last ?? nearestOutletRegion().catch(() => null);
}

const length = (s: string) => [...s.trim()].length;

/** Every field's problem, and the request body when there is none. */
function check(v: Values, time: WindowChoice | null, areaRefusal?: string) {
  const errors: Partial<Record<Field, string>> = {};
  const name = validatePersonName(v.name);
  const phone = validateMobile(v.phone);
  if (!v.province.trim()) errors.province = '请填写省份';
  if (!v.city.trim()) errors.city = '请填写城市';
  if (!v.county.trim()) errors.county = '请填写区县';
  else if (areaRefusal) errors.county = areaRefusal;
  if (length(v.detail) < 2) errors.detail = '请填写详细地址：街道、小区、楼栋和门牌号';
  else if (length(v.detail) > 120) errors.detail = '详细地址最多120个字';
  if (!name.ok) errors.name = name.message;
  if (!phone.ok) errors.phone = phone.message;
  if (!time) errors.window = '请选择上门时间';
  if (v.entrust) {
    if (length(v.scope) < 2) errors.scope = '请写明委托办理的事项';
    else if (length(v.scope) > 200) errors.scope = '委托事项最多200个字';
    if (v.validUntil < beijingDatePlus(0)) errors.validUntil = '有效期不能早于今天';
  }
  if (length(v.note) > 200) errors.note = '备注最多200个字';
  if (Object.keys(errors).length > 0 || !name.ok || !phone.ok || !time) return { errors };
  const body = (matterCode: string): CreateBookingBody => ({
    matterCode,
    address: {
      province: v.province.trim(),
      city: v.city.trim(),
      county: v.county.trim(),
      detail: v.detail.trim(),
    },
    contact: { name: name.value, phone: phone.value },
    window: time.kind === 'asap' ? { kind: 'asap' } : { kind: 'slot', slotId: time.slot.id },
    ...(v.entrust ? { entrust: { scope: v.scope.trim(), validUntil: v.validUntil } } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  });
  return { errors, body };
}

/**
 * Booking again after 材料不齐: what was missing last time, each with what the matter asks for (original or
 * copy, how many, notes), so the resident has everything ready this time.
 */
function MissingSpecs({ items, materials }: { items: MissingItem[]; materials: MatterGuide['materials'] }) {
  return (
    <View className="missing" id="rebook-missing">
      <Text className="missing__title">上次缺少的材料（请备齐）</Text>
      {items.map((item, i) => {
        const spec = materials.find((m) => m.id === item.materialId);
        return (
          <View key={item.materialId} className="missing__item">
            <Text className="missing__name">
              {i + 1}. {item.name}
            </Text>
            <Text className="missing__reason">上次：{item.reason}</Text>
            {spec && (
              <Text className="text-body">
                要求：{spec.formLabel} {spec.count} 份{spec.required ? '（必需）' : '（选交）'}
                {spec.note ? `；${spec.note}` : ''}
              </Text>
            )}
          </View>
        );
      })}
    </View>
  );
}

/** The choice in the shape the API gives it back, for the shared wording. */
const asWindow = (time: WindowChoice) =>
  time.kind === 'asap'
    ? { kind: 'asap' as const, start: null, end: null }
    : { kind: 'slot' as const, start: time.slot.start, end: time.slot.end };

/**
 * The booking itself: address and contact (checked as typed), the time, optional 委托全程代办, then a
 * confirmation screen and the submit. One Idempotency-Key per confirmed body: a retry after a network error
 * sends the same key, so the server answers with the booking it may already have made instead of a second.
 */
export function BookingForm({
  matter,
  onBooked,
  draft,
  bundle,
  children,
}: {
  /** The matter, or a bundle (一件事) shown as one: its code, name, department line and materials. */
  matter: Pick<MatterGuide, 'code' | 'name' | 'department' | 'materials'>;
  onBooked: (b: BookingView) => void;
  /** Booking again: the earlier booking to start from. */
  draft?: RebookDraft;
  /** 一件事一次办: the situation and the merged form's answers (filled in `children`), and what is still wrong. */
  bundle?: { input: BundleBookingInput; situationName: string; problems: number };
  /** Extra cards before the address (the bundle's merged form). */
  children?: ReactNode;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(draft));
  /** The county is outside the served area (said as soon as it is known, not at submit). */
  const [areaRefusal, setAreaRefusal] = useState<string>();
  const [time, setTime] = useState<WindowChoice | null>({ kind: 'asap' });
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [notice, setNotice] = useState<ApiError>();
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [busy, setBusy] = useState(false);
  const [slotsReload, setSlotsReload] = useState(0);
  const [location, setLocation] = useState<GeoPoint>();
  const [locationHint, setLocationHint] = useState<string>();

  /** 地图选点: the door on the map, so the agent can navigate to it (optional). */
  const pickLocation = async () => {
    setLocationHint(undefined);
    try {
      const picked = await Taro.chooseLocation({});
      setLocation({ lat: picked.latitude, lng: picked.longitude });
    } catch {
      setLocationHint('未能打开地图，可以不标注，专员会按地址上门');
    }
  };
  const attempt = useRef<{ body: string; key: string }>();

  // Start from the last address or the nearest outlet's region (a re-booking has its own address); never
  // overwrite what the resident typed meanwhile.
  useEffect(() => {
    if (draft) return;
    let live = true;
    startingAddress().then((start) => {
      if (!live || !start) return;
      setValues((v) => ({
        ...v,
        province: v.province || start.province,
        city: v.city || start.city,
        county: v.county || start.county,
        detail: v.detail || (start.detail ?? ''),
      }));
    });
    return () => {
      live = false;
    };
  }, [draft]);

  const checked = check(values, time, areaRefusal);
  const messageFor = (field: Field) =>
    serverErrors[field] ??
    (field === 'county' ? areaRefusal : undefined) ??
    (touched[field] || showAll ? checked.errors[field] : undefined);

  const change = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => ({ ...t, [field]: true }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };
  const chooseWindow = (choice: WindowChoice) => {
    setTime(choice);
    setServerErrors((e) => ({ ...e, window: undefined }));
  };

  const bundleBlocked = !!bundle && bundle.problems > 0;
  const toConfirm = () => {
    setShowAll(true);
    setNotice(undefined);
    if (checked.body && !bundleBlocked) {
      setStep('confirm');
      Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
    }
  };

  const submit = async () => {
    if (!checked.body) return setStep('form');
    const body = {
      ...checked.body(matter.code),
      ...(location ? { location } : {}),
      ...(bundle ? { bundle: bundle.input } : {}),
    };
    const json = JSON.stringify(body);
    // A new key only when what is submitted changed; a retry of the same booking reuses it.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    setNotice(undefined);
    try {
      onBooked(await createBooking(body, attempt.current.key));
    } catch (e) {
      const error = asApiError(e);
      const byField: Partial<Record<Field, string>> = {};
      for (const issue of error.details) {
        const field = issue.field === 'slotId' ? 'window' : issue.field;
        byField[field as Field] = issue.message;
      }
      if (error.code === 'AREA_NOT_SERVED') setAreaRefusal(error.fieldMessage('county') ?? error.message);
      if (error.code === 'SLOT_UNAVAILABLE') {
        byField.window ??= error.message;
        setTime(null);
        setSlotsReload((n) => n + 1);
      }
      setServerErrors(byField);
      setNotice(error);
      if (Object.keys(byField).length > 0 || error.code === 'VALIDATION_FAILED') setStep('form');
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: 'province' | 'city' | 'county' | 'detail' | 'name' | 'phone' | 'scope' | 'note',
    label: string,
    input: { placeholder?: string; maxlength: number; type?: 'number' | 'text' },
  ) => {
    return (
      <FormField
        id={`booking-${name}`}
        label={label}
        value={values[name]}
        message={messageFor(name)}
        placeholder={input.placeholder}
        maxlength={input.maxlength}
        type={input.type}
        onInput={(value) => change(name, value)}
      />
    );
  };

  const noticeView = notice && (
    <View className="notice" role="alert" id="booking-notice">
      <Text>{notice.message}</Text>
      {notice.details
        .filter((d) => d.field.startsWith('bundle.'))
        .map((d) => (
          <Text key={d.field}>{d.message}</Text>
        ))}
      {(notice.code === 'NETWORK' || notice.status >= 500) && step === 'confirm' && (
        <Text>可以再次点击“确认预约”重试，不会重复预约。</Text>
      )}
      {notice.code === 'REAL_NAME_REQUIRED' && (
        <Button size="large" onClick={() => Taro.navigateTo({ url: routes.identity })}>
          去实名认证
        </Button>
      )}
    </View>
  );

  const stepsBar = (
    <View className="booking-steps">
      <Text className={step === 'form' ? 'booking-steps__step--active' : ''}>1 填写信息</Text>
      <Text>›</Text>
      <Text className={step === 'confirm' ? 'booking-steps__step--active' : ''}>2 确认预约</Text>
    </View>
  );

  if (step === 'confirm' && checked.body && time) {
    const body = {
      ...checked.body(matter.code),
      ...(location ? { location } : {}),
      ...(bundle ? { bundle: bundle.input } : {}),
    };
    return (
      <View className="booking-confirm">
        {stepsBar}
        <View className="card">
          <Text className="booking-section-title">请核对预约信息</Text>
          <Kv label="办理事项" value={matter.name} />
          {bundle && <Kv label="情形" value={bundle.situationName} />}
          <Kv
            label="上门地址"
            value={`${body.address.province}${body.address.city}${body.address.county}${body.address.detail}`}
          />
          <Kv label="联系人" value={`${body.contact.name} ${body.contact.phone}`} />
          <Kv label="上门时间" value={visitTimeText(asWindow(time))} />
          {body.entrust && (
            <Kv label="委托代办" value={`${body.entrust.scope}（有效期至 ${body.entrust.validUntil}）`} />
          )}
          {body.note && <Kv label="备注" value={body.note} />}
        </View>
        {body.entrust && (
          <View className="card">
            <Text className="booking-section-title">委托全程代办</Text>
            <Text className="text-body">
              您委托政邮专员办理：{body.entrust.scope}。授权委托随预约一并记录，有效期至{' '}
              {body.entrust.validUntil}。
            </Text>
          </View>
        )}
        <NextSteps when={whenText(asWindow(time))} />
        <MaterialsChecklist materials={matter.materials} />
        {noticeView}
        <View className="actions">
          <Button block type="primary" size="large" loading={busy} onClick={submit}>
            确认预约
          </Button>
          <Button block size="large" disabled={busy} onClick={() => setStep('form')}>
            返回修改
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className="booking-form">
      {stepsBar}
      {draft && draft.missingItems.length > 0 && (
        <MissingSpecs items={draft.missingItems} materials={matter.materials} />
      )}
      <View className="card">
        <Text className="text-hint">办理事项</Text>
        <Text className="booking-section-title">{matter.name}</Text>
        <Text className="text-hint">
          {matter.department} · 材料 {matter.materials.length} 项（必需{' '}
          {matter.materials.filter((m) => m.required).length} 项）
        </Text>
      </View>

      {children}

      <View className="card">
        <Text className="booking-section-title">上门地址</Text>
        <View className="booking-row-fields">
          {field('province', '省', { maxlength: 20 })}
          {field('city', '市', { maxlength: 20 })}
        </View>
        {field('county', '区县', { placeholder: '如：黄埔区', maxlength: 20 })}
        {areaRefusal && (
          <View className="notice" role="alert" id="booking-area-notice">
            <Text>该地址暂不能上门收件。可以带齐材料到就近的邮政网点政务专窗办理（网点就近办）。</Text>
            <Button
              size="large"
              onClick={() => Taro.navigateTo({ url: withQuery(routes.outlets, { matter: matter.code }) })}
            >
              查看就近网点
            </Button>
          </View>
        )}
        {field('detail', '详细地址', { placeholder: '街道、小区、楼栋和门牌号', maxlength: 120 })}
      </View>

      <View className="card">
        <Text className="booking-section-title">联系人</Text>
        {field('name', '姓名', { placeholder: '专员上门时找谁', maxlength: 30 })}
        {field('phone', '手机号码', { placeholder: '专员会先打这个电话', maxlength: 20, type: 'number' })}
      </View>

      <View className="card">
        <Text className="booking-section-title">上门时间</Text>
        <TimePicker
          matterCode={matter.code}
          county={values.county}
          value={time}
          onChange={chooseWindow}
          error={messageFor('window')}
          reloadKey={slotsReload}
          onArea={(refusal) => setAreaRefusal(refusal ?? undefined)}
        />
      </View>

      <View className="card">
        <View className="row">
          <View className="booking-label">
            <Text className="booking-section-title">委托全程代办</Text>
            <Text className="text-hint">委托政邮专员代您提交材料、跟进办理并领取结果（选填）</Text>
          </View>
          <Switch
            className="booking-entrust-switch"
            checked={values.entrust}
            onChange={(on) => change('entrust', on)}
          />
        </View>
        {values.entrust && (
          <>
            {field('scope', '委托事项', { maxlength: 200 })}
            <View className={`field${messageFor('validUntil') ? ' field--invalid' : ''}`}>
              <Text className="field__label">委托有效期至</Text>
              <Picker
                mode="date"
                value={values.validUntil}
                start={beijingDatePlus(0)}
                end={beijingDatePlus(366)}
                onChange={(e) => change('validUntil', e.detail.value)}
              >
                <View className="field__input" id="booking-validUntil">
                  {values.validUntil}
                </View>
              </Picker>
              {messageFor('validUntil') && <Text className="field__error">{messageFor('validUntil')}</Text>}
            </View>
          </>
        )}
      </View>

      <View className="card">
        {field('note', '备注（选填）', { placeholder: '如：工作日18点后在家', maxlength: 200 })}
        <Button block size="large" id="booking-location" onClick={pickLocation}>
          {location ? '已在地图上标注位置（点此修改）' : '在地图上标注上门位置（选填，方便专员导航）'}
        </Button>
        {locationHint && <Text className="text-hint">{locationHint}</Text>}
      </View>

      {noticeView}
      {showAll && (!checked.body || bundleBlocked) && (
        <View className="notice" role="alert">
          <Text>请按标红的提示修改后再继续</Text>
        </View>
      )}
      <Button block type="primary" size="large" onClick={toConfirm}>
        下一步：确认信息
      </Button>
    </View>
  );
}
