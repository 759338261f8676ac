import { type Static, Type } from 'typebox';
import { AddressSchema, ContactSchema } from './booking';
import { CaseSummarySchema } from './cases';
import { MatterMaterial } from './catalogue';

const literals = <const T extends string>(...values: T[]) => Type.Enum(values);
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);

export const CreditCodeParam = Type.Object({
  creditCode: Type.String({ minLength: 1, maxLength: 32 }),
});

/** 企业绑定: by the enterprise's 统一社会信用代码. */
export const BindEnterpriseBody = Type.Object(
  { creditCode: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);
export type BindEnterpriseBody = Static<typeof BindEnterpriseBody>;

export const EnterpriseBindingView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  creditCode: Type.String(),
  enterpriseName: Type.String(),
  address: Type.String(),
  /** As the registry gives it, masked (张*). */
  legalRepresentative: Type.String(),
  role: literals('admin', 'clerk'),
  status: literals('pending', 'active', 'refused', 'revoked'),
  statusLabel: Type.String(),
  requestedAt: Instant,
  decidedAt: NullableInstant,
});
export type EnterpriseBindingView = Static<typeof EnterpriseBindingView>;

export const BindEnterpriseResponse = Type.Object({
  binding: EnterpriseBindingView,
  /** The code passed but its check character does not follow GB 32100 (early pilot codes): please re-check. */
  warning: Type.Optional(Type.String()),
});
export type BindEnterpriseResponse = Static<typeof BindEnterpriseResponse>;

export const EnterpriseBindingList = Type.Object({ items: Type.Array(EnterpriseBindingView) });
export type EnterpriseBindingList = Static<typeof EnterpriseBindingList>;

/** A person bound to (or asking for) an enterprise, as its admin sees them: the name masked. */
export const EnterpriseMemberView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  role: literals('admin', 'clerk'),
  status: literals('pending', 'active', 'refused', 'revoked'),
  statusLabel: Type.String(),
  requestedAt: Instant,
  decidedAt: NullableInstant,
  /** The admin's own row (cannot be revoked by themself). */
  self: Type.Boolean(),
});
export type EnterpriseMemberView = Static<typeof EnterpriseMemberView>;

export const EnterpriseMemberList = Type.Object({ items: Type.Array(EnterpriseMemberView) });
export type EnterpriseMemberList = Static<typeof EnterpriseMemberList>;

export const MemberParams = Type.Object({
  creditCode: Type.String({ minLength: 1, maxLength: 32 }),
  memberId: Type.String({ format: 'uuid' }),
});

/** 免申即享: a policy round and what this enterprise may get from it. */
export const SubsidyOfferView = Type.Object({
  roundId: Type.String({ format: 'uuid' }),
  roundName: Type.String(),
  /** The round's rule as published, e.g. 按上年度稳岗补贴金额的50%给予配套资助. */
  rule: Type.String(),
  matterName: Type.String(),
  deadline: Instant,
  amountFen: Type.Integer(),
  /** "可获 ¥X": the amount as shown. */
  amountLabel: Type.String(),
  /** How the platform computed it (the basis it published), e.g. 上年度稳岗补贴 ¥20,000.00 × 50%. */
  basis: Type.String(),
  /** open: can confirm; confirmed; closed: the deadline passed unconfirmed. */
  state: literals('open', 'confirmed', 'closed'),
  confirmation: Type.Union([
    Type.Object({
      confirmedAt: Instant,
      sizeClass: literals('large', 'medium', 'small', 'micro'),
      headcount: Type.Integer(),
      bankName: Type.String(),
      /** ****5678 */
      bankAccount: Type.String(),
      case: CaseSummarySchema,
      /** 拨付, once the platform reports it. */
      payment: Type.Union([
        Type.Object({ amountFen: Type.Integer(), amountLabel: Type.String(), paidOn: Type.String() }),
        Type.Null(),
      ]),
      /** 21 working days from acceptance (Beijing date); null until accepted. */
      payBy: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    }),
    Type.Null(),
  ]),
});
export type SubsidyOfferView = Static<typeof SubsidyOfferView>;

export const SubsidyOfferList = Type.Object({ items: Type.Array(SubsidyOfferView) });
export type SubsidyOfferList = Static<typeof SubsidyOfferList>;

export const ConfirmSubsidyBody = Type.Object(
  {
    sizeClass: literals('large', 'medium', 'small', 'micro'),
    headcount: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    bankName: Type.String({ minLength: 2, maxLength: 60 }),
    bankAccount: Type.String({ minLength: 1, maxLength: 40 }),
    /** The clerk's phone for the platform's questions (经办人联系电话). */
    contactPhone: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type ConfirmSubsidyBody = Static<typeof ConfirmSubsidyBody>;

export const RoundParams = Type.Object({
  creditCode: Type.String({ minLength: 1, maxLength: 32 }),
  roundId: Type.String({ format: 'uuid' }),
});

/**
 * 邮寄申领: what the form asks. The round's rule computes the amount from last year's subsidy (fen); the
 * channel says how the materials travel; the address is the enterprise's (EMS pickup, door visit, and where
 * its case's centre is found); the contact is the clerk's.
 */
export const SubsidyClaimBody = Type.Object(
  {
    lastYearFen: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }),
    headcount: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    bankName: Type.String({ minLength: 2, maxLength: 60 }),
    bankAccount: Type.String({ minLength: 1, maxLength: 40 }),
    contact: ContactSchema,
    address: AddressSchema,
    channel: literals('ems_pickup', 'door_visit', 'self_post'),
  },
  { additionalProperties: false },
);
export type SubsidyClaimBody = Static<typeof SubsidyClaimBody>;

export const SubsidyClaimView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: literals('ems_pickup', 'door_visit', 'self_post'),
  channelLabel: Type.String(),
  state: literals('awaiting_materials', 'materials_travelling', 'materials_received'),
  stateLabel: Type.String(),
  lastYearFen: Type.Integer(),
  amountFen: Type.Integer(),
  /** 上年度稳岗补贴 ¥X × 50% = ¥Y */
  working: Type.String(),
  headcount: Type.Integer(),
  bankName: Type.String(),
  /** ****5678 */
  bankAccount: Type.String(),
  claimedAt: Instant,
  /** Self-post: the cover sheet (封面单) to print and put on the envelope, and where to send it. */
  coverSheet: Type.Union([
    Type.Object({
      code: Type.String(),
      /** 1234 5678 9012 */
      codeLabel: Type.String(),
      centre: Type.Object({ name: Type.String(), address: Type.String(), phone: Type.String() }),
    }),
    Type.Null(),
  ]),
  /** EMS pickup: its waybill once EMS has given it. */
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  /** Door visit: the booking's number (预约号). */
  bookingNumber: Type.Union([Type.String(), Type.Null()]),
  materialsReceivedAt: NullableInstant,
  case: CaseSummarySchema,
});
export type SubsidyClaimView = Static<typeof SubsidyClaimView>;

/** A round an enterprise the screening missed may claim in, with the form's rule and checklist. */
export const ClaimRoundView = Type.Object({
  roundId: Type.String({ format: 'uuid' }),
  roundName: Type.String(),
  rule: Type.String(),
  /** The rule as a rate of last year's subsidy. */
  ratePercent: Type.Integer(),
  matterCode: Type.String(),
  matterName: Type.String(),
  deadline: Instant,
  /** open: may claim; claimed; closed: the deadline passed unclaimed. */
  state: literals('open', 'claimed', 'closed'),
  materials: Type.Array(MatterMaterial),
  claim: Type.Union([SubsidyClaimView, Type.Null()]),
});
export type ClaimRoundView = Static<typeof ClaimRoundView>;

export const ClaimRoundList = Type.Object({ items: Type.Array(ClaimRoundView) });
export type ClaimRoundList = Static<typeof ClaimRoundList>;

export const CoverCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });

/** The centre's view of a cover sheet it scanned (no personal data: the enterprise is public). */
export const StaffCoverSheetView = Type.Object({
  code: Type.String(),
  enterpriseName: Type.String(),
  creditCode: Type.String(),
  roundName: Type.String(),
  matterName: Type.String(),
  materials: Type.Array(MatterMaterial),
  receivedAt: NullableInstant,
  caseId: Type.String({ format: 'uuid' }),
});
export type StaffCoverSheetView = Static<typeof StaffCoverSheetView>;
