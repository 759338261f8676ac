import type { BundleField, BundleGuide, BundleMaterial, BundleMatter } from '../api/bundles';
import { validatePersonName } from '../validators/name';
import { validateResidentId } from '../validators/residentId';
import { addCalendarDays } from './dates';

/** What applies in one situation (情形): its matters, the merged form's fields and the merged materials list. */
export interface SituationView {
  matters: BundleMatter[];
  fields: BundleField[];
  materials: BundleMaterial[];
}

/** The part of a bundle that applies in a situation; undefined when the bundle has no such situation. */
export function bundleForSituation(guide: BundleGuide, situationId: string): SituationView | undefined {
  const situation = guide.situations.find((s) => s.id === situationId);
  if (!situation) return undefined;
  const codes = new Set(situation.matterCodes);
  const applies = (m: { matterCodes: string[] }) => m.matterCodes.some((c) => codes.has(c));
  return {
    matters: guide.matters.filter((m) => codes.has(m.code)),
    fields: guide.fields.filter(applies),
    materials: guide.materials.filter(applies),
  };
}

export interface FormIssue {
  field: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the merged form's answers for the fields that apply; trims them. */
export function checkBundleForm(
  fields: readonly BundleField[],
  form: Readonly<Record<string, string>>,
): { ok: true; value: Record<string, string> } | { ok: false; issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  const value: Record<string, string> = {};
  const known = new Set(fields.map((f) => f.id));
  for (const key of Object.keys(form))
    if (!known.has(key)) issues.push({ field: `bundle.form.${key}`, message: '该情形不需要填写此项' });
  for (const f of fields) {
    const raw = (form[f.id] ?? '').trim();
    const field = `bundle.form.${f.id}`;
    if (!raw) {
      issues.push({ field, message: `请填写${f.label}` });
      continue;
    }
    if (f.kind === 'name' && !validatePersonName(raw).ok)
      issues.push({ field, message: `${f.label}格式不正确，请填写身份证或出生医学证明上的姓名` });
    else if (f.kind === 'id_number' && !validateResidentId(raw).ok)
      issues.push({ field, message: `${f.label}不正确，请核对后重新填写` });
    else if (f.kind === 'date' && (!DATE.test(raw) || Number.isNaN(Date.parse(raw))))
      issues.push({ field, message: `${f.label}应为日期，如 2026-11-20` });
    else if (f.kind === 'sex' && raw !== '男' && raw !== '女')
      issues.push({ field, message: `请选择${f.label}` });
    value[f.id] = f.kind === 'id_number' ? raw.toUpperCase() : raw;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** Is a child born on birthDate (YYYY-MM-DD) within the situation's age limit on `today` (YYYY-MM-DD, Beijing)? */
export function withinAgeLimit(birthDate: string, maxAgeDays: number | null, today: string): boolean {
  if (maxAgeDays === null) return true;
  if (birthDate > today) return false;
  return addCalendarDays(birthDate, maxAgeDays) >= today;
}
