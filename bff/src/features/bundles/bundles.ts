import {
  type BundleBookingInput,
  type BundleFieldKind,
  type BundleGuide,
  type BundleSummary,
  beijingDate,
  bundleForSituation,
  checkBundleForm,
  withinAgeLimit,
} from '@zyt/shared';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bundleMaterials, bundleMatters, bundleSituations, bundles, matters } from '../../db/schema';
import { AppError } from '../../lib/errors';

/** The bundle's guide: its matters (with their results and dependencies), situations, merged form and materials. */
export async function getBundleGuide(
  db: DatabaseOrTransaction,
  code: string,
): Promise<BundleGuide | undefined> {
  const [b] = await db.select().from(bundles).where(eq(bundles.code, code));
  if (!b) return undefined;
  const [members, situations, materials] = await Promise.all([
    db
      .select({ link: bundleMatters, matter: matters })
      .from(bundleMatters)
      .innerJoin(matters, eq(matters.code, bundleMatters.matterCode))
      .where(eq(bundleMatters.bundleCode, code))
      .orderBy(asc(bundleMatters.position)),
    db
      .select()
      .from(bundleSituations)
      .where(eq(bundleSituations.bundleCode, code))
      .orderBy(asc(bundleSituations.position)),
    db
      .select()
      .from(bundleMaterials)
      .where(eq(bundleMaterials.bundleCode, code))
      .orderBy(asc(bundleMaterials.position)),
  ]);
  const guideMatters = members.map(({ link, matter }) => ({
    code: matter.code,
    name: matter.name,
    department: matter.department,
    promisedWorkingDays: matter.promisedWorkingDays,
    resultName: matter.resultName,
    resultKind: matter.resultKind,
    dependsOn: link.dependsOn,
  }));
  return {
    code: b.code,
    name: b.name,
    theme: b.theme,
    description: b.description,
    matterCount: guideMatters.length,
    physicalResults: guideMatters.filter((m) => m.resultKind === 'physical').length,
    doorPickup: b.doorPickup,
    matters: guideMatters,
    situations: situations.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      matterCodes: s.matterCodes,
      maxAgeDays: s.maxAgeDays,
    })),
    fields: b.fields.map((f) => ({
      id: f.id,
      label: f.label,
      kind: f.kind as BundleFieldKind,
      matterCodes: members
        .filter(({ link }) => link.fieldIds.includes(f.id))
        .map(({ link }) => link.matterCode),
    })),
    // A document one of the bundle's own matters issues (出生医学证明) is not asked of the applicant when that
    // matter applies: the departments share it (数据跑路). Listed for the matters that need it otherwise.
    materials: materials.map((m) => ({
      id: m.id,
      name: m.name,
      form: m.form,
      count: m.count,
      required: m.required,
      note: m.issuedBy ? `由本“一件事”中的${nameOf(guideMatters, m.issuedBy)}办理后共享，无需另交` : m.note,
      matterCodes: m.issuedBy ? [] : [...new Set(m.sources.map((s) => s.matterCode))],
    })),
  };
}

const nameOf = (list: { code: string; name: string }[], code: string) =>
  list.find((m) => m.code === code)?.name ?? code;

export async function listBundles(db: DatabaseOrTransaction): Promise<BundleSummary[]> {
  const rows = await db.select({ code: bundles.code }).from(bundles).orderBy(asc(bundles.position));
  const guides = await Promise.all(rows.map((r) => getBundleGuide(db, r.code)));
  return guides.flatMap((g) =>
    g
      ? [
          {
            code: g.code,
            name: g.name,
            theme: g.theme,
            description: g.description,
            matterCount: g.matterCount,
            physicalResults: g.physicalResults,
          },
        ]
      : [],
  );
}

export async function bundleExists(db: DatabaseOrTransaction, code: string): Promise<boolean> {
  const [b] = await db.select({ code: bundles.code }).from(bundles).where(eq(bundles.code, code));
  return !!b;
}

export interface CheckedBundleBooking {
  bundle: { code: string; name: string; version: string };
  situation: { id: string; name: string; matterCodes: string[] };
  form: Record<string, string>;
}

/**
 * A bundle booking's situation and form, checked before anything is written: a situation the bundle does not
 * have, or one that does not fit (the child older than it allows), is refused with
 * BUNDLE_SITUATION_NOT_APPLICABLE; the form must answer every field of the matters that apply, and nothing else.
 */
export async function checkBundleBooking(
  db: DatabaseOrTransaction,
  params: { code: string; input: BundleBookingInput | undefined; now: Date },
): Promise<CheckedBundleBooking> {
  const guide = await getBundleGuide(db, params.code);
  if (!guide) throw new AppError(404, 'BUNDLE_NOT_FOUND');
  if (!guide.doorPickup) throw new AppError(422, 'DOOR_PICKUP_NOT_SUPPORTED');
  if (!params.input) throw new AppError(422, 'BUNDLE_SITUATION_REQUIRED');
  const situation = guide.situations.find((s) => s.id === params.input!.situation);
  const view = situation ? bundleForSituation(guide, situation.id) : undefined;
  if (!situation || !view)
    throw new AppError(422, 'BUNDLE_SITUATION_NOT_APPLICABLE', undefined, [
      { field: 'bundle.situation', message: `“${guide.name}”没有这种情形，请在办事指南中重新选择` },
    ]);
  const form = checkBundleForm(view.fields, params.input.form);
  if (!form.ok) throw new AppError(422, 'BUNDLE_FORM_INVALID', undefined, form.issues);
  const birthDate = form.value.birthDate;
  if (birthDate && !withinAgeLimit(birthDate, situation.maxAgeDays, beijingDate(params.now)))
    throw new AppError(422, 'BUNDLE_SITUATION_NOT_APPLICABLE', undefined, [
      {
        field: 'bundle.form.birthDate',
        message: `“${situation.name}”适用于出生${situation.maxAgeDays}天内的新生儿，请到窗口按单项事项办理`,
      },
    ]);
  const [row] = await db
    .select({ version: bundles.version })
    .from(bundles)
    .where(eq(bundles.code, guide.code));
  return {
    bundle: { code: guide.code, name: guide.name, version: row!.version },
    situation: { id: situation.id, name: situation.name, matterCodes: situation.matterCodes },
    form: form.value,
  };
}

export type BundleChecklistItem = {
  matterCode: string;
  id: string;
  position: number;
  name: string;
  form: 'original' | 'copy' | 'original_and_copy';
  count: number;
  required: boolean;
  note: string | null;
  /** The matters of the situation asking for this line, and whether each allows 容缺受理. */
  matters: { name: string; tolerant: boolean }[];
};

/**
 * What the agent checks at a bundle's door: the merged materials of the matters that apply, each once; a
 * document issued by one of those matters is not asked for.
 */
export async function bundleChecklist(
  db: DatabaseOrTransaction,
  code: string,
  matterCodes: readonly string[],
): Promise<BundleChecklistItem[]> {
  const [rows, members] = await Promise.all([
    db
      .select()
      .from(bundleMaterials)
      .where(eq(bundleMaterials.bundleCode, code))
      .orderBy(asc(bundleMaterials.position)),
    matterCodes.length
      ? db
          .select({ code: matters.code, name: matters.name, tolerant: matters.tolerantAcceptance })
          .from(matters)
          .where(inArray(matters.code, [...matterCodes]))
      : [],
  ]);
  const member = new Map(members.map((m) => [m.code, m]));
  const applies = new Set(matterCodes);
  return rows
    .filter(
      (r) => !(r.issuedBy && applies.has(r.issuedBy)) && r.sources.some((s) => applies.has(s.matterCode)),
    )
    .map((r) => ({
      matterCode: r.bundleCode,
      id: r.id,
      position: r.position,
      name: r.name,
      form: r.form,
      count: r.count,
      required: r.required,
      note: r.note,
      matters: matterCodes.flatMap((c) => {
        const m = member.get(c);
        return m && r.sources.some((x) => x.matterCode === c) ? [{ name: m.name, tolerant: m.tolerant }] : [];
      }),
    }));
}

/** The merged rows of a bundle (for mapping a door review back onto each matter's own materials). */
export function bundleMaterialRows(db: DatabaseOrTransaction, code: string) {
  return db.select().from(bundleMaterials).where(eq(bundleMaterials.bundleCode, code));
}

/** The links (fields, dependencies) of a bundle's matters. */
export function bundleMatterLinks(db: DatabaseOrTransaction, code: string, matterCodes: string[]) {
  return db
    .select()
    .from(bundleMatters)
    .where(and(eq(bundleMatters.bundleCode, code), inArray(bundleMatters.matterCode, matterCodes)));
}
