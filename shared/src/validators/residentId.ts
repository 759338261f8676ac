import { refuse, type Validation } from './result';

// GB 11643-1999 居民身份证号码: 17 digits + check character (ISO 7064 MOD 11-2).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
// First two digits: province-level administrative division (GB/T 2260), plus 71/81/82 (台港澳), 83 (港澳台居民居住证).
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Validates a resident ID number (18 chars). `today` (YYYY-MM-DD) bounds the birth date. */
export function validateResidentId(input: string, today = new Date().toISOString().slice(0, 10)): Validation {
  const id = input.trim().toUpperCase();
  if (id.length !== 18) return refuse('length', '身份证号码应为18位');
  if (!/^\d{17}[\dX]$/.test(id)) return refuse('format', '身份证号码前17位应为数字，最后一位为数字或X');
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return refuse('region', '身份证号码的地区码不正确');
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  if (
    Number.isNaN(d.getTime()) ||
    d.toISOString().slice(0, 10) !== birth ||
    birth < '1800-01-01' ||
    birth > today
  ) {
    return refuse('birthdate', '身份证号码中的出生日期不正确');
  }
  if (residentIdCheckChar(id) !== id[17]) return refuse('checksum', '身份证号码校验位不正确，请核对每一位');
  return { ok: true, value: id };
}
