import { Text, View } from '@tarojs/components';
import {
  type EvaluationIndicator,
  type EvaluationLevel,
  type EvaluationReasonTag,
  type EvaluationView,
  evaluationIndicatorLabels,
  evaluationLevelLabels,
  evaluationReasonTagLabels,
} from '@zyt/shared';
import { beijingDateTime } from '@/lib/beijingTime';

export const levelLabel = (level: number) => evaluationLevelLabels[level as EvaluationLevel] ?? `${level}`;

/** A rating as its author reads it: the level, what follows from it (rectification, appeal) and the reply. */
export function EvaluationSummary({
  evaluation: e,
  full = false,
}: {
  evaluation: EvaluationView;
  full?: boolean;
}) {
  return (
    <View className="case-evaluation__summary">
      <Text className="text-body">
        您的评价：<Text className="case-evaluation__level">{levelLabel(e.level)}</Text>
      </Text>
      {full &&
        Object.entries(e.indicators).map(([k, v]) => (
          <Text key={k} className="text-hint">
            {evaluationIndicatorLabels[k as EvaluationIndicator] ?? k}：{levelLabel(v)}
          </Text>
        ))}
      {full && e.tags.length > 0 && (
        <Text className="text-hint">
          不满意原因：{e.tags.map((t) => evaluationReasonTagLabels[t as EvaluationReasonTag] ?? t).join('、')}
        </Text>
      )}
      {full && e.comment && <Text className="text-hint">具体情况：{e.comment}</Text>}
      {e.voided && <Text className="text-hint">该评价经申诉核实后已撤销，不计入统计。</Text>}
      {e.rectifying && (
        <Text className="text-hint">已转交整改，工作人员将回访您，处理结果会在这里答复。</Text>
      )}
      {e.reply && (
        <View className="case-evaluation__reply">
          <Text className="text-body">整改答复：{e.reply.text}</Text>
          <Text className="text-hint">{beijingDateTime(e.reply.at)}</Text>
        </View>
      )}
    </View>
  );
}
