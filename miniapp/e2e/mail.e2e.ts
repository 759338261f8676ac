import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { caseStatusLabels, residentIdCheckChar } from '@zyt/shared';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { RESULT_LIST_HEADER } from '../src/staff/resultList';
import { artifactsDir, openBrowser } from './browser';
import { caseStatus, input, open, press, type SimClocks, simulators, top, watchCases } from './steps';

/**
 * 单程寄递 (result mailing) in the H5 build against the demo stack: 郑七 applied for a matter at a window (the
 * government simulator holds the case, we do not). The receipt's QR URL (`<base>/r/<办件编号>/<查询码>`) is opened
 * in a fresh browser, as the WeChat camera would: they sign in (the demo seeds them real-named), choose where
 * the result goes and confirm. The platform then concludes the case and the certificate travels by EMS to
 * their door; their case page shows it delivered.
 *
 * The resident is 郑七 (demo-resident-mail), used by no other file. Clocks as in tracking.e2e.ts, put back
 * afterwards.
 */
const NICKNAME = '郑七';
const ID_NUMBER = `44011219880606352${residentIdCheckChar('44011219880606352')}`;
const GOV_SPEED = 2000;
const EMS_SPEED = 40_000;

interface CaseDetail {
  id: string;
  status: string;
  shipments: { leg: string; waybillNo: string | null; status: string }[];
}

describe('单程寄递: a window case added by its receipt code, its certificate delivered (H5)', () => {
  const baseUrl = inject('baseUrl');
  let page: Page;
  let close: () => Promise<void>;
  let restore: SimClocks = {};
  let lastCase: CaseDetail | undefined;
  let receipt: { projId: string; queryCode: string };
  let serviceCode: string | undefined;
  const sims = simulators(baseUrl);
  const { sim } = sims;

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
    watchCases<CaseDetail>(page, (d) => {
      lastCase = d;
    });
    const [gov, ems] = await Promise.all([
      sim<{ speed: number }>('/sim/gov/sim/health'),
      sim<{ speed: number }>('/sim/ems/sim/orders'),
    ]);
    restore = { gov: gov.speed, ems: ems.speed };
  });
  afterAll(async () => {
    try {
      await sims.restore(restore);
    } finally {
      await close?.();
    }
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await page?.screenshot({ path: `${artifactsDir}/mail-failed.png`, fullPage: true }).catch(() => {});
    writeFileSync(
      path.join(artifactsDir, 'mail-failed-state.json'),
      JSON.stringify({ receipt, lastCase, ...(await sims.state(undefined)) }, null, 2),
    );
  });

  it('opens the receipt URL, signs in and adds the case with a delivery address', async () => {
    // A person's matter whose paper result may be mailed (the simulator's catalogue has many).
    const { items } = (await (await fetch(`${baseUrl}/api/v1/matters?pageSize=50`)).json()) as {
      items: { code: string; applicantType: string; channels: { mail: string } }[];
    };
    for (const m of items.filter((x) => x.applicantType === 'person' && x.channels.mail !== 'none')) {
      const guide = (await (await fetch(`${baseUrl}/api/v1/matters/${m.code}`)).json()) as {
        result: { kind: string };
      };
      if (guide.result.kind === 'physical') {
        serviceCode = m.code;
        break;
      }
    }
    expect(serviceCode).toBeTruthy();
    receipt = await sim('/sim/gov/sim/admin/elsewhere-cases', {
      serviceCode,
      applicant: { name: NICKNAME, idNumber: ID_NUMBER },
    });

    const url = `${baseUrl}/r/${receipt.projId}/${receipt.queryCode}`;
    await page.goto(url);
    await top(page).getByText('请先登录').waitFor();
    await press(page, '去登录');
    const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/wechat') && r.ok());
    await top(page).locator('.demo-user').filter({ hasText: NICKNAME }).locator('taro-button-core').click();
    await signedIn;
    // The sign-in page leaves once the session is stored; then the receipt's URL again, signed in (real-named
    // and consented by the demo seed).
    await expect.poll(() => top(page).locator('.demo-user').count()).toBe(0);
    await page.goto(url);
    await expect
      .poll(async () => top(page).locator('#mail-case-number').textContent())
      .toContain(receipt.projId);
    await input(page, 'mail-province').fill('广东省');
    await input(page, 'mail-city').fill('广州市');
    await input(page, 'mail-county').fill('黄埔区');
    await input(page, 'mail-detail').fill('开创大道2号5栋301');
    await input(page, 'mail-name').fill(NICKNAME);
    await input(page, 'mail-phone').fill('13800138007');
    await press(page, '确认邮寄');
    await top(page).getByText('已添加，办理结果将邮寄给您').waitFor();
  });

  it('follows the case to the certificate delivered at the door', async () => {
    await sim('/sim/ems/sim/admin/script', { defaultOutcome: 'delivered' });
    await sim('/sim/gov/sim/admin/clock', { speed: GOV_SPEED });
    await sim('/sim/ems/sim/admin/clock', { speed: EMS_SPEED });
    await press(page, '查看办件进度');
    await caseStatus(page, caseStatusLabels.delivered).waitFor({ timeout: 100_000 });
    expect(lastCase?.shipments.map((s) => s.leg)).toEqual(['result_to_applicant']);
  });
  it("mails a centre's list of issued results: one person's two results in one parcel", async () => {
    await open(page, baseUrl, '/pages/login/index');
    await top(page).locator('.demo-user').filter({ hasText: '周收件' }).locator('taro-button-core').click();
    await top(page).getByText('进入工作台').waitFor();
    await open(page, baseUrl, '/staff/pages/index/index');
    await press(page, '批量寄递结果');
    const person = ['钱八', '13800138008', '广东省', '广州市', '增城区', '荔城街府佑路8号'];
    const list = [
      RESULT_LIST_HEADER,
      ['44011220261202990001', serviceCode!, ...person].join('\t'),
      ['44011220261202990002', serviceCode!, ...person].join('\t'),
    ].join('\n');
    await top(page).locator('#result-list textarea').fill(list);
    await press(page, '检查清单');
    await press(page, '下单寄递（2 件）');
    await top(page).getByText('已下单 2 件，合并为 1 个邮件').waitFor();
    // One EMS order for the parcel, made by the job.
    await expect
      .poll(async () => {
        const { orders } = await sim<{ orders: { waybillNo: string; receiver: { county: string } }[] }>(
          '/sim/ems/sim/orders',
        );
        return orders.filter((o) => o.receiver.county === '增城区' && o.waybillNo).length;
      })
      .toBe(1);
  });
});
