import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import {
  ADDRESS_DETAIL,
  input,
  open,
  PHONE,
  press,
  type Resident,
  review,
  type SimClocks,
  signInAgent,
  signInFirstTime,
  simulators,
  submitReview,
  takeToReview,
  top,
} from './steps';

/**
 * 一件事一次办 in the H5 build: a new parent (褚九, demo-resident-birth, used by no other file) finds 出生一件事,
 * picks the situation, sees the one merged materials list, books one door visit with the one merged form; the
 * agent collects; with the simulators' clocks sped up (put back at the end), the platform works a case per
 * matter and the five certificates come by EMS; the parent follows all of it on the bundle's one timeline.
 */
const RESIDENT: Resident = { nickname: '褚九', name: '褚九', idNumber: '44011219920315002X' };
const GOV_SPEED = 2000;
const EMS_SPEED = 40_000;
const id18 = (first17: string) => {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((n, c, i) => n + Number(c) * w[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
};
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('出生一件事: from the guide to the bundle timeline (H5)', () => {
  const baseUrl = inject('baseUrl');
  const { sim, restore } = simulators(baseUrl);
  let resident: Page;
  let agent: Page;
  const closers: (() => Promise<void>)[] = [];
  let clocks: SimClocks = {};
  let bookingNumber = '';
  let bookingId = '';

  beforeAll(async () => {
    const a = await openBrowser();
    const b = await openBrowser();
    resident = a.page;
    agent = b.page;
    closers.push(a.close, b.close);
  });
  afterAll(async () => {
    await restore(clocks);
    for (const close of closers) await close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await resident?.screenshot({ path: `${artifactsDir}/bundle-failed-resident.png`, fullPage: true });
    await agent?.screenshot({ path: `${artifactsDir}/bundle-failed-agent.png`, fullPage: true });
  });

  it('finds 出生一件事, picks a situation and sees the matters and one merged materials list', async () => {
    await open(resident, baseUrl, `/catalogue/pages/search/index?q=${encodeURIComponent('出生')}`);
    await top(resident).getByText('一件事一次办').first().click();
    await top(resident).getByText('请选择您的情形').waitFor();
    await top(resident).getByText('新生儿在本区落户', { exact: true }).click();
    await top(resident).getByText('本情形一次办理 7 个事项').waitFor();
    await top(resident)
      .getByText(/申请材料（合并后 \d+ 项，不重复提交）/)
      .waitFor();
    const lines = await top(resident).locator('#bundle-materials .material__name').allTextContents();
    const names = lines.map((l) => l.replace(/^\d+\.\s*/, '').trim());
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('出生医学证明'); // issued within the bundle
    await screenshot(resident, 'bundle-01-guide');
    await press(resident, '预约上门收件（一次办理）');
  });

  it('signs in, fills the one form and books one door visit', async () => {
    await signInFirstTime(resident, RESIDENT);
    await top(resident).getByText('申请表（各事项共用，只填一次）').waitFor();
    const fill = (id: string, value: string) => input(resident, `bundle-${id}`).fill(value);
    await fill('babyName', '褚小满');
    await top(resident).locator('#bundle-form').getByText('女', { exact: true }).click();
    await fill('birthDate', today());
    await fill('birthPlace', '广州市黄埔区妇幼保健院');
    await fill('motherName', '褚九');
    await fill('motherIdNumber', RESIDENT.idNumber);
    await fill('fatherName', '卫十');
    await fill('fatherIdNumber', id18('44011219900101001'));
    await fill('householdHead', '卫十');
    await fill('hukouAddress', `广州市黄埔区${ADDRESS_DETAIL}`);
    await input(resident, 'booking-province').fill('广东省');
    await input(resident, 'booking-city').fill('广州市');
    await input(resident, 'booking-county').fill('黄埔区');
    await input(resident, 'booking-detail').fill(ADDRESS_DETAIL);
    await input(resident, 'booking-name').fill(RESIDENT.name);
    await input(resident, 'booking-phone').fill(PHONE);
    await screenshot(resident, 'bundle-02-form');
    await press(resident, '下一步：确认信息');
    await top(resident).getByText('请核对预约信息').waitFor();
    await top(resident).getByText('新生儿在本区落户').first().waitFor();
    await press(resident, '确认预约');
    await top(resident).getByText('预约成功').waitFor();
    bookingNumber = (await top(resident).locator('#booking-number').textContent())?.trim() ?? '';
    expect(bookingNumber).toMatch(/^\d{12}$/);
    await press(resident, '查看预约详情');
    await top(resident).locator('#booking-bundle-progress').waitFor();
    bookingId = /[?&]id=([0-9a-f-]{36})/.exec(resident.url())?.[1] ?? '';
    expect(bookingId, resident.url()).not.toBe('');
  });

  it('the agent reviews the merged checklist and collects everything in one visit', async () => {
    const [gov, ems] = await Promise.all([
      sim<{ speed: number }>('/sim/gov/sim/health'),
      sim<{ speed: number }>('/sim/ems/sim/orders'),
    ]);
    clocks = { gov: gov.speed, ems: ems.speed };
    await sim('/sim/gov/sim/admin/clock', { speed: GOV_SPEED });
    await sim('/sim/ems/sim/admin/script', { defaultOutcome: 'delivered' });
    await sim('/sim/ems/sim/admin/clock', { speed: EMS_SPEED });
    await signInAgent(agent, baseUrl);
    await takeToReview(agent, baseUrl, bookingNumber);
    await review(agent);
    await submitReview(agent);
    await top(agent).getByText('材料齐全，已收件').waitFor();
  });

  it('the resident follows one timeline: 7 cases, 5 certificates delivered by EMS in fewer parcels', async () => {
    await open(resident, baseUrl, `/cases/pages/bundle/index?id=${bookingId}`);
    await top(resident).getByText('各事项进度').waitFor();
    await expect
      .poll(
        async () => {
          await resident.reload();
          await top(resident).getByText('各事项进度').waitFor();
          return (await top(resident).locator('#bundle-summary').textContent()) ?? '';
        },
        { timeout: 150_000, interval: 3000 },
      )
      .toContain('7 个事项，已送达证卡 5 本');
    const parcels = await top(resident).locator('#bundle-parcels .material').count();
    expect(parcels).toBeGreaterThanOrEqual(1);
    expect(parcels).toBeLessThan(5);
    await top(resident)
      .getByText(/出生登记：/)
      .first()
      .waitFor();
    await top(resident)
      .getByText(/证照寄递（.*）/)
      .first()
      .waitFor();
    await screenshot(resident, 'bundle-03-timeline');
  }, 180_000);

  it('a visit that ends 材料不齐: the timeline says which matter waits on what; booking again keeps the bundle', async () => {
    // A second application (twins' sibling paperwork aside): booked from the situation straight away.
    await open(
      resident,
      baseUrl,
      `/booking/pages/index/index?matterCode=YJS-CSYJS-440112&situation=settle_here`,
    );
    await top(resident).getByText('申请表（各事项共用，只填一次）').waitFor();
    const fill = (id: string, value: string) => input(resident, `bundle-${id}`).fill(value);
    await fill('babyName', '褚小安');
    await top(resident).locator('#bundle-form').getByText('男', { exact: true }).click();
    await fill('birthDate', today());
    await fill('birthPlace', '广州市黄埔区妇幼保健院');
    await fill('motherName', '褚九');
    await fill('motherIdNumber', RESIDENT.idNumber);
    await fill('fatherName', '卫十');
    await fill('fatherIdNumber', id18('44011219900101001'));
    await fill('householdHead', '卫十');
    await fill('hukouAddress', `广州市黄埔区${ADDRESS_DETAIL}`);
    await input(resident, 'booking-province').fill('广东省');
    await input(resident, 'booking-city').fill('广州市');
    await input(resident, 'booking-county').fill('黄埔区');
    await input(resident, 'booking-detail').fill(ADDRESS_DETAIL);
    await input(resident, 'booking-name').fill(RESIDENT.name);
    await input(resident, 'booking-phone').fill(PHONE);
    await press(resident, '下一步：确认信息');
    await press(resident, '确认预约');
    await top(resident).getByText('预约成功').waitFor();
    const number = (await top(resident).locator('#booking-number').textContent())?.trim() ?? '';
    await press(resident, '查看预约详情');
    await top(resident).locator('#booking-bundle-progress').waitFor();
    const id = /[?&]id=([0-9a-f-]{36})/.exec(resident.url())?.[1] ?? '';

    // The agent finds the household register of a parent missing: 一次性告知, nothing collected.
    await takeToReview(agent, baseUrl, number);
    await review(agent, '父或母一方的居民户口簿');
    await submitReview(agent);
    await top(agent).locator('#review-result').getByText('材料不齐，未收件').waitFor();

    await open(resident, baseUrl, `/cases/pages/bundle/index?id=${id}`);
    await top(resident).getByText('待补材料').waitFor();
    await top(resident).getByText('出生登记：父或母一方的居民户口簿').waitFor();
    await screenshot(resident, 'bundle-04-incomplete');
    await press(resident, '重新预约上门');
    // The same bundle and situation, the form as it was: nothing to retype.
    await top(resident).getByText('申请表（各事项共用，只填一次）').waitFor();
    await expect(input(resident, 'bundle-babyName').inputValue()).resolves.toBe('褚小安');
    await press(resident, '下一步：确认信息');
    await top(resident).getByText('新生儿在本区落户').first().waitFor();
    await press(resident, '确认预约');
    await top(resident).getByText('预约成功').waitFor();
  }, 180_000);
});
