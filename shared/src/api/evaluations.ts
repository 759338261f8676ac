import { type Static, Type } from 'typebox';

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
  /** How this case names the stage (the on-site stage of a window case is 网点窗口办理, not 上门收件). */
  label: Type.Optional(Type.String()),
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
