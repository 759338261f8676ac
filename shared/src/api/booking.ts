import { type Static, Type } from 'typebox';
import { BundleBookingInput } from './bundles';
import { CaseStatusSchema } from './cases';

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

export const BookingStatusSchema = Type.Union([
  Type.Literal('requested'),
  Type.Literal('assigned'),
  Type.Literal('en_route'),
  Type.Literal('arrived'),
  Type.Literal('reviewing'),
  Type.Literal('collected'),
  Type.Literal('handed_over'),
  Type.Literal('case_submitted'),
  Type.Literal('materials_incomplete'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

/** Structured address (省/市/区县/详细地址). */
export const AddressSchema = Type.Object(
  { province: Text(20), city: Text(20), county: Text(20), detail: Text(120, 2) },
  { additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

export const ContactSchema = Type.Object(
  { name: Text(30), phone: Text(20) },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;

export const VisitWindowInput = Type.Union([
  Type.Object({ kind: Type.Literal('asap') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('slot'), slotId: Type.String({ format: 'uuid' }) },
    { additionalProperties: false },
  ),
]);
export type VisitWindowInput = Static<typeof VisitWindowInput>;

/** 委托全程代办: the resident entrusts the postal agent; the power of attorney (授权委托书) is recorded. */
export const EntrustInput = Type.Object(
  { scope: Text(200, 2), validUntil: Type.String({ format: 'date' }) },
  { additionalProperties: false },
);

/** A point on the map (GCJ-02, as Taro.chooseLocation gives it): the agent navigates to it. */
export const GeoPoint = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);
export type GeoPoint = Static<typeof GeoPoint>;

export const CreateBookingBody = Type.Object(
  {
    matterCode: Text(64),
    address: AddressSchema,
    contact: ContactSchema,
    window: VisitWindowInput,
    entrust: Type.Optional(EntrustInput),
    /** 备注 for the agent (e.g. 门铃坏了请打电话): stored sealed, shown to the agent on the visit. */
    note: Type.Optional(Type.String({ maxLength: 200 })),
    /** Where the door is on the map, when the resident picked it. */
    location: Type.Optional(GeoPoint),
    /** 一件事一次办: matterCode is then the bundle's code; the situation and the merged form come here. */
    bundle: Type.Optional(BundleBookingInput),
  },
  { additionalProperties: false },
);
export type CreateBookingBody = Static<typeof CreateBookingBody>;

export const RescheduleBody = Type.Object({ window: VisitWindowInput }, { additionalProperties: false });
export const CancelBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const AgentCancelBody = Type.Object({ reason: Text(200, 2) }, { additionalProperties: false });
/** AB岗 hand-back: why this agent can't go (told to the resident). */
export const HandBackBody = Type.Object({ reason: Text(200, 2) }, { additionalProperties: false });
export type HandBackBody = Static<typeof HandBackBody>;

export const MissingItem = Type.Object({
  materialId: Type.String(),
  name: Type.String(),
  reason: Type.String(),
});
export type MissingItem = Static<typeof MissingItem>;

export const BookingEvent = Type.Object({
  /** created, status_changed, rescheduled (BookingEventKind): read this, not the note. */
  kind: Type.Union([
    Type.Literal('created'),
    Type.Literal('status_changed'),
    Type.Literal('rescheduled'),
    Type.Literal('handed_back'),
    Type.Literal('handover_sealed'),
    Type.Literal('centre_received'),
  ]),
  status: BookingStatusSchema,
  at: Type.String(),
  actor: Type.Union([Type.Literal('resident'), Type.Literal('agent'), Type.Literal('system')]),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const BookingView = Type.Object({
  id: Type.String(),
  /** Booking number (预约号) a person can read out on the phone. */
  number: Type.String(),
  status: BookingStatusSchema,
  statusLabel: Type.String(),
  matter: Type.Object({ code: Type.String(), name: Type.String() }),
  window: Type.Object({
    kind: Type.Union([Type.Literal('asap'), Type.Literal('slot')]),
    start: Type.Union([Type.String(), Type.Null()]),
    end: Type.Union([Type.String(), Type.Null()]),
  }),
  /** When the agent must be at the door (asap: 1 hour after acceptance; slot: the end of the window). */
  dueAt: Type.Union([Type.String(), Type.Null()]),
  /** Masked for the resident's screens; the agent's visit view has it in full (and the read is audited). */
  address: AddressSchema,
  contact: ContactSchema,
  entrust: Type.Union([
    Type.Object({ scope: Type.String(), validUntil: Type.String(), recordedAt: Type.String() }),
    Type.Null(),
  ]),
  /** 一次性告知: everything missing, in one list, when the visit ended as materials incomplete. */
  missingItems: Type.Union([Type.Array(MissingItem), Type.Null()]),
  /** The government case number (办件编号, PROJID) once submitted. */
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  /** Who is coming, once an agent accepted: name, 工号 and the work phone, masked (the full number on a call). */
  agent: Type.Union([
    Type.Object({
      name: Type.String(),
      staffNo: Type.Union([Type.String(), Type.Null()]),
      phone: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  /**
   * The case the collected materials became. Once it exists it is the one truth about progress: screens show
   * its status, not the booking's last step.
   */
  case: Type.Union([
    Type.Object({ id: Type.String(), status: CaseStatusSchema, statusLabel: Type.String() }),
    Type.Null(),
  ]),
  /** 一件事一次办: the bundle booked and its situation; its timeline is at GET /bookings/:id/bundle. */
  bundle: Type.Optional(
    Type.Union([
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        situation: Type.Object({ id: Type.String(), name: Type.String() }),
      }),
      Type.Null(),
    ]),
  ),
  events: Type.Array(BookingEvent),
  createdAt: Type.String(),
  /** The resident's note for the agent (their own, or the agent's while the visit is theirs). */
  note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** The door on the map (same visibility as the full address). */
  location: Type.Optional(Type.Union([GeoPoint, Type.Null()])),
});
export type BookingView = Static<typeof BookingView>;

/**
 * What a new booking starts from when the resident books again (e.g. after 材料不齐): the earlier booking's
 * matter, address, contact and entrust in full (their own data, for their own form) and what was missing.
 */
export const RebookDraft = Type.Object({
  matterCode: Type.String(),
  address: AddressSchema,
  contact: ContactSchema,
  entrust: Type.Union([Type.Object({ scope: Type.String(), validUntil: Type.String() }), Type.Null()]),
  missingItems: Type.Array(MissingItem),
  /**
   * 一件事一次办: the earlier booking's bundle, situation and merged form (in full: the owner's own), booked again
   * as they were (the form may be edited); null for a single matter.
   */
  bundle: Type.Optional(
    Type.Union([
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        situation: Type.Object({ id: Type.String(), name: Type.String() }),
        form: Type.Record(Type.String(), Type.String()),
      }),
      Type.Null(),
    ]),
  ),
});
export type RebookDraft = Static<typeof RebookDraft>;

/** The agent's full work phone, for the resident to call while the visit is on. */
export const AgentPhoneResponse = Type.Object({ phone: Type.String() });
export type AgentPhoneResponse = Static<typeof AgentPhoneResponse>;

export const BookingList = Type.Object({ items: Type.Array(BookingView) });

/** Where a new booking form starts: the resident's last address (their latest booking), in full, or null. */
export const BookingDefaults = Type.Object({ address: Type.Union([AddressSchema, Type.Null()]) });
export type BookingDefaults = Static<typeof BookingDefaults>;

export const SlotView = Type.Object({
  id: Type.String(),
  start: Type.String(),
  end: Type.String(),
  remaining: Type.Integer(),
});
export const SlotsResponse = Type.Object({
  outlet: Type.Object({ id: Type.String(), name: Type.String() }),
  slots: Type.Array(SlotView),
});
export type SlotsResponse = Static<typeof SlotsResponse>;

/** The agent's review (初审) of one material from the matter's checklist. */
export const ReviewItemInput = Type.Object(
  { materialId: Text(64), present: Type.Boolean(), copies: Type.Integer({ minimum: 0, maximum: 99 }) },
  { additionalProperties: false },
);
export const ReviewBody = Type.Object(
  {
    items: Type.Array(ReviewItemInput, { minItems: 1, maxItems: 60 }),
    /**
     * 容缺受理 (only for matters with tolerantAcceptance): when something is missing, collect what is complete
     * and leave this courier bag bound to the rest instead of ending the visit (see shared/src/api/bags.ts).
     */
    tolerate: Type.Optional(
      Type.Object(
        { bagCode: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const ChecklistItem = Type.Object({
  materialId: Type.String(),
  name: Type.String(),
  form: Type.String(),
  count: Type.Integer(),
  required: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  /**
   * 一件事一次办: the matters of the situation that ask for this line of the merged list, and whether each allows
   * 容缺受理 (missing it, that matter is taken now and supplements later; otherwise it waits for the bag).
   */
  matters: Type.Optional(Type.Array(Type.Object({ name: Type.String(), tolerant: Type.Boolean() }))),
});

export const VisitView = Type.Object({
  ...BookingView.properties,
  checklist: Type.Array(ChecklistItem),
  /** Past dueAt and not yet at the door. */
  overdue: Type.Boolean(),
  /** Accepted by the agent asking. */
  mine: Type.Boolean(),
  /** The matter allows 容缺受理: with items missing, the agent may collect and leave a bag (review `tolerate`). */
  tolerantAcceptance: Type.Optional(Type.Boolean()),
  /**
   * An open order must be accepted by then (the 1-hour promise for "as soon as possible", the window's start
   * for a slot); null once accepted.
   */
  acceptBy: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** The serving post office (网点) the visit belongs to. */
  outletId: Type.Optional(Type.String()),
});
export type VisitView = Static<typeof VisitView>;
export const VisitList = Type.Object({ items: Type.Array(VisitView) });
