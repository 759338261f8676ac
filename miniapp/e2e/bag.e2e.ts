import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import {
  ADDRESS_DETAIL,
  bookAsap,
  caseStatus,
  findDoorMatter,
  input,
  type Matter,
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
  watchCases,
} from './steps';

/**
 * 替你跑 (journey 5) in the H5 build against the demo stack. A door visit is collected and the government
 * platform (scripted) asks for a supplement. The centre clerk creates a batch of bags and downloads the label
 * sheet; the label's URL is opened in a fresh browser, as a newcomer scanning it would: the resident signs in,
 * sees the case and what is missing, ticks it, books the free EMS pickup and confirms. The EMS simulator picks
 * the bag up and delivers it to the centre; the clerk confirms receipt with every item there; the platform
 * resumes the case. The resident's timeline shows the bag's leg and the case moving on.
 *
 * The resident is 吴六 (demo-resident-bag), used by no other file: they sign in for the first time here.
 * Clocks as in tracking.e2e.ts: the government simulator sped up throughout, EMS only while a piece travels;
 * both and EMS's default outcome are put back afterwards.
 */

const RESIDENT: Resident = { nickname: '吴六', name: '吴六', idNumber: '440112199002140319' };
const CENTRE = '周收件';
const GOV_SPEED = 2000;
const EMS_SPEED = 40_000;
const LEG = '补正材料寄往政务中心';

interface EmsOrder {
  logisticsOrderNo: string;
  waybillNo: string;
  status: string;
}
interface CaseDetail {
  id: string;
  status: string;
  statusLabel: string;
  timeline: { at: string; source: string; title: string; leg?: string }[];
  shipments: { leg: string; waybillNo: string | null; status: string }[];
}

describe('替你跑: a bag label scanned by a newcomer carries the supplement to the centre (H5)', () => {
  const baseUrl = inject('baseUrl');
  let resident: Page;
  let agent: Page;
  let centre: Page;
  /** The resident again, on a phone that never opened the app (the label's QR opens it). */
  let newcomer: Page;
  const closers: (() => Promise<void>)[] = [];
  let matter: Matter;
  let firstRequired: string;
  let bookingNumber: string;
  let caseId: string | undefined;
  let code: string;
  /** A second bag of the batch, left at the door under 容缺受理. */
  let doorCode: string;
  /** The third, which carries what a visit that ended 材料不齐 lacked (no re-booking). */
  let visitCode: string;
  let restore: SimClocks = {};
  let lastCase: CaseDetail | undefined;
  /** EMS orders before the bag's pickup was booked. */
  let beforeBag = new Set<string>();

  const sims = simulators(baseUrl);
  const { sim } = sims;
  const emsOrders = async () => (await sim<{ orders: EmsOrder[] }>('/sim/ems/sim/orders')).orders;

  /** Runs EMS fast until the order not among `earlier` is delivered. */
  async function emsDelivers(earlier: Set<string>): Promise<void> {
    await sim('/sim/ems/sim/admin/clock', { speed: EMS_SPEED });
    try {
      await expect
        .poll(async () => (await emsOrders()).find((o) => !earlier.has(o.logisticsOrderNo))?.status, {
          timeout: 40_000,
          interval: 250,
        })
        .toBe('delivered');
    } finally {
      await sim('/sim/ems/sim/admin/clock', { speed: restore.ems });
    }
  }

  beforeAll(async () => {
    // A fresh profile each: four phones (or desks) that share nothing.
    const browsers = [await openBrowser(), await openBrowser(), await openBrowser(), await openBrowser()];
    [resident, agent, centre, newcomer] = browsers.map((b) => b.page) as [Page, Page, Page, Page];
    closers.push(...browsers.map((b) => b.close));
    for (const page of [resident, newcomer])
      watchCases<CaseDetail>(page, (detail) => {
        lastCase = detail;
      });
    ({ matter, firstRequired } = await findDoorMatter(baseUrl));
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
      for (const close of closers) await close();
    }
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [name, page] of Object.entries({ resident, agent, centre, newcomer }))
      await page
        ?.screenshot({ path: `${artifactsDir}/bag-failed-${name}.png`, fullPage: true })
        .catch(() => {});
    const state = {
      caseId,
      code,
      bookingNumber,
      lastCase,
      ...(await sims.state(caseId)),
    };
    writeFileSync(path.join(artifactsDir, 'bag-failed-state.json'), JSON.stringify(state, null, 2));
  });

  it('a door visit is collected; the platform asks for a supplement (补齐补正)', async () => {
    // The next case submitted is answered with 补齐补正 (its default list: the matter's materials).
    await sim('/sim/gov/sim/admin/script', { next: true, outcome: 'supplement' });
    await sim('/sim/gov/sim/admin/clock', { speed: GOV_SPEED });
    await sim('/sim/ems/sim/admin/script', { defaultOutcome: 'delivered' });

    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    await signInFirstTime(resident, RESIDENT);
    await input(resident, 'booking-detail').waitFor();
    bookingNumber = await bookAsap(resident, { name: RESIDENT.name, firstRequired });

    const earlier = new Set((await emsOrders()).map((o) => o.logisticsOrderNo));
    await signInAgent(agent, baseUrl);
    await takeToReview(agent, baseUrl, bookingNumber);
    await review(agent);
    await submitReview(agent);
    await top(agent).getByText('材料齐全，已收件').waitFor();
    // 快递送达: the platform receives the case once the materials reach the centre.
    await emsDelivers(earlier);

    await open(resident, baseUrl, '/cases/pages/index/index');
    const item = top(resident).locator('.case-item').filter({ hasText: matter.name });
    await item.waitFor();
    await item.click();
    await top(resident).locator('#case-next-step').waitFor();
    caseId = /cases\/pages\/detail\/index\?id=([0-9a-f-]{36})/.exec(resident.url())?.[1];
    await caseStatus(resident, '待补齐补正').waitFor({ timeout: 60_000 });
    // The case page's way to send it: the bag page, with this case chosen.
    await top(resident).locator('#case-supplement').getByText('扫快递袋寄材料').waitFor();
  });

  it('the centre clerk creates a batch and downloads the label sheet with each code', async () => {
    await open(centre, baseUrl, '/pages/login/index');
    await top(centre).locator('.demo-user').filter({ hasText: CENTRE }).locator('taro-button-core').click();
    // The demo centre clerk signs in for the first time on this stack: the privacy guide first.
    await press(centre, '同意并继续');
    await top(centre).getByText('提交认证').waitFor();
    await open(centre, baseUrl, '/staff/pages/index/index');
    await top(centre).locator('#bag-batches-entry').waitFor();
    await press(centre, '管理批次');
    await top(centre).getByText('新建一批快递袋').waitFor();
    await input(centre, 'batch-count').fill('3');
    const created = centre.waitForResponse(
      (res) => res.request().method() === 'POST' && res.url().endsWith('/api/v1/staff/bag-batches'),
    );
    await press(centre, '生成袋码');
    const batch = (await (await created).json()) as { codes: string[] };
    expect(batch.codes).toHaveLength(3);
    code = batch.codes[0]!;
    doorCode = batch.codes[1]!;
    visitCode = batch.codes[2]!;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await top(centre).getByText('3 个快递袋', { exact: false }).first().waitFor();

    const download = centre.waitForEvent('download');
    await press(centre, '下载标签（A4，可打印）');
    const sheet = readFileSync((await (await download).path())!, 'utf8');
    expect(sheet).toContain('<svg');
    for (const c of batch.codes) expect(sheet).toContain(c);
    await screenshot(centre, 'bag-01-batches');
  });

  it('the label’s URL opened as a newcomer: sign in, the case and what is missing, free pickup, confirm once', async () => {
    // What the camera or a browser opens from the label's QR.
    await newcomer.goto(`${baseUrl}/b/${code}`);
    await top(newcomer).getByText('请先登录').waitFor();
    await press(newcomer, '去登录');
    await top(newcomer)
      .locator('.demo-user')
      .filter({ hasText: RESIDENT.nickname })
      .locator('taro-button-core')
      .click();
    // Back on the bag's page, signed in: the unbound bag offers the resident's case that needs a supplement.
    await top(newcomer).locator('#bag-items').waitFor();
    await top(newcomer).getByText(`快递袋 ${code}`).waitFor();
    await top(newcomer).getByText(matter.name).first().waitFor();
    await expect(top(newcomer).locator('#bag-deadline').textContent()).resolves.toMatch(/^请于 .+ 前寄出$/);
    await screenshot(newcomer, 'bag-02-scanned');

    const items = top(newcomer).locator('#bag-items .nut-checkbox');
    const count = await items.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await items.nth(i).click();
    // Free EMS pickup is the default; the address starts from the resident's booking.
    await expect(input(newcomer, 'bag-detail').inputValue()).resolves.toBe(ADDRESS_DETAIL);
    await top(newcomer).locator('#bag-pickup .nut-radio').first().click();
    await input(newcomer, 'bag-name').fill(RESIDENT.name);
    await input(newcomer, 'bag-phone').fill(PHONE);
    await press(newcomer, '下一步：核对寄件信息');
    await top(newcomer).getByText('请核对后寄出').waitFor();
    await expect(top(newcomer).getByText('未装入的', { exact: false }).count()).resolves.toBe(0);
    await screenshot(newcomer, 'bag-03-confirm');

    const confirms: string[] = [];
    newcomer.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/confirm'))
        confirms.push(req.headers()['idempotency-key'] ?? '');
    });
    beforeBag = new Set((await emsOrders()).map((o) => o.logisticsOrderNo));
    await press(newcomer, '确认寄出');
    await top(newcomer).locator('#bag-sent-title').waitFor();
    expect(confirms).toHaveLength(1);
    expect(confirms[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await screenshot(newcomer, 'bag-04-sent');

    // Scanned again, the bag is used: refused, saying so.
    await open(newcomer, baseUrl, `/bag/pages/index/index?code=${code}`);
    await top(newcomer).getByText('这个快递袋已经用过').waitFor();
  });

  it('EMS picks the bag up and delivers it; the centre confirms every item; the case moves on', async () => {
    await emsDelivers(beforeBag);

    await open(centre, baseUrl, '/staff/pages/bag-receive/index');
    await input(centre, 'bag-code').fill(code.toLowerCase().replace(/-/g, ' '));
    await press(centre, '查询');
    await top(centre).getByText('逐项核对袋内材料').waitFor();
    const rows = top(centre).locator('.review-item');
    for (let i = 0; i < (await rows.count()); i++) await rows.nth(i).getByText('有', { exact: true }).click();
    await top(centre).getByText('材料齐全，提交后推送政务服务平台，办件继续办理').waitFor();
    await press(centre, '确认收件');
    await top(centre).locator('#bag-receipt').getByText('已确认收件，材料齐全').waitFor();
    await screenshot(centre, 'bag-05-received');

    expect(caseId, 'the case id from the resident’s case page').toBeDefined();
    await open(newcomer, baseUrl, `/cases/pages/detail/index?id=${caseId}`);
    await top(newcomer).locator('#case-next-step').waitFor();
    // The platform takes the supplement and the case resumes (the page polls every 15 s).
    await expect
      .poll(async () => (await top(newcomer).locator('.case-status').first().textContent())?.trim(), {
        timeout: 60_000,
        interval: 1000,
      })
      .not.toBe('待补齐补正');
    const titles = (await top(newcomer).locator('.case-timeline__title').allTextContents()).map((t) =>
      t.trim(),
    );
    expect(titles).toContain(`${LEG} · 已揽收`);
    expect(titles).toContain(`${LEG} · 已签收`);
    await top(newcomer).locator('.case-shipment').filter({ hasText: LEG }).waitFor();
    expect(lastCase?.shipments.map((s) => s.leg)).toContain('supplement_to_centre');
    await screenshot(newcomer, 'bag-06-case');
  });

  it('容缺受理 at the door: the agent collects what is complete and leaves a bag bound to the rest', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    const number = await bookAsap(resident, { name: RESIDENT.name, firstRequired });
    await takeToReview(agent, baseUrl, number);
    await review(agent, firstRequired);
    // The matter allows 容缺受理 (失业保险金申领 in the demo catalogue): a bag can be left instead.
    await top(agent).getByText('容缺受理：先收件，缺少的用快递袋补寄').waitFor();
    await input(agent, 'bag-code').fill(doorCode);
    await press(agent, '查询');
    await top(agent).getByText(`容缺受理：留下快递袋 ${doorCode}`).waitFor();
    await top(agent).getByText('提交后收取齐全的材料，缺少的 1 项由快递袋补寄').waitFor();
    await submitReview(agent);
    await top(agent).locator('#review-result').getByText('容缺受理，已收件').waitFor();
    await screenshot(agent, 'bag-07-door-tolerance');

    // The resident scans that bag: bound to this case, exactly the missing material.
    await open(newcomer, baseUrl, `/bag/pages/index/index?code=${doorCode}`);
    await top(newcomer).getByText('这个快递袋已指定用于下面的办件。').waitFor();
    const items = top(newcomer).locator('#bag-items .nut-checkbox');
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().textContent()).resolves.toContain(firstRequired);
  });

  it('a visit that ended 材料不齐 is sent by bag from its booking page; the centre has it all; the case is submitted', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    const number = await bookAsap(resident, { name: RESIDENT.name, firstRequired });
    await takeToReview(agent, baseUrl, number);
    await review(agent, firstRequired);
    // No bag left at the door: the visit ends with the one complete list (一次性告知).
    await submitReview(agent);
    await top(agent).locator('#review-result').getByText('材料不齐，未收件').waitFor();

    // The resident has it now: from the booking page to the bag page, with this visit chosen.
    await open(newcomer, baseUrl, '/booking/pages/list/index');
    // By its 预约号 line: a case number on another item (4401122026…) may contain the same digits.
    await top(newcomer)
      .locator('.booking-item')
      .filter({ hasText: `预约号 ${number}` })
      .click();
    await press(newcomer, '已备齐？扫描邮袋寄送');
    await input(newcomer, 'bag-code').fill(visitCode);
    await press(newcomer, '查询');
    await top(newcomer).locator('#bag-visit-hint').waitFor();
    const items = top(newcomer).locator('#bag-items .nut-checkbox');
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().textContent()).resolves.toContain(firstRequired);
    await items.first().click();
    await top(newcomer).locator('#bag-pickup .nut-radio').first().click();
    await input(newcomer, 'bag-name').fill(RESIDENT.name);
    await input(newcomer, 'bag-phone').fill(PHONE);
    await press(newcomer, '下一步：核对寄件信息');
    await top(newcomer).getByText('请核对后寄出').waitFor();
    const confirmed = newcomer.waitForResponse(
      (res) => res.request().method() === 'POST' && res.url().includes('/confirm'),
    );
    const earlier = new Set((await emsOrders()).map((o) => o.logisticsOrderNo));
    await press(newcomer, '确认寄出');
    const visitCaseId = ((await (await confirmed).json()) as { caseId: string }).caseId;
    await top(newcomer).locator('#bag-sent-title').waitFor();
    await screenshot(newcomer, 'bag-08-visit-sent');

    await emsDelivers(earlier);
    await open(centre, baseUrl, '/staff/pages/bag-receive/index');
    await input(centre, 'bag-code').fill(visitCode);
    await press(centre, '查询');
    await top(centre).getByText('逐项核对袋内材料').waitFor();
    await top(centre).locator('.review-item').first().getByText('有', { exact: true }).click();
    await press(centre, '确认收件');
    await top(centre).locator('#bag-receipt').getByText('已确认收件，材料齐全').waitFor();

    // The case was waiting for the materials; now it is submitted and the centre's receipt is on its timeline.
    await open(newcomer, baseUrl, `/cases/pages/detail/index?id=${visitCaseId}`);
    await top(newcomer).locator('#case-next-step').waitFor();
    await expect
      .poll(async () => (await top(newcomer).locator('.case-status').first().textContent())?.trim(), {
        timeout: 60_000,
        interval: 1000,
      })
      .not.toMatch(/补齐材料寄送中|材料已收取/);
    const titles = (await top(newcomer).locator('.case-timeline__title').allTextContents()).map((t) =>
      t.trim(),
    );
    expect(titles).toContain('政务中心已收到补正材料');
    expect(titles).toContain(`${LEG} · 已签收`);
    await screenshot(newcomer, 'bag-09-visit-case');
  });
});
