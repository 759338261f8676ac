import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, screenshot } from './browser';
import { findDoorMatter, open, press, top } from './steps';

/**
 * 统计报表 in the H5 build against the demo stack: a door visit is booked and collected through the API (a
 * resident of this file's own, the demo agent), then the demo supervisor (钱主管) opens the figures page and
 * sees each figure drawn on a canvas by the chart library, with its table beside it on a desk-sized window.
 */

async function api<T>(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; key?: string } = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Signs in through the WeChat simulator as `openid`; returns the access token. */
async function signIn(baseUrl: string, openid: string): Promise<string> {
  const { code } = await api<{ code: string }>(baseUrl, '/sim/wechat/codes', { body: { openid } });
  return (await api<{ accessToken: string }>(baseUrl, '/api/v1/auth/wechat', { body: { code } })).accessToken;
}

/** A door visit booked by a new resident and collected by the demo agent: a case at the district centre. */
async function collectedVisit(baseUrl: string): Promise<string> {
  const { matter } = await findDoorMatter(baseUrl);
  const resident = await signIn(baseUrl, `e2e-figures-${Date.now()}`);
  await api(baseUrl, '/api/v1/me/consent', { token: resident, body: { version: PRIVACY_GUIDE_VERSION } });
  await api(baseUrl, '/api/v1/me/identity', {
    token: resident,
    body: { name: '陈九', idNumber: '11010519491231002X' },
  });
  const booking = await api<{ id: string }>(baseUrl, '/api/v1/bookings', {
    token: resident,
    key: `figures-${Date.now()}`,
    body: {
      matterCode: matter.code,
      address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '开创大道9号' },
      contact: { name: '陈九', phone: '13800138009' },
      window: { kind: 'asap' },
    },
  });
  const agent = await signIn(baseUrl, 'demo-agent');
  const step = (name: string, body?: unknown) =>
    api(baseUrl, `/api/v1/staff/visits/${booking.id}/${name}`, {
      token: agent,
      method: 'POST',
      body: body ?? {},
    });
  for (const name of ['accept', 'depart', 'arrive', 'start-review']) await step(name);
  const visit = await api<{ checklist: { materialId: string; count: number }[] }>(
    baseUrl,
    `/api/v1/staff/visits/${booking.id}`,
    { token: agent },
  );
  const done = await step('review', {
    items: visit.checklist.map((m) => ({ materialId: m.materialId, present: true, copies: m.count })),
  });
  expect((done as { status: string }).status).toBe('collected');
  return booking.id;
}

/** The supervisor signs in from the sign-in page, agreeing to the privacy guide on a first visit. */
async function signInSupervisor(page: Page, baseUrl: string) {
  await open(page, baseUrl, '/pages/login/index');
  await top(page).locator('.demo-user').filter({ hasText: '钱主管' }).locator('taro-button-core').click();
  const workbench = top(page).getByText('进入工作台');
  await workbench.or(top(page).getByText('同意并继续')).first().waitFor();
  if (!(await workbench.isVisible())) {
    await press(page, '同意并继续');
    await top(page).getByText('同意并继续').waitFor({ state: 'detached' });
  }
}

/** How many pixels of a canvas something was drawn on (not transparent). */
const inkedPixels = (page: Page, selector: string) =>
  top(page)
    .locator(selector)
    .first()
    .evaluate((el) => {
      const canvas = (el.tagName === 'CANVAS' ? el : el.querySelector('canvas')) as HTMLCanvasElement | null;
      const context = canvas?.getContext('2d');
      if (!canvas || !context || canvas.width === 0) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
      return inked;
    });

describe('统计报表: the figures page draws its charts with their tables (H5)', () => {
  const baseUrl = inject('baseUrl');
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
    // A desk: the table stands beside each chart.
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(() => close?.());

  it('a door visit is collected (through the API)', async () => {
    await collectedVisit(baseUrl);
  });

  it('the supervisor sees this month’s figures: charts drawn on canvas, tables beside them', async () => {
    await signInSupervisor(page, baseUrl);
    await open(page, baseUrl, '/staff/pages/index/index');
    await press(page, '查看统计报表');
    await top(page).locator('#figure-channels-table').waitFor();
    const doorRow = top(page)
      .locator('#figure-channels-table .figure-table__row')
      .filter({ hasText: '上门收件' });
    const doorCount = Number((await doorRow.locator('.figure-table__cell').nth(1).textContent()) ?? '0');
    expect(doorCount).toBeGreaterThanOrEqual(1);
    // F2 draws the bars: the canvas is no longer blank.
    await expect
      .poll(() => inkedPixels(page, '#figure-channels .figure-chart'), { timeout: 15_000 })
      .toBeGreaterThan(500);
    await expect
      .poll(() => inkedPixels(page, '#figure-agents .figure-chart'), { timeout: 15_000 })
      .toBeGreaterThan(500);
    // Side by side on a desk: the table starts right of the chart.
    const chart = await top(page).locator('#figure-channels .figure__chart').boundingBox();
    const table = await top(page).locator('#figure-channels-table').boundingBox();
    expect(table!.x).toBeGreaterThan(chart!.x + chart!.width - 1);
    await screenshot(page, 'figures-01-desk');
  });
});
