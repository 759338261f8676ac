import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogueVersion,
  matterNamed,
  matters as simMatters,
  outlets as simOutlets,
} from '../simulators/gov/catalogue';
import { cases, catalogueState, matterMaterials, matterOutlets, matters, outlets } from '../src/db/schema';
import { openCase } from '../src/features/cases/cases';
import { getCatalogueState } from '../src/features/catalogue/catalogue';
import { CatalogueRejectedError, SYNC_CATALOGUE, syncCatalogue } from '../src/features/catalogue/sync';
import { GovError, type GovMatter, type GovPlatformApi } from '../src/integrations/gov/types';
import { initialCatalogue, supervisorToken, until } from './catalogueHelpers';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
const countOf = async (
  table: typeof matters | typeof outlets | typeof matterMaterials | typeof matterOutlets,
) => (await db().select({ n: count() }).from(table))[0]!.n;

/** What the platform would serve after an edit of its catalogue (one page: the client pages on by cursor). */
function editedPlatform(edit: (ms: GovMatter[]) => GovMatter[], version: string): GovPlatformApi {
  const edited = edit(simMatters.map((m) => structuredClone(m)));
  return {
    ...t.app.gov,
    fetchCatalogue: async () => ({ matters: edited, outlets: [...simOutlets], version }),
  };
}

describe('catalogue sync', () => {
  it('fills the catalogue from the platform once the app is ready', async () => {
    const state = await initialCatalogue(t);
    expect(state).toMatchObject({ version: catalogueVersion, matterCount: 86, outletCount: 14 });
    expect(await countOf(matters)).toBe(86);
    expect(await countOf(outlets)).toBe(14);
    expect(await countOf(matterMaterials)).toBe(simMatters.reduce((n, m) => n + m.materials.length, 0));
    const links = new Set(simMatters.flatMap((m) => m.outletIds.map((id) => `${m.serviceCode}/${id}`)));
    expect(await countOf(matterOutlets)).toBe(links.size);

    const [unemployment] = await db()
      .select()
      .from(matters)
      .where(eq(matters.code, matterNamed('失业保险金申领').serviceCode));
    expect(unemployment).toMatchObject({
      caseType: 2,
      doorPickup: true,
      mail: 'two_way',
      searchName: '失业保险金申领',
    });
    expect(unemployment!.searchGrams).toEqual(expect.arrayContaining(['失业', '业保', '失', '社会', '人力']));
  });

  it('writes nothing when the version has not moved, and records that it checked', async () => {
    const before = (await getCatalogueState(db()))!;
    const rowVersions = () =>
      t.app.database.rows<{ v: string }>(
        sql`select string_agg(xmin::text, ',' order by code) as v from matters`,
      );
    const xminBefore = await rowVersions();

    expect(await syncCatalogue(db(), t.app.gov)).toEqual({ changed: false, version: catalogueVersion });
    const after = (await getCatalogueState(db()))!;
    expect(after.syncedAt).toEqual(before.syncedAt);
    expect(after.checkedAt.getTime()).toBeGreaterThanOrEqual(before.checkedAt.getTime());
    expect(await rowVersions()).toEqual(xminBefore);
  });

  it('keeps the catalogue whole when the platform is down', async () => {
    await t.gov.admin('/sim/admin/faults', { downForSeconds: 60 });
    try {
      const failed = await syncCatalogue(db(), t.app.gov).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(GovError);
      expect((failed as GovError).retryable).toBe(true);
    } finally {
      await t.gov.admin('/sim/admin/faults', {});
    }
    expect(await countOf(matters)).toBe(86);
    expect((await getCatalogueState(db()))!.version).toBe(catalogueVersion);
  });

  it('rolls back a sync that fails half-way through writing', async () => {
    // The last matter's first material has no count: the database refuses it after the old rows were deleted
    // and every new matter was inserted, in the same transaction.
    const broken = editedPlatform(
      (ms) =>
        ms.map((m, i) =>
          i === ms.length - 1
            ? { ...m, materials: [{ ...m.materials[0]!, count: null as unknown as number }] }
            : m,
        ),
      'broken-v2',
    );
    await expect(syncCatalogue(db(), broken)).rejects.toThrow(/matter_materials/);
    expect(await countOf(matters)).toBe(86);
    expect(await countOf(outlets)).toBe(14);
    expect((await getCatalogueState(db()))!.version).toBe(catalogueVersion);
  });

  it('refuses an empty or inconsistent catalogue without touching ours', async () => {
    await expect(
      syncCatalogue(
        db(),
        editedPlatform(() => [], 'empty'),
      ),
    ).rejects.toBeInstanceOf(CatalogueRejectedError);
    await expect(
      syncCatalogue(
        db(),
        editedPlatform((ms) => [...ms, ms[0]!], 'twice'),
      ),
    ).rejects.toBeInstanceOf(CatalogueRejectedError);
    expect(await countOf(matters)).toBe(86);
  });

  it('replaces the catalogue with a new version: removed matters disappear, changed ones change', async () => {
    const removed = matterNamed('失业登记');
    const renamed = matterNamed('失业保险金申领');
    const platform = editedPlatform(
      (ms) =>
        ms
          .filter((m) => m.serviceCode !== removed.serviceCode)
          .map((m) =>
            m.serviceCode === renamed.serviceCode
              ? {
                  ...m,
                  name: '失业保险金申领（含代领）',
                  serviceVersion: '2',
                  materials: m.materials.slice(0, 2),
                }
              : m,
          ),
      'hp-v2',
    );
    expect(await syncCatalogue(db(), platform)).toEqual({
      changed: true,
      version: 'hp-v2',
      matters: 85,
      outlets: 14,
      previousVersion: catalogueVersion,
      // The edited platform publishes no bundles: the ones held are removed with the rest.
      bundles: 0,
      skippedBundles: [],
    });
    expect(await countOf(matters)).toBe(85);
    const guide = await t.app.inject({ url: `/api/v1/matters/${removed.serviceCode}` });
    expect(guide.statusCode).toBe(404);
    expect(errorOf(guide).code).toBe('MATTER_NOT_FOUND');
    const changed = (await t.app.inject({ url: `/api/v1/matters/${renamed.serviceCode}` })).json();
    expect(changed).toMatchObject({ name: '失业保险金申领（含代领）', version: '2' });
    expect(changed.materials).toHaveLength(2);
    const search = (await t.app.inject({ url: `/api/v1/matters?q=${encodeURIComponent('代领')}` })).json();
    expect(search.items.map((m: { name: string }) => m.name)).toEqual(['失业保险金申领（含代领）']);
    // No materials or outlet links are left behind by the removed matter.
    expect(
      await db().select().from(matterMaterials).where(eq(matterMaterials.matterCode, removed.serviceCode)),
    ).toEqual([]);
    expect(
      await db().select().from(matterOutlets).where(eq(matterOutlets.matterCode, removed.serviceCode)),
    ).toEqual([]);
  });

  it('lets a supervisor queue a sync, which brings the platform’s version back', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/ops/catalogue/sync' });
    expect(anonymous.statusCode).toBe(401);
    const resident = await t.signIn();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/catalogue/sync',
      headers: bearer(resident.accessToken),
    });
    expect(refused.statusCode).toBe(403);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ops/catalogue/sync',
      headers: bearer(await supervisorToken(t)),
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.jobId).toEqual(expect.any(String));
    expect(body.current).toMatchObject({ version: 'hp-v2', matters: 85, outlets: 14 });
    const jobState = async () =>
      (
        await t.app.database.rows<{ state: string; name: string }>(
          sql`select name, state from pgboss.job where id = ${body.jobId}::uuid`,
        )
      )[0];
    // The job is marked completed just after its transaction commits.
    await until(async () => (await jobState())?.state === 'completed');
    expect(await jobState()).toEqual({ name: SYNC_CATALOGUE, state: 'completed' });
    expect((await getCatalogueState(db()))?.version).toBe(catalogueVersion);
    expect(await countOf(matters)).toBe(86);
  });

  it('retires an outlet that leaves the catalogue while a case names it, and brings it back when it returns', async () => {
    const centre = simOutlets.find((o) => o.kind === 'service_centre')!;
    const matter = simMatters[0]!;
    const c = await openCase(db(), {
      userId: null,
      channel: 'online',
      applicant: { kind: 'person' },
      matter: { code: matter.serviceCode, name: matter.name, promisedWorkingDays: 5 },
      projId: 'P-RETIRE-1',
      centreId: centre.id,
    });
    const without: GovPlatformApi = {
      ...t.app.gov,
      fetchCatalogue: async () => ({
        matters: [...simMatters],
        outlets: simOutlets.filter((o) => o.id !== centre.id),
        version: 'hp-v3',
      }),
    };
    // Deleting the outlet would break the case's reference and fail the whole sync.
    expect(await syncCatalogue(db(), without)).toMatchObject({ changed: true, outlets: 13 });
    const [kept] = await db().select().from(outlets).where(eq(outlets.id, centre.id));
    expect(kept?.retiredAt).toBeInstanceOf(Date);
    const [stillNamed] = await db()
      .select({ centreId: cases.centreId })
      .from(cases)
      .where(eq(cases.id, c.id));
    expect(stillNamed?.centreId).toBe(centre.id);
    // Offered nowhere: not listed, no page of its own.
    const list = (await t.app.inject({ url: '/api/v1/outlets?limit=50' })).json();
    expect(list.items.map((o: { id: string }) => o.id)).not.toContain(centre.id);
    expect((await t.app.inject({ url: `/api/v1/outlets/${centre.id}` })).statusCode).toBe(404);

    await syncCatalogue(db(), {
      ...t.app.gov,
      fetchCatalogue: async () => ({ matters: [...simMatters], outlets: [...simOutlets], version: 'hp-v4' }),
    });
    const [back] = await db().select().from(outlets).where(eq(outlets.id, centre.id));
    expect(back?.retiredAt).toBeNull();
    const again = (await t.app.inject({ url: '/api/v1/outlets?limit=50' })).json();
    expect(again.items.map((o: { id: string }) => o.id)).toContain(centre.id);
  });

  it('keeps one catalogue state row', async () => {
    expect((await db().select({ n: count() }).from(catalogueState))[0]!.n).toBe(1);
  });
});
