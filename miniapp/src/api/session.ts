import type { MeResponse, TokenResponse } from '@zyt/shared';
import { persisted } from '@/lib/persisted';

/** The signed-in person's tokens and profile, persisted in Taro storage. Not UI state. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: MeResponse;
}

const session = persisted<Session | null>('zyt.session', null);

export const getSession = session.get;
export const useSession = session.use;

export function saveTokens(tokens: TokenResponse): Session {
  const next = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user };
  session.set(next);
  return next;
}

/** Keeps the tokens, replaces the profile (after GET /me, consent, identity). */
export function saveUser(user: MeResponse): void {
  const current = session.get();
  if (current) session.set({ ...current, user });
}

export function clearSession(): void {
  session.set(null);
}
