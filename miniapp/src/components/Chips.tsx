import { Text, View } from '@tarojs/components';
import './Chips.css';

export interface ChipOption<T extends string> {
  value: T | undefined;
  label: string;
}

/** One choice out of a row of chips (a filter): the chosen one is highlighted. */
export function Chips<T extends string>({
  name,
  options,
  value,
  onChange,
}: {
  /** Says what the row filters, for screen readers and tests. */
  name: string;
  options: ChipOption<T>[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
}) {
  return (
    <View className="chips" aria-label={name}>
      {options.map((option) => {
        const active = option.value === value;
        return (
          <View
            key={option.value ?? ''}
            className={active ? 'chip chip--active' : 'chip'}
            aria-pressed={active}
            onClick={() => !active && onChange(option.value)}
          >
            <Text>{option.label}</Text>
          </View>
        );
      })}
    </View>
  );
}
