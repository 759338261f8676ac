import { type Address, type Contact, validateMobile, validatePersonName } from '@zyt/shared';

/**
 * The address and recipient a result is mailed to (单程寄递): the fields, their labels and one check, shared by
 * the resident's 结果邮寄 page and the window clerk's mailing choice.
 */
export type MailingField = 'province' | 'city' | 'county' | 'detail' | 'name' | 'phone';
export type MailingValues = Record<MailingField, string>;
export type MailingErrors = Partial<Record<MailingField, string>>;

/** Label, placeholder and length limit of each field, in the order they are shown. */
export const MAILING_FIELDS: Record<MailingField, [string, string | undefined, number]> = {
  province: ['省', undefined, 20],
  city: ['市', undefined, 20],
  county: ['区县', '如：黄埔区', 20],
  detail: ['详细地址', '街道、小区、楼栋和门牌号', 120],
  name: ['收件人', '办理结果寄给谁', 30],
  phone: ['手机号码', '投递员会先打这个电话', 20],
};

/** The mailing as the API takes it, or the field errors that stop it. */
export function checkMailingValues(v: MailingValues): {
  errors: MailingErrors;
  mailing?: { address: Address; contact: Contact };
} {
  const errors: MailingErrors = {};
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
