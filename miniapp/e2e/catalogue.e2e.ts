import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { currentPage, openBrowser, screenshot } from './browser';

/**
 * Journey 1, find and learn, in the H5 build against the demo stack: search 失业 from the home page → results
 * with filter chips → the guide (materials, door pickup) → outlets accepting it, nearest first from a
 * position in 黄埔区 (the browser's geolocation, granted) → an outlet's weekly hours and phone.
 */
describe('find and learn (H5)', () => {
  const baseUrl = inject('baseUrl');
  let page: Page;
  let context: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ page, context, close } = await openBrowser());
    await context.grantPermissions(['geolocation'], { origin: baseUrl });
    // 黄埔区, near 大沙地 (as a phone's GPS reports it, WGS-84).
    await context.setGeolocation({ latitude: 23.106, longitude: 113.459 });
    // The stack syncs the catalogue from the government simulator once it is ready.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${baseUrl}/api/v1/matters?q=${encodeURIComponent('失业')}`);
      if (res.ok && ((await res.json()) as { total: number }).total > 0) break;
      if (Date.now() > deadline) throw new Error('the catalogue was not synced within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  afterAll(async () => {
    await close?.();
  });

  const top = () => currentPage(page);
  const press = (label: string) =>
    top()
      .locator('taro-button-core')
      .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
      .first()
      .click();

  it('home: the search box and the entries that are open', async () => {
    await page.goto(`${baseUrl}/`);
    await top().getByText('附近网点', { exact: true }).waitFor();
    for (const entry of ['附近网点', '办事指南']) {
      const card = top().locator('.entry').filter({ hasText: entry });
      await expect(card.getByText('即将开放').count()).resolves.toBe(0);
    }
  });

  it('searches 失业 and shows the results with filters', async () => {
    await top().locator('input').first().fill('失业');
    await press('搜索');
    await top().getByText('失业保险金申领', { exact: true }).waitFor();
    await expect(
      top()
        .getByText(/^共 \d+ 项$/)
        .textContent(),
    ).resolves.toMatch(/共 [1-9]\d* 项/);
    await expect(top().locator('input').first().inputValue()).resolves.toBe('失业');
    await screenshot(page, 'catalogue-01-results');

    // A channel chip narrows the list: 失业登记 is handled at outlets only.
    await top().getByText('上门收件', { exact: true }).click();
    await top().getByText('失业登记', { exact: true }).waitFor({ state: 'detached' });
    // The list reloads for the new filter: wait for it rather than sample it mid-load.
    await top().getByText('失业保险金申领', { exact: true }).waitFor();
    await screenshot(page, 'catalogue-02-results-door-pickup');
  });

  it('opens the guide: materials, time limit, fees and the door-pickup button', async () => {
    await top().getByText('失业保险金申领', { exact: true }).click();
    await top().getByText('申请材料（4 项）').waitFor();
    const materials = top().locator('#guide-materials');
    await expect(materials.getByText('1. 申请人居民身份证').isVisible()).resolves.toBe(true);
    await expect(materials.getByText('原件 · 1 份').first().isVisible()).resolves.toBe(true);
    await expect(materials.getByText('复印件 · 1 份').first().isVisible()).resolves.toBe(true);
    await expect(materials.getByText('非必需').count()).resolves.toBe(1);
    await expect(top().getByText('承诺件', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(top().getByText('5 个工作日（法定 20 个工作日）').isVisible()).resolves.toBe(true);
    await expect(top().getByText('预约上门收件', { exact: true }).count()).resolves.toBe(1);
    await screenshot(page, 'catalogue-03-guide');
  });

  it('lists the outlets accepting it, nearest first with distances', async () => {
    await press('按距离查看');
    await top().getByText('已按距离由近到远排列').waitFor();
    const distances = top().locator('.outlet-card__distance');
    await distances.first().waitFor();
    const texts = await distances.allTextContents();
    expect(texts.length).toBeGreaterThan(5);
    const metres = texts.map((t) => {
      const [, n, unit] = t.match(/距您 ([\d.]+) (米|公里)/) ?? [];
      return Number(n) * (unit === '公里' ? 1000 : 1);
    });
    expect(metres).toEqual([...metres].sort((a, b) => a - b));
    expect(metres[0]).toBeLessThan(2000);
    await expect(
      top()
        .getByText(/^今日营业：/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, 'catalogue-04-outlets');
  });

  it('opens an outlet: weekly hours incl. weekends, phone and matters', async () => {
    await top().locator('.outlet-card').first().click();
    await top().getByText('营业时间', { exact: true }).waitFor();
    for (const day of ['周一', '周六', '周日']) {
      await expect(
        top()
          .getByText(new RegExp(`^${day}`))
          .count(),
      ).resolves.toBe(1);
    }
    await expect(
      top()
        .getByText(/^拨打电话 020-/)
        .isVisible(),
    ).resolves.toBe(true);
    await expect(
      top()
        .getByText(/^可办事项（\d+）$/)
        .isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, 'catalogue-05-outlet');
  });

  it('附近网点 from the home page lists every outlet with its distance', async () => {
    await page.goto(`${baseUrl}/`);
    await top().getByText('附近网点', { exact: true }).click();
    await top().getByText('已按距离由近到远排列').waitFor();
    await top().locator('.outlet-card__distance').first().waitFor();
    await expect(top().locator('.outlet-card').count()).resolves.toBe(14);
    await screenshot(page, 'catalogue-06-nearby-outlets');
  });
});
