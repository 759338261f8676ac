import { randomUUID } from 'node:crypto';
import { allRoles } from '@zyt/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRoles } from '../src/features/me/users';
import { bearer, buildTestApp, type TestApp } from './helpers';

/**
 * Every route of the OpenAPI document, with generated bad input in its path, query and body: strings with NUL,
 * lone surrogates or 10 000 characters, numbers out of range or not finite, wrong types, `__proto__` keys. The
 * caller holds every role, so each route gets past its access check. No answer may be a 5xx, and every 4xx must
 * be in our error shape. Seeded and bounded: the same requests every run.
 */

const SEED = 20261201;
const RUNS_PER_OPERATION = 25;

interface Schema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
}

interface Operation {
  method: string;
  path: string;
  pathParams: { name: string; schema: Schema }[];
  query: { name: string; schema: Schema }[];
  body: Schema | undefined;
}

const badString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udbff\u0000') },
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'Infinity',
    '-Infinity',
    'NaN',
    '1e400',
    '-1',
    '',
    ' ',
    '%00',
    '../../etc/passwd',
    "'; drop table users; --",
    '<script>alert(1)</script>',
    '9'.repeat(400),
  ),
  fc.constant('字'.repeat(10_000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const badNumber = fc.constantFrom<unknown>(
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  -1,
  0,
  0.5,
  1e300,
  'Infinity',
  '1e400',
  'NaN',
);
const badAny: fc.Arbitrary<unknown> = fc.oneof(
  badString,
  badNumber,
  fc.constantFrom<unknown>(null, true, [], {}, [null], { __proto__: null }),
);

/** A value that fits the schema (as far as a generator can tell from it). */
function good(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return fc.constant('x');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => good(s, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      const max = Math.min(schema.maxLength ?? 20, 20);
      const min = Math.min(schema.minLength ?? 0, max);
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((v) => v.length >= min && v.length <= (schema.maxLength ?? Infinity));
      return fc.string({ minLength: min, maxLength: max });
    }
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 1000) });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(good(schema.items, depth + 1), { minLength: 1, maxLength: 3 });
    case 'object': {
      const props = schema.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, good(s, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((k) => Object.hasOwn(props, k)),
      });
    }
    default:
      return fc.constant('x');
  }
}

/** A value that fits the schema except in one place, somewhere inside it, where it is bad. */
function corrupt(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return badAny;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const props = Object.entries(schema.properties ?? {});
  if (type === 'object' && props.length > 0) {
    return fc.oneof(
      { weight: 1, arbitrary: badAny },
      {
        weight: 6,
        arbitrary: fc
          .tuple(good(schema, depth), fc.nat(props.length - 1))
          .chain(([base, i]) =>
            corrupt(props[i]![1], depth + 1).map((bad) => ({ ...(base as object), [props[i]![0]]: bad })),
          ),
      },
    );
  }
  if (type === 'array')
    return fc.oneof(
      badAny,
      fc
        .tuple(good(schema, depth), corrupt(schema.items, depth + 1))
        .map(([base, bad]) => [...(base as []), bad]),
    );
  if (type === 'integer' || type === 'number') return fc.oneof(badNumber, badString);
  if (type === 'string')
    return fc.oneof({ weight: 4, arbitrary: badString }, { weight: 1, arbitrary: badAny });
  return badAny;
}

/** JSON text of a body, sometimes with a `__proto__` or `constructor` key written into it. */
const bodyText = (value: unknown): fc.Arbitrary<string> =>
  fc.constantFrom('', '', '', '__proto__', 'constructor').map((protoKey) => {
    const text = JSON.stringify(value) ?? 'null';
    if (!protoKey || !text.startsWith('{')) return text;
    const extra = protoKey === '__proto__' ? '{"isAdmin":true}' : '{"prototype":{"isAdmin":true}}';
    return text === '{}' ? `{"${protoKey}":${extra}}` : `{"${protoKey}":${extra},${text.slice(1)}`;
  });

/** encodeURIComponent throws on a lone surrogate: send its WTF-8 bytes instead, as a hostile client could. */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return [...text]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const u = ch.charCodeAt(0);
        return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      }
    })
    .join('');
}

function operations(spec: {
  paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema: Schema }[];
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

/** Hooks whose answers are defined by the outside system's protocol, not by our error shape. */
const PROTOCOL_REPLIES = new Set(['/api/v1/hooks/ems/track']);

let t: TestApp;
let auth: Record<string, string>;
let ops: Operation[];
beforeAll(async () => {
  t = await buildTestApp({ JOB_WORKERS: 'off' });
  const s = await t.signIn();
  await setRoles(t.app.database.db, { userId: s.user.id, roles: [...allRoles] });
  const fresh = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    payload: { refreshToken: s.refreshToken },
  });
  auth = bearer(fresh.json().accessToken);
  ops = operations(t.app.swagger() as never);
});
afterAll(() => t?.close());

describe('fuzzing every route of the OpenAPI document', () => {
  it('finds the API routes in the document', () => {
    expect(ops.length).toBeGreaterThan(30);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['GET /api/v1/matters', 'POST /api/v1/bookings', 'POST /api/v1/me/identity']),
    );
  });

  it('never answers 5xx, and answers every 4xx in the error shape', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    let requests = 0;
    let reachedHandler = 0;
    for (const op of ops) {
      // Each request is good but for one place: a path parameter, a query parameter or somewhere in the body.
      const slots = op.pathParams.length + op.query.length + 1;
      const request = fc.nat(slots - 1).chain((bad) =>
        fc.record({
          path: fc.tuple(
            ...op.pathParams.map((p, i) => (i === bad ? corrupt(p.schema) : good(p.schema))),
            fc.constant(null),
          ),
          query: fc.tuple(
            ...op.query.map((q, i) =>
              i + op.pathParams.length === bad
                ? corrupt(q.schema)
                : fc.option(good(q.schema), { nil: undefined, freq: 2 }),
            ),
            fc.constant(undefined),
          ),
          body: (bad === slots - 1 ? corrupt(op.body) : good(op.body)).chain(bodyText),
          signedIn: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
        }),
      );
      await fc
        .assert(
          fc.asyncProperty(request, async (r) => {
            let url = op.path;
            op.pathParams.forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encode(r.path[i]) || randomUUID());
            });
            const qs = op.query
              .map((q, i) => (r.query[i] === undefined ? '' : `${q.name}=${encode(r.query[i])}`))
              .filter(Boolean)
              .join('&');
            const res = await t.app.inject({
              method: op.method as never,
              url: qs ? `${url}?${qs}` : url,
              headers: {
                ...(r.signedIn ? auth : {}),
                ...(op.method === 'GET' ? {} : { 'content-type': 'application/json' }),
                'idempotency-key': randomUUID(),
              },
              ...(op.method === 'GET' ? {} : { payload: r.body }),
            });
            requests++;
            if (res.statusCode < 300) reachedHandler++;
            const where = `${op.method} ${url}${qs ? `?${qs}` : ''} ${r.body.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
            if (res.statusCode >= 500) {
              failures.push(where);
              return false;
            }
            if (res.statusCode >= 400 && !PROTOCOL_REPLIES.has(op.path)) {
              const body = res.json() as { error?: { code?: unknown; message?: unknown } };
              if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') {
                failures.push(`not in the error shape: ${where}`);
                return false;
              }
            }
            return true;
          }),
          { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
    // The bad values sat among good ones: a fair share of requests got through to a route's handler.
    expect(requests).toBeGreaterThan(ops.length * RUNS_PER_OPERATION * 0.9);
    expect(reachedHandler).toBeGreaterThan(requests / 20);
  });
});
