import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  type BagConfirmation,
  type BagScanResponse,
  type ConfirmBagBody,
  type PickupWindow,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { confirmBag } from '@/api/bags';
import { getBookingDefaults, newIdempotencyKey } from '@/api/bookings';
import { type ApiError, asApiError } from '@/api/errors';
import { FormField } from '@/components/FormField';
import { Kv } from '@/components/Kv';
import { beijingClock, beijingDayLabel } from '@/lib/beijingTime';
import { Button, Checkbox, Radio } from '@/ui/nutui';
import { type BagTarget, bagTargets, initialTarget } from '../targets';
import { isBagRefusal } from './Refusal';

type Field =
  | 'target'
  | 'items'
  | 'province'
  | 'city'
  | 'county'
  | 'detail'
  | 'window'
  | 'outlet'
  | 'name'
  | 'phone';
type Handover = 'pickup' | 'outlet';

export const windowText = (w: PickupWindow) =>
  `${beijingDayLabel(w.start)} ${beijingClock(w.start)}-${beijingClock(w.end)}`;
const windowKey = (w: PickupWindow) => `${w.start}|${w.end}`;
const length = (s: string) => [...s.trim()].length;

/** What the bag carries: the case or visit, the deadline, and (a visit) what else goes in. */
export function TargetSummary({ target }: { target: BagTarget }) {
  return (
    <>
      <Text className="text-body">{target.matterName}</Text>
      <Kv label={target.numberLabel} value={target.number} />
      <Text className="bag-deadline" id="bag-deadline">
        请于 {target.sendBy} 前寄出
      </Text>
      {target.kind === 'visit' && (
        <Text className="text-hint" id="bag-visit-hint">
          上门时材料不齐的预约：寄出后开始办件，政务服务中心收齐后提交，无需重新预约。
          {target.alsoInBag.length > 0 && `上门时已核对的${target.alsoInBag.join('、')}也请一并装入。`}
        </Text>
      )}
    </>
  );
}

/** The pickup address, field by field (ids `bag-<key>`). */
const addressFields: readonly {
  key: 'province' | 'city' | 'county' | 'detail';
  label: string;
  placeholder?: string;
  maxlength: number;
}[] = [
  { key: 'province', label: '省份', maxlength: 20 },
  { key: 'city', label: '城市', maxlength: 20 },
  { key: 'county', label: '区县', maxlength: 20 },
  { key: 'detail', label: '详细地址', placeholder: '街道、小区、楼栋和门牌号', maxlength: 120 },
];

/**
 * 替你跑, the resident's form: which case (an unbound bag), what goes into the bag, free EMS pickup at an
 * address and window or a drop at an outlet, the sender's contact; then one confirm screen and one submit.
 */
export function SendForm({
  code,
  scan,
  preferredCaseId,
  preferredBookingId,
  onSent,
  onRefused,
  onStale,
}: {
  code: string;
  scan: BagScanResponse;
  /** The case the person came from (case page), chosen first when the bag can carry it. */
  preferredCaseId?: string;
  /** The incomplete visit the person came from (booking page), chosen first when the bag can carry it. */
  preferredBookingId?: string;
  onSent: (confirmation: BagConfirmation) => void;
  /** A refusal that ends this bag's form (used meanwhile, expired, deadline passed…). */
  onRefused: (error: ApiError) => void;
  /** The options changed on the server (a window filled up, the list changed): fetch them again. */
  onStale: () => void;
}) {
  const targets = bagTargets(scan);
  const [targetKey, setTargetKey] = useState(() =>
    initialTarget(targets, { caseId: preferredCaseId, bookingId: preferredBookingId }),
  );
  const chosen = targets.find((c) => c.key === targetKey);
  const [ticked, setTicked] = useState<string[]>([]);
  const [handover, setHandover] = useState<Handover>(scan.pickupWindows.length > 0 ? 'pickup' : 'outlet');
  const [windowChoice, setWindowChoice] = useState<string>();
  const [outletId, setOutletId] = useState<string>();
  const [address, setAddress] = useState({ province: '', city: '', county: '', detail: '' });
  const [contact, setContact] = useState({ name: '', phone: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const attempt = useRef<{ body: string; key: string }>();

  // The pickup address starts from the resident's last booking, if any (only they see it in full).
  useEffect(() => {
    getBookingDefaults()
      .then((d) => {
        if (d.address) setAddress((a) => (a.detail || a.county ? a : d.address!));
      })
      .catch(() => undefined);
  }, []);

  const pickupWindow = scan.pickupWindows.find((w) => windowKey(w) === windowChoice);
  const outlet = scan.outlets.find((o) => o.id === outletId);

  function check(): { body?: ConfirmBagBody; errors: Partial<Record<Field, string>> } {
    const e: Partial<Record<Field, string>> = {};
    const name = validatePersonName(contact.name);
    const phone = validateMobile(contact.phone);
    if (!chosen) e.target = '请选择这个快递袋要寄送材料的办件或上门预约';
    else if (ticked.length === 0) e.items = '请勾选装进快递袋的材料';
    if (handover === 'pickup') {
      if (!address.province.trim()) e.province = '请填写省份';
      if (!address.city.trim()) e.city = '请填写城市';
      if (!address.county.trim()) e.county = '请填写区县';
      if (length(address.detail) < 2) e.detail = '请填写详细地址：街道、小区、楼栋和门牌号';
      else if (length(address.detail) > 120) e.detail = '详细地址最多120个字';
      if (!pickupWindow) e.window = '请选择上门揽收时段';
    } else if (!outlet) e.outlet = '请选择要投递的网点';
    if (!name.ok) e.name = name.message;
    if (!phone.ok) e.phone = phone.message;
    if (Object.keys(e).length > 0 || !chosen || !name.ok || !phone.ok) return { errors: e };
    return {
      errors: e,
      body: {
        ...chosen.body,
        items: chosen.items.filter((i) => ticked.includes(i.id)).map((i) => i.id),
        contact: { name: name.value, phone: phone.value },
        handover:
          handover === 'pickup' && pickupWindow
            ? {
                kind: 'pickup',
                address: {
                  province: address.province.trim(),
                  city: address.city.trim(),
                  county: address.county.trim(),
                  detail: address.detail.trim(),
                },
                window: { start: pickupWindow.start, end: pickupWindow.end },
              }
            : { kind: 'outlet', outletId: outlet?.id ?? '' },
      },
    };
  }

  const toConfirm = () => {
    const checked = check();
    setErrors(checked.errors);
    if (!checked.body) {
      setNotice('请按标红的提示修改后再继续');
      return;
    }
    setNotice(undefined);
    setStep('confirm');
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
  };

  const submit = async () => {
    const { body } = check();
    if (!body) return setStep('form');
    const json = JSON.stringify(body);
    // A new key only when what is sent changed; a retry of the same confirm reuses it.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    setNotice(undefined);
    try {
      onSent(await confirmBag(code, body, attempt.current.key));
    } catch (e) {
      const error = asApiError(e);
      if (isBagRefusal(error)) return onRefused(error);
      const byField: Partial<Record<Field, string>> = {};
      for (const issue of error.details) byField[issue.field as Field] = issue.message;
      if (error.code === 'PICKUP_WINDOW_UNAVAILABLE') {
        byField.window = error.message;
        setWindowChoice(undefined);
        onStale();
      }
      if (error.code === 'BAG_ITEMS_UNKNOWN') {
        byField.items = error.message;
        setTicked([]);
        onStale();
      }
      if (error.code === 'BAG_TARGET_AMBIGUOUS') byField.target = error.message;
      if (error.code === 'VISIT_ITEMS_REQUIRED') byField.items = error.message;
      setErrors(byField);
      setNotice(error.message);
      if (Object.keys(byField).length > 0) setStep('form');
    } finally {
      setBusy(false);
    }
  };

  if (targets.length === 0) return null;

  if (step === 'confirm' && chosen) {
    const inBag = chosen.items.filter((i) => ticked.includes(i.id));
    const left = chosen.items.filter((i) => !ticked.includes(i.id));
    return (
      <>
        <View className="card">
          <Text className="text-title">请核对后寄出</Text>
          <TargetSummary target={chosen} />
          <Kv label="快递袋" value={code} />
        </View>
        <View className="card" id="bag-confirm-items">
          <Text className="bag-section-title">袋内材料（{inBag.length} 项）</Text>
          {inBag.map((item, i) => (
            <Text key={item.id} className="text-body">
              {i + 1}. {item.name}
              {item.specification ? `（${item.specification}）` : ''}
            </Text>
          ))}
          {left.length > 0 && (
            <View className="notice" role="alert">
              <Text>
                未装入的 {left.length} 项（{left.map((i) => i.name).join('、')}
                ）仍需在期限前补交，可另用一个快递袋寄送。
              </Text>
            </View>
          )}
        </View>
        <View className="card">
          <Text className="bag-section-title">交寄方式</Text>
          {handover === 'pickup' && pickupWindow ? (
            <>
              <Kv label="EMS 免费上门揽收" value={windowText(pickupWindow)} />
              <Kv
                label="揽收地址"
                value={`${address.province}${address.city}${address.county}${address.detail}`}
              />
            </>
          ) : (
            outlet && (
              <>
                <Kv label="投递网点" value={outlet.name} />
                <Kv label="网点地址" value={outlet.address} />
                <Kv label="营业时间" value={outlet.hours} />
              </>
            )
          )}
          <Kv label="寄件人" value={`${contact.name.trim()} ${contact.phone.trim()}`} />
          <Text className="text-hint">邮费由政府承担，您无需付费。</Text>
        </View>
        {notice && (
          <View className="notice" role="alert">
            <Text>{notice}</Text>
          </View>
        )}
        <View className="actions">
          <Button block type="primary" size="large" loading={busy} onClick={submit}>
            确认寄出
          </Button>
          <Button block size="large" disabled={busy} onClick={() => setStep('form')}>
            返回修改
          </Button>
        </View>
      </>
    );
  }

  return (
    <>
      {!scan.supplement && targets.length > 1 && (
        <View className="card" id="bag-cases">
          <Text className="bag-section-title">这个快递袋寄哪个办件的材料？</Text>
          {errors.target && <Text className="field__error">{errors.target}</Text>}
          <Radio.Group
            value={targetKey}
            onChange={(value) => {
              setTargetKey(String(value));
              setTicked([]);
            }}
          >
            <View className="bag-options">
              {targets.map((c) => (
                <Radio key={c.key} value={c.key}>
                  {c.kind === 'visit' ? '上门材料不齐：' : ''}
                  {c.matterName}（{c.items.length} 项，{c.sendBy}前）
                </Radio>
              ))}
            </View>
          </Radio.Group>
        </View>
      )}

      {chosen && (
        <View className="card" id="bag-items">
          <TargetSummary target={chosen} />
          <Text className="bag-section-title">需要补交 {chosen.items.length} 项，请勾选装进快递袋的材料</Text>
          {errors.items && (
            <Text className="field__error" id="bag-items-error">
              {errors.items}
            </Text>
          )}
          {chosen.items.map((item) => (
            <View key={item.id} className="bag-item">
              <Checkbox
                checked={ticked.includes(item.id)}
                label={item.name}
                onChange={(on) =>
                  setTicked((t) =>
                    on ? [...t.filter((x) => x !== item.id), item.id] : t.filter((x) => x !== item.id),
                  )
                }
              />
              {item.specification && <Text className="bag-item__detail">规格：{item.specification}</Text>}
              <Text className="bag-item__detail">{item.reason}</Text>
            </View>
          ))}
        </View>
      )}

      <View className="card" id="bag-handover">
        <Text className="bag-section-title">怎么寄</Text>
        <Radio.Group value={handover} onChange={(value) => setHandover(value as Handover)}>
          <View className="bag-options">
            {scan.pickupWindows.length > 0 && <Radio value="pickup">EMS 免费上门揽收</Radio>}
            {scan.outlets.length > 0 && <Radio value="outlet">自己送到邮政网点</Radio>}
          </View>
        </Radio.Group>
        <Text className="text-hint">两种方式都免费，邮费由政府承担。</Text>
      </View>

      {handover === 'pickup' ? (
        <View className="card" id="bag-pickup">
          <Text className="bag-section-title">揽收地址和时段</Text>
          {addressFields.map((f) => (
            <FormField
              key={f.key}
              id={`bag-${f.key}`}
              label={f.label}
              placeholder={f.placeholder}
              value={address[f.key]}
              message={errors[f.key]}
              maxlength={f.maxlength}
              onInput={(value) => setAddress((a) => ({ ...a, [f.key]: value }))}
            />
          ))}
          <Text className="field__label">上门揽收时段</Text>
          {errors.window && (
            <Text className="field__error" id="bag-window-error">
              {errors.window}
            </Text>
          )}
          <Radio.Group value={windowChoice} onChange={(value) => setWindowChoice(String(value))}>
            <View className="bag-options">
              {scan.pickupWindows.map((w) => (
                <Radio key={windowKey(w)} value={windowKey(w)}>
                  {windowText(w)}
                </Radio>
              ))}
            </View>
          </Radio.Group>
        </View>
      ) : (
        <View className="card" id="bag-outlets">
          <Text className="bag-section-title">选择投递网点</Text>
          {errors.outlet && <Text className="field__error">{errors.outlet}</Text>}
          <Radio.Group value={outletId} onChange={(value) => setOutletId(String(value))}>
            <View className="bag-options">
              {scan.outlets.map((o) => (
                <View key={o.id}>
                  <Radio value={o.id}>{o.name}</Radio>
                  <Text className="bag-option__hint">
                    {o.address} · {o.hours} · {o.phone}
                  </Text>
                </View>
              ))}
            </View>
          </Radio.Group>
        </View>
      )}

      <View className="card">
        <Text className="bag-section-title">寄件人</Text>
        <Text className="text-hint">揽收员和政务服务中心有问题时会联系这个电话。</Text>
        <FormField
          id="bag-name"
          label="姓名"
          value={contact.name}
          message={errors.name}
          maxlength={30}
          onInput={(name) => setContact((c) => ({ ...c, name }))}
        />
        <FormField
          id="bag-phone"
          label="手机号码"
          type="number"
          value={contact.phone}
          message={errors.phone}
          maxlength={11}
          onInput={(phone) => setContact((c) => ({ ...c, phone }))}
        />
      </View>

      {notice && (
        <View className="notice" role="alert">
          <Text>{notice}</Text>
        </View>
      )}
      <View className="actions">
        <Button block type="primary" size="large" onClick={toConfirm}>
          下一步：核对寄件信息
        </Button>
      </View>
    </>
  );
}
