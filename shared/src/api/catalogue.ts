import { type Static, Type } from 'typebox';

/**
 * Journey 1, find and learn: the matter catalogue (事项目录), its guides (办事指南) and the outlets (网点).
 */

const literals = <const T extends string>(...values: T[]) => Type.Enum(values);

/** 个人 / 法人 */
export const ApplicantType = literals('person', 'enterprise');
export type ApplicantType = Static<typeof ApplicantType>;

/** How a matter can be handled, as the search filter names it. */
export const MatterChannel = literals('door_pickup', 'outlet', 'mail');
export type MatterChannel = Static<typeof MatterChannel>;

/** 邮寄送达: one_way = the result is mailed (单程寄递); two_way = materials in and result out (双程收寄). */
export const MailChannel = literals('none', 'one_way', 'two_way');
export type MailChannel = Static<typeof MailChannel>;

/** 原件 / 复印件 / 原件和复印件 */
export const MaterialForm = literals('original', 'copy', 'original_and_copy');
export type MaterialForm = Static<typeof MaterialForm>;

export const OutletKind = literals('post_office', 'service_centre');
export type OutletKind = Static<typeof OutletKind>;

export const MatterChannels = Type.Object({
  /** 上门收件: a postal agent collects the materials at the door. */
  doorPickup: Type.Boolean(),
  /** 网点办 */
  outlet: Type.Boolean(),
  mail: MailChannel,
});
export type MatterChannels = Static<typeof MatterChannels>;

const MatterCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z-]+$' });

export const MatterSearchQuery = Type.Object({
  /** Any part of the name, theme or department, e.g. 失业 */
  q: Type.Optional(Type.String({ maxLength: 40 })),
  applicant: Type.Optional(ApplicantType),
  theme: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  channel: Type.Optional(MatterChannel),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type MatterSearchQuery = Static<typeof MatterSearchQuery>;

export const MatterSummary = Type.Object({
  /** 实施编码 */
  code: Type.String(),
  name: Type.String(),
  applicantType: ApplicantType,
  theme: Type.String(),
  department: Type.String(),
  /** 办件类型 1 … 4 and its label (即办件, 承诺件 …) */
  caseType: Type.Integer(),
  caseTypeLabel: Type.String(),
  /** 承诺办结时限 in working days (0 = same day) */
  promisedWorkingDays: Type.Integer(),
  channels: MatterChannels,
});
export type MatterSummary = Static<typeof MatterSummary>;

export const MatterPage = Type.Object({
  items: Type.Array(MatterSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  /** When our copy of the catalogue was last written; null until the first sync (results are then empty). */
  catalogueSyncedAt: Type.Union([Type.String(), Type.Null()]),
});
export type MatterPage = Static<typeof MatterPage>;

export const ThemesQuery = Type.Object({ applicant: Type.Optional(ApplicantType) });
export type ThemesQuery = Static<typeof ThemesQuery>;

export const ThemeList = Type.Object({
  items: Type.Array(Type.Object({ theme: Type.String(), count: Type.Integer() })),
});
export type ThemeList = Static<typeof ThemeList>;

export const MatterParams = Type.Object({ code: MatterCode });
export type MatterParams = Static<typeof MatterParams>;

export const MatterMaterial = Type.Object({
  id: Type.String(),
  name: Type.String(),
  form: MaterialForm,
  formLabel: Type.String(),
  /** 份数 */
  count: Type.Integer(),
  required: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type MatterMaterial = Static<typeof MatterMaterial>;

export const OpeningRange = Type.Object({ open: Type.String(), close: Type.String() });
export type OpeningRange = Static<typeof OpeningRange>;

export const WeeklyHours = Type.Object({
  /** ISO weekday: 1 Monday … 7 Sunday */
  day: Type.Integer({ minimum: 1, maximum: 7 }),
  open: Type.String(),
  close: Type.String(),
});
export type WeeklyHours = Static<typeof WeeklyHours>;

export const TodayHours = Type.Object({
  /** Beijing date, YYYY-MM-DD */
  date: Type.String(),
  weekday: Type.Integer({ minimum: 1, maximum: 7 }),
  closed: Type.Boolean(),
  ranges: Type.Array(OpeningRange),
  /** e.g. 08:30-18:00, 09:00-12:00 14:00-17:30, or 今日休息 */
  text: Type.String(),
});
export type TodayHours = Static<typeof TodayHours>;

export const OutletSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: OutletKind,
  kindLabel: Type.String(),
  address: Type.String(),
  /** 省 / 市 / 区县 (district is the county), e.g. to start a booking's region from the nearest outlet. */
  province: Type.String(),
  city: Type.String(),
  district: Type.String(),
  street: Type.String(),
  /** GCJ-02 */
  lat: Type.Number(),
  lng: Type.Number(),
  phone: Type.String(),
  /** From the given point, in metres; null when no point was given. */
  distanceMetres: Type.Union([Type.Integer(), Type.Null()]),
  today: TodayHours,
  openNow: Type.Boolean(),
  /** Open on Saturday or Sunday (周末不打烊). */
  openAtWeekends: Type.Boolean(),
  /** How many matters this outlet accepts. */
  matterCount: Type.Integer(),
});
export type OutletSummary = Static<typeof OutletSummary>;

export const MatterGuide = Type.Object({
  ...MatterSummary.properties,
  version: Type.String(),
  matterType: Type.String(),
  matterTypeLabel: Type.String(),
  legalWorkingDays: Type.Integer(),
  /** 受理条件 */
  conditions: Type.String(),
  materials: Type.Array(MatterMaterial),
  /** 收费标准; free when the resident pays nothing (不收费, or the government pays). */
  fees: Type.Object({ text: Type.String(), free: Type.Boolean() }),
  /** 办理结果 */
  result: Type.Object({ documentName: Type.String(), kind: literals('physical', 'electronic') }),
  /** The outlets that accept it (网点办). */
  outlets: Type.Array(OutletSummary),
});
export type MatterGuide = Static<typeof MatterGuide>;

export const OutletsQuery = Type.Object({
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  /** 区 / 县, e.g. 黄埔区 */
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  /** Only outlets accepting this matter (实施编码). */
  matter: Type.Optional(MatterCode),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type OutletsQuery = Static<typeof OutletsQuery>;

export const OutletList = Type.Object({
  items: Type.Array(OutletSummary),
  /** The districts outlets are in, for a picker when location is unknown. */
  districts: Type.Array(Type.String()),
});
export type OutletList = Static<typeof OutletList>;

export const OutletParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type OutletParams = Static<typeof OutletParams>;

export const OutletDetail = Type.Object({
  ...OutletSummary.properties,
  hours: Type.Array(WeeklyHours),
  matters: Type.Array(MatterSummary),
});
export type OutletDetail = Static<typeof OutletDetail>;

export const CatalogueSyncAccepted = Type.Object({
  jobId: Type.Union([Type.String(), Type.Null()]),
  /** What we hold now (before the queued sync runs). */
  current: Type.Union([
    Type.Object({
      version: Type.String(),
      syncedAt: Type.String(),
      checkedAt: Type.String(),
      matters: Type.Integer(),
      outlets: Type.Integer(),
    }),
    Type.Null(),
  ]),
});
export type CatalogueSyncAccepted = Static<typeof CatalogueSyncAccepted>;
