import type { MeResponse, TokenResponse } from '@zyt/shared';
import { persisted } from '@/lib/persisted';

/** The signed-in person's tokens and profile, persisted in Taro storage. Not UI state. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: MeResponse;
  /**
   * H5 demo only: the WeChat simulator's user this session signed in as. The subscribe card tells the
   * simulator (standing in for WeChat's dialog) which user allowed a message.
   */
  demoOpenid?: string;
}

const session = persisted<Session | null>('zyt.session', null);

export const getSession = session.get;
export const useSession = session.use;

function store(tokens: TokenResponse, demoOpenid: string | undefined): Session {
  const next: Session = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    user: tokens.user,
  };
  if (demoOpenid) next.demoOpenid = demoOpenid;
  session.set(next);
  return next;
}

/** A new session, right after sign-in (in the H5 demo, as the simulator's user `demoOpenid`). */
export const startSession = (tokens: TokenResponse, demoOpenid?: string): Session =>
  store(tokens, demoOpenid);

/** New tokens for the same session (a refresh): keeps what the sign-in recorded. */
export const saveTokens = (tokens: TokenResponse): Session => store(tokens, session.get()?.demoOpenid);

/** Keeps the tokens, replaces the profile (after GET /me, consent, identity). */
export function saveUser(user: MeResponse): void {
  const current = session.get();
  if (current) session.set({ ...current, user });
}

export function clearSession(): void {
  session.set(null);
}
