import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { currentPage, fontSizePx, openBrowser, screenshot } from './browser';

/**
 * A resident's first visit, in the H5 build against the real demo stack: home → sign in as a demo user →
 * agree to the privacy guide → real-name verification (a wrong ID is refused as they type) → 我的 shows the
 * masked data → large-text mode on, and still on after a reload.
 */
describe('first visit of a resident (H5)', () => {
  const baseUrl = inject('baseUrl');
  let page: Page;
  let close: () => Promise<void>;
  const identityPosts: string[] = [];

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/api/v1/me/identity'))
        identityPosts.push(req.postData() ?? '');
    });
  });
  afterAll(async () => {
    await close?.();
  });

  const top = () => currentPage(page);
  // A NutUI button's label sits under the button element, which takes the click.
  const press = (label: string) =>
    top()
      .locator('taro-button-core')
      .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
      .click();

  it('home shows the search box and only the services that work', async () => {
    await page.goto(`${baseUrl}/`);
    await top().getByText('预约上门收件').waitFor();
    for (const entry of ['预约上门收件', '办事指南', '我的办件', '替你跑：快递袋寄补正材料', '附近网点']) {
      await expect(top().getByText(entry, { exact: true }).isVisible()).resolves.toBe(true);
    }
    // Nothing promises what is not built yet (enterprise claims by post).
    const body = (await top().textContent()) ?? '';
    for (const promise of ['企业服务', '邮寄申领', '即将开放']) expect(body).not.toContain(promise);
    await expect(top().locator('input').first().getAttribute('placeholder')).resolves.toContain('搜索');
    await screenshot(page, '01-home');
  });

  it('signs in with the demo user picker', async () => {
    await press('登录');
    await top().getByText('演示环境：选择演示用户登录').waitFor();
    await top().getByText('张三', { exact: true }).waitFor();
    await screenshot(page, '03-login');
    await top().locator('.demo-user').filter({ hasText: '张三' }).locator('taro-button-core').click();
  });

  it('shows the privacy guide and records consent', async () => {
    await top().getByText('《隐私保护指引》', { exact: true }).waitFor();
    await expect(
      top()
        .getByText(/^版本 /)
        .textContent(),
    ).resolves.toMatch(/版本 \S+/);
    await screenshot(page, '04-privacy');
    await press('同意并继续');
  });

  it('refuses a wrong ID as it is typed, then verifies the right one', async () => {
    await top().getByText('提交认证').waitFor();
    const name = top().locator('#identity-name input, input#identity-name').first();
    const idNumber = top().locator('#identity-idNumber input, input#identity-idNumber').first();
    await name.fill('张三');
    await idNumber.fill('110105194912310021');
    const error = top().locator('#identity-idNumber-error');
    await expect(error.textContent()).resolves.toBe('身份证号码校验位不正确，请核对每一位');
    await press('提交认证');
    await page.waitForTimeout(500);
    expect(identityPosts).toHaveLength(0);
    await screenshot(page, '05-identity-wrong-id');

    await idNumber.fill('11010519491231002X');
    await expect(error.count()).resolves.toBe(0);
    await press('提交认证');
    await top().getByText('我的身份').waitFor();
    expect(identityPosts).toHaveLength(1);
  });

  it('我的 shows roles, consent and the masked name and ID', async () => {
    await top().getByText('姓名：张*').waitFor();
    await expect(top().getByText('身份证号：110***********002X').isVisible()).resolves.toBe(true);
    await expect(top().getByText('已实名').isVisible()).resolves.toBe(true);
    await expect(top().getByText('已同意', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(top().getByText('居民', { exact: true }).isVisible()).resolves.toBe(true);
    await screenshot(page, '06-me');
  });

  it('turns large-text mode on for every page, and it survives a reload', async () => {
    const name = () => top().getByText('姓名：张*');
    const before = await fontSizePx(name());
    await top().locator('.me__large-text').click();
    await expect.poll(() => fontSizePx(name())).toBeGreaterThan(before * 1.2);
    await screenshot(page, '07-me-large-text');

    await page.reload();
    await name().waitFor();
    expect(await fontSizePx(name())).toBeGreaterThan(before * 1.2);
    await screenshot(page, '08-me-large-text-after-reload');

    // App-wide: the home page is large too.
    await page.goto(`${baseUrl}/#/pages/index/index`);
    await top().getByText('预约上门收件').waitFor();
    await expect(top().locator('.page').first().getAttribute('class')).resolves.toContain('page--large');
    await screenshot(page, '09-home-large-text');
  });
});
