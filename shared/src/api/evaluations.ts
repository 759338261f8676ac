import { type Static, Type } from 'typebox';

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

const Level = Type.Integer({ minimum: 1, maximum: 5 });
const StageSchema = Type.Union([Type.Literal('visit'), Type.Literal('completion'), Type.Literal('delivery')]);
const Instant = Type.String({ format: 'date-time' });

export const EvaluationStageParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  stage: StageSchema,
});

export const SubmitEvaluationBody = Type.Object(
  {
    level: Level,
    /** Every indicator of the stage, each rated on the same five levels. */
    indicators: Type.Record(Type.String(), Level),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 })),
    comment: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type SubmitEvaluationBody = Static<typeof SubmitEvaluationBody>;

export const EvaluationReply = Type.Object({ text: Type.String(), at: Instant });

export const EvaluationView = Type.Object({
  id: Type.String(),
  stage: StageSchema,
  level: Level,
  indicators: Type.Record(Type.String(), Level),
  tags: Type.Array(Type.String()),
  comment: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  /** Voided after a supervisor's appeal found it malicious. */
  voided: Type.Boolean(),
  /** The rectification reply, once the ticket is closed. */
  reply: Type.Union([EvaluationReply, Type.Null()]),
  /** A bad rating: its ticket is being worked on (no reply yet). */
  rectifying: Type.Boolean(),
});
export type EvaluationView = Static<typeof EvaluationView>;

export const CaseEvaluationStage = Type.Object({
  stage: StageSchema,
  /** The stage happened: it can be (or was) evaluated. */
  reached: Type.Boolean(),
  indicators: Type.Array(Type.String()),
  evaluation: Type.Union([EvaluationView, Type.Null()]),
});
export const CaseEvaluations = Type.Object({
  caseId: Type.String(),
  matterName: Type.String(),
  stages: Type.Array(CaseEvaluationStage),
});
export type CaseEvaluations = Static<typeof CaseEvaluations>;

const StaffRef = Type.Object({ id: Type.String(), label: Type.String() });
const TicketStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('assigned'),
  Type.Literal('closed'),
  Type.Literal('voided'),
]);
const OutcomeSchema = Type.Union([
  Type.Literal('satisfied'),
  Type.Literal('unsatisfied'),
  Type.Literal('unreachable'),
]);

export const TicketSummary = Type.Object({
  id: Type.String(),
  status: TicketStatusSchema,
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  matterName: Type.String(),
  stage: StageSchema,
  level: Level,
  tags: Type.Array(Type.String()),
  /** End of the due working day (Beijing) and that day; provisional where the calendar is not yet published. */
  dueAt: Instant,
  dueDate: Type.String(),
  dueProvisional: Type.Boolean(),
  overdue: Type.Boolean(),
  assignee: Type.Union([StaffRef, Type.Null()]),
  createdAt: Instant,
});
export type TicketSummary = Static<typeof TicketSummary>;
export const TicketList = Type.Object({ items: Type.Array(TicketSummary) });
export type TicketList = Static<typeof TicketList>;

const Step = Type.Object({ by: Type.String(), at: Instant });
export const TicketDetail = Type.Intersect([
  TicketSummary,
  Type.Object({
    indicators: Type.Record(Type.String(), Level),
    comment: Type.Union([Type.String(), Type.Null()]),
    assigned: Type.Union([Step, Type.Null()]),
    callback: Type.Union([
      Type.Object({ by: Type.String(), at: Instant, outcome: OutcomeSchema, note: Type.String() }),
      Type.Null(),
    ]),
    closed: Type.Union([Type.Object({ by: Type.String(), at: Instant, reply: Type.String() }), Type.Null()]),
    appeal: Type.Union([Type.Object({ by: Type.String(), at: Instant, reason: Type.String() }), Type.Null()]),
    /** What the signed-in staff member may do now. */
    canAssign: Type.Boolean(),
    canWork: Type.Boolean(),
  }),
]);
export type TicketDetail = Static<typeof TicketDetail>;

export const TicketParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const TicketListQuery = Type.Object({
  status: Type.Optional(TicketStatusSchema),
});
export const AssignTicketBody = Type.Object(
  { assigneeId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const TicketCallbackBody = Type.Object(
  { outcome: OutcomeSchema, note: Type.String({ minLength: 2, maxLength: 300 }) },
  { additionalProperties: false },
);
export type TicketCallbackBody = Static<typeof TicketCallbackBody>;
export const CloseTicketBody = Type.Object(
  { reply: Type.String({ minLength: 5, maxLength: 300 }) },
  { additionalProperties: false },
);
export const VoidTicketBody = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 300 }) },
  { additionalProperties: false },
);

export const EvaluationFiguresQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
});
/** Published figures (好差评公开): rates are 0–1, null when there is nothing to divide by. */
export const EvaluationFigures = Type.Object({
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  evaluations: Type.Integer(),
  satisfied: Type.Integer(),
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  bad: Type.Integer(),
  rectifiedOnTime: Type.Integer(),
  rectifiedOnTimeRate: Type.Union([Type.Number(), Type.Null()]),
  calledBack: Type.Integer(),
  callbackRate: Type.Union([Type.Number(), Type.Null()]),
});
export type EvaluationFigures = Static<typeof EvaluationFigures>;
