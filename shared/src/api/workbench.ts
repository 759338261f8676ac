import { type Static, type TSchema, Type } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Kept in step with workItemKinds / workItemStatuses / workItemEventKinds in ../workbench/labels. */
export const WorkItemKindSchema = Type.Union([
  Type.Literal('sla_breach'),
  Type.Literal('flagged_delivery'),
  Type.Literal('logistics_exception'),
  Type.Literal('dead_letter'),
  Type.Literal('stuck_case'),
  Type.Literal('ticket'),
]);
export const WorkItemStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('closed'),
]);
const WorkItemEventKindSchema = Type.Union([
  Type.Literal('opened'),
  Type.Literal('assigned'),
  Type.Literal('acknowledged'),
  Type.Literal('noted'),
  Type.Literal('closed'),
]);

const Person = Type.Object({ id: Type.String(), label: Type.String() });

export const WorkItemSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: WorkItemKindSchema,
  /** What exactly was found (a breach kind, a job name…), for the label. */
  sourceKind: Type.String(),
  status: WorkItemStatusSchema,
  title: Type.String(),
  detail: Type.String(),
  matterName: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  bookingNumber: Nullable(Type.String()),
  waybillNo: Nullable(Type.String()),
  /** The deadline missed, when there was one. */
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  /** When the problem arose (deadline passed, flag raised, job gave up). */
  raisedAt: Type.String({ format: 'date-time' }),
  /** When the workbench first listed it. */
  openedAt: Type.String({ format: 'date-time' }),
  assignee: Nullable(Person),
  /** Rectification tickets: worked on the ticket page (call-back before close). */
  ticketId: Nullable(Type.String({ format: 'uuid' })),
  closed: Nullable(Type.Object({ by: Type.String(), at: Type.String(), outcome: Type.String() })),
});
export type WorkItemSummary = Static<typeof WorkItemSummary>;

export const WorkItemEvent = Type.Object({
  id: Type.String(),
  kind: WorkItemEventKindSchema,
  /** Who: a staff label, or 系统 for what the workbench found by itself. */
  by: Type.String(),
  at: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  assignee: Nullable(Type.String()),
});
export type WorkItemEvent = Static<typeof WorkItemEvent>;

export const WorkItemDetail = Type.Intersect([
  WorkItemSummary,
  Type.Object({
    events: Type.Array(WorkItemEvent),
    canAssign: Type.Boolean(),
    canAcknowledge: Type.Boolean(),
    canNote: Type.Boolean(),
    canClose: Type.Boolean(),
  }),
]);
export type WorkItemDetail = Static<typeof WorkItemDetail>;

export const WorkItemListQuery = Type.Object(
  {
    kind: Type.Optional(WorkItemKindSchema),
    /** `active` (default): not closed yet; `all`: every item. */
    status: Type.Optional(Type.Union([WorkItemStatusSchema, Type.Literal('active'), Type.Literal('all')])),
    /** A staff member's id, or `none` for items nobody is named on. */
    assignee: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Literal('none')])),
    /** Only the items assigned to me. */
    mine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WorkItemListQuery = Static<typeof WorkItemListQuery>;

export const WorkItemList = Type.Object({
  items: Type.Array(WorkItemSummary),
  /** Items not closed yet, per kind (of what the caller may see, whatever the filters). */
  counts: Type.Record(Type.String(), Type.Integer()),
  /** Of those, how many are assigned to the caller. */
  mine: Type.Integer(),
});
export type WorkItemList = Static<typeof WorkItemList>;

export const WorkItemParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const AssignWorkItemBody = Type.Object(
  { assigneeId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type AssignWorkItemBody = Static<typeof AssignWorkItemBody>;
export const NoteWorkItemBody = Type.Object(
  { note: Type.String({ maxLength: 300 }) },
  { additionalProperties: false },
);
export type NoteWorkItemBody = Static<typeof NoteWorkItemBody>;
/** The outcome is checked by the route (WORKBENCH_OUTCOME_REQUIRED), so a blank one has its own code. */
export const CloseWorkItemBody = Type.Object(
  { outcome: Type.Optional(Type.String({ maxLength: 300 })) },
  { additionalProperties: false },
);
export type CloseWorkItemBody = Static<typeof CloseWorkItemBody>;
