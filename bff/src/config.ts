import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type NotificationKind, notificationKinds, type PublicFacts, PublicFactsSchema } from '@zyt/shared';
import { Compile } from 'typebox/compile';

/**
 * All configuration, read and validated once from the environment. Nothing else reads process.env.
 * The README's configuration table lists the same variables.
 */
export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  /** PostgreSQL URL; when absent the embedded PGlite database lives under dataDir. */
  databaseUrl: string | undefined;
  /** PGlite data directory and development keys; `memory://` keeps PGlite in memory (tests). */
  dataDir: string;
  /** AES-256-GCM key for personal data at rest (32 bytes). */
  piiKey: Buffer;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Run job workers in this process (off: enqueue only, e.g. an API-only instance). */
  jobWorkers: boolean;
  /** Serve the OpenAPI document and UI at /docs (off by default in production). */
  docs: boolean;
  /** Which proxies' X-Forwarded-For is believed (Fastify `trustProxy`): the client IP rate limits count by. */
  trustProxy: boolean | string;
  /**
   * Rate limits (requests per window per signed-in user; per IP allows five times as many, as many people can
   * share one address). Counted in Redis when `redisUrl` is set, so every instance shares them; else in memory.
   */
  rateLimit: {
    redisUrl: string | undefined;
    /** Prefix of the Redis keys. */
    prefix: string;
    /** Sign-ins per minute per IP (no user yet). */
    signInPerMinute: number;
    /** Real-name checks per hour per user. */
    realNamePerHour: number;
    /** Bookings created per hour per user. */
    bookingPerHour: number;
    /** Photo uploads per minute per user. */
    uploadPerMinute: number;
    /** Bag code look-ups (scans) per minute per user: guessing codes takes about a million tries. */
    bagScanPerMinute: number;
  };
  wechat: {
    apiBase: string;
    appId: string;
    appSecret: string;
    timeoutMs: number;
    /** Subscribe-message template id per kind (订阅消息模板), from the mini-program's WeChat console. */
    templates: Record<NotificationKind, string>;
  };
  /** EMS open platform (国内协议客户 API). */
  ems: { apiBase: string; senderNo: string; authorization: string; signKey: string; timeoutMs: number };
  /** Provincial government service platform (JSON/HTTPS binding, HMAC-signed both ways). */
  gov: { apiBase: string; appId: string; appSecret: string; timeoutMs: number };
  /** The region's public facts (服务事项、流程、收费标准、监督热线), served at GET /public/facts. */
  publicFacts: PublicFacts;
  /** 替你跑 courier bags. */
  bags: {
    /** Key of the tag every bag code carries (HMAC), so a forged or mistyped code is refused unlooked-up. */
    codeSecret: string;
    /** Labels' QR holds `<urlBase>/b/<code>`: the prefix of the mini-program's ordinary-link QR rule. */
    urlBase: string;
  };
  /** Door visits (上门收件). */
  visits: {
    /** An open "as soon as possible" order must be accepted within this many minutes (the 1-hour promise). */
    promiseMinutes: number;
    /** The outlet's agents are reminded this many minutes before an open order's acceptance window lapses. */
    remindBeforeMinutes: number;
  };
  /** 好差评. */
  evaluations: {
    /** A stage still unrated this long after it completed gets a second invitation. */
    reinviteAfterSeconds: number;
    /** A bad rating's rectification ticket is due this many working days after the rating. */
    rectifyWorkingDays: number;
  };
  workbench: {
    /** A case in progress with no stage change for this many days is listed as stuck (办件停滞). */
    staleDays: number;
  };
  tracking: {
    /** A case or EMS leg nobody told us about for this long is polled (case query, 040001). */
    silentAfterMinutes: number;
    /** Postage per piece the government pays the post (计件), in fen, for settlement. */
    postageFen: number;
    /**
     * 一件事一次办: a bundle's result waits this long after its issue for others of the same application to be
     * issued too, so results ready together travel in one parcel (well inside the 2-working-day promise).
     */
    bundleParcelWindowSeconds: number;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Demo SM4 key (base64 of 16 bytes) shared with the EMS simulator. Real keys come from EMS. */
export const DEMO_EMS_SIGN_KEY = 'emhlbmd5b3V0b25nZGVtbw==';

/**
 * Credentials the simulators accept under `pnpm start`; they are also the defaults here, so the demo works with
 * no configuration. Real deployments set every one of them.
 */
export const DEMO_CREDENTIALS = {
  wechat: { appId: 'wx-demo-appid', appSecret: 'wx-demo-secret' },
  ems: { senderNo: '1100000000001', authorization: 'demo-authorization', signKey: DEMO_EMS_SIGN_KEY },
  gov: { appId: 'zyt-demo', appSecret: 'gov-demo-secret-0123456789abcdef' },
  bags: { codeSecret: 'bag-demo-secret-0123456789abcdef', urlBase: 'http://127.0.0.1:8080' },
} as const;

/**
 * Secrets shared with an outside system, and the bag-code key. In production each must be set and must not be
 * the public demo value: a production BFF holding a demo secret would accept hooks (or bag codes) anyone can sign.
 */
const OUTSIDE_SECRETS = [
  ['WECHAT_APP_SECRET', DEMO_CREDENTIALS.wechat.appSecret],
  ['EMS_AUTHORIZATION', DEMO_CREDENTIALS.ems.authorization],
  ['EMS_SIGN_KEY', DEMO_CREDENTIALS.ems.signKey],
  ['GOV_APP_SECRET', DEMO_CREDENTIALS.gov.appSecret],
  ['BAG_CODE_SECRET', DEMO_CREDENTIALS.bags.codeSecret],
  // Printed labels point here: a production sheet must not send residents to a demo address.
  ['BAG_URL_BASE', DEMO_CREDENTIALS.bags.urlBase],
] as const;

function checkOutsideSecrets(env: Env): void {
  const missing = OUTSIDE_SECRETS.filter(([name]) => !env[name]).map(([name]) => name);
  const demo = OUTSIDE_SECRETS.filter(([name, value]) => env[name] === value).map(([name]) => name);
  const problems = [
    missing.length > 0 ? `${missing.join(', ')} must be set in production` : '',
    demo.length > 0 ? `${demo.join(', ')} must not be the public demo value in production` : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
}

function bagCodeSecret(raw: string): string {
  if (raw.length < 32) throw new ConfigError('BAG_CODE_SECRET must be at least 32 characters');
  return raw;
}

function emsSignKey(raw: string): string {
  if (Buffer.from(raw, 'base64').length !== 16)
    throw new ConfigError('EMS_SIGN_KEY must be the base64 key string from EMS (16 bytes)');
  return raw;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new ConfigError(`${name} must be on or off, got "${raw}"`);
}

/** `true`, `false`, or a comma-separated list of addresses/CIDRs/`loopback`/`uniquelocal` (proxy-addr). */
function trustProxy(raw: string | undefined): boolean | string {
  // Default: proxies on this machine or the private network. Trusting every hop would let any caller pick
  // the IP its requests are counted under.
  if (raw === undefined || raw === '') return 'loopback,linklocal,uniquelocal';
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

function redisUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

interface DevKeys {
  piiKey: string;
  jwtSecret: string;
}

/** In development, keys are generated once into the data directory so restarts can still read old data. */
function devKeys(dataDir: string): DevKeys {
  const file = path.join(dataDir === 'memory://' ? '' : dataDir, 'dev-keys.json');
  if (dataDir === 'memory://')
    return { piiKey: randomBytes(32).toString('base64'), jwtSecret: randomBytes(32).toString('base64') };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const keys: DevKeys = {
      piiKey: randomBytes(32).toString('base64'),
      jwtSecret: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
    return keys;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development';
  const dataDir = env.DATA_DIR === 'memory://' ? 'memory://' : path.resolve(env.DATA_DIR || '.data');
  const needsDevKeys = !env.PII_KEY || !env.JWT_SECRET;
  if (needsDevKeys && nodeEnv === 'production')
    throw new ConfigError('PII_KEY and JWT_SECRET must be set in production');
  if (nodeEnv === 'production') checkOutsideSecrets(env);
  const generated = needsDevKeys ? devKeys(dataDir) : undefined;

  const piiKey = Buffer.from(env.PII_KEY || generated!.piiKey, 'base64');
  if (piiKey.length !== 32)
    throw new ConfigError('PII_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  const jwtSecret = env.JWT_SECRET || generated!.jwtSecret;
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');

  return {
    env: nodeEnv,
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    piiKey,
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    jobWorkers: (env.JOB_WORKERS || 'on') !== 'off',
    docs: onOff(env, 'DOCS', nodeEnv !== 'production'),
    trustProxy: trustProxy(env.TRUST_PROXY),
    rateLimit: {
      redisUrl: redisUrl(env.REDIS_URL),
      prefix: env.RATE_LIMIT_PREFIX || 'zyt:rl:',
      signInPerMinute: int(env, 'RATE_LIMIT_SIGN_IN_PER_MINUTE', 60, 1, 1_000_000),
      realNamePerHour: int(env, 'RATE_LIMIT_REAL_NAME_PER_HOUR', 10, 1, 1_000_000),
      bookingPerHour: int(env, 'RATE_LIMIT_BOOKING_PER_HOUR', 20, 1, 1_000_000),
      uploadPerMinute: int(env, 'RATE_LIMIT_UPLOAD_PER_MINUTE', 30, 1, 1_000_000),
      bagScanPerMinute: int(env, 'RATE_LIMIT_BAG_SCAN_PER_MINUTE', 20, 1, 1_000_000),
    },
    wechat: {
      apiBase: url(env, 'WECHAT_API_BASE', 'http://127.0.0.1:4101'),
      appId: env.WECHAT_APP_ID || DEMO_CREDENTIALS.wechat.appId,
      appSecret: env.WECHAT_APP_SECRET || DEMO_CREDENTIALS.wechat.appSecret,
      timeoutMs: int(env, 'WECHAT_TIMEOUT_MS', 5000, 100, 60_000),
      templates: subscribeTemplates(env, nodeEnv),
    },
    ems: {
      apiBase: url(env, 'EMS_API_BASE', 'http://127.0.0.1:4102'),
      senderNo: env.EMS_SENDER_NO || DEMO_CREDENTIALS.ems.senderNo,
      authorization: env.EMS_AUTHORIZATION || DEMO_CREDENTIALS.ems.authorization,
      signKey: emsSignKey(env.EMS_SIGN_KEY || DEMO_EMS_SIGN_KEY),
      timeoutMs: int(env, 'EMS_TIMEOUT_MS', 10_000, 100, 60_000),
    },
    gov: {
      apiBase: url(env, 'GOV_API_BASE', 'http://127.0.0.1:4103'),
      appId: env.GOV_APP_ID || DEMO_CREDENTIALS.gov.appId,
      appSecret: env.GOV_APP_SECRET || DEMO_CREDENTIALS.gov.appSecret,
      timeoutMs: int(env, 'GOV_TIMEOUT_MS', 10_000, 100, 60_000),
    },
    publicFacts: publicFacts(env),
    bags: {
      codeSecret: bagCodeSecret(env.BAG_CODE_SECRET || DEMO_CREDENTIALS.bags.codeSecret),
      urlBase: url(env, 'BAG_URL_BASE', DEMO_CREDENTIALS.bags.urlBase).replace(/\/+$/, ''),
    },
    visits: {
      promiseMinutes: int(env, 'VISIT_PROMISE_MINUTES', 60, 5, 1440),
      remindBeforeMinutes: int(env, 'VISIT_REMIND_BEFORE_MINUTES', 15, 1, 720),
    },
    evaluations: {
      reinviteAfterSeconds: int(env, 'EVALUATION_REINVITE_AFTER_SECONDS', 3 * 86_400, 1, 30 * 86_400),
      rectifyWorkingDays: int(env, 'RECTIFY_WORKING_DAYS', 5, 1, 30),
    },
    workbench: {
      staleDays: int(env, 'WORKBENCH_STALE_DAYS', 10, 1, 365),
    },
    tracking: {
      silentAfterMinutes: int(env, 'TRACKING_SILENT_MINUTES', 360, 1, 10_080),
      postageFen: int(env, 'POSTAGE_FEN_PER_PIECE', 1200, 0, 100_000),
      bundleParcelWindowSeconds: int(env, 'BUNDLE_PARCEL_WINDOW_SECONDS', 1800, 0, 14_400),
    },
  };
}

/** The demo region's facts (广州市黄埔区); a deployment sets its own in PUBLIC_FACTS. */
export const DEMO_PUBLIC_FACTS: PublicFacts = {
  region: '广州市黄埔区',
  services: [
    '政务流动窗口上门办：预约后由政邮专员上门核对并收取申请材料',
    '邮政网点就近办：在设有政务服务专窗的邮政网点办理',
    '办理结果邮寄送达：证照由EMS寄到您家',
  ],
  process: [
    '在“政邮通”选择事项，预约上门时间或选择“尽快上门”',
    '政邮专员上门核对材料并收取（“尽快上门”接单后1小时内到达）',
    '材料由EMS寄往政务服务中心，提交后生成办件编号',
    '政务服务中心受理、审核、办结，进度可在“我的办件”查看',
    '办结后2个工作日内，证照由EMS送达，投递员会先电话联系您',
  ],
  fees: [
    { item: '上门收件', standard: '免费' },
    { item: '申请材料寄往政务服务中心', standard: '免费（邮费由政府支付）' },
    { item: '办理结果寄递到家', standard: '免费（邮费由政府支付）' },
    { item: '事项本身的收费', standard: '按各事项办事指南的“收费标准”执行' },
  ],
  hotlines: [
    { name: '12345政务服务便民热线', phone: '12345', hours: '全天' },
    { name: '中国邮政客服热线', phone: '11183' },
  ],
};

const checkPublicFacts = Compile(PublicFactsSchema);

/** PUBLIC_FACTS is JSON in the shape of PublicFactsSchema; unset, the demo region's facts are served. */
function publicFacts(env: Env): PublicFacts {
  const raw = env.PUBLIC_FACTS;
  if (!raw) return DEMO_PUBLIC_FACTS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('PUBLIC_FACTS must be JSON: { region, services[], process[], fees[], hotlines[] }');
  }
  if (!checkPublicFacts.Check(parsed)) {
    const first = [...checkPublicFacts.Errors(parsed)][0];
    throw new ConfigError(
      `PUBLIC_FACTS is not valid at ${first?.instancePath || '/'}: ${first?.message ?? 'unknown error'}`,
    );
  }
  return parsed;
}

/**
 * WECHAT_TEMPLATE_IDS is JSON, kind → template id. Unset, the demo ids (which the WeChat simulator accepts)
 * are used outside production; production must name every kind.
 */
function subscribeTemplates(env: Env, nodeEnv: string): Record<NotificationKind, string> {
  const demo = Object.fromEntries(notificationKinds.map((k) => [k, `demo-${k.replaceAll('_', '-')}`]));
  if (!env.WECHAT_TEMPLATE_IDS) {
    if (nodeEnv === 'production') throw new ConfigError('WECHAT_TEMPLATE_IDS is required in production');
    return demo as Record<NotificationKind, string>;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.WECHAT_TEMPLATE_IDS);
  } catch {
    throw new ConfigError('WECHAT_TEMPLATE_IDS must be JSON: {"case_accepted": "<template id>", …}');
  }
  const ids = parsed as Record<string, unknown>;
  for (const kind of notificationKinds) {
    if (typeof ids[kind] !== 'string' || ids[kind] === '')
      throw new ConfigError(`WECHAT_TEMPLATE_IDS lacks a template id for ${kind}`);
  }
  return Object.fromEntries(notificationKinds.map((k) => [k, ids[k] as string])) as Record<
    NotificationKind,
    string
  >;
}
