import type { bundleMaterials, bundleMatters, bundleSituations, bundles } from '../../db/schema';
import type { GovBundle, GovMatter } from '../../integrations/gov/types';

export interface PreparedBundles {
  bundles: (typeof bundles.$inferInsert)[];
  matters: (typeof bundleMatters.$inferInsert)[];
  situations: (typeof bundleSituations.$inferInsert)[];
  materials: (typeof bundleMaterials.$inferInsert)[];
}

type Form = 'original' | 'copy' | 'original_and_copy';
/** Two matters asking for the same document in different forms: bring both (原件和复印件). */
const mergeForm = (a: Form, b: Form): Form => (a === b ? a : 'original_and_copy');

/** The name a material is known by across matters: no spaces or book-title marks (《》), full-width folded. */
const materialKey = (name: string) => name.normalize('NFKC').replace(/[\s《》]/g, '');

/**
 * Rows for the bundles of a catalogue, checked against its matters: a bundle naming a matter the catalogue does
 * not have is skipped whole (a half bundle would send people to a visit that cannot submit every case). Each
 * bundle's materials are merged into one list without repeats.
 */
export function prepareBundles(
  fetched: readonly GovBundle[],
  matterByCode: ReadonlyMap<string, GovMatter>,
): { rows: PreparedBundles; skipped: string[] } {
  const rows: PreparedBundles = { bundles: [], matters: [], situations: [], materials: [] };
  const skipped: string[] = [];
  const seen = new Set<string>();
  fetched.forEach((b, position) => {
    const codes = new Set(b.matters.map((m) => m.serviceCode));
    const fieldIds = new Set(b.fields.map((f) => f.id));
    const sound =
      !seen.has(b.code) &&
      b.matters.every(
        (m) =>
          matterByCode.has(m.serviceCode) &&
          m.dependsOn.every((d) => codes.has(d)) &&
          m.fieldIds.every((f) => fieldIds.has(f)),
      ) &&
      b.situations.every((s) => s.serviceCodes.every((c) => codes.has(c)));
    if (!sound) {
      skipped.push(b.code);
      return;
    }
    seen.add(b.code);
    rows.bundles.push({
      code: b.code,
      version: b.version,
      name: b.name,
      theme: b.theme,
      description: b.description,
      doorPickup: b.doorPickup,
      fields: b.fields.map(({ id, label, kind }) => ({ id, label, kind })),
      position,
    });
    rows.matters.push(
      ...b.matters.map((m, i) => ({
        bundleCode: b.code,
        matterCode: m.serviceCode,
        position: i,
        fieldIds: m.fieldIds,
        dependsOn: m.dependsOn,
      })),
    );
    rows.situations.push(
      ...b.situations.map((s, i) => ({
        bundleCode: b.code,
        id: s.id,
        position: i,
        name: s.name,
        description: s.description,
        matterCodes: s.serviceCodes,
        maxAgeDays: s.maxAgeDays ?? null,
      })),
    );
    rows.materials.push(...mergeMaterials(b, matterByCode));
  });
  return { rows, skipped };
}

/** One list for the bundle: the same document asked by several matters appears once. */
export function mergeMaterials(
  b: GovBundle,
  matterByCode: ReadonlyMap<string, GovMatter>,
): (typeof bundleMaterials.$inferInsert)[] {
  const issuers = new Map<string, string>();
  for (const { serviceCode } of b.matters) {
    const m = matterByCode.get(serviceCode)!;
    if (m.result.kind === 'physical') issuers.set(materialKey(m.result.documentName), serviceCode);
  }
  const merged = new Map<string, typeof bundleMaterials.$inferInsert>();
  for (const { serviceCode } of b.matters) {
    for (const mat of matterByCode.get(serviceCode)!.materials) {
      const key = materialKey(mat.name);
      const held = merged.get(key);
      if (held) {
        held.form = mergeForm(held.form, mat.form);
        held.count = Math.max(held.count, mat.count);
        held.required = held.required || mat.required;
        held.sources.push({ matterCode: serviceCode, materialId: mat.id });
        continue;
      }
      merged.set(key, {
        bundleCode: b.code,
        id: `${b.code}-${String(merged.size + 1).padStart(2, '0')}`,
        position: merged.size,
        name: mat.name,
        form: mat.form,
        count: mat.count,
        required: mat.required,
        note: mat.note ?? null,
        sources: [{ matterCode: serviceCode, materialId: mat.id }],
        issuedBy: issuers.get(key) ?? null,
      });
    }
  }
  return [...merged.values()];
}
