import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  type EnterpriseSizeClass,
  enterpriseSizeClasses,
  enterpriseSizeClassLabels,
  type SubsidyOfferView,
  validateBankAccount,
  validateMobile,
} from '@zyt/shared';
import { useState } from 'react';
import { confirmSubsidy, listSubsidies } from '@/api/enterprises';
import { type ApiError, asApiError } from '@/api/errors';
import { dateLabel } from '@/cases/format';
import { Chips } from '@/components/Chips';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { SubscribeCard, subsidyKinds } from '@/components/SubscribeCard';
import { ErrorState, LoadingState } from '@/components/states';
import { useLive } from '@/lib/useLive';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../enterprise.css';

type Field = 'headcount' | 'bankName' | 'bankAccount' | 'contactPhone';

/** 企业规模、参保人数、对公账户: what the enterprise confirms; the amount is the platform's. */
function ConfirmForm({
  code,
  offer,
  onConfirmed,
}: {
  code: string;
  offer: SubsidyOfferView;
  onConfirmed: (v: SubsidyOfferView) => void;
}) {
  const [size, setSize] = useState<EnterpriseSizeClass>();
  const [v, setV] = useState<Record<Field, string>>({
    headcount: '',
    bankName: '',
    bankAccount: '',
    contactPhone: '',
  });
  const [shown, setShown] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const account = validateBankAccount(v.bankAccount);
  const phone = validateMobile(v.contactPhone);
  const headcount = Number(v.headcount);
  const errors: Partial<Record<Field | 'size', string>> = {};
  if (!size) errors.size = '请选择企业规模';
  if (!Number.isInteger(headcount) || headcount < 1) errors.headcount = '请填写参保职工人数';
  if ([...v.bankName.trim()].length < 2) errors.bankName = '请填写开户银行';
  if (!account.ok) errors.bankAccount = account.message;
  if (!phone.ok) errors.contactPhone = phone.message;
  for (const issue of refusal?.details ?? []) errors[issue.field as Field] = issue.message;
  const field = (f: Field, label: string, placeholder: string, type: 'number' | 'text' = 'text') => (
    <FormField
      id={`subsidy-${f}`}
      label={label}
      value={v[f]}
      placeholder={placeholder}
      maxlength={40}
      type={type}
      message={shown ? errors[f] : undefined}
      onInput={(value) => {
        setV((old) => ({ ...old, [f]: value }));
        setRefusal(undefined);
      }}
    />
  );
  const submit = async () => {
    setShown(true);
    setRefusal(undefined);
    if (Object.keys(errors).length > 0 || !size || !account.ok || !phone.ok) return;
    setBusy(true);
    try {
      onConfirmed(
        await confirmSubsidy(code, offer.roundId, {
          sizeClass: size,
          headcount,
          bankName: v.bankName.trim(),
          bankAccount: account.value,
          contactPhone: phone.value,
        }),
      );
    } catch (e) {
      setRefusal(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card enterprise-card">
      <Text className="case-section-title">确认企业信息</Text>
      <Chips
        name="企业规模"
        options={enterpriseSizeClasses.map((s) => ({ value: s, label: enterpriseSizeClassLabels[s] }))}
        value={size}
        onChange={(s) => setSize(s)}
      />
      {shown && errors.size && <Text className="field__error">{errors.size}</Text>}
      {field('headcount', '参保职工人数', '如：48', 'number')}
      {field('bankName', '开户银行', '如：中国工商银行广州开发区支行')}
      {field('bankAccount', '对公银行账号', '补贴拨付到这个账户', 'number')}
      {field('contactPhone', '经办人手机号', '平台核对时联系您', 'number')}
      {refusal && (
        <View className="notice" role="alert" id="subsidy-refusal">
          <Text>{refusal.message}</Text>
        </View>
      )}
      <Button block type="primary" size="large" loading={busy} onClick={submit}>
        确认并申领
      </Button>
    </View>
  );
}

function Confirmed({ offer }: { offer: SubsidyOfferView }) {
  const c = offer.confirmation!;
  return (
    <View className="card enterprise-card" id="subsidy-confirmed">
      <Text className="case-section-title">已确认</Text>
      <Text className="text-hint">
        {enterpriseSizeClassLabels[c.sizeClass]}，参保{c.headcount}人，{c.bankName} {c.bankAccount}
      </Text>
      <Text className="text-hint">
        办件编号 {c.case.caseNumber ?? '提交平台后生成'}，{c.case.statusLabel}
      </Text>
      {c.payment ? (
        <Text className="enterprise-amount" id="subsidy-paid">
          已拨付 {c.payment.amountLabel}（{dateLabel(c.payment.paidOn)}）
        </Text>
      ) : (
        <Text className="text-hint">
          {c.payBy ? `资金将在${dateLabel(c.payBy)}前拨付到企业账户` : '受理后21个工作日内拨付到企业账户'}
        </Text>
      )}
      <Button
        size="small"
        onClick={() => Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: c.case.id }) })}
      >
        查看办件进度
      </Button>
    </View>
  );
}

/** 免申即享: what the platform screened for this enterprise, confirmed here; then its way to payment. */
export default function SubsidyPage() {
  const params = useRouter().params;
  const code = routeParam(params, 'code') ?? '';
  const roundId = routeParam(params, 'round') ?? '';
  const live = useLive(
    async () => (await listSubsidies(code)).items.find((o) => o.roundId === roundId),
    (o) => o?.state === 'confirmed' && !o.confirmation?.payment,
    5_000,
    [code, roundId],
  );
  const [confirmed, setConfirmed] = useState<SubsidyOfferView>();
  const offer = live.value ?? confirmed;
  if (!offer)
    return (
      <Page className="subsidy">
        {live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />}
      </Page>
    );
  return (
    <Page className="subsidy">
      <View className="card enterprise-card">
        <Text className="case-section-title">{offer.roundName}</Text>
        <Text className="enterprise-amount" id="subsidy-amount">
          {offer.amountLabel}
        </Text>
        <Text className="text-hint">计算方式：{offer.basis}</Text>
        <Text className="text-hint">政策规则：{offer.rule}</Text>
        <Text className="text-hint">确认截止：{dateLabel(offer.deadline.slice(0, 10))}</Text>
      </View>
      {offer.state === 'open' && (
        <ConfirmForm
          code={code}
          offer={offer}
          onConfirmed={(v) => {
            setConfirmed(v);
            live.refresh();
          }}
        />
      )}
      {offer.state === 'confirmed' && <Confirmed offer={offer} />}
      {offer.state !== 'closed' && <SubscribeCard kinds={subsidyKinds} />}
      {offer.state === 'closed' && (
        <View className="notice">
          <Text>这一批次的确认期限已过，不能再确认。如有疑问，请咨询政务服务中心。</Text>
        </View>
      )}
    </Page>
  );
}
