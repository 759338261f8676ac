import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getSession } from '@/api/session';
import Login from '@/pages/login';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setPages } from '../taro-mock';

const demoUsers = [
  { openid: 'demo-resident', nickname: '张三', description: '居民' },
  { openid: 'demo-agent', nickname: '李专员', description: '政邮专员' },
];

describe('sign-in on H5 (demo user picker)', () => {
  it('signs in as the picked demo user through the same WeChat endpoint, then asks for privacy consent', async () => {
    const log = fakeBff((req) => {
      if (req.path === '/sim/wechat/demo-users') return { status: 200, data: demoUsers };
      if (req.path === '/sim/wechat/codes') return { status: 200, data: { code: 'one-time-code' } };
      if (req.path === '/api/v1/auth/wechat')
        return { status: 200, data: tokens(1, user({ consent: null })) };
      return { status: 404 };
    });
    render(<Login />);
    expect(await screen.findByText('演示环境：选择演示用户登录')).toBeTruthy();
    expect(screen.getByText('李专员')).toBeTruthy();
    fireEvent.click(screen.getAllByText('用此身份登录')[0]!);

    await waitFor(() =>
      expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/me/pages/privacy/index?from=signin' }),
    );
    expect(log.slice(1).map((r) => [r.path, r.body])).toEqual([
      ['/sim/wechat/codes', { openid: 'demo-resident' }],
      ['/api/v1/auth/wechat', { code: 'one-time-code' }],
    ]);
    expect(getSession()?.accessToken).toBe('access-1');
    // Remembered for the subscribe card, which tells the simulator who allowed a reminder.
    expect(getSession()?.demoOpenid).toBe('demo-resident');
  });

  it('goes back where the person came from when consent is already given', async () => {
    setPages(['pages/index/index', 'pages/login/index']);
    fakeBff((req) => {
      if (req.path === '/sim/wechat/demo-users') return { status: 200, data: demoUsers };
      if (req.path === '/sim/wechat/codes') return { status: 200, data: { code: 'c' } };
      return { status: 200, data: tokens(1) };
    });
    render(<Login />);
    fireEvent.click((await screen.findAllByText('用此身份登录'))[1]!);
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('shows why sign-in failed and stays on the page', async () => {
    fakeBff((req) => {
      if (req.path === '/sim/wechat/demo-users') return { status: 200, data: demoUsers };
      if (req.path === '/sim/wechat/codes') return { status: 200, data: { code: 'c' } };
      return apiError(502, 'WECHAT_UNAVAILABLE', 'upstream error');
    });
    render(<Login />);
    fireEvent.click((await screen.findAllByText('用此身份登录'))[0]!);
    expect(await screen.findByText('微信服务暂时不可用，请稍后再试')).toBeTruthy();
    expect(getSession()).toBeNull();
  });

  it('shows an error with a retry when the demo users cannot be loaded', async () => {
    let calls = 0;
    fakeBff(() => (++calls === 1 ? 'offline' : { status: 200, data: demoUsers }));
    render(<Login />);
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('张三')).toBeTruthy();
  });
});
