import { type Static, Type } from 'typebox';
import { BAG_CODE_PATTERN } from '../bags/code';
import { AddressSchema, ContactSchema } from './booking';

/**
 * 替你跑 (journey 5): courier bags whose QR sends missing materials (补齐补正) to the service centre for free.
 *
 * A bag code is 12 characters of Crockford base32 without I L O U (`0-9 A-H J K M N P-T V-Z`), shown and
 * printed in groups `XXXX-XXXX-XXXX`; the last 4 characters are a keyed tag, so a mistyped or forged code is
 * refused without a database lookup. Input is forgiving: lower case, spaces and dashes are ignored, and a
 * whole label URL `<BAG_URL_BASE>/b/<code>` is accepted where a code is. The label QR holds that URL.
 * Bag states: issued → bound (to one supplement of one case) → sent → received.
 *
 * Routes (JSON unless said; errors are ErrorResponse with a code from shared/src/errors.ts):
 *
 * Resident (signed in; any role may scan its own bags):
 * - GET  /bags/:code                 resolve a scanned/typed code: a bound bag → its case and exactly what is
 *                                    missing (items with specification, deadline); an unbound bag → the
 *                                    resident's cases needing supplements (`candidates`; pick one caseId at
 *                                    confirm) and incomplete door visits (`visits`; or one bookingId). Also the hand-over options (pickup windows, outlets). Read only.
 *                                    Rate limited per user (RATE_LIMITED).
 * - POST /bags/:code/confirm         header Idempotency-Key (required): send the bag. Binds an unbound bag to
 *                                    `caseId`, or to `bookingId` (an incomplete visit: its case opens as
 *                                    awaiting_materials and is submitted once the centre has it all), records the ticked items and the hand-over (free EMS pickup at
 *                                    an address and window, or drop at a listed outlet), creates the
 *                                    supplement_to_centre EMS leg. A retry with the same key and body returns
 *                                    the same answer (200); the same key with another body → 422
 *                                    IDEMPOTENCY_KEY_REUSED. 201 when first done.
 *
 * Staff:
 * - POST /staff/bag-batches          supervisor | centre_clerk: create a batch of bags (count, valid until).
 * - GET  /staff/bag-batches          supervisor | centre_clerk: batches, newest first, with counts by state.
 * - GET  /staff/bag-batches/:id/labels.svg
 *                                    supervisor | centre_clerk: printable A4 label sheet(s) as one SVG
 *                                    (image/svg+xml; a QR of `<BAG_URL_BASE>/b/<code>` and the code in text).
 * - GET  /staff/bags/:code           centre_clerk | supervisor | postal_agent: one bag as staff see it (state,
 *                                    case, supplement items with what the resident ticked, EMS leg).
 * - POST /staff/bags/:code/bind      centre_clerk (body {caseNumber}: a case whose platform asked for 补正) |
 *                                    postal_agent (body {bookingId}: a visit of theirs whose review found
 *                                    materials missing): hand the bag out bound to that supplement.
 * - POST /staff/bags/:code/receive   centre_clerk: the bag arrived at the centre; tick every item as present or
 *                                    not. Complete → pushed to the platform (the case resumes); incomplete →
 *                                    one new complete missing list (一次性告知) for the resident.
 * - GET  /supervision/bag-stats      supervisor: 替你跑 figures (uses, by state).
 *
 * Door visits with 容缺受理 (matter.tolerantAcceptance): POST /staff/visits/:id/review accepts an optional
 * `tolerate: { bagCode }` (ReviewBody): the agent collects what is complete and leaves that bag bound to the
 * rest (see shared/src/api/booking.ts).
 */

export const BagStateSchema = Type.Union([
  Type.Literal('issued'),
  Type.Literal('bound'),
  Type.Literal('sent'),
  Type.Literal('received'),
]);
export type BagState = Static<typeof BagStateSchema>;

/** A typed or scanned code: forgiving (case, spaces, dashes, or the whole label URL); checked by the BFF. */
export const BagCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }) });
export type BagCodeParams = Static<typeof BagCodeParams>;

/** One thing to supplement (补正材料) with what the platform or reviewer asked for. */
export const SupplementItemSchema = Type.Object({
  /** Stable within the supplement: tick it by this id. */
  id: Type.String(),
  name: Type.String(),
  /** Why it is asked for / what is wrong (e.g. 未提供, 复印件不清晰). */
  reason: Type.String(),
  /** 规格: form and count when known (e.g. 原件1份, 复印件2份), else null. */
  specification: Type.Union([Type.String(), Type.Null()]),
});
export type SupplementItem = Static<typeof SupplementItemSchema>;

/** A supplement request (补齐补正) of one case, as the resident sees it. */
export const SupplementViewSchema = Type.Object({
  caseId: Type.String({ format: 'uuid' }),
  /** PROJID 办件编号; null while the platform has not numbered the case yet. */
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  matterName: Type.String(),
  /**
   * platform: 补正 asked by the platform; door: 容缺受理 at a door visit; visit: a door visit that ended 材料不齐
   * sent later by bag; centre: still missing after a bag.
   */
  source: Type.Union([
    Type.Literal('platform'),
    Type.Literal('door'),
    Type.Literal('visit'),
    Type.Literal('centre'),
  ]),
  items: Type.Array(SupplementItemSchema),
  /** Instant the materials must be sent by, and the same as a Beijing calendar day. */
  deadline: Type.String({ format: 'date-time' }),
  deadlineDate: Type.String({ format: 'date' }),
});
export type SupplementView = Static<typeof SupplementViewSchema>;

export const PickupWindowSchema = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
});
export type PickupWindow = Static<typeof PickupWindowSchema>;

export const DropOutletSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.String(),
  phone: Type.String(),
  /** Opening hours in words, e.g. 周一至周五 09:00-17:00. */
  hours: Type.String(),
});
export type DropOutlet = Static<typeof DropOutletSchema>;

/**
 * A door visit whose review ended 材料不齐 (一次性告知, no case opened) that an unbound bag can carry instead of
 * re-booking: within VISIT_BAG_LOOKBACK_DAYS of the review, not re-booked (no later booking of the same matter
 * that is still on or done), not sent already (no case for it). Confirming opens its case (awaiting_materials);
 * the centre's complete receipt submits it to the platform.
 */
export const VisitTargetSchema = Type.Object({
  bookingId: Type.String({ format: 'uuid' }),
  bookingNumber: Type.String(),
  matterName: Type.String(),
  /** When the agent's review found the materials incomplete. */
  reviewedAt: Type.String({ format: 'date-time' }),
  /** Last Beijing day the visit can still be sent by bag. */
  sendByDate: Type.String({ format: 'date' }),
  /** What the review found missing (tick what goes into the bag). */
  items: Type.Array(SupplementItemSchema),
  /** Materials the agent checked at the door (not collected): they go into the bag too. */
  checkedAtDoor: Type.Array(Type.String()),
});
export type VisitTarget = Static<typeof VisitTargetSchema>;

/** GET /bags/:code (200): the bag and what to do with it. */
export const BagScanResponse = Type.Object({
  code: Type.String({ pattern: BAG_CODE_PATTERN }),
  /** Only `issued` (unbound) or `bound` here; a used bag is refused (BAG_ALREADY_USED). */
  state: BagStateSchema,
  /** The batch's last valid day (Beijing). */
  validUntil: Type.String({ format: 'date' }),
  /** Bound bag: the supplement it carries; null when unbound. */
  supplement: Type.Union([SupplementViewSchema, Type.Null()]),
  /** Unbound bag: the resident's cases that need supplements (pick one: caseId at confirm). Empty when bound. */
  candidates: Type.Array(SupplementViewSchema),
  /** Unbound bag: the resident's incomplete door visits it can carry (pick one: bookingId at confirm). */
  visits: Type.Array(VisitTargetSchema),
  /** Free EMS pickup windows (上门揽收) to choose from, soonest first. */
  pickupWindows: Type.Array(PickupWindowSchema),
  /** Or drop the bag at one of these outlets (邮政网点). */
  outlets: Type.Array(DropOutletSchema),
});
export type BagScanResponse = Static<typeof BagScanResponse>;

export const BagHandoverInput = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('pickup'),
      address: AddressSchema,
      /** One of pickupWindows (start and end as given). */
      window: PickupWindowSchema,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('outlet'), outletId: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
]);
export type BagHandoverInput = Static<typeof BagHandoverInput>;

/** POST /bags/:code/confirm body (with header Idempotency-Key). */
export const ConfirmBagBody = Type.Object(
  {
    /**
     * An unbound bag carries exactly one of: a case of `candidates` (caseId) or a visit of `visits`
     * (bookingId); both or neither → BAG_TARGET_AMBIGUOUS. A bound bag: caseId may be given and must match.
     */
    caseId: Type.Optional(Type.String({ format: 'uuid' })),
    bookingId: Type.Optional(Type.String({ format: 'uuid' })),
    /**
     * Item ids put into the bag: at least one (none → VALIDATION_FAILED, or VISIT_ITEMS_REQUIRED for a visit);
     * all of them for a complete supplement.
     */
    items: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 60 }),
    /** Sender on the EMS waybill (the courier calls this phone). */
    contact: ContactSchema,
    handover: BagHandoverInput,
  },
  { additionalProperties: false },
);
export type ConfirmBagBody = Static<typeof ConfirmBagBody>;

/** The bag's EMS leg (supplement_to_centre). */
export const BagShipmentSchema = Type.Object({
  /** Unified EMS status (emsStatusLabels) and its label. */
  status: Type.String(),
  statusLabel: Type.String(),
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  handover: Type.Union([Type.Literal('pickup'), Type.Literal('outlet')]),
  /** Pickup: the chosen window; outlet: null. */
  window: Type.Union([PickupWindowSchema, Type.Null()]),
  /** Outlet drop: where; pickup: null. */
  outlet: Type.Union([DropOutletSchema, Type.Null()]),
});
export type BagShipment = Static<typeof BagShipmentSchema>;

/** POST /bags/:code/confirm (201 first time, 200 on an idempotent retry). */
export const BagConfirmation = Type.Object({
  code: Type.String({ pattern: BAG_CODE_PATTERN }),
  state: BagStateSchema,
  caseId: Type.String({ format: 'uuid' }),
  /** The ticked items (as shown when scanning). */
  items: Type.Array(SupplementItemSchema),
  /** Items of the supplement that were not ticked: still to send (another bag) before the deadline. */
  notIncluded: Type.Array(SupplementItemSchema),
  shipment: BagShipmentSchema,
  /** One plain sentence: what happens next. */
  nextStep: Type.String(),
});
export type BagConfirmation = Static<typeof BagConfirmation>;

// ——— staff ———

export const CreateBagBatchBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** Last valid day (Beijing), today or later. */
    validUntil: Type.String({ format: 'date' }),
    note: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CreateBagBatchBody = Static<typeof CreateBagBatchBody>;

export const BagBatchSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  count: Type.Integer(),
  validUntil: Type.String({ format: 'date' }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  /** Bags by state. */
  states: Type.Object({
    issued: Type.Integer(),
    bound: Type.Integer(),
    sent: Type.Integer(),
    received: Type.Integer(),
  }),
  /** GET this (with the staff token) for the printable label sheet. */
  labelsUrl: Type.String(),
});
export type BagBatch = Static<typeof BagBatchSchema>;

/** POST /staff/bag-batches (201): the batch and its codes. */
export const CreatedBagBatch = Type.Object({
  ...BagBatchSchema.properties,
  codes: Type.Array(Type.String({ pattern: BAG_CODE_PATTERN })),
});
export type CreatedBagBatch = Static<typeof CreatedBagBatch>;

export const BagBatchList = Type.Object({ items: Type.Array(BagBatchSchema) });
export type BagBatchList = Static<typeof BagBatchList>;

export const BagBatchParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** POST /staff/bags/:code/bind: the centre window by case number, the agent by their visit. */
export const BindBagBody = Type.Union([
  Type.Object({ caseNumber: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ bookingId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
]);
export type BindBagBody = Static<typeof BindBagBody>;

/** POST /staff/bags/:code/receive: every item of the bag's supplement, present or not. */
export const ReceiveBagBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { id: Type.String({ minLength: 1, maxLength: 64 }), present: Type.Boolean() },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 60 },
    ),
  },
  { additionalProperties: false },
);
export type ReceiveBagBody = Static<typeof ReceiveBagBody>;

/** A bag as staff see it (no personal data: the applicant's name is masked). */
export const StaffBagView = Type.Object({
  code: Type.String({ pattern: BAG_CODE_PATTERN }),
  state: BagStateSchema,
  validUntil: Type.String({ format: 'date' }),
  expired: Type.Boolean(),
  /** Bound: the supplement, with `ticked` = what the resident said they put in (empty until sent). */
  supplement: Type.Union([
    Type.Object({
      ...SupplementViewSchema.properties,
      applicantName: Type.String({ description: 'masked, e.g. 张*' }),
      ticked: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  shipment: Type.Union([BagShipmentSchema, Type.Null()]),
  /** After receipt: complete, or incomplete with the new complete list sent to the resident. */
  receipt: Type.Union([
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      complete: Type.Boolean(),
      missing: Type.Array(SupplementItemSchema),
    }),
    Type.Null(),
  ]),
});
export type StaffBagView = Static<typeof StaffBagView>;

/** GET /supervision/bag-stats: 替你跑 figures. `uses` = bags sent by residents (sent + received). */
export const BagStatsResponse = Type.Object({
  uses: Type.Integer(),
  bags: Type.Object({
    issued: Type.Integer(),
    bound: Type.Integer(),
    sent: Type.Integer(),
    received: Type.Integer(),
  }),
  /** Received at the centre complete on first receipt / with items still missing. */
  receivedComplete: Type.Integer(),
  receivedIncomplete: Type.Integer(),
  /** Supplements whose deadline passed without a bag sent. */
  deadlinesMissed: Type.Integer(),
});
export type BagStatsResponse = Static<typeof BagStatsResponse>;
