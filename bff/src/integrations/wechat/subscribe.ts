import type { FieldIssue } from '@zyt/shared';

/**
 * Subscribe-message value limits by key type (WeChat refuses the whole message otherwise, errcode 47003).
 * Checked before sending so a bad template is a clear, permanent failure, not a retry loop.
 */
const limits: { prefix: string; max: number; pattern?: RegExp; hint: string }[] = [
  { prefix: 'thing', max: 20, hint: '20个字以内' },
  { prefix: 'character_string', max: 32, pattern: /^[\x20-\x7e]*$/, hint: '32位以内的数字、字母或符号' },
  { prefix: 'phrase', max: 5, pattern: /^[\u4e00-\u9fff]*$/, hint: '5个汉字以内' },
  { prefix: 'name', max: 10, hint: '10个字以内' },
  { prefix: 'number', max: 32, pattern: /^[\d.]*$/, hint: '32位以内数字' },
  { prefix: 'phone_number', max: 17, pattern: /^[\d+\- ]*$/, hint: '17位以内电话号码' },
  { prefix: 'car_number', max: 8, hint: '8位以内车牌号' },
];

export type SubscribeData = Record<string, { value: string }>;

export function subscribeFieldIssues(data: SubscribeData): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [key, { value }] of Object.entries(data)) {
    const type = key.replace(/\d+$/, '');
    const rule = limits.find((l) => l.prefix === type);
    if (!rule) continue; // date, time, amount …: formats WeChat checks itself
    if ([...value].length > rule.max || (rule.pattern && !rule.pattern.test(value)))
      issues.push({ field: key, message: `应为${rule.hint}` });
  }
  return issues;
}

/** Shortens free text to fit a `thing` field (≤ 20 characters), marking the cut. */
export function fitThing(text: string): string {
  const chars = [...text];
  return chars.length <= 20 ? text : `${chars.slice(0, 19).join('')}…`;
}
