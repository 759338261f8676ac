import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { staffOutlets } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { setRoles } from '../src/features/me/users';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';
import { journey, SERVING_POST_OFFICE } from './journey';

/** The request edge: bad input, framework errors, headers, revocation, uploads. */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  // Bookings need the catalogue; don't wait for the start-up sync job.
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());
const { resident, book, visit } = journey(() => t);

/** Signs in and makes the user staff; returns the tokens of a session started after the grant. */
async function staffSession(role: 'postal_agent' | 'supervisor') {
  const s = await t.signIn();
  await setRoles(t.app.database.db, { userId: s.user.id, roles: ['resident', role] });
  if (role === 'postal_agent')
    await t.app.database.db.insert(staffOutlets).values({ userId: s.user.id, outletId: SERVING_POST_OFFICE });
  const fresh = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: s.refreshToken },
    })
  ).json();
  return {
    id: s.user.id as string,
    refreshToken: fresh.refreshToken as string,
    h: bearer(fresh.accessToken),
  };
}

const expectShape = (
  res: { statusCode: number; json: () => unknown; body: string },
  status: number,
  code: string,
) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
};

describe('input no route can use', () => {
  it('refuses a NUL character in the query or the path with 400, naming the field', async () => {
    const q = await t.app.inject('/api/v1/matters?q=%00');
    expect(q.statusCode).toBe(400);
    expect(errorOf(q)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'q' }] });
    const id = await t.app.inject('/api/v1/outlets/a%00b');
    expect(id.statusCode).toBe(400);
    expect(errorOf(id)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
  });

  it('refuses NUL and lone surrogates in a JSON body, and writes nothing', async () => {
    const r = await resident();
    const id = (await book(r.h)).json().id;
    for (const reason of ['a\u0000b', 'a\ud800b', '\udc00']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${id}/cancel`,
        headers: r.h,
        payload: { reason },
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reason' }] });
    }
    expect((await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: r.h })).json().status).not.toBe(
      'cancelled',
    );
    // A well-formed pair (an emoji) is text like any other.
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      headers: r.h,
      payload: { reason: '不需要了😀' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses numbers that are not finite instead of passing them on', async () => {
    for (const url of [
      '/api/v1/matters?page=Infinity',
      '/api/v1/matters?pageSize=-Infinity',
      '/api/v1/matters?page=1e400',
      '/api/v1/outlets?limit=Infinity',
      '/api/v1/outlets?lat=Infinity&lng=1',
    ]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res).code, url).toBe('VALIDATION_FAILED');
    }
  });

  it('searches for words that are names of object properties like any other word', async () => {
    for (const q of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await t.app.inject(`/api/v1/matters?q=${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().items).toEqual([]);
    }
  });
});

describe('framework errors in our shape, without echoing the request', () => {
  it('answers an over-long path parameter with 414 URL_TOO_LONG', async () => {
    const res = await t.app.inject(`/api/v1/outlets/${'x'.repeat(300)}`);
    expectShape(res, 414, 'URL_TOO_LONG');
    expect(res.body).not.toContain('xxxx');
  });

  it('answers a malformed URL with 400 BAD_REQUEST', async () => {
    const res = await t.app.inject('/api/v1/outlets/%E0%A4%A');
    expectShape(res, 400, 'BAD_REQUEST');
    expect(res.body).not.toContain('%E0');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND, not repeating the path', async () => {
    const res = await t.app.inject('/api/v1/nope/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expectShape(res, 404, 'ROUTE_NOT_FOUND');
    expect(res.body).not.toMatch(/nope|script/);
  });

  it('answers bad JSON, a wrong media type and an oversized body in the same shape', async () => {
    const post = (type: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        headers: { 'content-type': type },
        payload,
      });
    const badJson = await post('application/json', '{"code": "<b>evil</b>"');
    expectShape(badJson, 400, 'INVALID_JSON');
    expect(badJson.body).not.toContain('evil');
    expectShape(
      await post('application/json', '{"__proto__": {"admin": true}, "code": "x"}'),
      400,
      'INVALID_JSON',
    );
    expectShape(await post('application/xml', '<code>evil</code>'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectShape(
      await post('application/json', `{"code":"${'x'.repeat(1_100_000)}"}`),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });
});

describe('headers', () => {
  it('sends security headers, and no-store on signed-in answers', async () => {
    const r = await resident(false);
    const me = await t.app.inject({ url: '/api/v1/me', headers: r.h });
    expect(me.statusCode).toBe(200);
    expect(me.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
    });
    const refused = await t.app.inject({ url: '/api/v1/me' });
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    // The docs page loads its own scripts: allowed from this origin only.
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('sign-out and role removal', () => {
  it('refuses a signed-out agent on the next staff request', async () => {
    const agent = await staffSession('postal_agent');
    expect((await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h })).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refreshToken: agent.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('TOKEN_INVALID');
  });

  it('refuses an agent whose role was removed on the next staff request, with the old token', async () => {
    const agent = await staffSession('postal_agent');
    expect((await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h })).statusCode).toBe(200);
    const supervisor = await staffSession('supervisor');
    const removed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/${agent.id}/roles`,
      headers: supervisor.h,
      payload: { roles: [] },
    });
    expect(removed.statusCode).toBe(200);
    const after = await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h });
    expect(after.statusCode).toBe(403);
    expect(errorOf(after).code).toBe('FORBIDDEN');
  });

  it('ends a signed-out resident everywhere else within a minute', async () => {
    const r = await t.signIn();
    const h = bearer(r.accessToken);
    expect((await t.app.inject({ url: '/api/v1/me', headers: h })).statusCode).toBe(200);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refreshToken: r.refreshToken },
    });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      const after = await t.app.inject({ url: '/api/v1/me', headers: h });
      expect(after.statusCode).toBe(401);
      expect(errorOf(after).code).toBe('TOKEN_INVALID');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('photos of the materials are re-encoded', () => {
  const upload = (h: Record<string, string>, id: string, data: Buffer) => {
    const boundary = '----zyt-hardening';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/visits/${id}/photos`,
      headers: { ...h, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };
  const html = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

  it('strips EXIF (GPS) and anything after the image; refuses a JPEG header with no image', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'TestCam' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '23/1 6/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '113/1 27/1 0/1',
        },
      })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const r = await resident();
    const agent = await staffSession('postal_agent');
    const id = (await book(r.h)).json().id;
    for (const step of ['accept', 'depart', 'arrive']) await visit(agent.h, id, step);

    const fake = await upload(agent.h, id, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), html]));
    expect(fake.statusCode).toBe(422);
    expect(errorOf(fake).code).toBe('PHOTO_UNREADABLE');

    for (const data of [photo, Buffer.concat([photo, html])]) {
      const res = await upload(agent.h, id, data);
      expect(res.statusCode).toBe(201);
      const image = await t.app.inject({
        url: `/api/v1/staff/visits/${id}/photos/${res.json().id}`,
        headers: agent.h,
      });
      expect(image.headers).toMatchObject({
        'content-type': 'image/jpeg',
        'x-content-type-options': 'nosniff',
        'content-disposition': `attachment; filename="${res.json().id}.jpg"`,
      });
      const served = image.rawPayload;
      expect(served.includes('<html')).toBe(false);
      expect(served.includes('TestCam')).toBe(false);
      const meta = await sharp(served).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
      expect(meta.exif).toBeUndefined();
      expect(res.json().bytes).toBe(served.length);
    }
    const rows = await t.app.database.rows<{ n: number }>(
      sql`select count(*)::int as n from booking_photos where booking_id = ${id}`,
    );
    expect(rows[0]?.n).toBe(2);
  });
});

describe('findBadInput', () => {
  it('walks what parsers build, and leaves streams, buffers and other objects alone', async () => {
    const { findBadInput } = await import('../src/plugins/input');
    expect(findBadInput({ a: [{ b: 'x\u0000' }] }, 'body')).toEqual({
      field: 'body.a.0.b',
      message: expect.any(String),
    });
    expect(findBadInput(Object.assign(Object.create(null), { q: '\ud800' }), 'query')?.field).toBe('query.q');
    const fromParser = Object.create(Object.create(null));
    fromParser.q = '\u0000';
    expect(findBadInput(fromParser, 'query')?.field).toBe('query.q');
    const cyclic: Record<string, unknown> = { name: 'stream' };
    cyclic.self = cyclic;
    expect(findBadInput(cyclic, 'body')).toBeUndefined();
    expect(findBadInput(new Readable({ read() {} }), 'body')).toBeUndefined();
    expect(findBadInput(Buffer.from([0, 0xd8]), 'body')).toBeUndefined();
    expect(findBadInput({ ok: '😀', n: 1, m: null }, 'body')).toBeUndefined();
    expect(findBadInput({ n: Number.POSITIVE_INFINITY }, 'query')?.field).toBe('query.n');
  });
});
