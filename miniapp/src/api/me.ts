import type { ConsentBody, IdentityBody, MeResponse } from '@zyt/shared';
import { request } from './client';
import { saveUser } from './session';

/** Each call keeps the stored profile in step with what the server returned. */
async function withSavedUser(pending: Promise<MeResponse>): Promise<MeResponse> {
  const user = await pending;
  saveUser(user);
  return user;
}

export const getMe = () => withSavedUser(request<MeResponse>({ path: '/api/v1/me' }));

/** Agrees to the privacy guide (《隐私保护指引》) of the given version. */
export const agreeToPrivacyGuide = (version: string) => {
  const body: ConsentBody = { version };
  return withSavedUser(request<MeResponse>({ method: 'POST', path: '/api/v1/me/consent', data: body }));
};

/** Real-name verification (实名认证): the server checks and stores it, and returns it masked. */
export const submitIdentity = (body: IdentityBody) =>
  withSavedUser(request<MeResponse>({ method: 'POST', path: '/api/v1/me/identity', data: body }));
