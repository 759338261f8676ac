import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEnterprises, syntheticCreditCode } from '../simulators/gov/enterprises';
import { createGovSimulator, type GovSimulator } from '../simulators/gov/server';
import { createGovClient } from '../src/integrations/gov/client';
import { verifySignature } from '../src/integrations/gov/signing';
import { GovError, type GovPlatformApi, parseRoundNotice } from '../src/integrations/gov/types';
import { until } from './until';

/**
 * The platform binding's enterprise calls, client against simulator: 企业登记信息查询 and 免申即享 rounds (the
 * notice pushed, signed, to the hook beside the cases hook; the list fetched whole).
 */
const GOV = { appId: 'zyt-test', appSecret: 'gov-test-secret-0123456789abcdef' };
let sim: GovSimulator;
let simUrl: string;
let gov: GovPlatformApi;
let receiver: Server;
const notices: { path: string; body: unknown; signed: boolean }[] = [];
const [precision, , , pilot, dissolved] = registryEnterprises as [
  (typeof registryEnterprises)[number],
  unknown,
  unknown,
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
];

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const verdict = verifySignature({
      headers: req.headers,
      method: req.method ?? '',
      path: req.url ?? '',
      rawBody: raw,
      appSecret: GOV.appSecret,
      expectedAppId: GOV.appId,
      now: Date.now(),
      seenNonce: () => false,
    });
    notices.push({ path: req.url ?? '', body: JSON.parse(raw.toString('utf8')), signed: verdict.ok });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/hooks/gov/cases`;
  sim = createGovSimulator({ ...GOV, callbackUrl: hook });
  simUrl = await sim.listen();
  gov = createGovClient({ apiBase: simUrl, ...GOV, timeoutMs: 5_000 });
});
afterAll(async () => {
  await sim?.close();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

describe('enterprise registry lookup', () => {
  it('names the enterprise, masks its legal representative, and says whether the person is them', async () => {
    const rep = precision.legalRepresentative;
    const asRep = await gov.lookupEnterprise({
      creditCode: precision.creditCode,
      person: { name: rep.name, cardType: '111', cardNumber: rep.idNumber },
    });
    expect(asRep).toEqual({
      creditCode: precision.creditCode,
      name: precision.name,
      address: precision.address,
      legalRepresentative: '林*',
      status: 'active',
      isLegalRepresentative: true,
    });
    const other = await gov.lookupEnterprise({
      creditCode: precision.creditCode,
      person: { name: '王五', cardType: '111', cardNumber: '110105194912310038' },
    });
    expect(other.isLegalRepresentative).toBe(false);
    expect(
      (await gov.lookupEnterprise({ creditCode: precision.creditCode })).isLegalRepresentative,
    ).toBeUndefined();
    expect((await gov.lookupEnterprise({ creditCode: pilot.creditCode })).name).toBe(pilot.name);
    expect((await gov.lookupEnterprise({ creditCode: dissolved.creditCode })).status).toBe('dissolved');
  });

  it('an unknown code is a 404 ENTERPRISE_NOT_FOUND that retrying will not fix', async () => {
    const err = await gov.lookupEnterprise({ creditCode: syntheticCreditCode(42) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GovError);
    expect(err).toMatchObject({ code: 'ENTERPRISE_NOT_FOUND', status: 404, retryable: false });
  });

  it('a wrongly signed request is refused', async () => {
    const forged = createGovClient({
      apiBase: simUrl,
      appId: GOV.appId,
      appSecret: 'wrong',
      timeoutMs: 5_000,
    });
    await expect(forged.lookupEnterprise({ creditCode: precision.creditCode })).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
      status: 401,
    });
  });
});

describe('免申即享 rounds', () => {
  it('pushes a signed round notice to the rounds hook and serves the whole list', async () => {
    const res = await fetch(`${simUrl}/sim/admin/rounds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deadline: new Date(Date.now() + 86_400_000).toISOString(), generate: 1_000 }),
    });
    const { roundId, listSize } = (await res.json()) as { roundId: string; listSize: number };
    expect(listSize).toBe(1_004);
    const notice = await until(
      () => notices.find((n) => (n.body as { roundId?: string }).roundId === roundId),
      20,
    );
    expect(notice.path).toBe('/api/v1/hooks/gov/rounds');
    expect(notice.signed).toBe(true);
    const parsed = parseRoundNotice(notice.body);
    expect(parsed.ok).toBe(true);
    const list = await gov.fetchRoundList(roundId);
    expect(list.rows).toHaveLength(1_004);
    expect(new Set(list.rows.map((r) => r.creditCode)).size).toBe(1_004);
    expect(list.rows[0]).toMatchObject({ creditCode: precision.creditCode, amountFen: 1_000_000 });
    await expect(gov.fetchRoundList('R-unknown')).rejects.toMatchObject({
      code: 'ROUND_NOT_FOUND',
      status: 404,
    });
  });
});
