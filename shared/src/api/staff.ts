import { type Static, Type } from 'typebox';
import { BookingStatusSchema } from './booking';

/** Staff (agents and centre clerks) and the outlet each works at, as a supervisor manages them. */
export const StaffMember = Type.Object({
  id: Type.String(),
  roles: Type.Array(Type.String()),
  /** Masked name, as on the badge (full names stay sealed). */
  name: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  outlet: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
    Type.Null(),
  ]),
});
export type StaffMember = Static<typeof StaffMember>;
export const StaffList = Type.Object({ items: Type.Array(StaffMember) });
export type StaffList = Static<typeof StaffList>;

export const AssignOutletBody = Type.Object(
  { outletId: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type AssignOutletBody = Static<typeof AssignOutletBody>;

/** Who the signed-in staff member is at work: their outlet (or none yet). */
export const StaffProfile = Type.Object({
  outlet: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
    Type.Null(),
  ]),
  /** Minutes within which an open "as soon as possible" order must be accepted (the 1-hour promise). */
  promiseMinutes: Type.Integer(),
});
export type StaffProfile = Static<typeof StaffProfile>;

/** One of the agent's visits today: where it stands and what happened, step by step. */
export const DayVisit = Type.Object({
  id: Type.String(),
  number: Type.String(),
  matterName: Type.String(),
  status: BookingStatusSchema,
  statusLabel: Type.String(),
  /** The county and a masked address: the day list is a record, not a visit in progress. */
  place: Type.String(),
  /** What the agent did today on this visit, oldest first (e.g. 接单 09:10, 已到达 09:40, 材料已收取 09:55). */
  steps: Type.Array(
    Type.Object({ at: Type.String(), title: Type.String(), note: Type.Union([Type.String(), Type.Null()]) }),
  ),
  /** How it ended for this agent today, in a few words. */
  outcome: Type.String(),
  /** Whether the visit is in a sealed bag already (handover recorded). */
  handedOver: Type.Boolean(),
});
export type DayVisit = Static<typeof DayVisit>;
export const AgentDay = Type.Object({ date: Type.String(), items: Type.Array(DayVisit) });
export type AgentDay = Static<typeof AgentDay>;

/** 交接: the sealed bag of collected materials, by its bag code (袋号) or EMS waybill. */
export const CreateHandoverBody = Type.Object(
  {
    code: Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }),
    bookingIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateHandoverBody = Static<typeof CreateHandoverBody>;

export const HandoverItemState = Type.Union([
  Type.Literal('received'),
  Type.Literal('missing'),
  Type.Literal('damaged'),
]);
export type HandoverItemState = Static<typeof HandoverItemState>;

export const HandoverItemView = Type.Object({
  id: Type.String(),
  bookingNumber: Type.String(),
  matterName: Type.String(),
  name: Type.String(),
  copies: Type.Integer(),
  /** Null until the centre checked it. */
  state: Type.Union([HandoverItemState, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const HandoverView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  status: Type.Union([Type.Literal('in_transit'), Type.Literal('received')]),
  from: Type.Object({ id: Type.String(), name: Type.String() }),
  to: Type.Object({ id: Type.String(), name: Type.String() }),
  sealedAt: Type.String(),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(HandoverItemView),
});
export type HandoverView = Static<typeof HandoverView>;
export const HandoverList = Type.Object({ items: Type.Array(HandoverView) });
export type HandoverList = Static<typeof HandoverList>;

/** The centre clerk's check of every item in the bag. */
export const ReceiveHandoverBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String({ format: 'uuid' }),
          state: HandoverItemState,
          note: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type ReceiveHandoverBody = Static<typeof ReceiveHandoverBody>;

/** Per-agent figures for supervisors over a period (the statistics issue charts them). */
export const AgentFigures = Type.Object({
  agentId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  staffNo: Type.Union([Type.String(), Type.Null()]),
  outletId: Type.Union([Type.String(), Type.Null()]),
  /** Visits accepted in the period (each acceptance counts, so a visit handed back and taken again counts twice). */
  visits: Type.Integer(),
  /** Of those that reached the door, how many on time. */
  arrived: Type.Integer(),
  onTime: Type.Integer(),
  /** onTime / arrived, null when none arrived. */
  onTimeShare: Type.Union([Type.Number(), Type.Null()]),
  handBacks: Type.Integer(),
  collected: Type.Integer(),
  /** 好差评 of the agent's door visits given in the period (voided ones left out), and their average level. */
  ratings: Type.Integer(),
  averageRating: Type.Union([Type.Number(), Type.Null()]),
});
export type AgentFigures = Static<typeof AgentFigures>;
export const AgentFiguresResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(AgentFigures),
});
export type AgentFiguresResponse = Static<typeof AgentFiguresResponse>;

/** A collected visit of mine not yet in a sealed bag. */
export const PendingHandover = Type.Object({
  id: Type.String(),
  number: Type.String(),
  matterName: Type.String(),
  /** Collected materials (present, with copies). */
  items: Type.Integer(),
  collectedAt: Type.String(),
});
export const PendingHandoverList = Type.Object({ items: Type.Array(PendingHandover) });
export type PendingHandoverList = Static<typeof PendingHandoverList>;
