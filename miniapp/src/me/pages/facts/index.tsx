import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { EvaluationFigures } from '@zyt/shared';
import { getEvaluationFigures } from '@/api/evaluations';
import { getPublicFacts } from '@/api/publicFacts';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { Button } from '@/ui/nutui';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** 好差评公开: the published figures of the ratings residents gave; nothing shown when they cannot be loaded. */
function EvaluationFiguresCard() {
  const figures = useLoader(getEvaluationFigures);
  const f: EvaluationFigures | undefined = figures.data;
  if (!f) return null;
  return (
    <View className="card" id="facts-evaluations">
      <Text className="text-title">好差评公开</Text>
      {f.evaluations === 0 ? (
        <Text className="text-body">暂无评价</Text>
      ) : (
        <>
          <Kv label="评价总数" value={`${f.evaluations} 条`} />
          <Kv label="满意率（满意及非常满意）" value={percent(f.satisfactionRate)} />
          <Kv label="差评按时整改率" value={f.bad === 0 ? '无差评' : percent(f.rectifiedOnTimeRate)} />
          <Kv label="差评回访率" value={f.bad === 0 ? '无差评' : percent(f.callbackRate)} />
        </>
      )}
    </View>
  );
}

/**
 * 服务公开: what the region publishes about the service — service list, process, fee schedule (收费标准) and
 * supervision hotlines (监督热线) — as the BFF's configuration says, never written into the app.
 */
export default function PublicFactsPage() {
  const facts = useLoader(getPublicFacts);
  const body = () => {
    if (facts.loading && !facts.data) return <LoadingState />;
    if (facts.error) return <ErrorState message={facts.error.message} onRetry={facts.reload} />;
    const f = facts.data;
    if (!f) return null;
    return (
      <>
        <View className="card">
          <Text className="text-title">服务区域</Text>
          <Text className="text-body">{f.region}</Text>
        </View>
        <View className="card" id="facts-services">
          <Text className="text-title">服务事项</Text>
          {f.services.map((s) => (
            <Text key={s} className="text-body">
              · {s}
            </Text>
          ))}
        </View>
        <View className="card" id="facts-process">
          <Text className="text-title">服务流程</Text>
          {f.process.map((s, i) => (
            <Text key={s} className="text-body">
              {i + 1}. {s}
            </Text>
          ))}
        </View>
        <View className="card" id="facts-fees">
          <Text className="text-title">收费标准</Text>
          {f.fees.map((fee) => (
            <View key={fee.item} className="row">
              <Text className="text-body">{fee.item}</Text>
              <Text className="text-body">{fee.standard}</Text>
            </View>
          ))}
        </View>
        <EvaluationFiguresCard />
        <View className="card" id="facts-hotlines">
          <Text className="text-title">监督热线</Text>
          {f.hotlines.map((h) => (
            <View key={h.phone} className="row">
              <Text className="text-body">
                {h.name}
                {h.hours ? `（${h.hours}）` : ''}
              </Text>
              <Button
                size="small"
                onClick={() => Taro.makePhoneCall({ phoneNumber: h.phone }).catch(() => {})} // cancelled by the user
              >
                {h.phone}
              </Button>
            </View>
          ))}
        </View>
      </>
    );
  };
  return <Page>{body()}</Page>;
}
