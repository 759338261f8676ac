import { Text } from '@tarojs/components';
import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Page } from '@/components/Page';
import { setLargeText } from '@/settings/largeText';
import { storedValue } from './taro-mock';

describe('large-text mode (适老化)', () => {
  it('switches every mounted page to the large class and persists the choice', () => {
    const { container } = render(
      <Page>
        <Text>政邮通</Text>
      </Page>,
    );
    const root = () => container.firstElementChild!;
    expect(root().className).not.toContain('page--large');

    act(() => setLargeText(true));
    expect(root().className).toContain('page--large');
    expect(storedValue('zyt.largeText')).toBe(true);

    act(() => setLargeText(false));
    expect(root().className).not.toContain('page--large');
    expect(storedValue('zyt.largeText')).toBeUndefined();
  });
});
