import { Image, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { getReceipt } from '@/api/window';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam } from '@/navigation';
import { WindowGate } from '@/staff/components/WindowGate';
import { Button } from '@/ui/nutui';
import '../../staff.css';

/** The desk's browser prints; the mini-program shows the receipt to hand over or photograph. */
const canPrint = process.env.TARO_ENV === 'h5';

function Receipt({ id }: { id: string }) {
  const receipt = useLoader(() => getReceipt(id), id !== '');
  if (receipt.loading && !receipt.data) return <LoadingState />;
  if (!receipt.data)
    return <ErrorState message={receipt.error?.message ?? '受理单暂不可打印'} onRetry={receipt.reload} />;
  const r = receipt.data;
  return (
    <>
      <View className="card window-receipt" id="window-receipt">
        <Text className="text-body">办件编号 {r.caseNumber}</Text>
        <Text className="text-body">查询码 {r.queryCode}</Text>
        <Image
          className="window-receipt__sheet"
          mode="widthFix"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.svg)}`}
        />
        <Text className="text-hint">受理单上的二维码可用微信扫码，申请办结后证照由EMS免费邮寄。</Text>
      </View>
      {canPrint && (
        <View className="actions">
          <Button block type="primary" size="large" onClick={() => window.print()}>
            打印
          </Button>
        </View>
      )}
    </>
  );
}

/** 受理单: case number, query code and the result-mailing QR, ready to print at the window. */
export default function WindowReceipt() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  return (
    <Page className="window-receipt-page">
      <WindowGate>{() => <Receipt id={id} />}</WindowGate>
    </Page>
  );
}
