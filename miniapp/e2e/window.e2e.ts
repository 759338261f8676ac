import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type MatterGuide, residentIdCheckChar } from '@zyt/shared';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import { confirmModal, input, open, press, review, simulators, top } from './steps';

/**
 * 网点就近办 in the H5 build against the demo stack: 韩九 (real-named by the demo seed) books a slot at the
 * post office's government window from the matter's guide; 卫窗口, the outlet clerk of that post office, finds
 * the appointment, checks the ID card against the booking, reviews the checklist, collects, and prints the
 * acceptance receipt once the platform has numbered the case; 韩九 then sees the case on their own timeline,
 * with the window's steps. One browser, signed in as each person in turn.
 */
const RESIDENT = {
  nickname: '韩九',
  idNumber: `44011219920815331${residentIdCheckChar('44011219920815331')}`,
};
const CLERK = '卫窗口';
const OUTLET_ID = 'HP-PO-01';

async function signInAs(page: Page, baseUrl: string, nickname: string) {
  await open(page, baseUrl, '/pages/login/index');
  const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/wechat') && r.ok());
  await top(page).locator('.demo-user').filter({ hasText: nickname }).locator('taro-button-core').click();
  await signedIn;
  await expect.poll(() => top(page).locator('.demo-user').count()).toBe(0);
}

/** A person's matter taken at this post office's window, mailable, with a paper result. */
async function windowMatter(baseUrl: string): Promise<{ guide: MatterGuide; outletName: string }> {
  const { items } = (await (await fetch(`${baseUrl}/api/v1/matters?channel=outlet&pageSize=50`)).json()) as {
    items: { code: string; applicantType: string; channels: { mail: string } }[];
  };
  for (const m of items.filter((x) => x.applicantType === 'person' && x.channels.mail !== 'none')) {
    const guide = (await (await fetch(`${baseUrl}/api/v1/matters/${m.code}`)).json()) as MatterGuide;
    const outlet = guide.outlets.find((o) => o.id === OUTLET_ID);
    if (guide.result.kind === 'physical' && outlet) return { guide, outletName: outlet.name };
  }
  throw new Error('no window matter at the post office');
}

describe('网点就近办: a window slot booked in the app, served at the window, on the resident’s timeline (H5)', () => {
  const baseUrl = inject('baseUrl');
  let page: Page;
  let close: () => Promise<void>;
  let matter: { guide: MatterGuide; outletName: string };
  let number = '';
  let caseNumber = '';
  const sims = simulators(baseUrl);

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
    matter = await windowMatter(baseUrl);
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await page?.screenshot({ path: `${artifactsDir}/window-failed.png`, fullPage: true }).catch(() => {});
    writeFileSync(
      path.join(artifactsDir, 'window-failed-state.json'),
      JSON.stringify({ number, caseNumber, ...(await sims.state(undefined)) }, null, 2),
    );
  });

  it('the resident books a window slot from the matter’s guide', async () => {
    await signInAs(page, baseUrl, RESIDENT.nickname);
    await open(page, baseUrl, `/catalogue/pages/guide/index?code=${matter.guide.code}`);
    await press(page, '预约网点办理');
    await top(page).getByText('选择办理网点：').waitFor();
    await top(page).locator('.outlet-card').filter({ hasText: matter.outletName }).first().click();
    await top(page).getByText('到网点时间').waitFor();
    await top(page).locator('.slot').first().click();
    await top(page)
      .locator('taro-button-core')
      .filter({ hasText: /^\s*预约 / })
      .first()
      .click();
    await top(page).locator('#window-booked').waitFor();
    number = (await top(page).locator('#window-number').textContent())?.trim() ?? '';
    expect(number).toMatch(/^WA\d{12}$/);
    await top(page).locator('#my-window-appointments').getByText(number, { exact: false }).waitFor();
    await screenshot(page, 'window-01-booked');
  });

  it('the resident moves it to another slot of the same post office (改约)', async () => {
    const card = top(page).locator('#my-window-appointments .window-appointment').filter({ hasText: number });
    const before = (await card.first().textContent()) ?? '';
    await card
      .first()
      .locator('taro-button-core')
      .filter({ hasText: /^\s*改约\s*$/ })
      .click();
    const picker = top(page).locator('.window-reschedule');
    await picker.locator('.slot').nth(1).click();
    await picker
      .locator('taro-button-core')
      .filter({ hasText: /^\s*改约到 / })
      .click();
    await expect.poll(async () => (await top(page).locator('.window-reschedule').count()) === 0).toBe(true);
    await expect.poll(async () => (await card.first().textContent()) ?? '').not.toBe(before);
    await expect(card.first().textContent()).resolves.toContain('已预约');
    await screenshot(page, 'window-01b-rescheduled');
  });

  it('the outlet clerk serves it: identity, review, collection, receipt', async () => {
    await signInAs(page, baseUrl, CLERK);
    await open(page, baseUrl, '/staff/pages/window/index');
    await top(page).locator('.window-appointment').filter({ hasText: number }).first().click();
    await top(page).locator('#window-appointment').waitFor();
    await input(page, 'window-id-number').fill(RESIDENT.idNumber);
    await input(page, 'window-phone').fill('13800138009');
    await input(page, 'window-address').fill('广州市黄埔区大沙地东路1号');
    await press(page, '核对身份，开始收件');
    await top(page).getByText('初审：逐项核对材料').waitFor();
    await review(page);
    await press(page, '提交初审结果');
    await confirmModal(page, '确认提交');
    await top(page).locator('#window-collected').waitFor();
    // The platform numbers the case (the page polls): then the receipt can be printed.
    await top(page).locator('#window-case-number').waitFor({ timeout: 60_000 });
    caseNumber = ((await top(page).locator('#window-case-number').textContent()) ?? '').replace(/\D/g, '');
    expect(caseNumber).toMatch(/^\d{10,}$/);
    await screenshot(page, 'window-02-collected');
    await press(page, '打印受理单');
    await top(page).locator('#window-receipt').getByText(`办件编号 ${caseNumber}`).waitFor();
    await expect(top(page).locator('#window-receipt img').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'window-03-receipt');
  });

  it('the resident sees the case on their own timeline, with the window’s steps', async () => {
    await signInAs(page, baseUrl, RESIDENT.nickname);
    await open(page, baseUrl, '/cases/pages/index/index');
    const item = top(page).locator('.case-item').filter({ hasText: caseNumber });
    await item.first().waitFor({ timeout: 30_000 });
    await item.first().click();
    await top(page).locator('#case-number').waitFor();
    const titles = (await top(page).locator('.case-timeline__title').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(expect.arrayContaining(['网点窗口已收件', '已预约网点办理']));
    await screenshot(page, 'window-04-timeline');
  });
});
