import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';

/**
 * A value kept in Taro storage (survives restarts and reloads) with a stable in-memory snapshot, so React
 * components can subscribe to it with useSyncExternalStore.
 */
export interface Persisted<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: () => void): () => void;
  use(): T;
}

export function persisted<T>(key: string, fallback: T): Persisted<T> {
  let loaded = false;
  let current = fallback;
  const listeners = new Set<() => void>();

  const get = (): T => {
    if (!loaded) {
      loaded = true;
      try {
        // Taro returns '' for a missing key on every platform.
        const stored: unknown = Taro.getStorageSync(key);
        current = stored === '' || stored === undefined || stored === null ? fallback : (stored as T);
      } catch {
        current = fallback;
      }
    }
    return current;
  };

  const set = (value: T): void => {
    loaded = true;
    current = value;
    try {
      if (value === fallback) Taro.removeStorageSync(key);
      else Taro.setStorageSync(key, value);
    } catch {
      // Storage full or unavailable: the value still holds for this run.
    }
    for (const listener of listeners) listener();
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  return { get, set, subscribe, use: () => useSyncExternalStore(subscribe, get, get) };
}
