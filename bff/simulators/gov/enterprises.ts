import { creditCodeCheckChar, residentIdCheckChar } from '@zyt/shared';
import type {
  GovEnterpriseLookupResult,
  GovRoundNotice,
  GovScreenedRow,
} from '../../src/integrations/gov/types';

/**
 * The simulated enterprise registry (企业登记信息) and the 免申即享 rounds the platform publishes. Seeded
 * enterprises are in 黄埔区; one carries an early pilot-era code whose check character does not follow GB 32100
 * (legal, so it must bind with a warning, not be refused).
 */
export interface RegistryEnterprise {
  creditCode: string;
  name: string;
  address: string;
  status: GovEnterpriseLookupResult['status'];
  legalRepresentative: { name: string; idNumber: string };
}

const code = (first17: string) => `${first17}${creditCodeCheckChar(first17)}`;
const rid = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;
/** A pilot-era code: 17 characters and a check character that GB 32100 would compute differently. */
const pilotCode = (first17: string) => {
  const right = creditCodeCheckChar(first17);
  return `${first17}${right === '0' ? '1' : '0'}`;
};

export const registryEnterprises: RegistryEnterprise[] = [
  {
    creditCode: code('91440112MA5CKP3R7'),
    name: '广州市黄埔区穗港精密制造有限公司',
    address: '广东省广州市黄埔区科学大道100号A栋',
    status: 'active',
    legalRepresentative: { name: '林海', idNumber: rid('44011219750101123') },
  },
  {
    creditCode: code('91440112MA5D8QWX2'),
    name: '广州开发区云帆物流有限公司',
    address: '广东省广州市黄埔区港湾路38号',
    status: 'active',
    legalRepresentative: { name: '陈静', idNumber: rid('44011219800606222') },
  },
  {
    creditCode: code('92440112MA5EJL9N4'),
    name: '广州市黄埔区大沙地阿明餐饮店',
    address: '广东省广州市黄埔区大沙地东路66号',
    status: 'active',
    legalRepresentative: { name: '何明', idNumber: rid('44011219881212333') },
  },
  {
    creditCode: pilotCode('91440101190475620'),
    name: '广州黄埔老字号食品厂',
    address: '广东省广州市黄埔区黄埔东路1号',
    status: 'active',
    legalRepresentative: { name: '林海', idNumber: rid('44011219750101123') },
  },
  {
    creditCode: code('91440112MA5FGH7T1'),
    name: '广州市黄埔区已注销贸易有限公司',
    address: '广东省广州市黄埔区开创大道2号',
    status: 'dissolved',
    legalRepresentative: { name: '周强', idNumber: rid('44011219700303444') },
  },
];

/** A synthetic enterprise of a generated list (bench, load): a valid code from its number. */
export function syntheticCreditCode(n: number): string {
  const digits = String(n).padStart(8, '0');
  return code(`914401120${digits}`);
}

export interface SimRound {
  notice: GovRoundNotice;
  rows: GovScreenedRow[];
}

/** 稳岗补贴区配套资助: 50% of last year's subsidy, the basis stated per row. */
export function screenedRow(creditCode: string, name: string, lastYearFen: number): GovScreenedRow {
  const amountFen = Math.round(lastYearFen / 2);
  return {
    creditCode,
    name,
    amountFen,
    basis: `上年度稳岗补贴 ¥${(lastYearFen / 100).toFixed(2)} × 50% = ¥${(amountFen / 100).toFixed(2)}`,
  };
}

/** The seeded enterprises on a list (the dissolved one is not), with made-up last-year subsidies. */
export const seededRows = (): GovScreenedRow[] =>
  registryEnterprises
    .filter((e) => e.status === 'active')
    .map((e, i) => screenedRow(e.creditCode, e.name, 2_000_000 + i * 350_000));
