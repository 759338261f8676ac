import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  type Address,
  type ClaimChannel,
  type ClaimRoundView,
  claimAmount,
  claimChannelLabels,
  claimChannels,
  type SubsidyClaimBody,
  type SubsidyClaimView,
  validateBankAccount,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { useRef, useState } from 'react';
import { newIdempotencyKey } from '@/api/bookings';
import { createClaim, getClaimRound, getEnterprise } from '@/api/enterprises';
import { type ApiError, asApiError } from '@/api/errors';
import { dateLabel } from '@/cases/format';
import { Chips } from '@/components/Chips';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLive } from '@/lib/useLive';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../enterprise.css';

type Field =
  | 'lastYear'
  | 'headcount'
  | 'bankName'
  | 'bankAccount'
  | 'contactName'
  | 'contactPhone'
  | 'province'
  | 'city'
  | 'county'
  | 'detail';

/** ¥ as typed (up to two decimals) in fen; undefined when it is not an amount. */
export function yuanToFen(input: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}

/** The registry's one-line address split where it can be (广东省广州市黄埔区…); the clerk corrects the rest. */
export function splitAddress(line: string): Address {
  const m =
    /^(.+?省|.+?自治区|北京市|天津市|上海市|重庆市)?(.+?市|.+?自治州|.+?地区)?(.+?[区县旗市])?(.*)$/.exec(
      line.trim(),
    );
  return {
    province: m?.[1] ?? '',
    city: m?.[2] ?? m?.[1] ?? '',
    county: m?.[3] ?? '',
    detail: m?.[4] ?? line,
  };
}

const channelHints: Record<ClaimChannel, string> = {
  ems_pickup: 'EMS快递员到企业地址上门取件，寄往政务服务中心，邮费由政府承担。',
  door_visit: '政邮专员上门核对材料并收件，再由EMS寄往政务服务中心。',
  self_post:
    '企业自行寄出材料：提交后得到封面单编号，写在信封正面（也可打印封面单贴上），中心收到后登记编号。',
};

function ClaimForm({
  code,
  round,
  address,
  onClaimed,
}: {
  code: string;
  round: ClaimRoundView;
  address: string;
  onClaimed: (v: ClaimRoundView) => void;
}) {
  const start = splitAddress(address);
  const [channel, setChannel] = useState<ClaimChannel>();
  const [v, setV] = useState<Record<Field, string>>({
    lastYear: '',
    headcount: '',
    bankName: '',
    bankAccount: '',
    contactName: '',
    contactPhone: '',
    ...start,
  });
  const [shown, setShown] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ body: string; key: string }>();
  const lastYearFen = yuanToFen(v.lastYear);
  const account = validateBankAccount(v.bankAccount);
  const name = validatePersonName(v.contactName);
  const phone = validateMobile(v.contactPhone);
  const headcount = Number(v.headcount);
  const errors: Partial<Record<Field | 'channel', string>> = {};
  if (!lastYearFen) errors.lastYear = '请填写上年度获得的稳岗补贴金额（元）';
  if (!Number.isInteger(headcount) || headcount < 1) errors.headcount = '请填写参保职工人数';
  if ([...v.bankName.trim()].length < 2) errors.bankName = '请填写开户银行';
  if (!account.ok) errors.bankAccount = account.message;
  if (!name.ok) errors.contactName = name.message;
  if (!phone.ok) errors.contactPhone = phone.message;
  for (const f of ['province', 'city', 'county'] as const) if (!v[f].trim()) errors[f] = '请填写';
  if ([...v.detail.trim()].length < 2) errors.detail = '请填写详细地址';
  if (!channel) errors.channel = '请选择材料寄送方式';
  const issueField: Record<string, Field> = {
    'contact.name': 'contactName',
    'contact.phone': 'contactPhone',
    'address.county': 'county',
  };
  for (const issue of refusal?.details ?? [])
    errors[issueField[issue.field] ?? (issue.field as Field)] = issue.message;
  const working = lastYearFen ? claimAmount({ lastYearFen, ratePercent: round.ratePercent }) : undefined;

  const field = (f: Field, label: string, placeholder: string, type: 'number' | 'text' = 'text') => (
    <FormField
      id={`claim-${f}`}
      label={label}
      value={v[f]}
      placeholder={placeholder}
      maxlength={f === 'detail' ? 120 : 40}
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
    if (Object.keys(errors).length > 0 || !channel || !lastYearFen || !account.ok || !name.ok || !phone.ok)
      return;
    const body: SubsidyClaimBody = {
      lastYearFen,
      headcount,
      bankName: v.bankName.trim(),
      bankAccount: account.value,
      contact: { name: name.value, phone: phone.value },
      address: {
        province: v.province.trim(),
        city: v.city.trim(),
        county: v.county.trim(),
        detail: v.detail.trim(),
      },
      channel,
    };
    const json = JSON.stringify(body);
    // A new key only when what is sent changed: a retry of the same claim never makes two.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    try {
      onClaimed(await createClaim(code, round.roundId, body, attempt.current.key));
    } catch (e) {
      setRefusal(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card enterprise-card" id="claim-form">
      <Text className="case-section-title">填写申领信息</Text>
      {field('lastYear', '上年度稳岗补贴（元）', '按到账凭证填写，如：20000', 'text')}
      <Text className="enterprise-amount" id="claim-amount">
        {working ? `可申领 ${working.working.split(' = ')[1]}` : `按上年度补贴的${round.ratePercent}%计算`}
      </Text>
      {working && (
        <Text className="text-hint" id="claim-working">
          计算方式：{working.working}
        </Text>
      )}
      {field('headcount', '参保职工人数', '如：36', 'number')}
      {field('bankName', '开户银行', '如：中国建设银行广州开发区支行')}
      {field('bankAccount', '对公银行账号', '补贴拨付到这个账户', 'number')}
      {field('contactName', '经办人姓名', '平台核对时联系您')}
      {field('contactPhone', '经办人手机号', '11位手机号', 'number')}
      <Text className="case-section-title">材料寄送方式</Text>
      <Chips
        name="材料寄送方式"
        options={claimChannels.map((c) => ({ value: c, label: claimChannelLabels[c] }))}
        value={channel}
        onChange={(c) => {
          setChannel(c);
          setRefusal(undefined);
        }}
      />
      {channel && <Text className="text-hint">{channelHints[channel]}</Text>}
      {shown && errors.channel && <Text className="field__error">{errors.channel}</Text>}
      <Text className="text-hint">企业地址（取件、上门地址，并据此确定受理的政务服务中心）</Text>
      {field('province', '省', '如：广东省')}
      {field('city', '市', '如：广州市')}
      {field('county', '区县', '如：黄埔区')}
      {field('detail', '详细地址', '街道、门牌、楼层')}
      {refusal && (
        <View className="notice" role="alert" id="claim-refusal">
          <Text>{refusal.message}</Text>
        </View>
      )}
      <Button block type="primary" size="large" loading={busy} onClick={submit}>
        提交申领
      </Button>
    </View>
  );
}

/** 封面单: printed (or copied by hand) and put on the envelope; the centre enters its code on arrival. */
function CoverSheet({
  claim,
  enterprise,
  round,
}: {
  claim: SubsidyClaimView;
  enterprise: string;
  round: ClaimRoundView;
}) {
  const sheet = claim.coverSheet!;
  return (
    <View className="card enterprise-card enterprise-cover" id="claim-cover-sheet">
      <Text className="case-section-title">申领材料封面单</Text>
      <Text className="enterprise-cover__code" id="claim-cover-code">
        {sheet.codeLabel}
      </Text>
      <Text className="text-hint">寄：{sheet.centre.name}</Text>
      <Text className="text-hint">地址：{sheet.centre.address}</Text>
      {sheet.centre.phone && <Text className="text-hint">电话：{sheet.centre.phone}</Text>}
      <Text className="text-hint">申领企业：{enterprise}</Text>
      <Text className="text-hint">事项：{round.matterName}</Text>
      <Text className="text-hint">
        请将本页打印（或在信封上抄写封面单编号）贴在信封正面，与申领材料一起寄出；中心收到后登记编号，即提交办件。
      </Text>
    </View>
  );
}

function Claimed({ round, enterprise }: { round: ClaimRoundView; enterprise: string }) {
  const c = round.claim!;
  return (
    <>
      <View className="card enterprise-card" id="claim-made">
        <Text className="case-section-title">已申领：{c.channelLabel}</Text>
        <Text className="enterprise-amount">申领 {c.working.split(' = ')[1]}</Text>
        <Text className="text-hint">计算方式：{c.working}</Text>
        <Text className="text-hint">
          参保{c.headcount}人，{c.bankName} {c.bankAccount}
        </Text>
        <Text className="text-hint" id="claim-state">
          材料：{c.stateLabel}
          {c.waybillNo ? `（运单号 ${c.waybillNo}）` : ''}
          {c.bookingNumber ? `（上门预约号 ${c.bookingNumber}）` : ''}
        </Text>
        <Text className="text-hint">
          {c.case.caseNumber
            ? `办件编号 ${c.case.caseNumber}，${c.case.statusLabel}`
            : `办件：${c.case.statusLabel}（提交政务服务平台后生成办件编号）`}
        </Text>
        <Text className="text-hint">受理后21个工作日内拨付到企业账户</Text>
        <Button
          size="small"
          onClick={() => Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: c.case.id }) })}
        >
          查看办件进度
        </Button>
      </View>
      {c.coverSheet && c.state === 'awaiting_materials' && (
        <CoverSheet claim={c} enterprise={enterprise} round={round} />
      )}
    </>
  );
}

/** 邮寄申领: for a round this enterprise is not screened for — the form with its working, checklist and channel. */
export default function ClaimPage() {
  const params = useRouter().params;
  const code = routeParam(params, 'code') ?? '';
  const roundId = routeParam(params, 'round') ?? '';
  const live = useLive(
    async () => {
      const [round, enterprise] = await Promise.all([getClaimRound(code, roundId), getEnterprise(code)]);
      return { round, enterprise };
    },
    (v) => v.round.state === 'claimed' && !v.round.claim?.case.caseNumber,
    10_000,
    [code, roundId],
  );
  const [claimed, setClaimed] = useState<ClaimRoundView>();
  // What the server says now once it has the claim; until then what the submit answered.
  const round = (live.value?.round.claim ? live.value.round : claimed) ?? live.value?.round;
  const enterprise = live.value?.enterprise;
  if (!round || !enterprise)
    return (
      <Page className="claim">
        {live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />}
      </Page>
    );
  return (
    <Page className="claim">
      <View className="card enterprise-card">
        <Text className="case-section-title">{round.roundName}</Text>
        <Text className="text-hint">政策规则：{round.rule}</Text>
        <Text className="text-hint">事项：{round.matterName}</Text>
        <Text className="text-hint">申领截止：{dateLabel(round.deadline.slice(0, 10))}</Text>
      </View>
      <View className="card enterprise-card" id="claim-checklist">
        <Text className="case-section-title">申领材料清单</Text>
        {round.materials.map((m) => (
          <Text key={m.id} className="text-hint">
            {m.required ? '【必交】' : '【如有】'}
            {m.name}（{m.formLabel}
            {m.count > 1 ? ` ${m.count}份` : ''}）{m.note ? `：${m.note}` : ''}
          </Text>
        ))}
      </View>
      {round.state === 'open' && (
        <ClaimForm
          code={code}
          round={round}
          address={enterprise.address}
          onClaimed={(v) => {
            setClaimed(v);
            live.refresh();
          }}
        />
      )}
      {round.state === 'claimed' && <Claimed round={round} enterprise={enterprise.enterpriseName} />}
      {round.state === 'closed' && (
        <View className="notice">
          <Text>这一批次的申领期限已过，不能再申领。如有疑问，请咨询政务服务中心。</Text>
        </View>
      )}
    </Page>
  );
}
