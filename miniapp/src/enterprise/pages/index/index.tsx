import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import {
  type BindEnterpriseResponse,
  type ClaimRoundView,
  type EnterpriseBindingView,
  enterpriseRoleLabels,
  type SubsidyOfferView,
  validateCreditCode,
} from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { bindEnterprise, listBindings, listClaimRounds, listSubsidies } from '@/api/enterprises';
import { type ApiError, asApiError } from '@/api/errors';
import { ResidentGate } from '@/booking/components/ResidentGate';
import { dateLabel } from '@/cases/format';
import { FormField } from '@/components/FormField';
import { Page } from '@/components/Page';
import { memberDecisionKinds, SubscribeCard } from '@/components/SubscribeCard';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { currentEnterprise } from '@/enterprise/current';
import { useLive } from '@/lib/useLive';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import '../../enterprise.css';

/** 企业绑定 by credit code: the legal representative is bound at once; anyone else waits for the admin. */
function BindCard({ onBound }: { onBound: (r: BindEnterpriseResponse) => void }) {
  const [code, setCode] = useState('');
  const [shown, setShown] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const checked = validateCreditCode(code);
  const submit = async () => {
    setShown(true);
    setRefusal(undefined);
    if (!checked.ok) return;
    setBusy(true);
    try {
      onBound(await bindEnterprise(checked.value));
      setCode('');
      setShown(false);
    } catch (e) {
      setRefusal(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card enterprise-card">
      <Text className="case-section-title">绑定企业</Text>
      <Text className="text-hint">
        输入营业执照上的统一社会信用代码。法定代表人本人绑定后即为企业管理员；经办人提交申请，由管理员在小程序中审批。
      </Text>
      <FormField
        id="enterprise-credit-code"
        label="统一社会信用代码"
        value={code}
        placeholder="18位，如 91440112MA5CKP3R7X"
        maxlength={24}
        message={shown && !checked.ok ? checked.message : undefined}
        onInput={(v) => setCode(v.toUpperCase())}
      />
      {checked.ok && checked.warning && <Text className="text-hint">{checked.warning}</Text>}
      {refusal && (
        <View className="notice" role="alert" id="enterprise-bind-refusal">
          <Text>{refusal.message}</Text>
        </View>
      )}
      <Button block type="primary" size="large" loading={busy} onClick={submit}>
        绑定企业
      </Button>
    </View>
  );
}

function BindingItem({
  b,
  current,
  onSwitch,
}: {
  b: EnterpriseBindingView;
  current: boolean;
  onSwitch: () => void;
}) {
  return (
    <View className="card enterprise-card enterprise-binding" id={`binding-${b.creditCode}`}>
      <View className="row">
        <Text className="case-section-title">{b.enterpriseName}</Text>
        <Tag type={b.status === 'active' ? 'success' : b.status === 'pending' ? 'warning' : 'default'}>
          {b.status === 'active' ? enterpriseRoleLabels[b.role] : b.statusLabel}
        </Tag>
      </View>
      <Text className="text-hint">统一社会信用代码 {b.creditCode}</Text>
      <Text className="text-hint">法定代表人 {b.legalRepresentative}</Text>
      {b.status === 'pending' && (
        <Text className="text-hint">已提交申请，等待企业管理员（法定代表人）审批</Text>
      )}
      {b.status === 'active' &&
        (current ? (
          <Text className="text-hint">当前办事企业</Text>
        ) : (
          <Button size="small" onClick={onSwitch}>
            切换到此企业
          </Button>
        ))}
    </View>
  );
}

function OfferItem({ code, offer }: { code: string; offer: SubsidyOfferView }) {
  const open = () => Taro.navigateTo({ url: withQuery(routes.subsidy, { code, round: offer.roundId }) });
  const paid = offer.confirmation?.payment;
  return (
    <View className="card enterprise-card enterprise-offer" onClick={open}>
      <Text className="case-section-title">{offer.roundName}</Text>
      <Text className="enterprise-amount">{paid ? `已拨付 ${paid.amountLabel}` : offer.amountLabel}</Text>
      <Text className="text-hint">{offer.basis}</Text>
      <Text className="text-hint">
        {offer.state === 'open'
          ? `请在${dateLabel(offer.deadline.slice(0, 10))}前确认`
          : offer.state === 'confirmed'
            ? `已确认，办件${offer.confirmation?.case.statusLabel ?? ''}`
            : '确认期限已过'}
      </Text>
      <Button size="small" type={offer.state === 'open' ? 'primary' : 'default'} onClick={open}>
        {offer.state === 'open' ? '去确认' : '查看进度'}
      </Button>
    </View>
  );
}

function ClaimItem({ code, round }: { code: string; round: ClaimRoundView }) {
  const open = () => Taro.navigateTo({ url: withQuery(routes.claim, { code, round: round.roundId }) });
  return (
    <View
      className="card enterprise-card enterprise-claim"
      id={`claim-round-${round.roundId}`}
      onClick={open}
    >
      <Text className="case-section-title">{round.roundName}</Text>
      <Text className="text-hint">{round.rule}</Text>
      <Text className="text-hint">
        {round.state === 'open'
          ? `本企业不在免申即享名单中，可在${dateLabel(round.deadline.slice(0, 10))}前邮寄申领`
          : round.state === 'claimed'
            ? `已申领，${round.claim?.stateLabel ?? ''}`
            : '申领期限已过'}
      </Text>
      <Button size="small" type={round.state === 'open' ? 'primary' : 'default'} onClick={open}>
        {round.state === 'open' ? '去申领' : '查看进度'}
      </Button>
    </View>
  );
}

/** 邮寄申领: rounds the screening left this enterprise off, claimable with materials. */
function ClaimRounds({ code }: { code: string }) {
  const live = useLive(
    () => listClaimRounds(code),
    (v) => v.items.some((r) => r.state === 'claimed' && !r.claim?.case.caseNumber),
    15_000,
    [code],
  );
  if (!live.value || live.value.items.length === 0) return null;
  return (
    <>
      <Text className="case-section-title">邮寄申领</Text>
      {live.value.items.map((r) => (
        <ClaimItem key={r.roundId} code={code} round={r} />
      ))}
    </>
  );
}

/** The enterprise acted for now: what it may get (免申即享) and, for its admin, the people. */
function CurrentEnterprise({ binding }: { binding: EnterpriseBindingView }) {
  const live = useLive(
    () => listSubsidies(binding.creditCode),
    (v) => v.items.some((o) => o.state === 'confirmed' && !o.confirmation?.payment),
    15_000,
    [binding.creditCode],
  );
  return (
    <View className="enterprise-current">
      <View className="card enterprise-card">
        <Text className="case-section-title">当前企业：{binding.enterpriseName}</Text>
        <Text className="text-hint">您的身份：{enterpriseRoleLabels[binding.role]}</Text>
        {binding.role === 'admin' && (
          <Button
            size="small"
            onClick={() =>
              Taro.navigateTo({ url: withQuery(routes.enterpriseMembers, { code: binding.creditCode }) })
            }
          >
            管理经办人
          </Button>
        )}
      </View>
      <Text className="case-section-title">免申即享</Text>
      {!live.value ? (
        live.error ? (
          <ErrorState message={live.error.message} onRetry={live.refresh} />
        ) : (
          <LoadingState />
        )
      ) : live.value.items.length === 0 ? (
        <EmptyState
          title="暂无可确认的补贴"
          text="平台发布免申即享名单后，本企业在名单中的补贴会显示在这里"
        />
      ) : (
        live.value.items.map((o) => <OfferItem key={o.roundId} code={binding.creditCode} offer={o} />)
      )}
      <ClaimRounds code={binding.creditCode} />
    </View>
  );
}

function Enterprises() {
  const live = useLive(listBindings, (v) => v.items.some((b) => b.status === 'pending'), 15_000, []);
  const chosen = currentEnterprise.use();
  // A subscribe message (审批结果, 补贴提醒) opens the page on its enterprise.
  const linked = routeParam(useRouter().params, 'code');
  useEffect(() => {
    if (linked) currentEnterprise.set(linked.toUpperCase());
  }, [linked]);
  const [bound, setBound] = useState<BindEnterpriseResponse>();
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) live.refresh();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    live.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  if (!live.value)
    return live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />;
  const active = live.value.items.filter((b) => b.status === 'active');
  const current = active.find((b) => b.creditCode === chosen) ?? active[0];
  return (
    <>
      {bound && (
        <View className="notice" role="status" id="enterprise-bound">
          <Text>
            {bound.binding.status === 'active'
              ? `您是${bound.binding.enterpriseName}的法定代表人，已绑定为企业管理员。`
              : `已向${bound.binding.enterpriseName}的管理员提交绑定申请，审批通过后即可为企业办事。`}
            {bound.warning ? `（${bound.warning}）` : ''}
          </Text>
        </View>
      )}
      {current && <CurrentEnterprise key={current.creditCode} binding={current} />}
      <Text className="case-section-title">我的企业</Text>
      {live.value.items.length === 0 && <Text className="text-hint">还没有绑定企业</Text>}
      {live.value.items.some((b) => b.status === 'pending') && <SubscribeCard kinds={memberDecisionKinds} />}
      {live.value.items.map((b) => (
        <BindingItem
          key={b.id}
          b={b}
          current={b.creditCode === current?.creditCode && b.status === 'active'}
          onSwitch={() => currentEnterprise.set(b.creditCode)}
        />
      ))}
      <BindCard
        onBound={(r) => {
          setBound(r);
          if (r.binding.status === 'active') currentEnterprise.set(r.binding.creditCode);
          live.refresh();
        }}
      />
    </>
  );
}

/** 企业办事: the enterprises a person acts for, switching between them, and binding a new one. */
export default function EnterpriseHome() {
  return (
    <Page className="enterprise">
      <ResidentGate
        loginText="登录后绑定企业，为企业办理免申即享等事项"
        consentText="绑定企业需要核对您的实名信息，同意后才能继续"
        realNameTitle="绑定企业需要先实名认证"
        realNameText="企业登记信息库按实名身份核对您是否为法定代表人，请先完成实名认证，认证后回到这里继续。"
      >
        <Enterprises />
      </ResidentGate>
    </Page>
  );
}
