import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * WeChat server simulator: `jscode2session` with its real error codes, plus demo endpoints that mint wx.login
 * codes for demo users (a browser has no WeChat) and an admin endpoint to inject faults.
 */
export const demoUsers = [
  { openid: 'demo-resident', nickname: '张三', description: '居民：预约上门收件、查看办件' },
  { openid: 'demo-resident-2', nickname: '李四', description: '居民（第二位）' },
  { openid: 'demo-clerk', nickname: '王五', description: '企业经办人：免申即享确认' },
  { openid: 'demo-enterprise-admin', nickname: '林海', description: '企业法定代表人：审批经办人' },
  { openid: 'demo-agent', nickname: '赵专员', description: '政邮专员：上门收件、初审' },
  { openid: 'demo-supervisor', nickname: '钱主管', description: '监管/运营：时效、差评整改、结算' },
  { openid: 'demo-agent-2', nickname: '孙专员', description: '政邮专员（同网点 B 岗）' },
  { openid: 'demo-centre', nickname: '周收件', description: '政务中心收件：接收材料和补件袋' },
  { openid: 'demo-resident-bag', nickname: '吴六', description: '居民：扫快递袋寄补正材料（替你跑）' },
  { openid: 'demo-resident-3', nickname: '陈六', description: '居民（第三位）' },
  { openid: 'demo-resident-mail', nickname: '郑七', description: '居民：窗口办件，扫受理单邮寄办理结果' },
  { openid: 'demo-resident-4', nickname: '冯八', description: '居民：评价服务（好差评）' },
  { openid: 'demo-resident-5', nickname: '蒋十', description: '居民：跟踪办件和证照寄递' },
  { openid: 'demo-window', nickname: '卫窗口', description: '网点政务专窗：预约和现场收件、打印受理单' },
  { openid: 'demo-resident-window', nickname: '韩九', description: '居民：预约到邮政网点办理' },
  { openid: 'demo-resident-birth', nickname: '褚九', description: '居民：新生儿父母，出生一件事一次办' },
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
    if (q.appid !== opts.appId || q.secret !== opts.appSecret)
      return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (q.grant_type !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const fault = faults.shift();
    if (fault === 45011) return { errcode: 45011, errmsg: 'api minute-quota reach limit' };
    if (fault === 40226) return { errcode: 40226, errmsg: 'high risk user' };
    if (fault === -1) return { errcode: -1, errmsg: 'system error' };
    const entry = q.js_code ? codes.get(q.js_code) : undefined;
    if (!entry || entry.expiresAt < Date.now()) return { errcode: 40029, errmsg: 'invalid code' };
    if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
    entry.used = true;
    return {
      openid: entry.openid,
      session_key: randomBytes(16).toString('base64'),
      unionid: `union-${entry.openid}`,
    };
  });

  // Server access token (stable_token): the same token until it expires unless force_refresh is asked.
  let token: { value: string; expiresAt: number } | undefined;
  const stats = {
    stableTokenCalls: 0,
    forcedRefreshes: 0,
    sent: [] as { touser: string; template_id: string; data: unknown }[],
  };
  const TOKEN_TTL_S = 7200;
  app.post<{ Body: { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean } }>(
    '/cgi-bin/stable_token',
    async (req) => {
      stats.stableTokenCalls++;
      const b = req.body ?? {};
      if (b.appid !== opts.appId || b.secret !== opts.appSecret)
        return { errcode: 40125, errmsg: 'invalid appsecret' };
      if (b.force_refresh) stats.forcedRefreshes++;
      if (!token || token.expiresAt < Date.now() || b.force_refresh) {
        token = { value: randomBytes(24).toString('hex'), expiresAt: Date.now() + TOKEN_TTL_S * 1000 };
      }
      return { access_token: token.value, expires_in: Math.round((token.expiresAt - Date.now()) / 1000) };
    },
  );
  const tokenValid = (q: unknown) =>
    !!token && (q as { access_token?: string }).access_token === token.value && token.expiresAt > Date.now();

  // getPhoneNumber codes: one-time, minted by the demo/tests like wx.login codes.
  const phoneCodes = new Map<string, string>();
  app.post<{ Body: { phone?: string } }>('/sim/phone-codes', async (req) => {
    const code = randomBytes(16).toString('hex');
    phoneCodes.set(code, req.body?.phone ?? '13800138000');
    return { code };
  });
  app.post<{ Body: { code?: string } }>('/wxa/business/getuserphonenumber', async (req) => {
    if (!tokenValid(req.query))
      return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    const phone = req.body?.code ? phoneCodes.get(req.body.code) : undefined;
    if (!phone) return { errcode: 40029, errmsg: 'invalid code' };
    phoneCodes.delete(req.body!.code!);
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86' },
    };
  });

  // Subscribe messages: only to users who subscribed to the template (one subscription = one message).
  const subscriptions = new Map<string, number>();
  app.post<{ Body: { openid: string; templateId: string; count?: number } }>(
    '/sim/subscriptions',
    async (req) => {
      const key = `${req.body.openid}/${req.body.templateId}`;
      subscriptions.set(key, (subscriptions.get(key) ?? 0) + (req.body.count ?? 1));
      return { ok: true };
    },
  );
  app.post<{ Body: { touser?: string; template_id?: string; data?: Record<string, { value?: string }> } }>(
    '/cgi-bin/message/subscribe/send',
    async (req) => {
      if (!tokenValid(req.query))
        return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      const b = req.body ?? {};
      const key = `${b.touser}/${b.template_id}`;
      const left = subscriptions.get(key) ?? 0;
      if (left < 1) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
      for (const [k, v] of Object.entries(b.data ?? {})) {
        const max = k.startsWith('thing')
          ? 20
          : k.startsWith('character_string')
            ? 32
            : k.startsWith('phrase')
              ? 5
              : k.startsWith('name')
                ? 10
                : Infinity;
        if ([...(v.value ?? '')].length > max)
          return { errcode: 47003, errmsg: `argument invalid! data.${k}.value exceeds limit` };
      }
      subscriptions.set(key, left - 1);
      stats.sent.push({ touser: b.touser ?? '', template_id: b.template_id ?? '', data: b.data });
      return { errcode: 0, errmsg: 'ok' };
    },
  );
  app.get('/sim/stats', async () => stats);
  app.post('/sim/admin/expire-token', async () => {
    if (token) token.expiresAt = 0;
    return { ok: true };
  });

  app.get('/sim/demo-users', async () => demoUsers);

  // What wx.login would hand the mini-program for this user. Any openid works, so tests can make new users.
  app.post<{ Body: { openid?: string } }>('/sim/codes', async (req, reply) => {
    const openid = req.body?.openid;
    if (typeof openid !== 'string' || !/^[\w-]{1,64}$/.test(openid)) {
      return reply.code(400).send({
        error: { code: 'VALIDATION_FAILED', message: 'openid 必须为1-64位字母、数字、下划线或短横线' },
      });
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
