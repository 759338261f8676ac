import { formatYuan } from '@zyt/shared';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import { input, open, press, type SimClocks, simulators, top } from './steps';

/**
 * 企业服务 in the H5 build against the demo stack: the platform publishes a 免申即享 round; 林海, legal
 * representative of the first seeded enterprise, binds it and is its admin at once; 王五, a clerk, asks to bind;
 * 林海 approves in the app; 王五 sees "可获 ¥X" with its working, confirms size class, headcount and account, and
 * sees the payment (拨付) arrive once the platform's clock is sped up. Two browsers: one per person.
 *
 * Both are seeded real-named (demo-enterprise-admin, demo-clerk) and used by no other file. The platform's clock
 * is put back afterwards.
 */
const ENTERPRISE = { creditCode: '', name: '广州市黄埔区穗港精密制造有限公司' };
const AMOUNT = formatYuan(1_000_000);
const GOV_SPEED = 2000;
const HOME = '/enterprise/pages/index/index';

describe('企业: a clerk binds, the admin approves, the clerk confirms a screened amount and is paid (H5)', () => {
  const baseUrl = inject('baseUrl');
  const { sim, restore } = simulators(baseUrl);
  let admin: { page: Page; close: () => Promise<void> };
  let clerk: { page: Page; close: () => Promise<void> };
  let clocks: SimClocks = {};

  beforeAll(async () => {
    [admin, clerk] = await Promise.all([openBrowser(), openBrowser()]);
    clocks = { gov: (await sim<{ speed: number }>('/sim/gov/sim/health')).speed };
    const { enterprises } = await sim<{ enterprises: { creditCode: string; name: string }[] }>(
      '/sim/gov/sim/enterprises',
    );
    ENTERPRISE.creditCode = enterprises.find((e) => e.name === ENTERPRISE.name)!.creditCode;
  });
  afterAll(async () => {
    try {
      await restore(clocks);
    } finally {
      await Promise.all([admin?.close(), clerk?.close()]);
    }
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await admin?.page.screenshot({ path: `${artifactsDir}/enterprise-admin-failed.png`, fullPage: true });
    await clerk?.page.screenshot({ path: `${artifactsDir}/enterprise-clerk-failed.png`, fullPage: true });
  });

  async function signIn(page: Page, nickname: string) {
    await open(page, baseUrl, HOME);
    await top(page).getByText('请先登录').waitFor();
    await press(page, '去登录');
    await top(page).locator('.demo-user').filter({ hasText: nickname }).locator('taro-button-core').click();
    await expect.poll(() => top(page).locator('.demo-user').count()).toBe(0);
    await open(page, baseUrl, HOME);
    await top(page).getByText('绑定企业', { exact: true }).first().waitFor();
  }
  async function bind(page: Page) {
    await input(page, 'enterprise-credit-code').fill(ENTERPRISE.creditCode);
    await press(page, '绑定企业');
  }

  it('the platform publishes a round with its screened list', async () => {
    const round = await sim<{ listSize: number }>('/sim/gov/sim/admin/rounds', {
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      generate: 2_000,
    });
    expect(round.listSize).toBeGreaterThan(2_000);
    // A second round the enterprise is not on (claimed by post below), published before the payment test speeds
    // up the platform's clock: published after it, the round at times never reached the app (seen in CI).
    await sim('/sim/gov/sim/admin/rounds', {
      name: '2026年第二批稳岗补贴区配套资助',
      deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      includeSeeded: false,
      generate: 10,
    });
  });

  it('the legal representative binds and is the admin at once', async () => {
    await signIn(admin.page, '林海');
    await bind(admin.page);
    await top(admin.page).locator('#enterprise-bound').getByText('已绑定为企业管理员').waitFor();
    await top(admin.page).getByText(`当前企业：${ENTERPRISE.name}`).waitFor();
  });

  it('a clerk asks to bind and waits for the admin', async () => {
    await signIn(clerk.page, '王五');
    await bind(clerk.page);
    await top(clerk.page).locator('#enterprise-bound').getByText('提交绑定申请').waitFor();
    await top(clerk.page).getByText('等待企业管理员（法定代表人）审批').waitFor();
    await screenshot(clerk.page, 'enterprise-01-pending');
  });

  it('the admin approves the clerk in the app', async () => {
    await press(admin.page, '管理经办人');
    await top(admin.page).getByText('王*').waitFor();
    await press(admin.page, '同意');
    await top(admin.page).getByText('已同意王*绑定').waitFor();
    await screenshot(admin.page, 'enterprise-02-approved');
  });

  it('the clerk confirms the screened amount and sees the payment arrive', async () => {
    await open(clerk.page, baseUrl, HOME);
    const offer = top(clerk.page).locator('.enterprise-offer').first();
    await offer.getByText(`可获 ${AMOUNT}`).waitFor();
    await expect(offer.textContent()).resolves.toContain('× 50%');
    await offer.locator('taro-button-core').filter({ hasText: '去确认' }).click();
    await top(clerk.page).locator('#subsidy-amount').getByText(`可获 ${AMOUNT}`).waitFor();
    // A bank account that fails its format is refused before anything is sent.
    await top(clerk.page).getByText('小型企业').click();
    await input(clerk.page, 'subsidy-headcount').fill('48');
    await input(clerk.page, 'subsidy-bankName').fill('中国工商银行广州开发区支行');
    await input(clerk.page, 'subsidy-bankAccount').fill('1234');
    await input(clerk.page, 'subsidy-contactPhone').fill('13800138009');
    await press(clerk.page, '确认并申领');
    await top(clerk.page).locator('#subsidy-bankAccount-error').waitFor();
    await input(clerk.page, 'subsidy-bankAccount').fill('3602001209200123456');
    await press(clerk.page, '确认并申领');
    const confirmed = top(clerk.page).locator('#subsidy-confirmed');
    await confirmed.getByText('****3456').waitFor();
    await screenshot(clerk.page, 'enterprise-03-confirmed');

    await sim('/sim/gov/sim/admin/clock', { speed: GOV_SPEED });
    await top(clerk.page).locator('#subsidy-paid').getByText(`已拨付 ${AMOUNT}`).waitFor({ timeout: 90_000 });
    await screenshot(clerk.page, 'enterprise-04-paid');
  });

  it('a round the enterprise is not screened for: the clerk claims by post and gets a cover sheet', async () => {
    await open(clerk.page, baseUrl, HOME);
    // The round by its name: other open rounds may be listed too (the demo publishes one at start).
    const item = top(clerk.page)
      .locator('.enterprise-claim')
      .filter({ hasText: '2026年第二批稳岗补贴区配套资助' })
      .first();
    await item.waitFor({ timeout: 30_000 });
    await item.locator('taro-button-core').filter({ hasText: '去申领' }).click();
    await top(clerk.page).locator('#claim-checklist').getByText('稳岗补贴区配套资助申请表').waitFor();
    await input(clerk.page, 'claim-lastYear').fill('30000');
    await top(clerk.page)
      .locator('#claim-working')
      .getByText(`× 50% = ${formatYuan(1_500_000)}`)
      .waitFor();
    await input(clerk.page, 'claim-headcount').fill('36');
    await input(clerk.page, 'claim-bankName').fill('中国建设银行广州开发区支行');
    await input(clerk.page, 'claim-bankAccount').fill('4400123456789012');
    await input(clerk.page, 'claim-contactName').fill('王五');
    await input(clerk.page, 'claim-contactPhone').fill('13800138009');
    await top(clerk.page).getByText('自行邮寄（打印封面单）').click();
    await press(clerk.page, '提交申领');
    const sheet = top(clerk.page).locator('#claim-cover-sheet');
    await sheet.locator('#claim-cover-code').waitFor();
    await expect(sheet.locator('#claim-cover-code').textContent()).resolves.toMatch(/^\d{4} \d{4} \d{4}$/);
    await screenshot(clerk.page, 'enterprise-05-claim-cover-sheet');
  });
});
