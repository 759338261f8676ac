import { type Static, Type } from 'typebox';
import { CaseStatusSchema } from './cases';
import { MaterialForm } from './catalogue';

/**
 * 一件事一次办: a bundle (e.g. 出生一件事) groups several matters into one application. The platform publishes
 * it with its situations (情形: which matters apply), the form fields each matter needs (shared ones asked
 * once) and, merged at sync, one materials list without repeats.
 */

const literals = <const T extends string>(...values: T[]) => Type.Enum(values);

/** How a form field is checked: a person's name, a resident ID, a date, 男/女, or free text. */
export const BundleFieldKind = literals('name', 'id_number', 'date', 'sex', 'text');
export type BundleFieldKind = Static<typeof BundleFieldKind>;

export const BundleField = Type.Object({
  id: Type.String(),
  label: Type.String(),
  kind: BundleFieldKind,
  /** The matters (codes) that ask for it: asked once however many do. */
  matterCodes: Type.Array(Type.String()),
});
export type BundleField = Static<typeof BundleField>;

export const BundleMatter = Type.Object({
  code: Type.String(),
  name: Type.String(),
  department: Type.String(),
  promisedWorkingDays: Type.Integer(),
  resultName: Type.String(),
  resultKind: literals('physical', 'electronic'),
  /** Matters whose result this one waits for (e.g. 社会保障卡 after 户口登记). */
  dependsOn: Type.Array(Type.String()),
});
export type BundleMatter = Static<typeof BundleMatter>;

export const BundleSituation = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  matterCodes: Type.Array(Type.String()),
  /** The situation applies only to a child at most this many days old (birthDate field); null: any age. */
  maxAgeDays: Type.Union([Type.Integer(), Type.Null()]),
});
export type BundleSituation = Static<typeof BundleSituation>;

export const BundleMaterial = Type.Object({
  id: Type.String(),
  name: Type.String(),
  form: MaterialForm,
  count: Type.Integer(),
  required: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  /** The matters (codes) that need it: listed once. */
  matterCodes: Type.Array(Type.String()),
});
export type BundleMaterial = Static<typeof BundleMaterial>;

export const BundleSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  theme: Type.String(),
  description: Type.String(),
  matterCount: Type.Integer(),
  physicalResults: Type.Integer(),
});
export type BundleSummary = Static<typeof BundleSummary>;
export const BundleList = Type.Object({ items: Type.Array(BundleSummary) });
export type BundleList = Static<typeof BundleList>;

export const BundleGuide = Type.Object({
  ...BundleSummary.properties,
  /** 上门收件 for the whole bundle: one visit collects everything. */
  doorPickup: Type.Boolean(),
  matters: Type.Array(BundleMatter),
  situations: Type.Array(BundleSituation),
  fields: Type.Array(BundleField),
  materials: Type.Array(BundleMaterial),
});
export type BundleGuide = Static<typeof BundleGuide>;

/** What a booking of a bundle adds to the booking form: the situation and the merged form's answers. */
export const BundleBookingInput = Type.Object(
  {
    situation: Type.String({ minLength: 1, maxLength: 64 }),
    form: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type BundleBookingInput = Static<typeof BundleBookingInput>;

/** One matter of a booked bundle: its case, its result and the parcel carrying it. */
export const BundleTimelineItem = Type.Object({
  matter: Type.Object({ code: Type.String(), name: Type.String() }),
  caseId: Type.String(),
  /** 办件编号 once the platform took the case. */
  caseNumber: Type.Union([Type.String(), Type.Null()]),
  status: CaseStatusSchema,
  statusLabel: Type.String(),
  /** Names of the matters it waits for that are not done yet. */
  waitingFor: Type.Array(Type.String()),
  /** Materials this matter still waits for (a bag on its way to the centre, or a new list), by name. */
  waitingForMaterials: Type.Optional(Type.Array(Type.String())),
  result: Type.Union([
    Type.Object({ name: Type.String(), kind: literals('physical', 'electronic'), issuedAt: Type.String() }),
    Type.Null(),
  ]),
  /** The EMS parcel carrying the result (several results may share one). */
  waybillNo: Type.Union([Type.String(), Type.Null()]),
});
export type BundleTimelineItem = Static<typeof BundleTimelineItem>;

export const BundleParcel = Type.Object({
  waybillNo: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  statusLabel: Type.String(),
  documents: Type.Array(Type.String()),
});
export type BundleParcel = Static<typeof BundleParcel>;

export const BundleTimeline = Type.Object({
  bookingId: Type.String(),
  bookingNumber: Type.String(),
  bundle: Type.Object({ code: Type.String(), name: Type.String() }),
  situation: Type.Object({ id: Type.String(), name: Type.String() }),
  /** One line per step, oldest first: the visit, each case's stages, each parcel's journey. */
  events: Type.Array(
    Type.Object({
      at: Type.String(),
      title: Type.String(),
      detail: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  items: Type.Array(BundleTimelineItem),
  parcels: Type.Array(BundleParcel),
  /**
   * Which matter waits on which material, in plain words: after a visit that ended 材料不齐 (each matter's share of
   * the missing list), or while a bag carries what a matter lacks (容缺受理 or sent after the visit). Empty when
   * nothing is missing.
   */
  waiting: Type.Optional(
    Type.Array(
      Type.Object({
        matter: Type.Object({ code: Type.String(), name: Type.String() }),
        materials: Type.Array(Type.String()),
        /** What happens next for this matter, e.g. 已容缺受理，材料寄到后补正. */
        note: Type.String(),
      }),
    ),
  ),
});
export type BundleTimeline = Static<typeof BundleTimeline>;
