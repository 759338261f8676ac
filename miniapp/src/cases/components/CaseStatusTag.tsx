import type { CaseStatus } from '@zyt/shared';
import { caseStatusTones } from '@/cases/format';
import { Tag } from '@/ui/nutui';

/** A case's status as a coloured chip, with the label the server sent. */
export function CaseStatusTag({ status, label }: { status: CaseStatus; label: string }) {
  return (
    <Tag className="case-status" type={caseStatusTones[status]}>
      {label}
    </Tag>
  );
}
