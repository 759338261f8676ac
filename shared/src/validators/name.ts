import { refuse, type Validation } from './result';

// Han characters (incl. extension blocks for rare surnames) with the middle dot used in minority names.
const HAN = '[\\u3400-\\u4dbf\\u4e00-\\u9fff\\u{20000}-\\u{3134f}]';
const NAME = new RegExp(`^${HAN}+(?:[·•]${HAN}+)*$`, 'u');

/** A name as printed on a resident ID card. */
export function validatePersonName(input: string): Validation {
  const name = input.trim().replace(/•/g, '·');
  const length = [...name].length;
  if (length < 2 || length > 30) return refuse('length', '姓名应为2到30个字');
  if (!NAME.test(name)) return refuse('format', '姓名只能包含汉字和间隔号“·”');
  return { ok: true, value: name };
}
