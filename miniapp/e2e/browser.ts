import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const artifactsDir = path.resolve(__dirname, '../artifacts');

/** Chromium from Debian (no browser download here), on a fresh profile, at a phone's viewport. */
export async function openBrowser(): Promise<{
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), 'zyt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(artifactsDir, { recursive: true });
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page on top of Taro's H5 page stack (pages below it stay in the DOM, hidden). */
export const currentPage = (page: Page): Locator => page.locator('.taro_page:visible');

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let the page transition finish: mid-slide, the previous page widens the document.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

export async function fontSizePx(locator: Locator): Promise<number> {
  return locator.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
}
