import type { MissingItem } from '@zyt/shared';
import { AppError } from '../../lib/errors';
import type { ChecklistItem } from './visitQueries';

/**
 * The first review (初审) of materials against a matter's checklist, the same at a door and at a window: every
 * item must be checked (else 422 REVIEW_INCOMPLETE naming what was not); the answer is 一次性告知 — every required
 * material that is absent or short of copies, in one list (empty when complete).
 */
export function missingFromReview(
  checklist: readonly ChecklistItem[],
  items: readonly { materialId: string; present: boolean; copies: number }[],
): MissingItem[] {
  const given = new Map(items.map((i) => [i.materialId, i]));
  const unknown = items.filter((i) => !checklist.some((m) => m.id === i.materialId));
  const unchecked = checklist.filter((m) => !given.has(m.id));
  if (unknown.length > 0 || unchecked.length > 0) {
    throw new AppError(422, 'REVIEW_INCOMPLETE', undefined, [
      ...unchecked.map((m) => ({ field: `items.${m.id}`, message: `未核对：${m.name}` })),
      ...unknown.map((i) => ({ field: `items.${i.materialId}`, message: '不在该事项的材料清单中' })),
    ]);
  }
  return checklist
    .filter((m) => m.required)
    .flatMap((m) => {
      const item = given.get(m.id)!;
      if (!item.present) return [{ materialId: m.id, name: m.name, reason: '未提供' }];
      if (item.copies < m.count)
        return [{ materialId: m.id, name: m.name, reason: `需${m.count}份，仅提供${item.copies}份` }];
      return [];
    });
}
