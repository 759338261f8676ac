import type { BookingStatus } from '@zyt/shared';
import { bookingStatusLabels } from '@zyt/shared';
import { Tag } from '@/ui/nutui';

type Tone = 'primary' | 'success' | 'warning' | 'danger' | 'default';

const tones: Record<BookingStatus, Tone> = {
  requested: 'warning',
  assigned: 'primary',
  en_route: 'primary',
  arrived: 'primary',
  reviewing: 'primary',
  collected: 'primary',
  handed_over: 'primary',
  case_submitted: 'success',
  materials_incomplete: 'danger',
  cancelled: 'default',
  expired: 'default',
};

/** A booking's status as a coloured chip: waiting, in progress, done, needs the resident, or over. */
export function StatusTag({ status }: { status: BookingStatus }) {
  return (
    <Tag className="status-tag" type={tones[status]}>
      {bookingStatusLabels[status]}
    </Tag>
  );
}
