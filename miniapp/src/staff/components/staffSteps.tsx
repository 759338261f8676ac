import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { asApiError } from '@/api/errors';
import { listStaff } from '@/api/supervision';
import { LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { Radio } from '@/ui/nutui';

/** One step of a staff record (assign, call back, close…): a check before sending, busy while it runs, its error. */
export function useStep(run: () => Promise<void>, onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const go = async (check?: () => string | undefined) => {
    const problem = check?.();
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    try {
      await run();
      onDone();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, go };
}

/** The staff a supervisor can name to act (a ticket's or a workbench item's 负责人), one to choose. */
export function StaffPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const staff = useLoader(listStaff);
  if (!staff.data)
    return staff.error ? (
      <Text className="field__error">{staff.error.message}</Text>
    ) : (
      <LoadingState text="正在加载工作人员…" />
    );
  return (
    <Radio.Group value={value} onChange={(v) => onChange(String(v))}>
      <View className="bag-options">
        {staff.data.items.map((s) => (
          <Radio key={s.id} value={s.id}>
            {[s.staffNo, s.name, s.outlet?.name].filter(Boolean).join(' · ') || '未登记姓名的工作人员'}
          </Radio>
        ))}
      </View>
    </Radio.Group>
  );
}
