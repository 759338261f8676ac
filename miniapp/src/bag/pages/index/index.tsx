import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { scanBag } from '@/api/bags';
import type { ApiError } from '@/api/errors';
import { bagCodeFrom } from '@/bag/code';
import { CodeEntry } from '@/bag/components/CodeEntry';
import { Refusal } from '@/bag/components/Refusal';
import { SendForm } from '@/bag/components/SendForm';
import { rememberSent } from '@/bag/sent';
import { Page } from '@/components/Page';
import { SignInGate } from '@/components/SignInGate';
import { EmptyState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../bag.css';

/** One scanned bag: what it can carry, then the form; refusals explained with the way on. */
function SendBag({
  code,
  caseId,
  bookingId,
  onRescan,
}: {
  code: string;
  caseId?: string;
  bookingId?: string;
  onRescan: () => void;
}) {
  const scan = useLoader(() => scanBag(code));
  const [refused, setRefused] = useState<ApiError>();

  if (scan.loading && !scan.data) return <LoadingState text="正在查询快递袋…" />;
  const error = refused ?? scan.error;
  if (error) {
    return (
      <Refusal
        error={error}
        onRescan={onRescan}
        onRetry={() => {
          setRefused(undefined);
          scan.reload();
        }}
      />
    );
  }
  const bag = scan.data;
  if (!bag) return null;
  if (!bag.supplement && bag.candidates.length === 0 && bag.visits.length === 0) {
    return (
      <EmptyState
        title="您目前没有需要补交材料的办件"
        text="政务服务中心要求补齐补正的办件会在这里列出；办件进度可在“我的办件”查看。"
      >
        <Button type="primary" size="large" onClick={() => Taro.navigateTo({ url: routes.cases })}>
          查看我的办件
        </Button>
      </EmptyState>
    );
  }
  return (
    <>
      <View className="card">
        <Text className="text-title">快递袋 {bag.code}</Text>
        <Text className="text-hint">
          {bag.supplement
            ? '这个快递袋已指定用于下面的办件。'
            : '选择办件或上门预约、勾选材料、约好揽收，EMS 免费寄到政务服务中心。'}
        </Text>
      </View>
      <SendForm
        code={bag.code}
        scan={bag}
        preferredCaseId={caseId}
        preferredBookingId={bookingId}
        onSent={(confirmation) => {
          rememberSent(confirmation);
          Taro.redirectTo({
            url: withQuery(routes.bagSent, { code: bag.code, caseId: confirmation.caseId }),
          });
        }}
        onRefused={setRefused}
        onStale={scan.reload}
      />
    </>
  );
}

/**
 * 替你跑: a bag label's QR opens this page (`q` from the WeChat camera, `code` from the H5 redirect of
 * `/b/<code>`); from home or a case page (`caseId`) the person scans or types the code here.
 */
export default function BagEntry() {
  const params = useRouter().params;
  const given = routeParam(params, 'q') ?? routeParam(params, 'code');
  const [code, setCode] = useState(bagCodeFrom(given));
  const caseId = routeParam(params, 'caseId');
  // From an incomplete visit's booking page: that visit is chosen once the bag is scanned.
  const bookingId = routeParam(params, 'bookingId');

  return (
    <Page className="bag">
      {code ? (
        // Sending a bag needs a signed-in person who agreed to the privacy guide (the pickup takes an address).
        <SignInGate
          loginText="登录后查看这个快递袋可以寄哪个办件的补正材料"
          consentText="寄送需要填写揽收地址和联系电话，同意后才能继续"
        >
          <SendBag
            key={code}
            code={code}
            caseId={caseId}
            bookingId={bookingId}
            onRescan={() => setCode(undefined)}
          />
        </SignInGate>
      ) : (
        <>
          {given && !bagCodeFrom(given) && (
            <View className="notice" role="alert">
              <Text>这个二维码不是政邮通快递袋的二维码，请扫描快递袋背面的二维码。</Text>
            </View>
          )}
          {bookingId && (
            <View className="notice">
              <Text>
                上门时缺少的材料备齐后，扫描快递袋背面的二维码即可免费寄往政务服务中心，无需重新预约。
              </Text>
            </View>
          )}
          <CodeEntry onCode={setCode} />
          <View className="card">
            <Text className="text-title">怎样用快递袋补交材料</Text>
            <Text className="text-hint">
              1.
              政务服务中心要求补齐补正后，到政务服务中心窗口或邮政网点领取快递袋，上门收件时材料不齐，政邮专员也可能留下快递袋。
            </Text>
            <Text className="text-hint">2. 扫袋子背面的二维码，勾选装进袋子的材料。</Text>
            <Text className="text-hint">
              3. 约 EMS 免费上门揽收，或自己送到邮政网点；政务服务中心收到后继续办理。
            </Text>
          </View>
        </>
      )}
    </Page>
  );
}
