import { type Static, Type } from 'typebox';
import { MeResponse } from './me';

export const WechatLoginBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 128, description: 'wx.login code (one-time, 5 minutes)' }) },
  { additionalProperties: false },
);
export type WechatLoginBody = Static<typeof WechatLoginBody>;

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const TokenResponse = Type.Object({
  accessToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
  refreshToken: Type.String(),
  user: MeResponse,
});
export type TokenResponse = Static<typeof TokenResponse>;
