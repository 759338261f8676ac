import { refuse, type Validation } from './result';

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** UPU S10 check digit over the 8-digit serial: 11 - sum % 11, where 10 → 0 and 11 → 5. */
export function s10CheckDigit(serial: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * S10_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

export type WaybillKind = 'ems_domestic' | 'upu_s10';

/**
 * Domestic EMS waybills are 13 digits (no published check digit: format only); international ones follow
 * UPU S10, e.g. EA123456785CN.
 */
export function validateWaybill(input: string): Validation & { kind?: WaybillKind } {
  const no = input.trim().toUpperCase();
  if (/^\d{13}$/.test(no)) return { ok: true, value: no, kind: 'ems_domestic' };
  const s10 = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(no);
  if (s10) {
    if (s10CheckDigit(s10[2]!) !== Number(s10[3]))
      return refuse('checksum', '国际邮件号校验位不正确，请核对');
    return { ok: true, value: no, kind: 'upu_s10' };
  }
  return refuse('format', '运单号应为13位数字，或国际邮件号（如 EA123456785CN）');
}
