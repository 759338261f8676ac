import { request } from './client';

/**
 * The WeChat simulator of the demo stack (H5 only, where there is no real WeChat): pick a demo user and
 * get a one-time wx.login-style code for them; stand in for WeChat's subscribe dialog. The demo launcher
 * serves the simulator's /sim/* routes under /sim/wechat/*.
 */
export interface DemoUser {
  openid: string;
  nickname: string;
  description: string;
}

export const listDemoUsers = () => request<DemoUser[]>({ path: '/sim/wechat/demo-users', auth: false });

export const issueDemoCode = (openid: string) =>
  request<{ code: string }>({ method: 'POST', path: '/sim/wechat/codes', data: { openid }, auth: false });

/** What WeChat records when the person taps 允许 on a template: one message of it may be sent to them. */
export const subscribeDemoUser = (openid: string, templateId: string) =>
  request<{ ok: boolean }>({
    method: 'POST',
    path: '/sim/wechat/subscriptions',
    data: { openid, templateId },
    auth: false,
  });
