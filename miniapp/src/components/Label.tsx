import type { PropsWithChildren } from 'react';
import { Tag } from '@/ui/nutui';

/** A quiet tag for facts (theme, 即办件, 休息中): NutUI's default tag is black, which reads as a warning. */
export function Label({ children }: PropsWithChildren) {
  return (
    <Tag background="#eef1f4" color="#3c4450">
      {children}
    </Tag>
  );
}
