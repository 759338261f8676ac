import { type SubscribeData, subscribeFieldIssues } from './subscribe';

/** WeChat server APIs we use. The HTTP client speaks the real protocol; tests and the demo point it at the simulator. */
export interface WechatSession {
  openid: string;
  unionid?: string;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: SubscribeData;
  state?: 'developer' | 'trial' | 'formal';
}

export interface WechatApi {
  /** jscode2session: exchanges a wx.login code (one-time, 5 minutes) for the user's openid. */
  code2Session(code: string): Promise<WechatSession>;
  /** The server access token (stable_token), cached and refreshed before it expires. */
  accessToken(): Promise<string>;
  /** The phone number behind a one-time getPhoneNumber code. */
  phoneNumber(code: string): Promise<{ phoneNumber: string; countryCode: string }>;
  /** Sends a subscribe message; errcode 43101 means the user did not subscribe (not worth retrying). */
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>;
}

export const WECHAT_NOT_SUBSCRIBED = 43101;
/** Credential invalid or expired: refresh the token once and try again. */
const TOKEN_INVALID_CODES = new Set([40001, 42001]);
const REFRESH_EARLY_MS = 5 * 60_000;

/** An error WeChat answered with (`errcode` ≠ 0), or `errcode` -2 when it could not be reached. */
export class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatError';
  }
}

export const WECHAT_UNREACHABLE = -2;

export function createWechatClient(opts: {
  apiBase: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}): WechatApi {
  async function getJson(pathAndQuery: string, body?: unknown): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${opts.apiBase}${pathAndQuery}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw new WechatError(WECHAT_UNREACHABLE, `unreachable: ${(err as Error).name}`);
    }
    if (!res.ok) throw new WechatError(WECHAT_UNREACHABLE, `HTTP ${res.status}`);
    const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!answer) throw new WechatError(WECHAT_UNREACHABLE, 'response is not JSON');
    if (typeof answer.errcode === 'number' && answer.errcode !== 0)
      throw new WechatError(answer.errcode, String(answer.errmsg ?? ''));
    return answer;
  }

  // One refresh at a time per process; stable_token without force_refresh hands every caller (and every
  // instance) the same token while it is valid, so instances never invalidate each other's token.
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  function accessToken(): Promise<string> {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    inflight ??= getJson('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: opts.appId,
      secret: opts.appSecret,
      force_refresh: false,
    })
      .then((body) => {
        const token = String(body.access_token ?? '');
        if (!token) throw new WechatError(WECHAT_UNREACHABLE, 'no access_token in response');
        cached = { token, refreshAt: Date.now() + Number(body.expires_in ?? 7200) * 1000 - REFRESH_EARLY_MS };
        return token;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  /** Calls an access-token API; on an invalid token, drops the cache and retries once (never in a loop). */
  async function withToken(path: string, body: unknown): Promise<Record<string, unknown>> {
    try {
      return await getJson(`${path}?access_token=${encodeURIComponent(await accessToken())}`, body);
    } catch (err) {
      if (!(err instanceof WechatError) || !TOKEN_INVALID_CODES.has(err.errcode)) throw err;
      cached = undefined;
      return getJson(`${path}?access_token=${encodeURIComponent(await accessToken())}`, body);
    }
  }

  return {
    accessToken,
    async phoneNumber(code) {
      const body = await withToken('/wxa/business/getuserphonenumber', { code });
      const info = body.phone_info as { purePhoneNumber?: string; countryCode?: string } | undefined;
      if (!info?.purePhoneNumber) throw new WechatError(WECHAT_UNREACHABLE, 'no phone_info in response');
      return { phoneNumber: info.purePhoneNumber, countryCode: info.countryCode ?? '86' };
    },
    async sendSubscribeMessage(message) {
      const issues = subscribeFieldIssues(message.data);
      if (issues.length > 0)
        throw new WechatError(47003, `fields exceed limits: ${issues.map((i) => i.field).join(', ')}`);
      await withToken('/cgi-bin/message/subscribe/send', {
        touser: message.touser,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
        miniprogram_state: message.state ?? 'formal',
        lang: 'zh_CN',
      });
    },
    async code2Session(code) {
      const q = new URLSearchParams({
        appid: opts.appId,
        secret: opts.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const body = await getJson(`/sns/jscode2session?${q}`);
      if (typeof body.openid !== 'string' || !body.openid)
        throw new WechatError(WECHAT_UNREACHABLE, 'no openid in response');
      return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
    },
  };
}
