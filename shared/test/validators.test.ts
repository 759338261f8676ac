import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  maskIdNumber,
  maskName,
  maskPhone,
  residentIdCheckChar,
  s10CheckDigit,
  validateCreditCode,
  validateMobile,
  validatePersonName,
  validateResidentId,
  validateWaybill,
} from '../src';

describe('resident ID (GB 11643)', () => {
  it('accepts the published samples, including a check character X (lower case too)', () => {
    expect(validateResidentId('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(validateResidentId('11010519491231002x')).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(validateResidentId('440524188001010014')).toMatchObject({ ok: true });
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it.each([
    ['110105194912310021', 'checksum'],
    ['1101051949123100', 'length'],
    ['11010519491231002Y', 'format'],
    ['990105194912310026', 'region'],
    ['110105194902300028', 'birthdate'],
    ['110105209912310022', 'birthdate'],
  ])('refuses %s (%s) with a message', (id, reason) => {
    const r = validateResidentId(id, '2026-11-22');
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.message).toMatch(/身份证/);
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts published codes with a correct check character', () => {
    expect(validateCreditCode('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43' });
    expect(validateCreditCode('91110000600037341L')).toEqual({ ok: true, value: '91110000600037341L' });
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('warns but does not refuse a pilot-era code that fails the check', () => {
    const r = validateCreditCode('91350100M000100Y44');
    expect(r.ok).toBe(true);
    expect(r.ok && r.warning).toMatch(/校验位/);
  });

  it('refuses wrong length or letters outside the alphabet (I, O, Z, S, V)', () => {
    expect(validateCreditCode('91350100M000100Y4')).toMatchObject({ ok: false, reason: 'length' });
    expect(validateCreditCode('91350100M000100O43')).toMatchObject({ ok: false, reason: 'charset' });
  });
});

describe('mobile and waybill numbers', () => {
  it('normalises +86, spaces and dashes; refuses landlines and short numbers', () => {
    expect(validateMobile('+86 138-0013-8000')).toEqual({ ok: true, value: '13800138000' });
    expect(validateMobile('8613800138000')).toEqual({ ok: true, value: '13800138000' });
    expect(validateMobile('12800138000').ok).toBe(false);
    expect(validateMobile('010-12345678').ok).toBe(false);
  });

  it('accepts 13-digit EMS waybills and UPU S10 numbers with a good check digit', () => {
    expect(validateWaybill('1100012345678')).toMatchObject({ ok: true, kind: 'ems_domestic' });
    expect(validateWaybill('ea123456785cn')).toMatchObject({
      ok: true,
      value: 'EA123456785CN',
      kind: 'upu_s10',
    });
    expect(validateWaybill('EA123456784CN')).toMatchObject({ ok: false, reason: 'checksum' });
    expect(validateWaybill('110001234567')).toMatchObject({ ok: false, reason: 'format' });
  });

  it('maps S10 check remainders 10 → 0 and 11 → 5', () => {
    expect(s10CheckDigit('12345678')).toBe(5);
    // 8*0+6*0+4*0+2*0+3*0+5*0+9*0+7*1 = 7 → 11-7 = 4
    expect(s10CheckDigit('00000001')).toBe(4);
    // sum 0 → 11 - 0 = 11 → 5
    expect(s10CheckDigit('00000000')).toBe(5);
    // 2*6 = 12, 12 % 11 = 1 → 11 - 1 = 10 → 0
    expect(s10CheckDigit('02000000')).toBe(0);
  });
});

describe('names and masks', () => {
  it('accepts Han names incl. the minority middle dot; refuses Latin and digits', () => {
    expect(validatePersonName(' 阿依古丽•买买提 ')).toEqual({ ok: true, value: '阿依古丽·买买提' });
    expect(validatePersonName('张').ok).toBe(false);
    expect(validatePersonName('Zhang San').ok).toBe(false);
  });

  it('masks so a person recognises their own data and nobody reads it', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13800138000')).toBe('138****8000');
  });
});
