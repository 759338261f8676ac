import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { evaluationStageLabels } from '@zyt/shared';
import { useRef } from 'react';
import { getCaseEvaluations } from '@/api/evaluations';
import { EvaluationSummary } from '@/cases/components/EvaluationSummary';
import { useLoader } from '@/lib/useLoader';
import { routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';

/** 服务评价: each stage of the case that is done, with 评价 or the rating given and its reply. */
export function EvaluationsCard({ caseId }: { caseId: string }) {
  const loaded = useLoader(() => getCaseEvaluations(caseId));
  const shown = useRef(false);
  // Back from the evaluate page: show the rating just given.
  useDidShow(() => {
    if (shown.current) loaded.reload();
    shown.current = true;
  });
  const reached = loaded.data?.stages.filter((s) => s.reached) ?? [];
  if (reached.length === 0) return null;
  return (
    <View className="card" id="case-evaluations">
      <Text className="case-section-title">服务评价</Text>
      {reached.map((s) => (
        <View key={s.stage} className="case-evaluation" id={`evaluation-${s.stage}`}>
          <View className="row">
            <Text className="text-body">{s.label ?? evaluationStageLabels[s.stage]}</Text>
            {!s.evaluation && (
              <Button
                size="small"
                type="primary"
                onClick={() =>
                  Taro.navigateTo({ url: withQuery(routes.evaluate, { id: caseId, stage: s.stage }) })
                }
              >
                评价
              </Button>
            )}
          </View>
          {s.evaluation && <EvaluationSummary evaluation={s.evaluation} />}
        </View>
      ))}
    </View>
  );
}
