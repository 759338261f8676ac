import type { RefreshBody, TokenResponse, WechatLoginBody } from '@zyt/shared';
import { request } from './client';
import { clearSession, getSession, type Session, startSession } from './session';

/**
 * Exchanges a wx.login code (real WeChat, or the simulator's in the H5 demo) for a session. `demoOpenid`: the
 * simulator's user the code was issued for (H5 demo only).
 */
export async function signInWithWechatCode(code: string, demoOpenid?: string): Promise<Session> {
  const body: WechatLoginBody = { code };
  const tokens = await request<TokenResponse>({
    method: 'POST',
    path: '/api/v1/auth/wechat',
    data: body,
    auth: false,
  });
  return startSession(tokens, demoOpenid);
}

/** Revokes the refresh token on the server (best effort) and forgets the session locally either way. */
export async function signOut(): Promise<void> {
  const session = getSession();
  clearSession();
  if (!session) return;
  const body: RefreshBody = { refreshToken: session.refreshToken };
  await request<void>({ method: 'POST', path: '/api/v1/auth/logout', data: body, auth: false }).catch(
    () => undefined,
  );
}
