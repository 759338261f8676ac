import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `intervalMs` while the page is shown and `active` holds: stopped when the page is
 * hidden (another page on top, app in the background) and when it unmounts.
 */
export function usePolling(tick: () => void, intervalMs: number, active: boolean): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  const visible = useRef(true);
  const timer = useRef<ReturnType<typeof setInterval>>();

  const stop = () => {
    if (timer.current !== undefined) clearInterval(timer.current);
    timer.current = undefined;
  };
  const start = () => {
    stop();
    if (active && visible.current) timer.current = setInterval(() => tickRef.current(), intervalMs);
  };

  useDidShow(() => {
    visible.current = true;
    start();
  });
  useDidHide(() => {
    visible.current = false;
    stop();
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: restarts only when the inputs that matter change.
  useEffect(() => {
    start();
    return stop;
  }, [active, intervalMs]);
}
