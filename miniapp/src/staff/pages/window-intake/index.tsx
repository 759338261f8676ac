import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { WindowIntakeView, WindowReviewBody } from '@zyt/shared';
import { useState } from 'react';
import { ApiError } from '@/api/errors';
import { getIntake, reviewIntake } from '@/api/window';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { usePolling } from '@/lib/usePolling';
import { routeParam, routes, withQuery } from '@/navigation';
import { MissingItems } from '@/staff/components/MissingItems';
import { ReviewChecklist } from '@/staff/components/ReviewChecklist';
import { WindowGate } from '@/staff/components/WindowGate';
import { checkMailing, type MailingChoice, noMailing, WindowMailing } from '@/staff/components/WindowMailing';
import { Button, Tag } from '@/ui/nutui';
import '../../staff.css';

/** The platform numbers the case within seconds: polled until the receipt can be printed. */
const POLL_MS = 2_000;

function Collected({ intake }: { intake: WindowIntakeView }) {
  return (
    <View className="card result" id="window-collected">
      <Text className="staff-title">{intake.tolerated ? '容缺受理，已收件' : '材料齐全，已收件'}</Text>
      {intake.tolerated && intake.missingItems && (
        <>
          <Text className="text-body">
            缺少的 {intake.missingItems.length} 项已绑定交给申请人的快递袋，备齐后装袋免费寄回（替你跑）：
          </Text>
          <MissingItems items={intake.missingItems.map((m) => ({ ...m, key: m.materialId }))} />
        </>
      )}
      <Text className="text-body">
        材料由EMS寄往政务服务中心{intake.waybillNo ? `（运单号 ${intake.waybillNo}）` : ''}
      </Text>
      {intake.resultMailing && <Text className="text-body">办结后办理结果由EMS免费寄给申请人</Text>}
      {intake.caseNumber && intake.queryCode ? (
        <>
          <Text className="text-body" id="window-case-number">
            办件编号 {intake.caseNumber}
          </Text>
          <Text className="text-body">查询码 {intake.queryCode}</Text>
          <Button
            block
            type="primary"
            size="large"
            onClick={() => Taro.navigateTo({ url: withQuery(routes.windowReceipt, { id: intake.id }) })}
          >
            打印受理单
          </Button>
        </>
      ) : (
        <Text className="text-hint">正在提交政务服务平台，生成办件编号后即可打印受理单…</Text>
      )}
    </View>
  );
}

function Intake({ id }: { id: string }) {
  const intake = useLoader(() => getIntake(id), id !== '');
  const [mailing, setMailing] = useState<MailingChoice>(noMailing);
  const [showMailErrors, setShowMailErrors] = useState(false);
  const review = (items: WindowReviewBody['items'], tolerate?: WindowReviewBody['tolerate']) => {
    const checked = checkMailing(mailing);
    if (mailing.mail && !checked.mailing) {
      setShowMailErrors(true);
      return Promise.reject(new ApiError('VALIDATION_FAILED', '请先填好办理结果的邮寄地址和收件人'));
    }
    return reviewIntake(id, items, tolerate, checked.mailing);
  };
  const i = intake.data;
  const waiting = i?.status === 'collected' && !(i.caseNumber && i.queryCode);
  usePolling(intake.reload, POLL_MS, waiting);
  if (intake.loading && !i) return <LoadingState />;
  if (!i) return <ErrorState message={intake.error?.message ?? '没有找到该收件'} onRetry={intake.reload} />;
  return (
    <>
      <View className="card">
        <View className="row">
          <Text className="staff-title">{i.matterName}</Text>
          <Tag type={i.status === 'collected' ? 'success' : i.status === 'incomplete' ? 'danger' : 'primary'}>
            {i.statusLabel}
          </Tag>
        </View>
        <Text className="text-body">
          申请人 {i.applicant.name} · {i.applicant.idNumber} · {i.applicant.phone}
        </Text>
        {i.appointmentNumber && <Text className="text-hint">预约号 {i.appointmentNumber}</Text>}
      </View>
      {i.status === 'reviewing' && (
        <>
          <WindowMailing value={mailing} onChange={setMailing} showErrors={showMailErrors} />
          <ReviewChecklist
            checklist={i.checklist}
            tolerantAcceptance={i.tolerantAcceptance}
            submit={review}
            onReviewed={() => intake.reload()}
          />
        </>
      )}
      {i.status === 'incomplete' && i.missingItems && (
        <View className="card result" id="window-missing">
          <Text className="staff-title">材料不齐：已一次性告知申请人缺少 {i.missingItems.length} 项</Text>
          <MissingItems items={i.missingItems.map((m) => ({ ...m, key: m.materialId }))} />
          <Text className="text-hint">本次不收件。申请人备齐后可再次到窗口办理。</Text>
        </View>
      )}
      {i.status === 'collected' && <Collected intake={i} />}
      <View className="actions">
        <Button block size="large" onClick={() => Taro.redirectTo({ url: routes.window })}>
          返回今日窗口
        </Button>
      </View>
    </>
  );
}

/** One applicant at the window: the checklist review (as at the door), then the receipt. */
export default function WindowIntake() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  return (
    <Page className="window-intake">
      <WindowGate>{() => <Intake id={id} />}</WindowGate>
    </Page>
  );
}
