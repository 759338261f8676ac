import Taro from '@tarojs/taro';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import Home from '@/pages/index/index';

/** Defect 9 of issue 10: no text or entry may promise a service the app cannot give yet. */
describe('home page', () => {
  it('lists only working services and promises nothing unbuilt', () => {
    const { container } = render(<Home />);
    for (const entry of [
      '预约上门收件',
      '办事指南',
      '我的办件',
      '替你跑：快递袋寄补正材料',
      '企业办事：免申即享',
      '附近网点',
    ]) {
      expect(screen.getByText(entry)).toBeTruthy();
    }
    const text = container.textContent ?? '';
    // Enterprise claims by post (邮寄申领) are not built: only 免申即享 is offered.
    for (const promise of ['企业服务', '邮寄申领', '评价', '好差评', '即将开放']) {
      expect(text).not.toContain(promise);
    }
  });
});

describe('home page: 替你跑', () => {
  it('opens the bag page, where the resident scans or types the bag code', () => {
    render(<Home />);
    fireEvent.click(screen.getByText('替你跑：快递袋寄补正材料'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/bag/pages/index/index' });
  });
});
