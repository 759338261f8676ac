import { Text, View } from '@tarojs/components';
import type { BundleField, FormIssue } from '@zyt/shared';
import { FormField } from '@/components/FormField';
import { Radio } from '@/ui/nutui';

const PLACEHOLDERS: Record<BundleField['kind'], string | undefined> = {
  name: '与证件上一致',
  id_number: '18位居民身份证号码',
  date: '如：2026-11-20',
  sex: undefined,
  text: undefined,
};

/**
 * 一件事一次办: one merged form for every matter of the situation; a field several matters need is asked once.
 * Problems show under a field once it was touched (or after "下一步").
 */
export function BundleForm({
  fields,
  values,
  problems,
  showAll,
  touched,
  onChange,
}: {
  fields: BundleField[];
  values: Record<string, string>;
  problems: FormIssue[];
  showAll: boolean;
  touched: Record<string, boolean>;
  onChange: (id: string, value: string) => void;
}) {
  const messageFor = (id: string) =>
    touched[id] || showAll ? problems.find((p) => p.field === `bundle.form.${id}`)?.message : undefined;
  return (
    <View className="card" id="bundle-form">
      <Text className="booking-section-title">申请表（各事项共用，只填一次）</Text>
      {fields.map((f) =>
        f.kind === 'sex' ? (
          <View key={f.id} className={`field${messageFor(f.id) ? ' field--invalid' : ''}`}>
            <Text className="field__label">{f.label}</Text>
            <Radio.Group
              direction="horizontal"
              value={values[f.id] ?? ''}
              onChange={(v) => onChange(f.id, String(v))}
            >
              <Radio value="男">男</Radio>
              <Radio value="女">女</Radio>
            </Radio.Group>
            {messageFor(f.id) && <Text className="field__error">{messageFor(f.id)}</Text>}
          </View>
        ) : (
          <FormField
            key={f.id}
            id={`bundle-${f.id}`}
            label={f.label}
            value={values[f.id] ?? ''}
            message={messageFor(f.id)}
            placeholder={PLACEHOLDERS[f.kind]}
            maxlength={f.kind === 'id_number' ? 18 : 100}
            type={f.kind === 'id_number' ? 'idcard' : 'text'}
            onInput={(v) => onChange(f.id, v)}
          />
        ),
      )}
    </View>
  );
}
