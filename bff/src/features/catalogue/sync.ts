import { and, getTableColumns, isNull, notInArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import {
  bundleMaterials,
  bundleMatters,
  bundleSituations,
  bundles,
  catalogueState,
  matterMaterials,
  matterOutlets,
  matters,
  outlets,
} from '../../db/schema';
import { fetchWholeCatalogue } from '../../integrations/gov/client';
import {
  type GovBundle,
  GovError,
  type GovMatter,
  type GovOutlet,
  type GovPlatformApi,
} from '../../integrations/gov/types';
import { PermanentJobError } from '../../jobs/queue';
import { type PreparedBundles, prepareBundles } from '../bundles/merge';
import { getCatalogueState } from './catalogue';
import { indexGrams, normaliseForSearch } from './search';

export const SYNC_CATALOGUE = 'catalogue.sync';

/** Advisory lock key: one sync writes at a time, across instances. */
const SYNC_LOCK = 7_301_002;
/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

export type SyncOutcome =
  | { changed: false; version: string }
  | {
      changed: true;
      version: string;
      matters: number;
      outlets: number;
      previousVersion: string | null;
      bundles: number;
      skippedBundles: string[];
    };

/** The platform sent something we will not store (it would leave the catalogue worse than it is). */
export class CatalogueRejectedError extends Error {}

interface Prepared {
  matters: (typeof matters.$inferInsert)[];
  materials: (typeof matterMaterials.$inferInsert)[];
  outlets: (typeof outlets.$inferInsert)[];
  links: (typeof matterOutlets.$inferInsert)[];
  bundles: PreparedBundles;
  /** Bundles left out because they name matters, fields or dependencies the catalogue does not have. */
  skippedBundles: string[];
}

/** Rows to write, checked as a whole first: an empty list, a repeated code or id is refused. */
export function prepareCatalogue(fetched: {
  matters: readonly GovMatter[];
  outlets: readonly GovOutlet[];
  bundles?: readonly GovBundle[];
}): Prepared {
  if (fetched.matters.length === 0) throw new CatalogueRejectedError('the platform sent no matters');
  const codes = new Set<string>();
  for (const m of fetched.matters) {
    if (codes.has(m.serviceCode)) throw new CatalogueRejectedError(`matter ${m.serviceCode} appears twice`);
    codes.add(m.serviceCode);
  }
  const outletIds = new Set<string>();
  for (const o of fetched.outlets) {
    if (outletIds.has(o.id)) throw new CatalogueRejectedError(`outlet ${o.id} appears twice`);
    outletIds.add(o.id);
  }

  const materials: Prepared['materials'] = [];
  for (const m of fetched.matters) {
    const ids = new Set<string>();
    m.materials.forEach((mat, i) => {
      if (ids.has(mat.id))
        throw new CatalogueRejectedError(`material ${mat.id} appears twice in ${m.serviceCode}`);
      ids.add(mat.id);
      materials.push({
        matterCode: m.serviceCode,
        id: mat.id,
        position: i,
        name: mat.name,
        form: mat.form,
        count: mat.count,
        required: mat.required,
        note: mat.note ?? null,
      });
    });
  }

  // Both sides list the relation (matter.outletIds, outlet.serviceCodes): take either, for known rows only.
  const links = new Map<string, { matterCode: string; outletId: string }>();
  const link = (matterCode: string, outletId: string) => {
    if (codes.has(matterCode) && outletIds.has(outletId))
      links.set(`${matterCode}\u0000${outletId}`, { matterCode, outletId });
  };
  for (const m of fetched.matters) for (const id of m.outletIds) link(m.serviceCode, id);
  for (const o of fetched.outlets) for (const code of o.serviceCodes) link(code, o.id);

  const prepared = prepareBundles(
    fetched.bundles ?? [],
    new Map(fetched.matters.map((m) => [m.serviceCode, m])),
  );
  return {
    bundles: prepared.rows,
    skippedBundles: prepared.skipped,
    matters: fetched.matters.map((m, position) => {
      const searchName = normaliseForSearch(m.name);
      const searchExtra = `${normaliseForSearch(m.theme)}\n${normaliseForSearch(m.department)}`;
      return {
        code: m.serviceCode,
        version: m.serviceVersion,
        name: m.name,
        applicantType: m.applicantType,
        theme: m.theme,
        matterType: m.matterType,
        caseType: m.infoType,
        department: m.department,
        promisedWorkingDays: m.promisedWorkingDays,
        legalWorkingDays: m.legalWorkingDays,
        conditions: m.conditions,
        fees: m.fees,
        doorPickup: m.channels.doorPickup,
        atOutlet: m.channels.outlet,
        mail: m.channels.mail,
        tolerantAcceptance: m.tolerantAcceptance ?? false,
        resultName: m.result.documentName,
        resultKind: m.result.kind,
        position,
        searchName,
        searchExtra,
        searchGrams: indexGrams(searchName, ...searchExtra.split('\n')),
      };
    }),
    materials,
    outlets: fetched.outlets.map((o, position) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      address: o.address,
      province: o.province,
      city: o.city,
      district: o.district,
      street: o.street,
      lat: o.lat,
      lng: o.lng,
      phone: o.phone,
      hours: o.hours.map(({ day, open, close }) => ({ day, open, close })),
      position,
    })),
    links: [...links.values()],
  };
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Every column of an outlet taken from the incoming row (PostgreSQL's `excluded`) on an upsert. */
const REPLACE_OUTLET = Object.fromEntries(
  Object.entries(getTableColumns(outlets))
    .filter(([key]) => key !== 'id' && key !== 'retiredAt')
    .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
);

/** Outlets the new catalogue no longer lists stay for the records that name them, retired. */
async function retireOutletsMissingFrom(tx: DatabaseOrTransaction, kept: readonly { id: string }[]) {
  await tx
    .update(outlets)
    .set({ retiredAt: sql`now()` })
    .where(
      and(
        isNull(outlets.retiredAt),
        notInArray(
          outlets.id,
          kept.map((o) => o.id),
        ),
      ),
    );
}

async function confirmCurrent(db: DatabaseOrTransaction): Promise<void> {
  await db.update(catalogueState).set({ checkedAt: sql`now()` });
}

/**
 * Brings our copy of the catalogue to the platform's current version. The platform is read first, outside any
 * transaction (a slow platform must not hold the database); then everything is replaced in one transaction,
 * so readers see the old catalogue or the new one, never a mix, and matters removed upstream disappear. The
 * same version again writes nothing but the time it was confirmed. Throws GovError when the platform fails
 * and CatalogueRejectedError when its answer is unusable; the catalogue we hold is then left as it was.
 */
export async function syncCatalogue(db: Database, api: GovPlatformApi): Promise<SyncOutcome> {
  const held = await getCatalogueState(db);
  // One small page tells the version: a catalogue that has not moved is not downloaded.
  const probe = await api.fetchCatalogue({ limit: 1 });
  if (held && probe.version === held.version) {
    await confirmCurrent(db);
    return { changed: false, version: held.version };
  }

  const fetched = await fetchWholeCatalogue(api, 200);
  const rows = prepareCatalogue(fetched);

  const outcome = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SYNC_LOCK})`);
    // Another instance may have written this version while we were downloading.
    const current = await getCatalogueState(tx);
    if (current?.version === fetched.version) {
      await confirmCurrent(tx);
      return { changed: false as const, version: fetched.version };
    }
    await tx.delete(bundleMaterials);
    await tx.delete(bundleSituations);
    await tx.delete(bundleMatters);
    await tx.delete(bundles);
    await tx.delete(matterOutlets);
    await tx.delete(matterMaterials);
    await tx.delete(matters);
    await insertChunked(rows.matters, (chunk) => tx.insert(matters).values(chunk));
    await insertChunked(rows.materials, (chunk) => tx.insert(matterMaterials).values(chunk));
    await insertChunked(rows.outlets, (chunk) =>
      tx
        .insert(outlets)
        .values(chunk)
        .onConflictDoUpdate({ target: outlets.id, set: { ...REPLACE_OUTLET, retiredAt: null } }),
    );
    await retireOutletsMissingFrom(tx, rows.outlets);
    await insertChunked(rows.links, (chunk) => tx.insert(matterOutlets).values(chunk));
    await insertChunked(rows.bundles.bundles, (chunk) => tx.insert(bundles).values(chunk));
    await insertChunked(rows.bundles.matters, (chunk) => tx.insert(bundleMatters).values(chunk));
    await insertChunked(rows.bundles.situations, (chunk) => tx.insert(bundleSituations).values(chunk));
    await insertChunked(rows.bundles.materials, (chunk) => tx.insert(bundleMaterials).values(chunk));
    const state = {
      version: fetched.version,
      syncedAt: sql`now()`,
      checkedAt: sql`now()`,
      matterCount: rows.matters.length,
      outletCount: rows.outlets.length,
    };
    await tx
      .insert(catalogueState)
      .values({ id: 1, ...state })
      .onConflictDoUpdate({ target: catalogueState.id, set: state });
    return {
      changed: true as const,
      version: fetched.version,
      matters: rows.matters.length,
      outlets: rows.outlets.length,
      previousVersion: current?.version ?? null,
      bundles: rows.bundles.bundles.length,
      skippedBundles: rows.skippedBundles,
    };
  });
  if (outcome.changed) await refreshSearchIndex(db);
  return outcome;
}

/**
 * After a bulk write: moves the n-gram index's pending entries into the index proper and refreshes the
 * planner's statistics. Until then the planner prices the index as a full read of its pending list and scans
 * the table instead; and PGlite has no autovacuum to do either, ever.
 */
export async function refreshSearchIndex(db: DatabaseOrTransaction): Promise<void> {
  await db.execute(sql`select gin_clean_pending_list('matters_search_grams_idx'::regclass)`);
  await db.execute(sql`analyze matters, matter_materials, outlets, matter_outlets`);
}

/** How often the platform is asked whether the catalogue moved (one one-item page when it has not). */
export const CATALOGUE_MAX_AGE_SECONDS = 60 * 60;
const CHECK_EVERY_MS = 5 * 60 * 1000;
/** Enqueues in one such window share a job (pg-boss singleton), however many instances ask. */
const SCHEDULE_WINDOW_SECONDS = 5 * 60;

export function defineCatalogueJobs(app: FastifyInstance): void {
  app.jobs.define<{ reason: string }>({
    name: SYNC_CATALOGUE,
    // The platform down for a while: tried again after 30 s, 1, 2, 4 … minutes, about an hour in all; the
    // 5-minute check enqueues a fresh sync after that anyway.
    retrySchedule: [30, 60, 120, 240, 480, 960, 1920],
    // Many pages of the platform's catalogue in one run.
    expireInSeconds: 15 * 60,
    batchSize: 1,
    async handle({ reason }) {
      try {
        const outcome = await syncCatalogue(app.database.db, app.gov);
        app.log.info({ job: SYNC_CATALOGUE, reason, ...outcome }, 'catalogue synced');
      } catch (err) {
        if (err instanceof CatalogueRejectedError || (err instanceof GovError && !err.retryable))
          throw new PermanentJobError(`catalogue not synced: ${err.message}`);
        throw err;
      }
    },
  });
}

/** A sync, unless one was enqueued in this window already (by any instance). */
export function enqueueScheduledSync(app: FastifyInstance, reason: string): Promise<string | null> {
  return app.jobs.enqueue(
    app.database.db,
    SYNC_CATALOGUE,
    { reason },
    { singletonKey: 'scheduled', singletonSeconds: SCHEDULE_WINDOW_SECONDS },
  );
}

/**
 * Keeps the catalogue fresh: when the app is ready, and every few minutes after, a sync is enqueued if we
 * hold none or it was last confirmed over an hour ago. Call after the job queue's own onReady hook.
 */
export function scheduleCatalogueSync(app: FastifyInstance): void {
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const state = await getCatalogueState(app.database.db);
    const age = state ? (Date.now() - state.checkedAt.getTime()) / 1000 : Number.POSITIVE_INFINITY;
    if (age >= CATALOGUE_MAX_AGE_SECONDS) await enqueueScheduledSync(app, state ? 'stale' : 'empty');
  };
  const tick = () => {
    check().catch((err: Error) => app.log.warn({ err: { message: err.message } }, 'catalogue check failed'));
  };
  app.addHook('onReady', async () => {
    tick();
    timer = setInterval(tick, CHECK_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
