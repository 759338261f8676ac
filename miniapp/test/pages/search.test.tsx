import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MatterPage } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import Search from '@/catalogue/pages/search';
import { apiError, type FakeReply, type FakeRequest, fakeBff } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { matter } from './catalogueFixtures';

const THEMES = {
  items: [
    { theme: '社会保险', count: 15 },
    { theme: '户籍', count: 8 },
  ],
};

/** A fake catalogue of `total` matters, paged like the BFF. */
function catalogue(total: number) {
  return (req: FakeRequest): FakeReply => {
    const url = new URL(req.path, 'https://bff.test');
    if (url.pathname === '/api/v1/matters/themes') return { status: 200, data: THEMES };
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('pageSize'));
    const from = (page - 1) * size;
    const items = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) =>
      matter(from + i + 1),
    );
    const body: MatterPage = {
      items,
      total,
      page,
      pageSize: size,
      catalogueSyncedAt: '2026-11-07T01:00:00.000Z',
    };
    return { status: 200, data: body };
  };
}

/** The query of each matters search sent, as a plain object. */
const searches = (log: FakeRequest[]) =>
  log
    .map((r) => new URL(r.path, 'https://bff.test'))
    .filter((u) => u.pathname === '/api/v1/matters')
    .map((u) => Object.fromEntries(u.searchParams));

describe('matter search page', () => {
  let log: FakeRequest[];
  beforeEach(() => {
    log = fakeBff(catalogue(25));
  });

  it('searches for the words typed on the home page, without sign-in', async () => {
    setRouterParams({ q: encodeURIComponent('失业') });
    render(<Search />);
    expect(await screen.findByText('共 25 项')).toBeTruthy();
    expect(searches(log)).toEqual([{ q: '失业', page: '1', pageSize: '20' }]);
    expect(log.every((r) => r.token === undefined)).toBe(true);
    expect((document.querySelector('input') as HTMLInputElement).value).toBe('失业');
  });

  it('turns filter chips into request parameters', async () => {
    render(<Search />);
    await screen.findByText('共 25 项');

    fireEvent.click(screen.getByText('法人'));
    await waitFor(() =>
      expect(searches(log).at(-1)).toEqual({ applicant: 'enterprise', page: '1', pageSize: '20' }),
    );
    // The theme chips follow the applicant type.
    await waitFor(() =>
      expect(log.some((r) => r.path === '/api/v1/matters/themes?applicant=enterprise')).toBe(true),
    );

    fireEvent.click(screen.getByText('上门收件'));
    await waitFor(() =>
      expect(searches(log).at(-1)).toEqual({
        applicant: 'enterprise',
        channel: 'door_pickup',
        page: '1',
        pageSize: '20',
      }),
    );

    fireEvent.click(await screen.findByText('户籍 8'));
    await waitFor(() =>
      expect(searches(log).at(-1)).toMatchObject({ theme: '户籍', channel: 'door_pickup' }),
    );

    fireEvent.click(screen.getByText('全部渠道'));
    await waitFor(() =>
      expect(searches(log).at(-1)).toEqual({
        applicant: 'enterprise',
        theme: '户籍',
        page: '1',
        pageSize: '20',
      }),
    );

    const input = document.querySelector('input') as HTMLInputElement;
    fireEvent.input(input, { target: { value: ' 户口 ' } });
    fireEvent.click(screen.getByText('搜索'));
    await waitFor(() => expect(searches(log).at(-1)).toMatchObject({ q: '户口', theme: '户籍' }));
  });

  it('loads more, then says everything is shown', async () => {
    render(<Search />);
    await screen.findByText('事项20');
    expect(screen.queryByText('事项21')).toBeNull();
    fireEvent.click(screen.getByText('加载更多'));
    expect(await screen.findByText('事项25')).toBeTruthy();
    expect(screen.getByText('事项1')).toBeTruthy();
    expect(searches(log).at(-1)).toEqual({ page: '2', pageSize: '20' });
    expect(screen.getByText('已显示全部')).toBeTruthy();
    expect(screen.queryByText('加载更多')).toBeNull();
  });

  it('opens the guide of a result', async () => {
    render(<Search />);
    fireEvent.click(await screen.findByText('事项3'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/catalogue/pages/guide/index?code=CODE-3' });
  });

  it('shows an empty state with a way out when nothing matches', async () => {
    fakeBff(catalogue(0));
    setRouterParams({ q: '没有这种事' });
    render(<Search />);
    expect(await screen.findByText('没有找到相关事项')).toBeTruthy();
    fireEvent.click(screen.getByText('清除搜索和筛选'));
    await waitFor(() => expect((document.querySelector('input') as HTMLInputElement).value).toBe(''));
  });

  it('shows the error with a retry', async () => {
    let fail = true;
    fakeBff((req) =>
      fail && !req.path.includes('themes')
        ? apiError(500, 'INTERNAL', '系统繁忙，请稍后再试')
        : catalogue(3)(req),
    );
    render(<Search />);
    expect(await screen.findByText('系统繁忙，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('共 3 项')).toBeTruthy();
  });
});
