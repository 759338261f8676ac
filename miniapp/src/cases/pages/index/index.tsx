import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { type CaseListResponse, type CaseSummary, finalCaseStatuses } from '@zyt/shared';
import { useRef } from 'react';
import { listCases } from '@/api/cases';
import { useSession } from '@/api/session';
import { CaseStatusTag } from '@/cases/components/CaseStatusTag';
import { dateLabel } from '@/cases/format';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLive } from '@/lib/useLive';
import { routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../cases.css';

/** How often the list is fetched while it is on screen and a case is still moving. */
const POLL_MS = 30_000;

const moving = (list: CaseListResponse) => list.items.some((c) => !finalCaseStatuses.includes(c.status));

function CaseItem({ item }: { item: CaseSummary }) {
  return (
    <View
      className={`case-item${item.attention ? ' case-item--attention' : ''}`}
      hoverClass="case-item--pressed"
      onClick={() => Taro.navigateTo({ url: withQuery(routes.caseDetail, { id: item.id }) })}
    >
      <View className="row">
        <Text className="case-section-title">{item.matterName}</Text>
        <CaseStatusTag status={item.status} label={item.statusLabel} />
      </View>
      {item.attention && <Text className="case-attention">需要您处理，点开查看</Text>}
      <Text className="text-hint">办件编号 {item.caseNumber ?? '受理后生成'}</Text>
      {item.promised && (
        <Text className="text-hint">
          承诺办结 {dateLabel(item.promised.date)}
          {item.promised.provisional ? '（预计）' : ''}
        </Text>
      )}
    </View>
  );
}

function CaseList() {
  const live = useLive(listCases, moving, POLL_MS, []);
  // Coming back from a case: show what changed since.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) live.refresh();
    shown.current = true;
  });
  usePullDownRefresh(() => {
    live.refresh().finally(() => Taro.stopPullDownRefresh());
  });

  if (!live.value) {
    return live.error ? <ErrorState message={live.error.message} onRetry={live.refresh} /> : <LoadingState />;
  }
  if (live.value.items.length === 0) {
    return (
      <EmptyState title="还没有办件" text="政邮专员上门收取材料后，办件和办理进度会显示在这里">
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.booking })}>
          预约上门收件
        </Button>
      </EmptyState>
    );
  }
  return (
    <>
      {live.error && <Text className="text-hint">刷新失败：{live.error.message}（显示的是上次的进度）</Text>}
      {live.value.items.map((item) => (
        <CaseItem key={item.id} item={item} />
      ))}
    </>
  );
}

/** 我的办件: every case of the signed-in person, with its status and promised date. */
export default function MyCases() {
  const session = useSession();
  return (
    <Page className="my-cases">
      {session ? (
        <CaseList />
      ) : (
        <EmptyState title="请先登录" text="登录后查看您的办件进度">
          <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.login })}>
            去登录
          </Button>
        </EmptyState>
      )}
      <Button
        block
        size="large"
        id="cases-add-mailing"
        onClick={() => Taro.navigateTo({ url: routes.caseMail })}
      >
        添加窗口或网上办的件，结果邮寄到家
      </Button>
      <Button block size="large" onClick={() => Taro.navigateTo({ url: routes.bookings })}>
        我的上门预约
      </Button>
    </Page>
  );
}
