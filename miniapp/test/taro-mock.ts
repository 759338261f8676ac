/**
 * Stand-in for @tarojs/taro in component tests: storage in memory, navigation and UI calls recorded,
 * `request` driven by each test, page lifecycle hooks mapped onto React effects.
 */
import { useEffect } from 'react';
import { vi } from 'vitest';

const storage = new Map<string, unknown>();

export const getStorageSync = vi.fn((key: string) =>
  storage.has(key) ? structuredClone(storage.get(key)) : '',
);
export const setStorageSync = vi.fn((key: string, value: unknown) => {
  storage.set(key, structuredClone(value));
});
export const removeStorageSync = vi.fn((key: string) => {
  storage.delete(key);
});

/** What a test sees of storage (as the app persisted it). */
export const storedValue = (key: string): unknown => storage.get(key);

export const request = vi.fn();
export const login = vi.fn(async () => ({ code: 'wx-code', errMsg: 'login:ok' }));

const done = async () => ({ errMsg: 'ok' });
export const navigateTo = vi.fn(done);
export const redirectTo = vi.fn(done);
export const reLaunch = vi.fn(done);
export const navigateBack = vi.fn(done);
export const showToast = vi.fn(done);
export const showModal = vi.fn(async () => ({ confirm: true, cancel: false }));
export const pageScrollTo = vi.fn(done);
export const setClipboardData = vi.fn(done);
export const makePhoneCall = vi.fn(done);
export const openLocation = vi.fn(done);
export const chooseLocation = vi.fn(async () => ({
  name: '',
  address: '',
  latitude: 23.1066,
  longitude: 113.4581,
  errMsg: 'chooseLocation:ok',
}));
export const stopPullDownRefresh = vi.fn();
export const requestSubscribeMessage = vi.fn(async () => ({ errMsg: 'requestSubscribeMessage:ok' }));
export const chooseImage = vi.fn(async () => ({ tempFilePaths: ['blob:photo-1'], tempFiles: [] }));
export const uploadFile = vi.fn();
export const downloadFile = vi.fn();
export const openDocument = vi.fn(done);
export const shareFileMessage = vi.fn(done);
/** The scanner: each test says what it reads (WeChat answers `{ result }`). */
export const scanCode = vi.fn(async () => ({ result: '', scanType: 'QR_CODE', errMsg: 'scanCode:ok' }));

let pages: { route: string }[] = [];
/** Sets the page stack getCurrentPages() reports, top last. */
export const setPages = (routes: string[]) => {
  pages = routes.map((route) => ({ route }));
};
export const getCurrentPages = vi.fn(() => pages);

let routerParams: Record<string, string> = {};
export const setRouterParams = (params: Record<string, string>) => {
  routerParams = params;
};
export const useRouter = () => ({ params: routerParams, path: '' });
export const getCurrentInstance = () => ({ router: { params: routerParams } });

const onMount = (callback: () => void) => {
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per mount, like a page lifecycle hook.
  useEffect(() => callback(), []);
};
export const useDidShow = onMount;
export const useLoad = onMount;
export const useReady = onMount;
export const useDidHide = () => undefined;
export const useUnload = () => undefined;
export const usePageScroll = () => undefined;
let onPullDown: (() => void) | undefined;
/** Registers the page's pull-down handler, as Taro does; pullDownRefresh() runs the latest one. */
export const usePullDownRefresh = (callback: () => void) => {
  onPullDown = callback;
};
/** The person pulls the page down (needs a page that called usePullDownRefresh). */
export const pullDownRefresh = () => {
  if (!onPullDown) throw new Error('the page did not register usePullDownRefresh');
  onPullDown();
};

export const ENV_TYPE = { WEAPP: 'WEAPP', WEB: 'WEB', RN: 'RN', SWAN: 'SWAN', ALIPAY: 'ALIPAY', TT: 'TT' };
export const getEnv = () => ENV_TYPE.WEB;
export const getSystemInfoSync = () => ({
  windowWidth: 375,
  windowHeight: 667,
  pixelRatio: 2,
  platform: 'devtools',
});
export const getSystemInfo = async () => getSystemInfoSync();
export const pxTransform = (size: number) => `${size}px`;
export const nextTick = (callback: () => void) => setTimeout(callback, 0);
export const createSelectorQuery = () => {
  const query = {
    select: () => query,
    selectAll: () => query,
    boundingClientRect: () => query,
    scrollOffset: () => query,
    exec: (callback?: (result: unknown[]) => void) => callback?.([]),
  };
  return query;
};
export const eventCenter = { on: vi.fn(), off: vi.fn(), trigger: vi.fn() };

export function resetTaroMock(): void {
  storage.clear();
  pages = [];
  routerParams = {};
  onPullDown = undefined;
  vi.clearAllMocks();
  request.mockReset();
  downloadFile.mockReset();
}

const Taro = {
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  request,
  login,
  navigateTo,
  redirectTo,
  reLaunch,
  navigateBack,
  showToast,
  showModal,
  pageScrollTo,
  setClipboardData,
  makePhoneCall,
  openLocation,
  chooseLocation,
  stopPullDownRefresh,
  requestSubscribeMessage,
  chooseImage,
  uploadFile,
  downloadFile,
  openDocument,
  shareFileMessage,
  scanCode,
  getCurrentPages,
  getCurrentInstance,
  useRouter,
  useDidShow,
  useLoad,
  useReady,
  useDidHide,
  useUnload,
  usePageScroll,
  usePullDownRefresh,
  ENV_TYPE,
  getEnv,
  getSystemInfoSync,
  getSystemInfo,
  pxTransform,
  nextTick,
  createSelectorQuery,
  eventCenter,
};
export default Taro;
