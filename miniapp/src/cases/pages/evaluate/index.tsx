import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import {
  EVALUATION_REASON_MIN_CHARS,
  type EvaluationIndicator,
  type EvaluationStage,
  type EvaluationView,
  evaluationIndicatorLabels,
  evaluationLevels,
  evaluationReasonTagLabels,
  evaluationReasonTags,
  evaluationStageLabels,
  evaluationStages,
  isBadLevel,
} from '@zyt/shared';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { getCaseEvaluations, submitEvaluation } from '@/api/evaluations';
import { EvaluationSummary, levelLabel } from '@/cases/components/EvaluationSummary';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam } from '@/navigation';
import { Button, Checkbox, Radio, Rate, TextArea } from '@/ui/nutui';
import '../../cases.css';

type Errors = Partial<Record<'level' | 'indicators' | 'tags' | 'comment' | 'form', string>>;

/** The rating form of one stage: the five levels, each indicator, and for a bad rating the reasons. */
function EvaluateForm({
  caseId,
  stage,
  indicators,
  onDone,
}: {
  caseId: string;
  stage: EvaluationStage;
  indicators: string[];
  onDone: (e: EvaluationView) => void;
}) {
  const [level, setLevel] = useState(0);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const bad = level > 0 && isBadLevel(level);

  const check = (): Errors => {
    const found: Errors = {};
    if (level === 0) found.level = '请选择总体评价';
    if (indicators.some((k) => !scores[k])) found.indicators = '请为每项指标打分';
    if (bad && tags.length === 0) found.tags = '请至少勾选一项不满意的原因';
    if (bad && [...comment.trim()].length < EVALUATION_REASON_MIN_CHARS)
      found.comment = `请写明具体情况（至少${EVALUATION_REASON_MIN_CHARS}个字）`;
    return found;
  };
  const submit = async () => {
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const e = await submitEvaluation(caseId, stage, {
        level,
        indicators: Object.fromEntries(indicators.map((k) => [k, scores[k]!])),
        ...(bad ? { tags } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onDone(e);
    } catch (err) {
      const e = asApiError(err);
      setErrors({ form: e.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card" id="evaluate-form">
      <Text className="case-section-title">总体评价</Text>
      <Radio.Group value={level ? String(level) : ''} onChange={(v) => setLevel(Number(v))}>
        <View className="evaluate-levels">
          {evaluationLevels.map((l) => (
            <Radio key={l} value={String(l)}>
              {levelLabel(l)}
            </Radio>
          ))}
        </View>
      </Radio.Group>
      {errors.level && <Text className="field__error">{errors.level}</Text>}

      <Text className="case-section-title">评价指标</Text>
      {indicators.map((k) => (
        <View key={k} className="evaluate-indicator" id={`indicator-${k}`}>
          <Text className="text-body evaluate-indicator__label">
            {evaluationIndicatorLabels[k as EvaluationIndicator] ?? k}
          </Text>
          <Rate value={scores[k] ?? 0} count={5} onChange={(v) => setScores((s) => ({ ...s, [k]: v }))} />
          <Text className="text-hint">{scores[k] ? levelLabel(scores[k]) : '未打分'}</Text>
        </View>
      ))}
      {errors.indicators && <Text className="field__error">{errors.indicators}</Text>}

      {bad && (
        <View id="evaluate-reasons" className="evaluate-reasons">
          <Text className="case-section-title">不满意的原因（必填）</Text>
          {evaluationReasonTags.map((t) => (
            <Checkbox
              key={t}
              checked={tags.includes(t)}
              label={evaluationReasonTagLabels[t]}
              onChange={(on) =>
                setTags((x) => (on ? [...x.filter((y) => y !== t), t] : x.filter((y) => y !== t)))
              }
            />
          ))}
          {errors.tags && <Text className="field__error">{errors.tags}</Text>}
        </View>
      )}
      <Text className="case-section-title">{bad ? '具体情况（必填）' : '意见建议（选填）'}</Text>
      <TextArea
        value={comment}
        maxLength={300}
        showCount
        placeholder={bad ? '请写明遇到的问题，便于我们整改和回访' : '您的意见和建议'}
        onChange={(v) => setComment(v)}
      />
      {errors.comment && <Text className="field__error">{errors.comment}</Text>}
      {errors.form && (
        <View className="notice" role="alert">
          <Text>{errors.form}</Text>
        </View>
      )}
      <Button type="primary" size="large" block loading={busy} onClick={submit}>
        提交评价
      </Button>
    </View>
  );
}

/** 好差评: rate one stage of a case (一事一评), or read the rating given and the reply to it. */
export default function Evaluate() {
  const params = useRouter().params;
  const caseId = routeParam(params, 'id') ?? '';
  const stageParam = routeParam(params, 'stage');
  const stage = evaluationStages.find((s) => s === stageParam);
  const loaded = useLoader(() => getCaseEvaluations(caseId));
  const [given, setGiven] = useState<EvaluationView>();

  if (!stage)
    return (
      <Page>
        <ErrorState message="没有这个评价环节，请从办件进度页进入" />
      </Page>
    );
  if (!loaded.data)
    return (
      <Page>
        {loaded.error ? (
          <ErrorState message={loaded.error.message} onRetry={loaded.reload} />
        ) : (
          <LoadingState />
        )}
      </Page>
    );
  const info = loaded.data.stages.find((s) => s.stage === stage)!;
  const evaluation = given ?? info.evaluation;
  return (
    <Page className="case-evaluate">
      <View className="card">
        <Text className="case-section-title">{loaded.data.matterName}</Text>
        <Text className="text-body">评价环节：{info.label ?? evaluationStageLabels[stage]}</Text>
      </View>
      {evaluation ? (
        <View className="card" id="evaluate-done">
          {given && <Text className="text-body">感谢您的评价！</Text>}
          <EvaluationSummary evaluation={evaluation} full />
        </View>
      ) : info.reached ? (
        <EvaluateForm caseId={caseId} stage={stage} indicators={info.indicators} onDone={setGiven} />
      ) : (
        <EmptyState title="这一环节还没有完成" text="完成后会通知您评价" />
      )}
    </Page>
  );
}
