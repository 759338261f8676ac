import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { parseReceiptCode, type ResultMailingView, validateMobile, validatePersonName } from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { newIdempotencyKey } from '@/api/bookings';
import { addResultMailing } from '@/api/cases';
import { type ApiError, asApiError } from '@/api/errors';
import { startingAddress } from '@/booking/components/BookingForm';
import { ResidentGate } from '@/booking/components/ResidentGate';
import { ReceiptEntry, type ReceiptFields } from '@/cases/components/ReceiptEntry';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { EmptyState } from '@/components/states';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../cases.css';

type Field = 'province' | 'city' | 'county' | 'detail' | 'name' | 'phone';
type Values = Record<Field, string>;

const LABELS: Record<Field, [string, string | undefined, number]> = {
  province: ['省', undefined, 20],
  city: ['市', undefined, 20],
  county: ['区县', '如：黄埔区', 20],
  detail: ['详细地址', '街道、小区、楼栋和门牌号', 120],
  name: ['收件人', '证照寄给谁', 30],
  phone: ['手机号码', '投递员会先打这个电话', 20],
};

const length = (s: string) => [...s.trim()].length;

function check(v: Values) {
  const errors: Partial<Record<Field, string>> = {};
  const name = validatePersonName(v.name);
  const phone = validateMobile(v.phone);
  if (!v.province.trim()) errors.province = '请填写省份';
  if (!v.city.trim()) errors.city = '请填写城市';
  if (!v.county.trim()) errors.county = '请填写区县';
  if (length(v.detail) < 2) errors.detail = '请填写详细地址：街道、小区、楼栋和门牌号';
  if (!name.ok) errors.name = name.message;
  if (!phone.ok) errors.phone = phone.message;
  if (!name.ok || !phone.ok || Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    address: {
      province: v.province.trim(),
      city: v.city.trim(),
      county: v.county.trim(),
      detail: v.detail.trim(),
    },
    contact: { name: name.value, phone: phone.value },
  };
}

/** The address the result goes to, then one tap: the platform checks the applicant, the case is added. */
function MailForm({
  receipt,
  onAdded,
  onRescan,
}: {
  receipt: ReceiptFields;
  onAdded: (v: ResultMailingView) => void;
  onRescan: () => void;
}) {
  const [values, setValues] = useState<Values>({
    province: '',
    city: '',
    county: '',
    detail: '',
    name: '',
    phone: '',
  });
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [refusal, setRefusal] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ body: string; key: string }>();

  useEffect(() => {
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
  }, []);

  const checked = check(values);
  const change = (field: Field, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };
  const field = (f: Field) => {
    const [label, placeholder, maxlength] = LABELS[f];
    return (
      <FormField
        id={`mail-${f}`}
        label={label}
        value={values[f]}
        placeholder={placeholder}
        maxlength={maxlength}
        type={f === 'phone' ? 'number' : 'text'}
        message={serverErrors[f] ?? (showAll ? checked.errors[f] : undefined)}
        onInput={(v) => change(f, v)}
      />
    );
  };

  const submit = async () => {
    setShowAll(true);
    setRefusal(undefined);
    if (!checked.address || !checked.contact) return;
    const body = { ...receipt, address: checked.address, contact: checked.contact };
    const json = JSON.stringify(body);
    // A new key only when what is submitted changed; a retry of the same request reuses it.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    try {
      onAdded(await addResultMailing(body, attempt.current.key));
    } catch (e) {
      const error = asApiError(e);
      const byField: Partial<Record<Field, string>> = {};
      for (const issue of error.details) {
        const last = issue.field.split('.').at(-1) as Field;
        if (last in LABELS) byField[last] = issue.message;
      }
      setServerErrors(byField);
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="result-mail-form">
      <View className="card">
        <Text className="text-hint">办件编号</Text>
        <Text className="case-section-title" id="mail-case-number">
          {receipt.caseNumber}
        </Text>
        <Text className="text-hint">
          办结后，办理结果由EMS免费寄到下面的地址（政府买单），投递员会先电话联系您。
        </Text>
        <Button size="small" onClick={onRescan}>
          换一个办件
        </Button>
      </View>
      <View className="card">
        <Text className="case-section-title">收件地址</Text>
        {field('province')}
        {field('city')}
        {field('county')}
        {field('detail')}
      </View>
      <View className="card">
        <Text className="case-section-title">收件人</Text>
        {field('name')}
        {field('phone')}
      </View>
      {refusal && (
        <View className="notice" role="alert" id="mail-refusal">
          <Text>{refusal.message}</Text>
          {refusal.code === 'RESULT_MAILING_ALREADY_ADDED' && (
            <Button size="large" onClick={() => Taro.redirectTo({ url: routes.cases })}>
              查看我的办件
            </Button>
          )}
        </View>
      )}
      {showAll && !checked.address && (
        <View className="notice" role="alert">
          <Text>请按标红的提示修改后再提交</Text>
        </View>
      )}
      <Button block type="primary" size="large" loading={busy} onClick={submit}>
        确认邮寄
      </Button>
    </View>
  );
}

function Added({ added }: { added: ResultMailingView }) {
  return (
    <EmptyState
      title="已添加，办理结果将邮寄给您"
      text={`${added.case.matterName}（办件编号 ${added.case.caseNumber ?? ''}）：办结后由EMS寄到${added.receiver.address}，收件人${added.receiver.name} ${added.receiver.phone}。办理进度可在“我的办件”查看。`}
    >
      <Button
        type="primary"
        size="large"
        onClick={() => Taro.redirectTo({ url: withQuery(routes.caseDetail, { id: added.case.id }) })}
      >
        查看办件进度
      </Button>
    </EmptyState>
  );
}

/**
 * 单程寄递: a case applied for at a window or online, added by its acceptance receipt (the QR opens this page
 * with `q`; the H5 redirect of `/r/<办件编号>/<查询码>` too) or by its typed number, and its result mailed home.
 */
export default function ResultMailing() {
  const given = routeParam(useRouter().params, 'q');
  const scanned = given ? parseReceiptCode(given) : undefined;
  const [receipt, setReceipt] = useState<ReceiptFields | undefined>(
    scanned?.ok ? { caseNumber: scanned.caseNumber, queryCode: scanned.queryCode } : undefined,
  );
  const [added, setAdded] = useState<ResultMailingView>();

  return (
    <Page className="result-mail">
      <ResidentGate
        loginText="登录后添加在窗口或网上申请的办件，办理结果邮寄到家"
        consentText="邮寄需要填写收件地址和联系电话，同意后才能继续"
        realNameTitle="邮寄办理结果需要先实名认证"
        realNameText="只有申请人本人可以申请邮寄，请先完成实名认证，认证后回到这里继续。"
      >
        {added ? (
          <Added added={added} />
        ) : receipt ? (
          <MailForm
            key={receipt.caseNumber}
            receipt={receipt}
            onAdded={setAdded}
            onRescan={() => setReceipt(undefined)}
          />
        ) : (
          <>
            {scanned && !scanned.ok && (
              <View className="notice" role="alert">
                <Text>这个二维码不是受理单上的结果邮寄二维码，请重新扫描或手动输入。</Text>
              </View>
            )}
            <ReceiptEntry onReceipt={setReceipt} />
          </>
        )}
      </ResidentGate>
    </Page>
  );
}
