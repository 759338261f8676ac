import { describe, expect, it } from 'vitest';
import { bagCodeFrom } from '@/bag/code';
import { routeParam } from '@/navigation';

const CODE = 'K7QM-2XNP-8RTV';
const URL = `https://zyt.example.gov.cn/b/${CODE}`;

describe('bagCodeFrom', () => {
  it('reads the `q` launch parameter of an ordinary-link QR, decoded once', () => {
    // WeChat hands the page the label URL URL-encoded in `q`; the page decodes it once (routeParam).
    const params = { q: encodeURIComponent(URL), scancode_time: '1764580000' };
    expect(bagCodeFrom(routeParam(params, 'q'))).toBe(CODE);
  });

  it('reads what the in-app scan button returns: the label URL, with or without a query', () => {
    expect(bagCodeFrom(URL)).toBe(CODE);
    expect(bagCodeFrom(`${URL}?from=label#x`)).toBe(CODE);
    expect(bagCodeFrom(`http://127.0.0.1:8080/b/${CODE.toLowerCase()}`)).toBe(CODE);
  });

  it('reads a typed code in any case, with or without dashes and spaces, and look-alike letters', () => {
    expect(bagCodeFrom('k7qm2xnp8rtv')).toBe(CODE);
    expect(bagCodeFrom(' K7QM 2XNP-8RTV ')).toBe(CODE);
    // O for 0 and I/L for 1: the alphabet has neither, so a typed one means the digit.
    expect(bagCodeFrom('AB0O-1IL2-3456')).toBe('AB00-1112-3456');
  });

  it('refuses what cannot be a bag code', () => {
    expect(bagCodeFrom(undefined)).toBeUndefined();
    expect(bagCodeFrom('')).toBeUndefined();
    expect(bagCodeFrom('ABC')).toBeUndefined();
    // 11 or 13 characters, or a U (not in the alphabet).
    expect(bagCodeFrom('K7QM-2XNP-8RT')).toBeUndefined();
    expect(bagCodeFrom('K7QM-2XNP-8RTVW')).toBeUndefined();
    expect(bagCodeFrom('K7QM-2XNP-8RTU')).toBeUndefined();
    expect(bagCodeFrom('K7QM-2XNP-8RT!')).toBeUndefined();
    expect(bagCodeFrom('https://example.com/other/page')).toBeUndefined();
  });
});
