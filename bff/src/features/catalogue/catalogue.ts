import {
  caseTypeLabels,
  type MatterGuide,
  type MatterPage,
  type MatterSearchQuery,
  type MatterSummary,
  materialFormLabels,
  type OutletDetail,
  type OutletSummary,
  outletKindLabels,
  type ThemeList,
} from '@zyt/shared';
import { and, asc, count, eq, exists, getTableColumns, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { catalogueState, matterMaterials, matterOutlets, matters, outlets } from '../../db/schema';
import { GOV_MATTER_TYPES, type GovMatterType } from '../../integrations/gov/types';
import { hoursToday, isOpenAt, opensAtWeekends } from './hours';
import { queryGrams, searchTerms } from './search';

/** Query functions of journey 1 (find and learn): db first, one params object, results in API shapes. */

export type CatalogueState = typeof catalogueState.$inferSelect;

export async function getCatalogueState(db: DatabaseOrTransaction): Promise<CatalogueState | undefined> {
  const [state] = await db.select().from(catalogueState);
  return state;
}

const summaryColumns = {
  code: matters.code,
  name: matters.name,
  applicantType: matters.applicantType,
  theme: matters.theme,
  department: matters.department,
  caseType: matters.caseType,
  promisedWorkingDays: matters.promisedWorkingDays,
  doorPickup: matters.doorPickup,
  atOutlet: matters.atOutlet,
  mail: matters.mail,
};
type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof summaryColumns)[K]['_']['data'] };

function toSummary(row: SummaryRow): MatterSummary {
  return {
    code: row.code,
    name: row.name,
    applicantType: row.applicantType,
    theme: row.theme,
    department: row.department,
    caseType: row.caseType,
    caseTypeLabel: caseTypeLabels[row.caseType] ?? '其他',
    promisedWorkingDays: row.promisedWorkingDays,
    channels: { doorPickup: row.doorPickup, outlet: row.atOutlet, mail: row.mail },
  };
}

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** The name, theme or department contains `term` (normalised); the n-gram index finds the candidates. */
const contains = (term: string) =>
  sql`(${matters.searchGrams} @> ${textArray(queryGrams(term))} and (strpos(${matters.searchName}, ${term}) > 0 or strpos(${matters.searchExtra}, ${term}) > 0))`;

/** 0 the name is the term, 1 starts with it, 2 contains it, 3 only theme or department match. */
const nameRank = (term: string) =>
  sql`case when ${matters.searchName} = ${term} then 0 when strpos(${matters.searchName}, ${term}) = 1 then 1 when strpos(${matters.searchName}, ${term}) > 0 then 2 else 3 end`;

/** Where and order of a search (exported for the query-plan test). */
export function searchQuery(db: DatabaseOrTransaction, params: MatterSearchQuery) {
  const terms = params.q ? searchTerms(params.q) : [];
  const where: SQL[] = terms.map((alternatives) => or(...alternatives.map(contains))!);
  if (params.applicant) where.push(eq(matters.applicantType, params.applicant));
  if (params.theme) where.push(eq(matters.theme, params.theme));
  if (params.channel === 'door_pickup') where.push(eq(matters.doorPickup, true));
  if (params.channel === 'outlet') where.push(eq(matters.atOutlet, true));
  if (params.channel === 'mail') where.push(ne(matters.mail, 'none'));
  const condition = where.length > 0 ? and(...where) : undefined;

  // Name matches first (exact, then prefix, then anywhere), then the platform's own order.
  const first = terms[0];
  const rank = first
    ? [first.length === 1 ? nameRank(first[0]!) : sql`least(${sql.join(first.map(nameRank), sql`, `)})`]
    : [];
  return {
    page: db
      .select(summaryColumns)
      .from(matters)
      .where(condition)
      .orderBy(...rank, asc(matters.position), asc(matters.code))
      .limit(params.pageSize)
      .offset((params.page - 1) * params.pageSize),
    total: db.select({ n: count() }).from(matters).where(condition),
  };
}

export async function searchMatters(
  db: DatabaseOrTransaction,
  params: MatterSearchQuery,
): Promise<MatterPage> {
  const query = searchQuery(db, params);
  const [rows, [total], state] = await Promise.all([query.page, query.total, getCatalogueState(db)]);
  return {
    items: rows.map(toSummary),
    total: total?.n ?? 0,
    page: params.page,
    pageSize: params.pageSize,
    catalogueSyncedAt: state?.syncedAt.toISOString() ?? null,
  };
}

/** Themes with how many matters each has, in the platform's order (for filter chips). */
export async function listThemes(
  db: DatabaseOrTransaction,
  params: { applicant?: 'person' | 'enterprise' },
): Promise<ThemeList> {
  const rows = await db
    .select({ theme: matters.theme, count: count() })
    .from(matters)
    .where(params.applicant ? eq(matters.applicantType, params.applicant) : undefined)
    .groupBy(matters.theme)
    .orderBy(sql`min(${matters.position})`);
  return { items: rows };
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine); GCJ-02 offsets cancel out over a city. */
const distanceFrom = (point: { lat: number; lng: number }) =>
  sql<number>`${2 * EARTH_RADIUS_M} * asin(least(1, sqrt(power(sin(radians(${outlets.lat} - ${point.lat}) / 2), 2) + cos(radians(${point.lat})) * cos(radians(${outlets.lat})) * power(sin(radians(${outlets.lng} - ${point.lng}) / 2), 2))))`;

const matterCountOf = sql<number>`(select count(*)::int from ${matterOutlets} where ${matterOutlets.outletId} = ${outlets.id})`;

type OutletRow = typeof outlets.$inferSelect & { matterCount: number; distance: number | null };

function toOutletSummary(row: OutletRow, now: Date): OutletSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    kindLabel: outletKindLabels[row.kind],
    address: row.address,
    province: row.province,
    city: row.city,
    district: row.district,
    street: row.street,
    lat: row.lat,
    lng: row.lng,
    phone: row.phone,
    distanceMetres: row.distance === null ? null : Math.round(row.distance),
    today: hoursToday(row.hours, now),
    openNow: isOpenAt(row.hours, now),
    openAtWeekends: opensAtWeekends(row.hours),
    matterCount: row.matterCount,
  };
}

function outletColumns(point?: { lat: number; lng: number }) {
  const { position: _position, ...columns } = getTableColumns(outlets);
  return {
    ...columns,
    matterCount: matterCountOf,
    distance: point ? distanceFrom(point) : sql<null>`null::float8`,
  };
}

export async function matterExists(db: DatabaseOrTransaction, code: string): Promise<boolean> {
  const [row] = await db.select({ code: matters.code }).from(matters).where(eq(matters.code, code));
  return row !== undefined;
}

/** Outlets, nearest first from a point (else in the platform's order), with today's hours in Beijing time. */
export async function listOutlets(
  db: DatabaseOrTransaction,
  params: {
    point?: { lat: number; lng: number };
    district?: string;
    matter?: string;
    limit: number;
    now: Date;
  },
): Promise<{ items: OutletSummary[]; districts: string[] }> {
  const where: SQL[] = [isNull(outlets.retiredAt)];
  if (params.district) where.push(eq(outlets.district, params.district));
  if (params.matter) {
    where.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(matterOutlets)
          .where(and(eq(matterOutlets.outletId, outlets.id), eq(matterOutlets.matterCode, params.matter))),
      ),
    );
  }
  const [rows, districts] = await Promise.all([
    db
      .select(outletColumns(params.point))
      .from(outlets)
      .where(and(...where))
      .orderBy(
        ...(params.point ? [asc(distanceFrom(params.point))] : []),
        asc(outlets.position),
        asc(outlets.id),
      )
      .limit(params.limit),
    db
      .selectDistinct({ district: outlets.district })
      .from(outlets)
      .where(isNull(outlets.retiredAt))
      .orderBy(outlets.district),
  ]);
  return {
    items: (rows as OutletRow[]).map((row) => toOutletSummary(row, params.now)),
    districts: districts.map((d) => d.district),
  };
}

/** "不收费", or the government pays (e.g. 首套印章由区财政承担，企业免费). */
export const isFree = (fees: string) =>
  fees === '不收费' || (/免费|不收费/.test(fees) && !/元|收取/.test(fees));

/** The whole guide (办事指南) of a matter, or undefined. */
export async function getMatterGuide(
  db: DatabaseOrTransaction,
  params: { code: string; now: Date },
): Promise<MatterGuide | undefined> {
  const [matter] = await db.select().from(matters).where(eq(matters.code, params.code));
  if (!matter) return undefined;
  const [materials, outletRows] = await Promise.all([
    db
      .select()
      .from(matterMaterials)
      .where(eq(matterMaterials.matterCode, matter.code))
      .orderBy(asc(matterMaterials.position)),
    db
      .select(outletColumns())
      .from(outlets)
      .innerJoin(matterOutlets, eq(matterOutlets.outletId, outlets.id))
      .where(eq(matterOutlets.matterCode, matter.code))
      .orderBy(asc(outlets.position), asc(outlets.id)),
  ]);
  return {
    ...toSummary(matter),
    version: matter.version,
    matterType: matter.matterType,
    matterTypeLabel: GOV_MATTER_TYPES[matter.matterType as GovMatterType] ?? '其他',
    legalWorkingDays: matter.legalWorkingDays,
    conditions: matter.conditions,
    materials: materials.map((m) => ({
      id: m.id,
      name: m.name,
      form: m.form,
      formLabel: materialFormLabels[m.form],
      count: m.count,
      required: m.required,
      note: m.note,
    })),
    fees: { text: matter.fees, free: isFree(matter.fees) },
    result: { documentName: matter.resultName, kind: matter.resultKind },
    outlets: (outletRows as OutletRow[]).map((row) => toOutletSummary(row, params.now)),
  };
}

/** An outlet with its weekly hours and the matters it accepts, or undefined. */
export async function getOutlet(
  db: DatabaseOrTransaction,
  params: { id: string; point?: { lat: number; lng: number }; now: Date },
): Promise<OutletDetail | undefined> {
  const [row] = await db
    .select(outletColumns(params.point))
    .from(outlets)
    .where(and(eq(outlets.id, params.id), isNull(outlets.retiredAt)));
  if (!row) return undefined;
  const accepted = await db
    .select(summaryColumns)
    .from(matters)
    .innerJoin(matterOutlets, eq(matterOutlets.matterCode, matters.code))
    .where(eq(matterOutlets.outletId, params.id))
    .orderBy(asc(matters.position), asc(matters.code));
  const outlet = row as OutletRow;
  return {
    ...toOutletSummary(outlet, params.now),
    hours: [...outlet.hours].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open)),
    matters: accepted.map(toSummary),
  };
}
