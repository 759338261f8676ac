import { type Static, Type } from 'typebox';
import { AddressSchema, ChecklistItem, ContactSchema, MissingItem, ReviewItemInput } from './booking';

/**
 * 网点就近办: a post office's government window. A resident books a window appointment (预约) in one of the
 * outlet's slots, or walks in; an outlet clerk (网点政务专窗) serves them: identity, the same checklist review
 * as at the door (一次性告知), collection, the case to the platform as an outlet-window case, the materials to
 * the centre by EMS, and the acceptance receipt (受理单) with its code for result mailing.
 */
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

export const windowAppointmentStatuses = ['booked', 'served', 'cancelled', 'no_show'] as const;
export type WindowAppointmentStatus = (typeof windowAppointmentStatuses)[number];
export const windowAppointmentStatusLabels: Record<WindowAppointmentStatus, string> = {
  booked: '已预约',
  served: '已办理',
  cancelled: '已取消',
  no_show: '已过号',
};

export const windowIntakeStatuses = ['reviewing', 'incomplete', 'collected'] as const;
export type WindowIntakeStatus = (typeof windowIntakeStatuses)[number];
export const windowIntakeStatusLabels: Record<WindowIntakeStatus, string> = {
  reviewing: '核对材料中',
  incomplete: '材料不齐',
  collected: '已收件',
};

const AppointmentStatusSchema = Type.Union([
  Type.Literal('booked'),
  Type.Literal('served'),
  Type.Literal('cancelled'),
  /** Not served by the end of its slot (爽约): closed by a sweep, the resident told, no case opened. */
  Type.Literal('no_show'),
]);
const IntakeStatusSchema = Type.Union([
  Type.Literal('reviewing'),
  Type.Literal('incomplete'),
  Type.Literal('collected'),
]);

export const WindowAppointmentBody = Type.Object(
  { matterCode: Text(64), outletId: Text(40), slotId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type WindowAppointmentBody = Static<typeof WindowAppointmentBody>;

/** 改约: another slot of the same outlet (same rules as booking: in its hours, not full, not too soon). */
export const RescheduleWindowAppointmentBody = Type.Object(
  { slotId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type RescheduleWindowAppointmentBody = Static<typeof RescheduleWindowAppointmentBody>;

export const WindowAppointmentView = Type.Object({
  id: Type.String(),
  /** 预约号 */
  number: Type.String(),
  matterCode: Type.String(),
  matterName: Type.String(),
  outlet: Type.Object({
    id: Type.String(),
    name: Type.String(),
    address: Type.String(),
    phone: Type.String(),
  }),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  status: AppointmentStatusSchema,
  statusLabel: Type.String(),
  /** The case opened when the window collected the materials. */
  caseId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WindowAppointmentView = Static<typeof WindowAppointmentView>;
export const WindowAppointmentList = Type.Object({ items: Type.Array(WindowAppointmentView) });
export type WindowAppointmentList = Static<typeof WindowAppointmentList>;

/** The applicant as the clerk types them from the ID card presented (walk-in). */
export const WindowApplicantInput = Type.Object(
  { name: Text(30), idNumber: Text(18, 15), phone: Text(20), address: Text(120, 2) },
  { additionalProperties: false },
);
export const WalkInBody = Type.Object(
  { matterCode: Text(64), applicant: WindowApplicantInput },
  { additionalProperties: false },
);
export type WalkInBody = Static<typeof WalkInBody>;

/** Serving an appointment: the ID card presented must be the booking resident's own (实名). */
export const ServeAppointmentBody = Type.Object(
  { idNumber: Text(18, 15), phone: Text(20), address: Text(120, 2) },
  { additionalProperties: false },
);
export type ServeAppointmentBody = Static<typeof ServeAppointmentBody>;

export const WindowReviewBody = Type.Object(
  {
    items: Type.Array(ReviewItemInput, { minItems: 1, maxItems: 60 }),
    /**
     * 容缺受理 (only for matters with tolerantAcceptance), as at the door: when something is missing, collect
     * what is complete and give the applicant this courier bag (替你跑) bound to the rest.
     */
    tolerate: Type.Optional(
      Type.Object(
        { bagCode: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
    ),
    /**
     * 结果邮寄: the applicant chooses at the window to have the result mailed (单程寄递, paid by the government);
     * the platform is told with the submission.
     */
    resultMailing: Type.Optional(
      Type.Object({ address: AddressSchema, contact: ContactSchema }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type WindowReviewBody = Static<typeof WindowReviewBody>;

export const WindowIntakeView = Type.Object({
  id: Type.String(),
  outletId: Type.String(),
  appointmentId: Type.Union([Type.String(), Type.Null()]),
  appointmentNumber: Type.Union([Type.String(), Type.Null()]),
  matterCode: Type.String(),
  matterName: Type.String(),
  /** Masked, as everywhere. */
  applicant: Type.Object({ name: Type.String(), idNumber: Type.String(), phone: Type.String() }),
  status: IntakeStatusSchema,
  statusLabel: Type.String(),
  checklist: Type.Array(ChecklistItem),
  /** 一次性告知: everything missing, in one list (collected under 容缺受理: what the bag will bring). */
  missingItems: Type.Union([Type.Array(MissingItem), Type.Null()]),
  /** The matter allows 容缺受理 at this window (review `tolerate`). */
  tolerantAcceptance: Type.Boolean(),
  /** Collected under 容缺受理: the missing items follow in a 替你跑 bag. */
  tolerated: Type.Boolean(),
  /** The applicant chose result mailing at the window. */
  resultMailing: Type.Boolean(),
  caseId: Type.Union([Type.String(), Type.Null()]),
  /** PROJID and the receipt's 查询码, once the platform has taken the case. */
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  queryCode: Type.Union([Type.String(), Type.Null()]),
  /** The receipt QR's URL (result mailing, 单程寄递). */
  receiptUrl: Type.Union([Type.String(), Type.Null()]),
  /** The EMS leg carrying the materials to the centre. */
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  collectedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type WindowIntakeView = Static<typeof WindowIntakeView>;

/** The clerk's window: appointments from today (Beijing date) through the coming week, and today's intakes. */
export const WindowToday = Type.Object({
  outlet: Type.Object({ id: Type.String(), name: Type.String() }),
  date: Type.String({ format: 'date' }),
  appointments: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      matterName: Type.String(),
      /** Masked name of the booking resident. */
      applicantName: Type.String(),
      start: Type.String({ format: 'date-time' }),
      end: Type.String({ format: 'date-time' }),
      status: AppointmentStatusSchema,
      statusLabel: Type.String(),
      intakeId: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  intakes: Type.Array(
    Type.Object({
      id: Type.String(),
      matterName: Type.String(),
      applicantName: Type.String(),
      status: IntakeStatusSchema,
      statusLabel: Type.String(),
      caseNumber: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
export type WindowToday = Static<typeof WindowToday>;

/** 受理单: a printable SVG (A5 portrait) with the case number, the query code and the QR for result mailing. */
export const WindowReceipt = Type.Object({
  caseNumber: Type.String(),
  queryCode: Type.String(),
  receiptUrl: Type.String(),
  svg: Type.String(),
});
export type WindowReceipt = Static<typeof WindowReceipt>;
