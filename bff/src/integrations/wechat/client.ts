/** WeChat server APIs we use. The HTTP client speaks the real protocol; tests and the demo point it at the simulator. */
export interface WechatSession {
  openid: string;
  unionid?: string;
}

export interface WechatApi {
  /** jscode2session: exchanges a wx.login code (one-time, 5 minutes) for the user's openid. */
  code2Session(code: string): Promise<WechatSession>;
}

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

export function createWechatClient(opts: { apiBase: string; appId: string; appSecret: string; timeoutMs: number }): WechatApi {
  async function getJson(pathAndQuery: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${opts.apiBase}${pathAndQuery}`, { signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      throw new WechatError(WECHAT_UNREACHABLE, `unreachable: ${(err as Error).name}`);
    }
    if (!res.ok) throw new WechatError(WECHAT_UNREACHABLE, `HTTP ${res.status}`);
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) throw new WechatError(WECHAT_UNREACHABLE, 'response is not JSON');
    if (typeof body.errcode === 'number' && body.errcode !== 0) throw new WechatError(body.errcode, String(body.errmsg ?? ''));
    return body;
  }

  return {
    async code2Session(code) {
      const q = new URLSearchParams({ appid: opts.appId, secret: opts.appSecret, js_code: code, grant_type: 'authorization_code' });
      const body = await getJson(`/sns/jscode2session?${q}`);
      if (typeof body.openid !== 'string' || !body.openid) throw new WechatError(WECHAT_UNREACHABLE, 'no openid in response');
      return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
    },
  };
}
