import { ScrollView, Text, View } from '@tarojs/components';
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
  scroll = false,
}: {
  /** Says what the row filters, for screen readers and tests. */
  name: string;
  options: ChipOption<T>[];
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  /** One line that scrolls sideways, for a long list (themes). */
  scroll?: boolean;
}) {
  const chips = (
    <View className={scroll ? 'chips chips--line' : 'chips'} aria-label={name}>
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
  return scroll ? (
    <ScrollView scrollX className="chips-scroll" enhanced showScrollbar={false}>
      {chips}
    </ScrollView>
  ) : (
    chips
  );
}
