import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Our copy of the government platform's matter catalogue (事项目录) and outlets, replaced by the
 * `catalogue.sync` job in one transaction. Nothing else writes here. Matters are replaced whole, so nothing
 * should hold a foreign key to them: a matter can disappear upstream, and a booking keeps its own snapshot of
 * what it was made for. Outlets are kept (cases, window appointments and result mailings point at them): one
 * that leaves the catalogue is retired, not deleted, and is no longer offered.
 */
export const matters = pgTable(
  'matters',
  {
    /** 实施编码 SERVICECODE */
    code: text('code').primaryKey(),
    /** SERVICEVERSION: a case names the version it was prepared against. */
    version: text('version').notNull(),
    name: text('name').notNull(),
    /** 个人 / 法人 */
    applicantType: text('applicant_type').$type<'person' | 'enterprise'>().notNull(),
    /** 主题, e.g. 社会保险 */
    theme: text('theme').notNull(),
    /** 事项类型 01 许可 … 20 公共服务 */
    matterType: text('matter_type').notNull(),
    /** 办件类型 INFOTYPE: 1 即办件, 2 承诺件, 3 联办件, 4 上报件 */
    caseType: smallint('case_type').notNull(),
    department: text('department').notNull(),
    promisedWorkingDays: integer('promised_working_days').notNull(),
    legalWorkingDays: integer('legal_working_days').notNull(),
    conditions: text('conditions').notNull(),
    fees: text('fees').notNull(),
    /** 上门收件 */
    doorPickup: boolean('door_pickup').notNull(),
    /** 网点办 */
    atOutlet: boolean('at_outlet').notNull(),
    /** 邮寄送达: none, one_way (result mailed), two_way (materials in and result out) */
    mail: text('mail').$type<'none' | 'one_way' | 'two_way'>().notNull(),
    /** 容缺受理: with secondary materials missing, the case may be accepted and the rest supplemented later. */
    tolerantAcceptance: boolean('tolerant_acceptance').notNull().default(false),
    resultName: text('result_name').notNull(),
    resultKind: text('result_kind').$type<'physical' | 'electronic'>().notNull(),
    /** Order in the platform's list (curated: common matters first), the default order of results. */
    position: integer('position').notNull(),
    /** Name, normalised for search (NFKC, lower case, no spaces). */
    searchName: text('search_name').notNull(),
    /** Theme and department, normalised the same way: found too, ranked after name matches. */
    searchExtra: text('search_extra').notNull(),
    /**
     * Every character and every pair of adjacent characters of searchName and searchExtra. A GIN index on it
     * finds any substring of one character or more, on PostgreSQL and PGlite alike, with no extension:
     * pg_trgm cannot use its index for patterns under three characters, and most Chinese queries (失业, 社保,
     * 户籍) are two.
     */
    searchGrams: text('search_grams').array().notNull(),
  },
  (t) => [
    index('matters_search_grams_idx').using('gin', t.searchGrams),
    index('matters_theme_idx').on(t.theme),
    index('matters_position_idx').on(t.position),
  ],
);

/** 申请材料: the checklist of a matter, in the guide's order. */
export const matterMaterials = pgTable(
  'matter_materials',
  {
    matterCode: text('matter_code')
      .notNull()
      .references(() => matters.code, { onDelete: 'cascade' }),
    /** The platform's material id (a case's ACCEPTLIST names materials by it). */
    id: text('id').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** 原件 / 复印件 / 原件和复印件 */
    form: text('form').$type<'original' | 'copy' | 'original_and_copy'>().notNull(),
    count: integer('count').notNull(),
    required: boolean('required').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.matterCode, t.id] })],
);

export interface OpeningHours {
  /** ISO weekday: 1 Monday … 7 Sunday */
  day: number;
  /** HH:mm, Beijing time */
  open: string;
  close: string;
}

/** 网点: post offices with a government window and service centres. */
export const outlets = pgTable(
  'outlets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').$type<'post_office' | 'service_centre'>().notNull(),
    address: text('address').notNull(),
    /** 省 / 市 / 区县 from the catalogue: EMS parties and routing use them, never constants. */
    province: text('province').notNull(),
    city: text('city').notNull(),
    /** 区县 (county). */
    district: text('district').notNull(),
    /** 街道 / 镇 */
    street: text('street').notNull(),
    /** GCJ-02 */
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    phone: text('phone').notNull(),
    /** The weekly timetable; a day without ranges is closed. */
    hours: jsonb('hours').$type<OpeningHours[]>().notNull(),
    position: integer('position').notNull(),
    /** Set when the outlet left the platform's catalogue: kept for the records that name it, offered nowhere. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [index('outlets_district_idx').on(t.district)],
);

/** Which outlets accept which matters. */
export const matterOutlets = pgTable(
  'matter_outlets',
  {
    matterCode: text('matter_code')
      .notNull()
      .references(() => matters.code, { onDelete: 'cascade' }),
    outletId: text('outlet_id')
      .notNull()
      .references(() => outlets.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.matterCode, t.outletId] }),
    index('matter_outlets_outlet_idx').on(t.outletId),
  ],
);

/** One row: which catalogue version we hold and when it was fetched and last confirmed. */
export const catalogueState = pgTable(
  'catalogue_state',
  {
    id: smallint('id').primaryKey().default(1),
    version: text('version').notNull(),
    /** When this version was written. */
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull(),
    /** When the platform last confirmed it is current (a sync that found nothing new). */
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
    matterCount: integer('matter_count').notNull(),
    outletCount: integer('outlet_count').notNull(),
  },
  (t) => [check('catalogue_state_one_row', sql`${t.id} = 1`)],
);
