import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import { usePolling } from '@/lib/usePolling';

/**
 * A record that keeps moving (a booking, a visit): fetched on open and when `deps` change, polled while
 * `moving` says so, refreshable (pull-down), and replaceable by an action's answer — which wins over a poll
 * still in flight, so the screen never steps back.
 */
export function useLive<T>(
  load: () => Promise<T>,
  moving: (value: T) => boolean,
  intervalMs: number,
  deps: DependencyList,
) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const refresh = useCallback(() => {
    const call = ++latest.current;
    return loadRef.current().then(
      (v) => {
        if (call !== latest.current) return;
        setValue(v);
        setError(undefined);
      },
      (e: unknown) => {
        if (call === latest.current) setError(asApiError(e));
      },
    );
  }, []);

  useEffect(() => {
    refresh();
  }, [refresh, ...deps]);
  usePolling(refresh, intervalMs, value !== undefined && moving(value));

  const replace = useCallback((v: T) => {
    latest.current++;
    setValue(v);
    setError(undefined);
  }, []);
  return { value, error, refresh, replace };
}
