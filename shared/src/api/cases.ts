import { type Static, Type } from 'typebox';

export const CaseStatusSchema = Type.Union([
  Type.Literal('awaiting_materials'),
  Type.Literal('submitting'),
  Type.Literal('received'),
  Type.Literal('in_progress'),
  Type.Literal('supplement_required'),
  Type.Literal('suspended'),
  Type.Literal('completed'),
  Type.Literal('result_shipping'),
  Type.Literal('delivered'),
  Type.Literal('refused'),
  Type.Literal('returned'),
]);

const Flag = Type.Object({
  code: Type.String({
    description: 'delivery_failed | proxy_unverified | parcel_point | returned | exception',
  }),
  label: Type.String(),
  detail: Type.String(),
});

/** A promised or deadline date: a Beijing calendar day, `provisional` when that year's calendar is unpublished. */
const Deadline = Type.Object({
  date: Type.String({ format: 'date' }),
  provisional: Type.Boolean(),
});

export const CaseSummarySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  /** PROJID 办件编号, null until the platform has taken the case. */
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  matterName: Type.String(),
  status: CaseStatusSchema,
  statusLabel: Type.String(),
  promised: Type.Union([Deadline, Type.Null()]),
  /** Something needs the resident's attention (supplement, failed delivery…). */
  attention: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type CaseSummary = Static<typeof CaseSummarySchema>;

export const CaseListResponse = Type.Object({ items: Type.Array(CaseSummarySchema) });
export type CaseListResponse = Static<typeof CaseListResponse>;

export const CaseShipmentSchema = Type.Object({
  leg: Type.String({ description: 'materials_to_centre | supplement_to_centre | result_to_applicant' }),
  legLabel: Type.String(),
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'Unified EMS status, see emsStatusLabels' }),
  statusLabel: Type.String(),
  flags: Type.Array(Flag),
});
export type CaseShipment = Static<typeof CaseShipmentSchema>;

export const TimelineItemSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  /**
   * centre: the service centre received a bag (补正材料), complete or with what is still missing; window: the
   * post office's government window (网点就近办): appointment and intake.
   */
  source: Type.Union([
    Type.Literal('booking'),
    Type.Literal('window'),
    Type.Literal('gov'),
    Type.Literal('ems'),
    Type.Literal('centre'),
  ]),
  title: Type.String(),
  detail: Type.Optional(Type.String()),
  /** EMS events: which leg, the waybill, the raw opCode and our unified status beside it. */
  leg: Type.Optional(Type.String()),
  waybillNo: Type.Optional(Type.String()),
  opCode: Type.Optional(Type.String()),
  emsStatus: Type.Optional(Type.String()),
  /** Government events: the stage code (1, 2, 3, 4, 11, 12, 99). */
  stage: Type.Optional(Type.String()),
  flag: Type.Optional(Flag),
});
export type TimelineItem = Static<typeof TimelineItemSchema>;

export const CaseDetailSchema = Type.Object({
  ...CaseSummarySchema.properties,
  bookingId: Type.Union([Type.String(), Type.Null()]),
  bookingNumber: Type.Union([Type.String(), Type.Null()]),
  promisedWorkingDays: Type.Integer(),
  /** 下一步: one plain sentence. */
  nextStep: Type.String(),
  supplement: Type.Union([
    Type.Object({
      items: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() })),
      deadline: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** How the case came in (caseChannels) and who applies: a person, or an enterprise by its operator. */
  channel: Type.String({ description: 'door_visit | online | outlet_window | enterprise_claim | bundle' }),
  applicantKind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  /** Set when work on the case is stuck (e.g. the platform refused the submission): a plain sentence. */
  problem: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([
    Type.Object({
      documentName: Type.String(),
      kind: Type.Union([Type.Literal('physical'), Type.Literal('electronic')]),
      issuedAt: Type.String({ format: 'date-time' }),
      /** 送达时限: delivered within 2 working days of issue. */
      deliverBy: Type.Union([Deadline, Type.Null()]),
      deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      late: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  shipments: Type.Array(CaseShipmentSchema),
  /** Oldest first. */
  timeline: Type.Array(TimelineItemSchema),
});
export type CaseDetail = Static<typeof CaseDetailSchema>;

/** Subscribe-message templates the app may ask for, and the grants the person holds. */
export const SubscriptionsResponse = Type.Object({
  templates: Type.Array(
    Type.Object({ kind: Type.String(), templateId: Type.String(), title: Type.String() }),
  ),
  /** kind → messages we may still send (one per accept). */
  grants: Type.Record(Type.String(), Type.Integer()),
});
export type SubscriptionsResponse = Static<typeof SubscriptionsResponse>;

/** What Taro.requestSubscribeMessage resolved with: template id → accept | reject | ban | filter. */
export const RecordSubscriptionsBody = Type.Object(
  {
    results: Type.Record(
      Type.String({ maxLength: 64 }),
      Type.Union([
        Type.Literal('accept'),
        Type.Literal('reject'),
        Type.Literal('ban'),
        Type.Literal('filter'),
      ]),
      { maxProperties: 5, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type RecordSubscriptionsBody = Static<typeof RecordSubscriptionsBody>;
