import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` on mount and on reload(), tracking loading and error states (the last call wins). */
export function useLoader<T>(load: () => Promise<T>, enabled = true): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(enabled);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const call = ++latest.current;
    setLoading(true);
    setError(undefined);
    loadRef.current().then(
      (value) => {
        if (call !== latest.current) return;
        setData(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (call !== latest.current) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    if (enabled) reload();
    else setLoading(false);
  }, [enabled, reload]);

  return { data, error, loading, reload };
}
