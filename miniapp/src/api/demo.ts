import { request } from './client';

/**
 * The WeChat simulator of the demo stack (H5 only, where there is no real WeChat): pick a demo user and
 * get a one-time wx.login-style code for them.
 */
export interface DemoUser {
  openid: string;
  nickname: string;
  description: string;
}

export const listDemoUsers = () => request<DemoUser[]>({ path: '/sim/wechat/demo-users', auth: false });

export const issueDemoCode = (openid: string) =>
  request<{ code: string }>({ method: 'POST', path: '/sim/wechat/codes', data: { openid }, auth: false });
