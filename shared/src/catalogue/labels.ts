/**
 * How the catalogue's codes read in Chinese, so the mini-program and the BFF word them the same way. Kept apart
 * from the API schemas: importing a label must not bring TypeBox into the mini-program bundle.
 */

export const applicantLabels: Record<'person' | 'enterprise', string> = {
  person: '个人',
  enterprise: '法人',
};

export const channelLabels: Record<'door_pickup' | 'outlet' | 'mail', string> = {
  door_pickup: '上门收件',
  outlet: '网点办',
  mail: '邮寄送达',
};

export const mailLabels: Record<'none' | 'one_way' | 'two_way', string> = {
  none: '不支持邮寄',
  one_way: '结果邮寄送达（单程）',
  two_way: '材料寄递、结果邮寄送达（双程）',
};

/** 办件类型 INFOTYPE */
export const caseTypeLabels: Record<number, string> = { 1: '即办件', 2: '承诺件', 3: '联办件', 4: '上报件' };

export const materialFormLabels: Record<'original' | 'copy' | 'original_and_copy', string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件和复印件',
};

export const outletKindLabels: Record<'post_office' | 'service_centre', string> = {
  post_office: '邮政网点',
  service_centre: '政务服务中心',
};

/** ISO weekday 1 … 7 → 周一 … 周日 */
export const weekdayLabels = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;
