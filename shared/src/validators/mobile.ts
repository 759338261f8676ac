import { refuse, type Validation } from './result';

/** Mainland China mobile number: 11 digits starting 13-19; a leading +86/86 and spaces or dashes are dropped. */
export function validateMobile(input: string): Validation {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) return refuse('format', '请输入11位手机号码');
  return { ok: true, value: digits };
}
