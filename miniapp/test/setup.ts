import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { clearSession } from '@/api/session';
import { setLargeText } from '@/settings/largeText';
import { resetTaroMock } from './taro-mock';

// jsdom has no canvas; some Taro/NutUI code draws on one when loaded: give it a context that does nothing.
const noopContext = new Proxy({} as Record<string | symbol, unknown>, {
  get: (target, key) => (key in target ? target[key] : () => undefined),
});
HTMLCanvasElement.prototype.getContext = (() =>
  noopContext) as unknown as typeof HTMLCanvasElement.prototype.getContext;

beforeEach(() => {
  resetTaroMock();
  // The persisted stores keep an in-memory copy: reset it along with the mock storage.
  clearSession();
  setLargeText(false);
});

afterEach(() => cleanup());
