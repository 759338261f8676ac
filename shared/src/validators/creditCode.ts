import { refuse, type Validation } from './result';

// GB 32100-2015 统一社会信用代码: 18 characters from 31 symbols (no I, O, Z, S, V); last one is a check.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]; // 3^i mod 31

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a unified social credit code. Some early pilot codes fail the check yet are legal, so a check
 * mismatch is accepted with a warning, never refused.
 */
export function validateCreditCode(input: string): Validation {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return refuse('length', '统一社会信用代码应为18位');
  for (const ch of code) {
    if (!ALPHABET.includes(ch))
      return refuse('charset', `统一社会信用代码不能包含字符“${ch}”（不使用I、O、Z、S、V）`);
  }
  if (creditCodeCheckChar(code) !== code[17]) {
    return { ok: true, value: code, warning: '校验位与国家标准不符（早期试点代码可能如此），请再核对一遍' };
  }
  return { ok: true, value: code };
}
