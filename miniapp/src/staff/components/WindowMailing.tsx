import { Text, View } from '@tarojs/components';
import {
  checkMailingValues,
  MAILING_FIELDS,
  type MailingField,
  type MailingValues,
} from '@/cases/mailingForm';
import { FormField } from '@/components/FormField';
import { OptionToggle, type ToggleOption } from '@/staff/components/OptionToggle';

export type { MailingValues };
export interface MailingChoice {
  mail: boolean;
  values: MailingValues;
}

const choices: readonly ToggleOption<boolean>[] = [
  { value: false, label: '窗口领取', tone: 'present' },
  { value: true, label: '邮寄送达', tone: 'present' },
];

export const noMailing: MailingChoice = {
  mail: false,
  values: { province: '广东省', city: '广州市', county: '', detail: '', name: '', phone: '' },
};

/** The result mailing as the API takes it, or the field errors that stop it (none when not mailing). */
export function checkMailing(c: MailingChoice): ReturnType<typeof checkMailingValues> {
  return c.mail ? checkMailingValues(c.values) : { errors: {} };
}

/**
 * 结果邮寄 at the window: the applicant chooses to collect the result at the window or have it mailed by EMS
 * (单程寄递, paid by the government). Sent with the review; the platform is told with the case.
 */
export function WindowMailing({
  value,
  onChange,
  showErrors,
}: {
  value: MailingChoice;
  onChange: (next: MailingChoice) => void;
  showErrors: boolean;
}) {
  const { errors } = checkMailing(value);
  const field = (f: MailingField) => {
    const [label, placeholder, maxlength] = MAILING_FIELDS[f];
    return (
      <FormField
        id={`window-mail-${f}`}
        label={label}
        value={value.values[f]}
        placeholder={placeholder}
        maxlength={maxlength}
        type={f === 'phone' ? 'number' : 'text'}
        message={showErrors ? errors[f] : undefined}
        onInput={(v) => onChange({ ...value, values: { ...value.values, [f]: v } })}
      />
    );
  };
  return (
    <View className="card" id="window-mailing">
      <Text className="staff-title">办理结果怎么领取</Text>
      <OptionToggle
        label="办理结果领取方式"
        options={choices}
        value={value.mail}
        onChange={(mail) => onChange({ ...value, mail })}
      />
      {value.mail ? (
        <>
          <Text className="text-hint">办结后由EMS免费寄到以下地址（政府买单），投递员会先电话联系。</Text>
          {field('province')}
          {field('city')}
          {field('county')}
          {field('detail')}
          {field('name')}
          {field('phone')}
        </>
      ) : (
        <Text className="text-hint">申请人凭受理单到窗口领取；也可以之后扫描受理单上的二维码申请邮寄。</Text>
      )}
    </View>
  );
}
