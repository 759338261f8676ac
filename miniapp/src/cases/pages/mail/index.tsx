import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { parseReceiptCode, type ResultMailingView } from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { newIdempotencyKey } from '@/api/bookings';
import { addResultMailing } from '@/api/cases';
import { type ApiError, asApiError } from '@/api/errors';
import { startingAddress } from '@/booking/components/BookingForm';
import { ResidentGate } from '@/booking/components/ResidentGate';
import { ReceiptEntry, type ReceiptFields } from '@/cases/components/ReceiptEntry';
import {
  checkMailingValues,
  MAILING_FIELDS,
  type MailingErrors,
  type MailingField,
  type MailingValues,
} from '@/cases/mailingForm';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { EmptyState } from '@/components/states';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../cases.css';

function MailForm({
  receipt,
  onAdded,
  onRescan,
}: {
  receipt: ReceiptFields;
  onAdded: (v: ResultMailingView) => void;
  onRescan: () => void;
}) {
  const [values, setValues] = useState<MailingValues>({
    province: '',
    city: '',
    county: '',
    detail: '',
    name: '',
    phone: '',
  });
  const [showAll, setShowAll] = useState(false);
  const [serverErrors, setServerErrors] = useState<MailingErrors>({});
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

  const checked = checkMailingValues(values);
  const change = (field: MailingField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  };
  const field = (f: MailingField) => {
    const [label, placeholder, maxlength] = MAILING_FIELDS[f];
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
    if (!checked.mailing) return;
    const body = { ...receipt, ...checked.mailing };
    const json = JSON.stringify(body);
    // A new key only when what is submitted changed; a retry of the same request reuses it.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    try {
      onAdded(await addResultMailing(body, attempt.current.key));
    } catch (e) {
      const error = asApiError(e);
      const byField: MailingErrors = {};
      for (const issue of error.details) {
        const last = issue.field.split('.').at(-1) as MailingField;
        if (last in MAILING_FIELDS) byField[last] = issue.message;
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
      {showAll && !checked.mailing && (
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
