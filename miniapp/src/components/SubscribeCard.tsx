import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { NotificationKind, SubscriptionsResponse } from '@zyt/shared';
import { useState } from 'react';
import { subscribeDemoUser } from '@/api/demo';
import { asApiError } from '@/api/errors';
import { useSession } from '@/api/session';
import { getSubscriptions, recordSubscriptions } from '@/api/subscriptions';
import { isWeapp } from '@/lib/platform';
import { useLoader } from '@/lib/useLoader';
import { Button } from '@/ui/nutui';
import './SubscribeCard.css';

/** Until the case is done: accepted (受理), supplement asked (补正), completed (办结). */
export const caseProgressKinds: NotificationKind[] = [
  'case_accepted',
  'supplement_required',
  'case_completed',
];
/** Once the result is issued: it is on its way, it was signed for. */
export const resultDeliveryKinds: NotificationKind[] = ['result_shipped', 'result_delivered'];
/** 企业: a 免申即享 round is about to close unconfirmed; the subsidy was paid (拨付). */
export const subsidyKinds: NotificationKind[] = ['subsidy_deadline', 'subsidy_paid'];
/** 企业绑定: the admin approved or refused the clerk's request. */
export const memberDecisionKinds: NotificationKind[] = ['enterprise_member_decided'];

/** WeChat's subscribe dialog asks for at most 3 templates per tap. */
const MAX_PER_ASK = 3;

/** How the "已开启：…提醒" line names each reminder. */
const shortNames: Record<NotificationKind, string> = {
  case_accepted: '办件受理',
  supplement_required: '补正',
  case_completed: '办结',
  result_shipped: '证照寄出',
  result_delivered: '签收',
  bag_picked_up: '补正揽收',
  bag_delivered: '补正送达',
  supplement_received: '补正签收',
  supplement_deadline: '补正期限',
  visit_update: '预约变动',
  visit_reminder: '待接单',
  evaluation_invite: '评价',
  subsidy_deadline: '确认截止',
  subsidy_paid: '补贴拨付',
  work_assigned: '待办指派',
  enterprise_member_decided: '绑定审核',
};

type Template = SubscriptionsResponse['templates'][number];
type Answer = 'accept' | 'reject' | 'ban' | 'filter';
const answers: readonly string[] = ['accept', 'reject', 'ban', 'filter'];

/** WeChat's own dialog. Must run from a tap; resolves with one answer per template id. */
async function askWechat(templates: Template[]): Promise<Record<string, Answer>> {
  const tmplIds = templates.map((t) => t.templateId);
  // Taro's typing also asks for Alipay's entityIds; WeChat ignores them.
  const reply = (await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] })) as unknown as Record<
    string,
    unknown
  >;
  const results: Record<string, Answer> = {};
  for (const id of tmplIds) {
    const answer = reply[id];
    if (typeof answer === 'string' && answers.includes(answer)) results[id] = answer as Answer;
  }
  return results;
}

/**
 * The H5 demo has no WeChat: a modal stands in for its dialog, and what WeChat would record on 允许 is told to
 * the WeChat simulator (which then lets the BFF send one message per template, like the real one).
 */
async function askDemo(templates: Template[], openid: string): Promise<Record<string, Answer>> {
  const { confirm } = await Taro.showModal({
    title: '“政邮通”申请向您发送以下通知',
    content: `${templates.map((t) => t.title).join('、')}（演示环境，代替微信的订阅弹窗）`,
    confirmText: '允许',
    cancelText: '取消',
  });
  if (!confirm) return {};
  await Promise.all(templates.map((t) => subscribeDemoUser(openid, t.templateId)));
  return Object.fromEntries(templates.map((t) => [t.templateId, 'accept' as const]));
}

/**
 * 接收进度提醒: asks, from a tap, for the subscribe messages of `kinds` that are not on yet (WeChat sends one
 * message per "allow", so a reminder that was used is asked for again), records the answers with the BFF and
 * says which reminders are on. Shows nothing when signed out or when the templates cannot be loaded.
 */
export function SubscribeCard({ kinds }: { kinds: NotificationKind[] }) {
  const session = useSession();
  const loaded = useLoader(getSubscriptions, session !== null);
  const [updated, setUpdated] = useState<SubscriptionsResponse>();
  const [busy, setBusy] = useState(false);
  const [declined, setDeclined] = useState(false);
  const [error, setError] = useState<string>();

  const subs = updated ?? loaded.data;
  if (!session || !subs) return null;
  const group = kinds.slice(0, MAX_PER_ASK);
  const on = group.filter((kind) => (subs.grants[kind] ?? 0) > 0);
  const wanted = group
    .filter((kind) => !on.includes(kind))
    .map((kind) => subs.templates.find((t) => t.kind === kind && t.templateId !== ''))
    .filter((t): t is Template => t !== undefined);
  if (on.length === 0 && wanted.length === 0) return null;

  // WeChat shows its dialog only when asked straight from the tap: nothing is awaited before asking.
  const ask = async () => {
    setBusy(true);
    setError(undefined);
    try {
      let results: Record<string, Answer>;
      if (!DEMO_MODE || isWeapp()) {
        try {
          results = await askWechat(wanted);
        } catch {
          // Not from a tap, notifications switched off in WeChat, or templates WeChat does not know.
          setError('微信未能打开订阅提示，请确认已允许接收服务通知后再试。');
          return;
        }
      } else {
        const openid = session.demoOpenid;
        if (!openid) {
          setError('请退出登录后重新选择演示用户登录，再开启提醒。');
          return;
        }
        results = await askDemo(wanted, openid);
      }
      if (Object.keys(results).length > 0) setUpdated(await recordSubscriptions(results));
      setDeclined(!Object.values(results).includes('accept'));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card subscribe">
      <Text className="subscribe__title">接收进度提醒</Text>
      {on.length > 0 && (
        <Text className="subscribe__on" id="subscribe-on">
          已开启：{on.map((kind) => shortNames[kind]).join('、')}提醒
        </Text>
      )}
      {wanted.length > 0 && (
        <>
          <Text className="text-hint">
            开启后，{wanted.map((t) => t.title).join('、')}
            会通过微信服务通知发给您（每开启一次，每类提醒发送一次）。
            {declined ? '您暂未开启，也可以随时在这里查看进度。' : ''}
          </Text>
          {error && (
            <View className="notice" role="alert">
              <Text>{error}</Text>
            </View>
          )}
          <Button type="primary" size="large" loading={busy} onClick={ask}>
            {on.length > 0 ? '开启其余提醒' : '开启进度提醒'}
          </Button>
        </>
      )}
    </View>
  );
}
