import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * WeChat server simulator: `jscode2session` with its real error codes, plus demo endpoints that mint wx.login
 * codes for demo users (a browser has no WeChat) and an admin endpoint to inject faults.
 */
export const demoUsers = [
  { openid: 'demo-resident', nickname: '张三', description: '居民：预约上门收件、查看办件' },
  { openid: 'demo-resident-2', nickname: '李四', description: '居民（第二位）' },
  { openid: 'demo-clerk', nickname: '王五', description: '企业经办人：稳岗补贴申领' },
  { openid: 'demo-agent', nickname: '赵专员', description: '政邮专员：上门收件、初审' },
  { openid: 'demo-supervisor', nickname: '钱主管', description: '监管/运营：时效、差评、结算' },
] as const;

export interface WechatSimulatorOptions {
  appId: string;
  appSecret: string;
}

const CODE_TTL_MS = 5 * 60_000;

export function createWechatSimulator(opts: WechatSimulatorOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const codes = new Map<string, { openid: string; expiresAt: number; used: boolean }>();
  /** Queued error codes: the next calls to jscode2session answer with these, in order. */
  const faults: number[] = [];

  app.get('/sns/jscode2session', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.appid !== opts.appId || q.secret !== opts.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const fault = faults.shift();
    if (fault === 45011) return { errcode: 45011, errmsg: 'api minute-quota reach limit' };
    if (fault === 40226) return { errcode: 40226, errmsg: 'high risk user' };
    if (fault === -1) return { errcode: -1, errmsg: 'system error' };
    const entry = q.js_code ? codes.get(q.js_code) : undefined;
    if (!entry || entry.expiresAt < Date.now()) return { errcode: 40029, errmsg: 'invalid code' };
    if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
    entry.used = true;
    return { openid: entry.openid, session_key: randomBytes(16).toString('base64'), unionid: `union-${entry.openid}` };
  });

  app.get('/sim/demo-users', async () => demoUsers);

  // What wx.login would hand the mini-program for this user. Any openid works, so tests can make new users.
  app.post<{ Body: { openid?: string } }>('/sim/codes', async (req, reply) => {
    const openid = req.body?.openid;
    if (typeof openid !== 'string' || !/^[\w-]{1,64}$/.test(openid)) {
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: 'openid 必须为1-64位字母、数字、下划线或短横线' } });
    }
    const code = randomBytes(16).toString('hex');
    codes.set(code, { openid, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return { code };
  });

  app.post<{ Body: { errcodes?: number[] } }>('/sim/admin/faults', async (req) => {
    faults.push(...(req.body?.errcodes ?? []));
    return { queued: faults.length };
  });

  return app;
}
