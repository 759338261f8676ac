import { once } from 'node:events';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../config';
import { AppError } from '../lib/errors';

/**
 * Rate limits on the routes that cost an outside call or could be used to guess or flood: sign-in, real-name
 * checks, booking creation, photo uploads. Each is counted per signed-in user and per client IP (five times the
 * user's allowance, since many people can share one address). Over the limit: 429 RATE_LIMITED with
 * Retry-After. With REDIS_URL every instance counts in the same Redis; without it, in this process's memory.
 *
 * The routes are named here (method and URL), not in each feature, so the limits are read in one place; the
 * app refuses to start when a named route does not exist, so renaming a route cannot silently drop its limit.
 */

type Bucket = 'signIn' | 'realName' | 'booking' | 'upload' | 'bagScan';

export const RATE_LIMITED_ROUTES: Record<string, Bucket> = {
  'POST /api/v1/auth/wechat': 'signIn',
  'POST /api/v1/me/identity': 'realName',
  'POST /api/v1/bookings': 'booking',
  'POST /api/v1/staff/visits/:id/photos': 'upload',
  // Bag codes carry a 20-bit tag: counting look-ups per user makes guessing one hopeless.
  'GET /api/v1/bags/:code': 'bagScan',
  'POST /api/v1/bags/:code/confirm': 'bagScan',
  // So do receipt codes (a 6-digit 查询码 beside the case number): same bucket, one count of code look-ups.
  'POST /api/v1/cases/result-mailings': 'bagScan',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const IP_FACTOR = 5;

interface BucketRule {
  max: number;
  windowMs: number;
  perUser: boolean;
}

function buckets(c: Config['rateLimit']): Record<Bucket, BucketRule> {
  return {
    // No user before sign-in: the allowance is per IP.
    signIn: { max: c.signInPerMinute, windowMs: MINUTE, perUser: false },
    realName: { max: c.realNamePerHour, windowMs: HOUR, perUser: true },
    booking: { max: c.bookingPerHour, windowMs: HOUR, perUser: true },
    upload: { max: c.uploadPerMinute, windowMs: MINUTE, perUser: true },
    bagScan: { max: c.bagScanPerMinute, windowMs: MINUTE, perUser: true },
  };
}

export default fp(
  async function rateLimits(app: FastifyInstance, opts: { config: Config['rateLimit'] }) {
    const { config } = opts;
    const redis = config.redisUrl
      ? new Redis(config.redisUrl, {
          // Fail fast: while Redis is unreachable a counter update fails at once and the request goes through
          // (skipOnError below) instead of waiting for a reconnect.
          connectTimeout: 1000,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
        })
      : undefined;
    if (redis) {
      redis.on('error', (err) => app.log.warn({ err: { message: err.message } }, 'rate-limit store (Redis)'));
      // Start counting from the first request when Redis is there; start anyway (uncounted) when it is not.
      app.addHook('onReady', async () => {
        if (redis.status === 'ready') return;
        await Promise.race([
          once(redis, 'ready'),
          new Promise((resolve) => setTimeout(resolve, 2000).unref()),
        ]).catch(() => undefined);
      });
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect());
      });
    }

    await app.register(rateLimit, {
      global: false,
      hook: 'onRequest',
      ...(redis ? { redis, nameSpace: config.prefix } : {}),
      // A broken store must not take the API down: the request goes through and the warning is logged.
      skipOnError: true,
    });

    // Checkers, not the plugin's hooks: its hooks run once per request, and a request here is counted twice
    // (per user and per IP).
    const limiters = new Map<Bucket, onRequestAsyncHookHandler>();
    for (const [bucket, b] of Object.entries(buckets(config)) as [Bucket, BucketRule][]) {
      const checks = [
        app.createRateLimit({
          max: b.perUser ? b.max * IP_FACTOR : b.max,
          timeWindow: b.windowMs,
          keyGenerator: (req: FastifyRequest) => `${bucket}:ip:${req.ip}`,
        }),
      ];
      if (b.perUser)
        checks.push(
          app.createRateLimit({
            max: b.max,
            timeWindow: b.windowMs,
            keyGenerator: (req: FastifyRequest) => `${bucket}:user:${req.userId}`,
          }),
        );
      limiters.set(bucket, async (req, reply) => {
        const results = await Promise.all(checks.map((check) => check(req)));
        const exceeded = results.filter((r) => !r.isAllowed && r.isExceeded);
        if (exceeded.length === 0) return;
        const wait = Math.max(1, ...exceeded.map((r) => (r.isAllowed ? 0 : r.ttlInSeconds)));
        req.log.warn({ bucket }, 'rate limited');
        reply.header('retry-after', String(wait));
        throw new AppError(429, 'RATE_LIMITED', `操作过于频繁，请${wait}秒后再试`);
      });
    }

    const seen = new Set<string>();
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const name = `${method} ${route.url}`;
        const bucket = RATE_LIMITED_ROUTES[name];
        if (!Object.hasOwn(RATE_LIMITED_ROUTES, name) || !bucket) continue;
        seen.add(name);
        // Route-level onRequest hooks run after the app-wide ones, so the access check has set req.userId.
        const existing = route.onRequest ? [route.onRequest].flat() : [];
        route.onRequest = [...existing, limiters.get(bucket)!] as never;
      }
    });
    app.addHook('onReady', async () => {
      const missing = Object.keys(RATE_LIMITED_ROUTES).filter((name) => !seen.has(name));
      if (missing.length > 0) throw new Error(`Rate-limited routes not found: ${missing.join(', ')}`);
    });
  },
  { name: 'rate-limits' },
);
