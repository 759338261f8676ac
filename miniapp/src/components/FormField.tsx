import { Input, Text, View } from '@tarojs/components';

/** A labelled input with its error under it; `id` names the input and, suffixed `-error`, the message. */
export function FormField(props: {
  id: string;
  label: string;
  value: string;
  message?: string;
  placeholder?: string;
  maxlength: number;
  type?: 'number' | 'text' | 'idcard';
  onInput: (value: string) => void;
}) {
  return (
    <View className={`field${props.message ? ' field--invalid' : ''}`}>
      <Text className="field__label">{props.label}</Text>
      <Input
        className="field__input"
        id={props.id}
        value={props.value}
        placeholder={props.placeholder}
        maxlength={props.maxlength}
        type={props.type}
        onInput={(e) => props.onInput(e.detail.value)}
      />
      {props.message && (
        <Text className="field__error" id={`${props.id}-error`}>
          {props.message}
        </Text>
      )}
    </View>
  );
}
