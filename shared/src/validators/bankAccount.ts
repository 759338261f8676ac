import { refuse, type Validation } from './result';

/**
 * An enterprise's settlement account (对公账户) number: 8 to 32 digits as the bank prints it (spaces and dashes
 * are dropped). Corporate account numbers carry no public check digit, so only the format is checked.
 */
export function validateBankAccount(input: string): Validation {
  const value = input.replace(/[\s-]/g, '');
  if (value === '') return refuse('empty', '请填写对公银行账号');
  if (!/^\d+$/.test(value)) return refuse('charset', '银行账号只能包含数字，请按开户许可证或银行回单填写');
  if (value.length < 8 || value.length > 32) return refuse('length', '银行账号应为8至32位数字，请核对后填写');
  return { ok: true, value };
}

/** 6222 0000 1234 5678 → ****5678 */
export const maskBankAccount = (account: string): string => `****${account.slice(-4)}`;
