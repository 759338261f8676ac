import { View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import { useLargeText } from '@/settings/largeText';

/**
 * Root of every page. Carries the large-text class (适老化), so text and touch targets scale on every page
 * from the CSS variables in app.css.
 */
export function Page({ children, className }: PropsWithChildren<{ className?: string }>) {
  const large = useLargeText();
  const classes = ['page', large ? 'page--large' : '', className ?? ''].filter(Boolean).join(' ');
  return <View className={classes}>{children}</View>;
}
