import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { type CaseDetail, type CaseShipment, type CaseStatus, finalCaseStatuses } from '@zyt/shared';
import { getCase } from '@/api/cases';
import { CaseStatusTag } from '@/cases/components/CaseStatusTag';
import { CaseTimeline } from '@/cases/components/CaseTimeline';
import { EvaluationsCard } from '@/cases/components/EvaluationsCard';
import { dateLabel, emsStatusTones, provisionalNote, upcomingNotifications } from '@/cases/format';
import { CopyRow } from '@/components/CopyRow';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { SubscribeCard } from '@/components/SubscribeCard';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { promisedText } from '@/lib/format';
import { useLive } from '@/lib/useLive';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button, Tag } from '@/ui/nutui';
import '../../cases.css';

/** How often the case is fetched while the page is on screen and the case still moving. */
const POLL_MS = 15_000;

/** What the platform's `reason` explains, by status. */
const reasonLabels: Partial<Record<CaseStatus, string>> = {
  refused: '不予受理原因',
  returned: '退件原因',
  suspended: '挂起原因',
};

function Head({ c, stale }: { c: CaseDetail; stale?: string }) {
  return (
    <View className={`card${c.attention ? ' case-head--attention' : ''}`}>
      <View className="row">
        <Text className="case-section-title">{c.matterName}</Text>
        <CaseStatusTag status={c.status} label={c.statusLabel} />
      </View>
      <View className="case-next">
        <Text className="case-next__label">下一步</Text>
        <Text className="case-next__text" id="case-next-step">
          {c.nextStep}
        </Text>
      </View>
      {c.promised && (
        <View className="case-promise">
          <Text className="text-hint">承诺办结日期</Text>
          <Text className="case-promise__date" id="case-promised">
            {dateLabel(c.promised.date)}
            {c.promised.provisional ? '（预计）' : ''}
          </Text>
          {c.promised.provisional && <Text className="text-hint">{provisionalNote}</Text>}
        </View>
      )}
      <Kv label="承诺时限" value={promisedText(c.promisedWorkingDays)} />
      {c.reason && (
        <View className="notice" role="alert">
          <Text>
            {reasonLabels[c.status] ?? '说明'}：{c.reason}
          </Text>
        </View>
      )}
      {c.caseNumber ? (
        <CopyRow
          label="办件编号（政务服务平台）"
          value={c.caseNumber}
          id="case-number"
          copied="办件编号已复制"
        />
      ) : (
        <Kv label="办件编号" value="政务服务平台受理后生成" />
      )}
      {c.bookingNumber && <Kv label="上门预约号" value={c.bookingNumber} />}
      {stale && <Text className="text-hint">刷新失败：{stale}（显示的是上次的进度）</Text>}
      {c.bookingId && (
        <Button
          size="large"
          onClick={() => Taro.navigateTo({ url: withQuery(routes.bookingDetail, { id: c.bookingId ?? '' }) })}
        >
          查看上门预约
        </Button>
      )}
    </View>
  );
}

/** 补齐补正: everything the platform asks for, at once, with the deadline, and how to send it (替你跑). */
function Supplement({
  caseId,
  supplement,
}: {
  caseId: string;
  supplement: NonNullable<CaseDetail['supplement']>;
}) {
  return (
    <View className="case-supplement" id="case-supplement">
      <Text className="case-supplement__title">需要补齐补正：共 {supplement.items.length} 项</Text>
      <Text className="text-body">请于 {beijingDateTime(supplement.deadline)} 前一次补齐以下全部材料。</Text>
      {supplement.items.map((item, i) => (
        <View key={item.name} className="case-supplement__item">
          <Text className="case-supplement__name">
            {i + 1}. {item.name}
          </Text>
          <Text className="case-supplement__reason">{item.reason}</Text>
        </View>
      ))}
      <Text className="text-hint">
        备齐后装入快递袋（政务服务中心窗口、邮政网点或上门专员提供），扫袋子背面的二维码，EMS
        免费寄到政务服务中心。
      </Text>
      <Button
        type="primary"
        size="large"
        onClick={() => Taro.navigateTo({ url: withQuery(routes.bag, { caseId }) })}
      >
        扫快递袋寄材料
      </Button>
    </View>
  );
}

/** 办理结果: the document, its delivery deadline (2 working days from issue) and when it arrived. */
function Result({ result }: { result: NonNullable<CaseDetail['result']> }) {
  return (
    <View className={`card${result.late ? ' case-result--late' : ''}`} id="case-result">
      <Text className="case-section-title">办理结果</Text>
      <Kv
        label="证照名称"
        value={`${result.documentName}${result.kind === 'electronic' ? '（电子证照）' : ''}`}
      />
      <Kv label="出证时间" value={beijingDateTime(result.issuedAt)} />
      {result.deliverBy && (
        <>
          <Kv
            label="送达时限"
            value={`${dateLabel(result.deliverBy.date)}前${result.deliverBy.provisional ? '（预计）' : ''}`}
            id="case-deliver-by"
          />
          {result.deliverBy.provisional && <Text className="text-hint">{provisionalNote}</Text>}
        </>
      )}
      <Kv
        label="送达时间"
        value={result.deliveredAt ? beijingDateTime(result.deliveredAt) : '尚未送达'}
        id="case-delivered-at"
      />
      {result.late && (
        <View className="case-warning" role="alert">
          <Text>
            {result.deliveredAt
              ? '送达晚于出证后 2 个工作日的时限，已记录并提醒监管人员跟进。'
              : '已超过出证后 2 个工作日的送达时限，已提醒监管人员督办。'}
          </Text>
        </View>
      )}
    </View>
  );
}

/** One EMS leg: its waybill (copyable), where the piece is, and anything wrong with its delivery. */
function Shipment({ shipment }: { shipment: CaseShipment }) {
  return (
    <View className="card case-shipment">
      <View className="row">
        <Text className="case-section-title">{shipment.legLabel}</Text>
        <Tag type={emsStatusTones[shipment.status] ?? 'primary'}>{shipment.statusLabel}</Tag>
      </View>
      {shipment.waybillNo ? (
        <CopyRow label="EMS 运单号" value={shipment.waybillNo} copied="运单号已复制" />
      ) : (
        <Text className="text-hint">EMS 运单号生成中</Text>
      )}
      {shipment.flags.map((flag) => (
        <View key={flag.code} className="case-flag" role="alert">
          <Text className="case-flag__label">{flag.label}</Text>
          <Text className="case-flag__detail">{flag.detail}</Text>
        </View>
      ))}
    </View>
  );
}

/** One case: status, promised date and next step, supplement, result, both EMS legs, and the timeline. */
export default function CaseProgress() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  const live = useLive(
    () => getCase(id),
    (c) => !finalCaseStatuses.includes(c.status),
    POLL_MS,
    [id],
  );
  usePullDownRefresh(() => {
    live.refresh().finally(() => Taro.stopPullDownRefresh());
  });

  const c = live.value;
  if (!c) {
    return (
      <Page>
        {live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />}
      </Page>
    );
  }
  const reminders = upcomingNotifications(c.status);
  return (
    <Page className="case-detail">
      <Head c={c} stale={live.error?.message} />
      {c.supplement && <Supplement caseId={c.id} supplement={c.supplement} />}
      {c.result && <Result result={c.result} />}
      {c.shipments.map((s) => (
        <Shipment key={`${s.leg}|${s.waybillNo ?? ''}`} shipment={s} />
      ))}
      <EvaluationsCard caseId={c.id} />
      {reminders.length > 0 && <SubscribeCard kinds={reminders} />}
      <View className="card">
        <Text className="case-section-title">办理进度</Text>
        <CaseTimeline items={c.timeline} />
      </View>
    </Page>
  );
}
