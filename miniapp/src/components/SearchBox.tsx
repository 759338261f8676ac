import { Input, View } from '@tarojs/components';
import { Button } from '@/ui/nutui';

/** A search input with its 搜索 button; the keyboard's search key submits too. */
export function SearchBox(props: {
  value: string;
  onChange: (value: string) => void;
  onSearch: () => void;
  placeholder: string;
  /** Container and input classes: each page lays the box out its own way. */
  className: string;
  inputClassName: string;
  id?: string;
}) {
  return (
    <View className={props.className}>
      <Input
        className={props.inputClassName}
        id={props.id}
        placeholder={props.placeholder}
        confirmType="search"
        value={props.value}
        onInput={(e) => props.onChange(e.detail.value)}
        onConfirm={props.onSearch}
      />
      <Button type="primary" size="large" onClick={props.onSearch}>
        搜索
      </Button>
    </View>
  );
}
