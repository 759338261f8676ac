import { Text, View } from '@tarojs/components';
import { type Address, type Contact, validateMobile, validatePersonName } from '@zyt/shared';
import { FormField } from '@/components/FormField';
import { OptionToggle, type ToggleOption } from '@/staff/components/OptionToggle';

type Field = 'province' | 'city' | 'county' | 'detail' | 'name' | 'phone';
export type MailingValues = Record<Field, string>;
export interface MailingChoice {
  mail: boolean;
  values: MailingValues;
}

const LABELS: Record<Field, [string, string | undefined, number]> = {
  province: ['省', undefined, 20],
  city: ['市', undefined, 20],
  county: ['区县', '如：黄埔区', 20],
  detail: ['详细地址', '街道、小区、楼栋和门牌号', 120],
  name: ['收件人', '办理结果寄给谁', 30],
  phone: ['手机号码', '投递员会先打这个电话', 20],
};

const choices: readonly ToggleOption<boolean>[] = [
  { value: false, label: '窗口领取', tone: 'present' },
  { value: true, label: '邮寄送达', tone: 'present' },
];

export const noMailing: MailingChoice = {
  mail: false,
  values: { province: '广东省', city: '广州市', county: '', detail: '', name: '', phone: '' },
};

/** The result mailing as the API takes it, or the field errors that stop it (none when not mailing). */
export function checkMailing(c: MailingChoice): {
  errors: Partial<Record<Field, string>>;
  mailing?: { address: Address; contact: Contact };
} {
  if (!c.mail) return { errors: {} };
  const v = c.values;
  const errors: Partial<Record<Field, string>> = {};
  const name = validatePersonName(v.name);
  const phone = validateMobile(v.phone);
  if (!v.province.trim()) errors.province = '请填写省份';
  if (!v.city.trim()) errors.city = '请填写城市';
  if (!v.county.trim()) errors.county = '请填写区县';
  if ([...v.detail.trim()].length < 2) errors.detail = '请填写详细地址：街道、小区、楼栋和门牌号';
  if (!name.ok) errors.name = name.message;
  if (!phone.ok) errors.phone = phone.message;
  if (!name.ok || !phone.ok || Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    mailing: {
      address: {
        province: v.province.trim(),
        city: v.city.trim(),
        county: v.county.trim(),
        detail: v.detail.trim(),
      },
      contact: { name: name.value, phone: phone.value },
    },
  };
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
  const field = (f: Field) => {
    const [label, placeholder, maxlength] = LABELS[f];
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
