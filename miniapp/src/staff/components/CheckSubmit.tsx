import { Text } from '@tarojs/components';
import { Button } from '@/ui/nutui';

/**
 * The foot of an item-by-item check: how many items are left, else what submitting will do (`wrong`: something
 * missing or broken); submitting only once every item is checked.
 */
export function CheckSubmit({
  unchecked,
  wrong,
  outcome,
  label,
  busy,
  onSubmit,
}: {
  unchecked: number;
  wrong: boolean;
  outcome: string;
  label: string;
  busy: boolean;
  onSubmit: () => void;
}) {
  return (
    <>
      <Text className={unchecked > 0 ? 'text-hint' : wrong ? 'short' : 'text-body'}>
        {unchecked > 0 ? `还有 ${unchecked} 项未核对` : outcome}
      </Text>
      <Button block type="primary" size="large" loading={busy} disabled={unchecked > 0} onClick={onSubmit}>
        {label}
      </Button>
    </>
  );
}
