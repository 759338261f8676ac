import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/db/schema';
import { piiContext } from '../src/features/me/users';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const NAME = '张三丰';
const ID = '11010519491231002X'; // GB 11643 sample: valid check character X

async function consented() {
  const session = await t.signIn();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/consent',
    headers: bearer(session.accessToken),
    payload: { version: PRIVACY_GUIDE_VERSION },
  });
  expect(res.statusCode).toBe(200);
  expect(res.json().consent.version).toBe(PRIVACY_GUIDE_VERSION);
  return session;
}

const identity = (token: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/identity', headers: bearer(token), payload });
const row = async (id: string) => (await t.app.database.db.select().from(users).where(eq(users.id, id)))[0]!;

describe('privacy consent', () => {
  it('refuses personal data before consent, and stores nothing', async () => {
    const { accessToken, user } = await t.signIn();
    const res = await identity(accessToken, { name: NAME, idNumber: ID });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('CONSENT_REQUIRED');
    expect((await row(user.id)).idNumberSealed).toBeNull();
  });

  it('refuses consent to an outdated guide version', async () => {
    const { accessToken } = await t.signIn();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/consent',
      headers: bearer(accessToken),
      payload: { version: '2020-01-01' },
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('CONSENT_VERSION_OUTDATED');
  });
});

describe('real name (实名)', () => {
  it.each([
    ['a wrong check character', '110105194912310021', 'checksum'],
    ['17 characters', '11010519491231002', 'length'],
    ['an impossible birth date', '110105194902300028', 'birthdate'],
    ['letters in the body', '1101051949A231002X', 'format'],
  ])('refuses an ID number with %s, naming the field and writing nothing', async (_label, idNumber) => {
    const { accessToken, user } = await consented();
    const res = await identity(accessToken, { name: NAME, idNumber });
    expect(res.statusCode).toBe(422);
    const err = errorOf(res);
    expect(err.code).toBe('ID_NUMBER_INVALID');
    expect(err.details).toEqual([{ field: 'idNumber', message: expect.stringMatching(/身份证/) }]);
    const stored = await row(user.id);
    expect(stored.idNumberSealed).toBeNull();
    expect(stored.nameSealed).toBeNull();
  });

  it('refuses a name that is not a name; both fields wrong → every field listed', async () => {
    const { accessToken } = await consented();
    const bad = await identity(accessToken, { name: 'Zhang3', idNumber: ID });
    expect(errorOf(bad)).toMatchObject({ code: 'NAME_INVALID', details: [{ field: 'name' }] });
    const both = await identity(accessToken, { name: 'x', idNumber: '123' });
    expect(both.statusCode).toBe(422);
    expect(errorOf(both).code).toBe('VALIDATION_FAILED');
    expect(errorOf(both).details?.map((d) => d.field)).toEqual(['name', 'idNumber']);
  });

  it('stores name and ID encrypted, returns them masked', async () => {
    const { accessToken, user } = await consented();
    const res = await identity(accessToken, { name: NAME, idNumber: '11010519491231002x' });
    expect(res.statusCode).toBe(200);
    expect(res.json().identity).toMatchObject({ name: '张*丰', idNumber: '110***********002X' });

    const stored = await row(user.id);
    expect(stored.nameSealed).not.toContain(NAME);
    expect(stored.idNumberSealed).not.toContain('11010519491231002');
    expect(t.app.pii.decrypt(stored.idNumberSealed!, piiContext(user.id, 'id_number'))).toBe(ID);
    // Bound to its row: the same ciphertext does not open as another user's.
    expect(() =>
      t.app.pii.decrypt(stored.idNumberSealed!, piiContext('another-user', 'id_number')),
    ).toThrow();

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) });
    expect(me.body).not.toContain(ID);
    expect(me.json().identity.name).toBe('张*丰');
  });

  it('never writes personal data or credentials to the logs', async () => {
    const { accessToken, refreshToken } = await consented();
    await identity(accessToken, { name: '欧阳·娜娜', idNumber: '110105194912310021' });
    await identity(accessToken, { name: '欧阳·娜娜', idNumber: ID });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    const logs = t.logs.text();
    expect(logs).toContain('"reqId"'); // the capture works: requests are logged at trace level
    for (const secret of ['欧阳', '11010519491231002', accessToken, refreshToken])
      expect(logs).not.toContain(secret);
  });
});

describe('identity check with the government platform (实名核验)', () => {
  it('refuses a name that does not match the ID number, storing nothing', async () => {
    const { accessToken, user } = await consented();
    await t.gov.admin('/sim/admin/identity', { idNumber: '440524188001010014', match: false });
    const res = await identity(accessToken, { name: '李四', idNumber: '440524188001010014' });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'IDENTITY_MISMATCH', details: [{ field: 'idNumber' }] });
    expect((await row(user.id)).idNumberSealed).toBeNull();
  });

  it('answers 502 and stores nothing while the platform is down', async () => {
    const { accessToken, user } = await consented();
    await t.gov.admin('/sim/admin/faults', { downForSeconds: 5 });
    const res = await identity(accessToken, { name: NAME, idNumber: ID });
    await t.gov.admin('/sim/admin/faults', {});
    expect(res.statusCode).toBe(502);
    expect(errorOf(res).code).toBe('IDENTITY_CHECK_UNAVAILABLE');
    expect((await row(user.id)).idNumberSealed).toBeNull();
  });
});
