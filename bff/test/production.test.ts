import { randomBytes } from 'node:crypto';
import { notificationKinds } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTrackPush } from '../simulators/ems/push';
import { ConfigError, DEMO_CREDENTIALS, loadConfig } from '../src/config';
import { signRequest } from '../src/integrations/gov/signing';
import { createServer } from '../src/server';
import { errorOf, TEST_KEYS } from './helpers';

/** Production mode: no demo secret is accepted, so nobody can sign a hook with the public demo values. */

const secret = () => randomBytes(16).toString('base64');
const REAL = {
  WECHAT_APP_SECRET: secret(),
  EMS_AUTHORIZATION: secret(),
  EMS_SIGN_KEY: secret(),
  GOV_APP_SECRET: secret(),
  BAG_CODE_SECRET: randomBytes(24).toString('hex'),
  BAG_URL_BASE: 'https://zyt.example.gov.cn',
};
const BASE = {
  NODE_ENV: 'production',
  DATA_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  WECHAT_TEMPLATE_IDS: JSON.stringify(Object.fromEntries(notificationKinds.map((k) => [k, `tpl-${k}`]))),
  ...TEST_KEYS,
};

describe('production configuration', () => {
  it('refuses to start while an outside-system secret is missing, naming each', () => {
    expect(() => loadConfig(BASE)).toThrow(ConfigError);
    expect(() => loadConfig(BASE)).toThrow(
      /WECHAT_APP_SECRET, EMS_AUTHORIZATION, EMS_SIGN_KEY, GOV_APP_SECRET, BAG_CODE_SECRET, BAG_URL_BASE must be set in production/,
    );
    const { GOV_APP_SECRET: _, ...allButGov } = REAL;
    expect(() => loadConfig({ ...BASE, ...allButGov })).toThrow(/^GOV_APP_SECRET must be set in production$/);
  });

  it('refuses each public demo secret, naming the variable', () => {
    const demo = {
      WECHAT_APP_SECRET: DEMO_CREDENTIALS.wechat.appSecret,
      EMS_AUTHORIZATION: DEMO_CREDENTIALS.ems.authorization,
      EMS_SIGN_KEY: DEMO_CREDENTIALS.ems.signKey,
      GOV_APP_SECRET: DEMO_CREDENTIALS.gov.appSecret,
      BAG_CODE_SECRET: DEMO_CREDENTIALS.bags.codeSecret,
      BAG_URL_BASE: DEMO_CREDENTIALS.bags.urlBase,
    };
    for (const [name, value] of Object.entries(demo)) {
      expect(() => loadConfig({ ...BASE, ...REAL, [name]: value })).toThrow(
        new RegExp(`^${name} must not be the public demo value in production$`),
      );
    }
  });

  it('starts with real secrets; development still runs on the demo values', () => {
    const config = loadConfig({ ...BASE, ...REAL });
    expect(config.gov.appSecret).toBe(REAL.GOV_APP_SECRET);
    expect(config.docs).toBe(false);
    expect(loadConfig({ ...BASE, ...REAL, DOCS: 'on' }).docs).toBe(true);
    expect(() => loadConfig({ ...BASE, ...REAL, DOCS: 'yes' })).toThrow(/DOCS must be on or off/);
    const dev = loadConfig({ DATA_DIR: 'memory://' });
    expect(dev.gov.appSecret).toBe(DEMO_CREDENTIALS.gov.appSecret);
    expect(dev.docs).toBe(true);
  });
});

describe('a production BFF', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // No outside system is reachable: jobs are off and the bases point at a closed port.
    const config = loadConfig({
      ...BASE,
      ...REAL,
      JOB_WORKERS: 'off',
      GOV_API_BASE: 'http://127.0.0.1:9',
      EMS_API_BASE: 'http://127.0.0.1:9',
      WECHAT_API_BASE: 'http://127.0.0.1:9',
    });
    app = await createServer({ config });
    await app.ready();
  });
  afterAll(() => app?.close());

  const govHook = (appSecret: string) => {
    const body = JSON.stringify({ projId: 'P-1', events: [] });
    const path = '/api/v1/hooks/gov/cases';
    return app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/json',
        ...signRequest({
          appId: DEMO_CREDENTIALS.gov.appId,
          appSecret,
          method: 'POST',
          path,
          body,
          now: Date.now(),
        }),
      },
      payload: body,
    });
  };

  it('refuses a government callback signed with the demo secret', async () => {
    const forged = await govHook(DEMO_CREDENTIALS.gov.appSecret);
    expect(forged.statusCode).toBe(401);
    expect(errorOf(forged).code).toBe('SIGNATURE_INVALID');
    // The same callback signed with the configured secret passes the signature check.
    const genuine = await govHook(REAL.GOV_APP_SECRET);
    expect(genuine.statusCode).not.toBe(401);
  });

  it('refuses an EMS push sealed with the demo key', async () => {
    const forged = encodeTrackPush([], {
      senderNo: DEMO_CREDENTIALS.ems.senderNo,
      signKey: DEMO_CREDENTIALS.ems.signKey,
    });
    const res = await app.inject({ method: 'POST', url: '/api/v1/hooks/ems/track', payload: forged });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'S00001', codeMessage: 'BAD_CIPHERTEXT' });
  });

  it('serves no API docs unless switched on, and /readyz says only ready or not', async () => {
    expect((await app.inject('/docs/')).statusCode).toBe(404);
    expect((await app.inject('/docs/json')).statusCode).toBe(404);
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });
});
