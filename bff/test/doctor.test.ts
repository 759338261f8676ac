import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from '../scripts/doctor';
import { loadConfig } from '../src/config';
import { buildTestApp, EMS, GOV, TEST_KEYS, type TestApp, WECHAT } from './helpers';

let t: TestApp;
let bffUrl: string;
beforeAll(async () => {
  t = await buildTestApp();
  bffUrl = await t.listen();
});
afterAll(() => t?.close());

describe('pnpm run doctor', () => {
  it('checks the outside systems the running BFF is configured with, not the default ports', async () => {
    // This shell knows the credentials but not where the simulators run (they are on free ports).
    const own = loadConfig({
      ...TEST_KEYS,
      DATA_DIR: 'memory://',
      WECHAT_APP_ID: WECHAT.appId,
      WECHAT_APP_SECRET: WECHAT.appSecret,
      EMS_SENDER_NO: EMS.senderNo,
      EMS_AUTHORIZATION: EMS.authorization,
      EMS_SIGN_KEY: EMS.signKey,
      GOV_APP_ID: GOV.appId,
      GOV_APP_SECRET: GOV.appSecret,
    });
    const lines: string[] = [];
    const failed = await doctor(own, bffUrl, (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(failed).toBe(0);
    expect(lines.find((l) => l.includes(' wechat '))).toContain(t.wechat.url);
    expect(lines.find((l) => l.includes(' ems '))).toContain(t.ems.url);
    expect(lines.find((l) => l.includes(' gov '))).toContain(t.gov.url);
  });

  it('is told the systems only on this host, never through a proxy, and never the secrets', async () => {
    const local = await t.app.inject({ url: '/api/v1/ops/outside-systems' });
    expect(local.statusCode).toBe(200);
    expect(local.json().ems).toEqual({ apiBase: t.ems.url, senderNo: EMS.senderNo });
    expect(local.body).not.toContain(GOV.appSecret);
    expect(local.body).not.toContain(WECHAT.appSecret);
    const remote = await t.app.inject({ url: '/api/v1/ops/outside-systems', remoteAddress: '203.0.113.7' });
    expect(remote.statusCode).toBe(403);
    const relayed = await t.app.inject({
      url: '/api/v1/ops/outside-systems',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(relayed.statusCode).toBe(403);
  });
});
