import { View } from '@tarojs/components';

export interface ToggleOption<T> {
  value: T;
  label: string;
  /** Colour of the chosen option: present (all good) or absent (something wrong). */
  tone: 'present' | 'absent';
}

/** 有 / 无: the choice for checking one item that is there or not. */
export const presenceOptions: readonly ToggleOption<boolean>[] = [
  { value: true, label: '有', tone: 'present' },
  { value: false, label: '无', tone: 'absent' },
];

/** One choice per checked item, as an aria radiogroup; nothing is chosen until the clerk picks. */
export function OptionToggle<T>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly ToggleOption<T>[];
  value: T | undefined;
  onChange: (value: T) => void;
}) {
  return (
    <View className="toggle" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <View
          key={o.label}
          className={`toggle__option${value === o.value ? ` toggle__option--${o.tone}` : ''}`}
          role="radio"
          aria-checked={value === o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}
