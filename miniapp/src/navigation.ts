import Taro from '@tarojs/taro';

/** Every page's URL, in one place: pages never spell paths themselves. */
export const routes = {
  home: '/pages/index/index',
  login: '/pages/login/index',
  me: '/me/pages/index/index',
  privacy: '/me/pages/privacy/index',
  identity: '/me/pages/identity/index',
  booking: '/booking/pages/index/index',
  cases: '/cases/pages/index/index',
  scan: '/scan/pages/index/index',
  enterprise: '/enterprise/pages/index/index',
  outlets: '/outlets/pages/index/index',
  staff: '/staff/pages/index/index',
} as const;
export type Route = (typeof routes)[keyof typeof routes];

/** Route of the page on top of the stack, without the leading slash (weapp and H5 alike). */
function topRoute(): string | undefined {
  const pages = Taro.getCurrentPages();
  const top = pages[pages.length - 1] as { route?: string; path?: string } | undefined;
  return (top?.route ?? top?.path)?.replace(/^\//, '').split('?')[0];
}

/** Opens the sign-in page, unless it is already showing. */
export function goToLogin(): void {
  if (topRoute() === routes.login.slice(1)) return;
  Taro.navigateTo({ url: routes.login });
}

/** Back to the previous page when there is one, else to `fallback` (replacing the current page). */
export function leaveTo(fallback: Route): void {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack();
  else Taro.redirectTo({ url: fallback });
}
