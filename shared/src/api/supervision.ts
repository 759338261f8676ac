import { type Static, Type } from 'typebox';

export const BreachKindSchema = Type.Union([
  Type.Literal('visit_not_accepted'),
  Type.Literal('visit_not_reached'),
  Type.Literal('visit_late'),
  Type.Literal('result_not_delivered'),
  Type.Literal('result_late'),
  Type.Literal('logistics_exception'),
  Type.Literal('case_overdue'),
  Type.Literal('case_stuck'),
  /** 替你跑: a supplement deadline passed and no bag was sent. */
  Type.Literal('supplement_overdue'),
  Type.Literal('handover_discrepancy'),
  /** 给付 cases (免申即享, claims): unpaid 21 working days after acceptance, or paid late. */
  Type.Literal('payment_overdue'),
]);
export type BreachKind = Static<typeof BreachKindSchema>;

export const BreachSchema = Type.Object({
  kind: BreachKindSchema,
  label: Type.String(),
  /** The booking (visit breaches) or case (the others). */
  subjectId: Type.String(),
  bookingId: Type.Union([Type.String(), Type.Null()]),
  bookingNumber: Type.Union([Type.String(), Type.Null()]),
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  matterName: Type.String(),
  /** Deadline missed; null for logistics exceptions, which have none. */
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** When it finally happened (late) or was raised (exception); null while outstanding. */
  at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** How late, in minutes (outstanding ones count to now); null for exceptions. */
  minutesLate: Type.Union([Type.Integer(), Type.Null()]),
  detail: Type.String(),
  /**
   * Still open (not reached / not delivered / not completed). A logistics exception stays open (待处理) until a
   * supervisor marks it handled, and opens again if a new flag is raised after that.
   */
  outstanding: Type.Boolean(),
  /** Logistics exceptions: the flagged leg, to mark handled at POST /supervision/findings/:findingId/handle. */
  findingId: Type.Optional(Type.String()),
  /** Who handled it, when, and what they did. */
  handled: Type.Optional(
    Type.Union([Type.Object({ by: Type.String(), at: Type.String(), note: Type.String() }), Type.Null()]),
  ),
});
export type Breach = Static<typeof BreachSchema>;

export const BreachListResponse = Type.Object({
  items: Type.Array(BreachSchema),
  counts: Type.Record(Type.String(), Type.Integer()),
});
export type BreachListResponse = Static<typeof BreachListResponse>;

export const HandleFindingBody = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);
export type HandleFindingBody = Static<typeof HandleFindingBody>;
