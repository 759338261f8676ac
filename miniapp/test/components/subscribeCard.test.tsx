import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearSession, saveTokens, startSession } from '@/api/session';
import { caseProgressKinds, resultDeliveryKinds, SubscribeCard } from '@/components/SubscribeCard';
import { isWeapp } from '@/lib/platform';
import { subscriptions } from '../cases/fixtures';
import { type FakeRequest, fakeBff, tokens } from '../fakeBff';
import { requestSubscribeMessage, showModal } from '../taro-mock';

vi.mock('@/lib/platform', () => ({ isWeapp: vi.fn(() => false) }));

const path = '/api/v1/me/subscriptions';
/** The BFF and the WeChat simulator; POST /me/subscriptions grants one message per accepted template. */
function stack(grants: Record<string, number> = {}) {
  const kindOf: Record<string, string> = Object.fromEntries(
    subscriptions().templates.map((t) => [t.templateId, t.kind]),
  );
  return fakeBff((req) => {
    if (req.path === path && req.method === 'GET') return { status: 200, data: subscriptions(grants) };
    if (req.path === path && req.method === 'POST') {
      const { results } = req.body as { results: Record<string, string> };
      for (const [id, answer] of Object.entries(results))
        if (answer === 'accept') grants[kindOf[id]!] = (grants[kindOf[id]!] ?? 0) + 1;
      return { status: 200, data: subscriptions(grants) };
    }
    if (req.path === '/sim/wechat/subscriptions') return { status: 200, data: { ok: true } };
    return { status: 404 };
  });
}
const posts = (log: FakeRequest[]) => log.filter((r) => r.method === 'POST');

describe('subscribe card on H5 (the demo stands in for WeChat’s dialog)', () => {
  beforeEach(() => {
    vi.mocked(isWeapp).mockReturnValue(false);
    startSession(tokens(1), 'demo-resident');
  });

  it('asks with a modal listing the reminders, tells the simulator, then records the accepts with the BFF', async () => {
    const log = stack();
    render(<SubscribeCard kinds={caseProgressKinds} />);
    fireEvent.click(await screen.findByText('开启进度提醒'));

    expect(await screen.findByText('已开启：办件受理、补正、办结提醒')).toBeTruthy();
    expect(showModal).toHaveBeenCalledTimes(1);
    expect(showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        content: expect.stringContaining('办件受理通知、补齐补正通知、办结通知'),
        confirmText: '允许',
      }),
    );
    expect(requestSubscribeMessage).not.toHaveBeenCalled();
    const sent = posts(log);
    expect(sent.slice(0, 3).map((r) => [r.path, r.body, r.token])).toEqual(
      ['tmpl-accepted', 'tmpl-supplement', 'tmpl-completed'].map((templateId) => [
        '/sim/wechat/subscriptions',
        { openid: 'demo-resident', templateId },
        undefined,
      ]),
    );
    expect(sent[3]).toMatchObject({
      path,
      token: 'access-1',
      body: {
        results: { 'tmpl-accepted': 'accept', 'tmpl-supplement': 'accept', 'tmpl-completed': 'accept' },
      },
    });
    expect(sent).toHaveLength(4);
    expect(screen.queryByText('开启进度提醒')).toBeNull();
  });

  it('records nothing when the person cancels', async () => {
    vi.mocked(showModal).mockResolvedValueOnce({ confirm: false, cancel: true });
    const log = stack();
    render(<SubscribeCard kinds={caseProgressKinds} />);
    fireEvent.click(await screen.findByText('开启进度提醒'));
    await waitFor(() => expect(screen.getByText(/您暂未开启/)).toBeTruthy());
    expect(posts(log)).toHaveLength(0);
  });

  it('asks only for the reminders that are not on yet', async () => {
    const log = stack({ case_accepted: 1 });
    render(<SubscribeCard kinds={caseProgressKinds} />);
    expect(await screen.findByText('已开启：办件受理提醒')).toBeTruthy();
    fireEvent.click(screen.getByText('开启其余提醒'));
    await screen.findByText('已开启：办件受理、补正、办结提醒');
    expect(posts(log).map((r) => r.body)).toEqual([
      { openid: 'demo-resident', templateId: 'tmpl-supplement' },
      { openid: 'demo-resident', templateId: 'tmpl-completed' },
      { results: { 'tmpl-supplement': 'accept', 'tmpl-completed': 'accept' } },
    ]);
  });

  it('asks to sign in again when the session does not know its demo user', async () => {
    clearSession();
    saveTokens(tokens(2)); // signed in before the demo user was remembered
    const log = stack();
    render(<SubscribeCard kinds={caseProgressKinds} />);
    fireEvent.click(await screen.findByText('开启进度提醒'));
    expect(await screen.findByText(/请退出登录后重新选择演示用户登录/)).toBeTruthy();
    expect(showModal).not.toHaveBeenCalled();
    expect(posts(log)).toHaveLength(0);
  });
});

describe('subscribe card in WeChat', () => {
  beforeEach(() => {
    vi.mocked(isWeapp).mockReturnValue(true);
    saveTokens(tokens(1));
  });

  it('asks WeChat for the result reminders and records every answer with the BFF', async () => {
    requestSubscribeMessage.mockResolvedValueOnce({
      errMsg: 'requestSubscribeMessage:ok',
      'tmpl-shipped': 'accept',
      'tmpl-delivered': 'reject',
    } as never);
    const log = stack();
    render(<SubscribeCard kinds={resultDeliveryKinds} />);
    fireEvent.click(await screen.findByText('开启进度提醒'));

    expect(await screen.findByText('已开启：证照寄出提醒')).toBeTruthy();
    expect(requestSubscribeMessage).toHaveBeenCalledWith({
      tmplIds: ['tmpl-shipped', 'tmpl-delivered'],
      entityIds: [],
    });
    expect(showModal).not.toHaveBeenCalled();
    expect(posts(log).map((r) => [r.path, r.body])).toEqual([
      [path, { results: { 'tmpl-shipped': 'accept', 'tmpl-delivered': 'reject' } }],
    ]);
    // 签收 was declined: it can still be turned on.
    expect(screen.getByText('开启其余提醒')).toBeTruthy();
  });

  it('says so when WeChat does not show its dialog, and records nothing', async () => {
    requestSubscribeMessage.mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 });
    const log = stack();
    render(<SubscribeCard kinds={caseProgressKinds} />);
    fireEvent.click(await screen.findByText('开启进度提醒'));
    expect(await screen.findByText(/微信未能打开订阅提示/)).toBeTruthy();
    expect(posts(log)).toHaveLength(0);
  });

  it('shows what is on and asks nothing more when every reminder is on', async () => {
    stack({ case_accepted: 1, supplement_required: 2, case_completed: 1 });
    render(<SubscribeCard kinds={caseProgressKinds} />);
    expect(await screen.findByText('已开启：办件受理、补正、办结提醒')).toBeTruthy();
    expect(screen.queryByText('开启进度提醒')).toBeNull();
    expect(screen.queryByText('开启其余提醒')).toBeNull();
  });

  it('shows nothing when signed out or when the templates cannot be loaded', async () => {
    const log = fakeBff(() => ({ status: 500 }));
    const { container } = render(<SubscribeCard kinds={caseProgressKinds} />);
    await waitFor(() => expect(log).toHaveLength(1));
    expect(container.textContent).toBe('');
  });
});
