// No TypeBox here: the mini-program's cases and staff pages import these labels, and TypeBox would come along.
/**
 * 好差评 (国办发〔2019〕51号; GB/T 39734/39735-2020): one evaluation per service per stage (一事一评), five
 * levels, the standard indicators, reason tags for the two bad levels. One source for the BFF and the app.
 */

/** The stages a case is evaluated at: the agent's door visit, the case's completion, the result's delivery. */
export const evaluationStages = ['visit', 'completion', 'delivery'] as const;
export type EvaluationStage = (typeof evaluationStages)[number];
export const evaluationStageLabels: Record<EvaluationStage, string> = {
  visit: '上门收件',
  completion: '办结',
  delivery: '证照送达',
};

/** The on-site stage when it was a post office's government window (网点就近办) rather than a door visit. */
export const WINDOW_STAGE_LABEL = '网点窗口办理';

/** Five levels, best first (非常满意 5 … 非常不满意 1). */
export const evaluationLevels = [5, 4, 3, 2, 1] as const;
export type EvaluationLevel = (typeof evaluationLevels)[number];
export const evaluationLevelLabels: Record<EvaluationLevel, string> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};
/** 不满意 and 非常不满意: a reason is required, and a rectification ticket opens. */
export const isBadLevel = (level: number) => level <= 2;
/** 满意 and 非常满意 count as satisfied in the published satisfaction rate. */
export const isSatisfiedLevel = (level: number) => level >= 4;

export const evaluationIndicators = [
  'overall',
  'efficiency',
  'guide_accuracy',
  'convenience',
  'usability',
  'conduct',
  'attitude',
] as const;
export type EvaluationIndicator = (typeof evaluationIndicators)[number];
export const evaluationIndicatorLabels: Record<EvaluationIndicator, string> = {
  overall: '整体满意度',
  efficiency: '办事效率',
  guide_accuracy: '办事指南精确度',
  convenience: '办事便捷度',
  usability: '平台操作性',
  conduct: '服务规范',
  attitude: '服务态度',
};
/** Online (网上) indicators, and on-site (现场) ones for the agent at the door. */
export const onlineIndicators: readonly EvaluationIndicator[] = [
  'overall',
  'efficiency',
  'guide_accuracy',
  'convenience',
  'usability',
];
export const onSiteIndicators: readonly EvaluationIndicator[] = [
  'overall',
  'efficiency',
  'conduct',
  'attitude',
];
export const indicatorsOf = (stage: EvaluationStage): readonly EvaluationIndicator[] =>
  stage === 'visit' ? onSiteIndicators : onlineIndicators;

/** Reasons a resident picks for a bad rating (差评原因). */
export const evaluationReasonTags = [
  'attitude_poor',
  'slow',
  'repeat_trips',
  'guide_unclear',
  'not_by_rules',
  'late',
  'platform_hard',
  'other',
] as const;
export type EvaluationReasonTag = (typeof evaluationReasonTags)[number];
export const evaluationReasonTagLabels: Record<EvaluationReasonTag, string> = {
  attitude_poor: '服务态度差',
  slow: '办理效率低',
  repeat_trips: '材料反复要求、多次跑动',
  guide_unclear: '办事指南不清楚',
  not_by_rules: '未按规定办理',
  late: '上门或送达不及时',
  platform_hard: '小程序操作不便',
  other: '其他',
};
/** A bad rating's text must say at least this much. */
export const EVALUATION_REASON_MIN_CHARS = 5;

/** The rectification ticket a bad rating opens (整改工单). */
export const ticketStatuses = ['open', 'assigned', 'closed', 'voided'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketStatusLabels: Record<TicketStatus, string> = {
  open: '待指派',
  assigned: '整改中',
  closed: '已办结',
  voided: '已申诉撤销',
};
/** What the call-back (回访) found. */
export const callbackOutcomes = ['satisfied', 'unsatisfied', 'unreachable'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];
export const callbackOutcomeLabels: Record<CallbackOutcome, string> = {
  satisfied: '回访满意',
  unsatisfied: '回访仍不满意',
  unreachable: '多次联系未接通',
};
