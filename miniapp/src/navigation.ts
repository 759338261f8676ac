import Taro from '@tarojs/taro';
import { queryString } from '@/lib/query';

/** Every page's URL, in one place: pages never spell paths themselves. */
export const routes = {
  home: '/pages/index/index',
  login: '/pages/login/index',
  me: '/me/pages/index/index',
  privacy: '/me/pages/privacy/index',
  identity: '/me/pages/identity/index',
  publicFacts: '/me/pages/facts/index',
  booking: '/booking/pages/index/index',
  bookings: '/booking/pages/list/index',
  bookingDetail: '/booking/pages/detail/index',
  bookingDone: '/booking/pages/success/index',
  windowBooking: '/booking/pages/window/index',
  cases: '/cases/pages/index/index',
  caseDetail: '/cases/pages/detail/index',
  caseMail: '/cases/pages/mail/index',
  bundleTimeline: '/cases/pages/bundle/index',
  evaluate: '/cases/pages/evaluate/index',
  outlets: '/outlets/pages/index/index',
  outlet: '/outlets/pages/detail/index',
  search: '/catalogue/pages/search/index',
  guide: '/catalogue/pages/guide/index',
  bundleGuide: '/catalogue/pages/bundle/index',
  bag: '/bag/pages/index/index',
  bagSent: '/bag/pages/sent/index',
  enterprise: '/enterprise/pages/index/index',
  enterpriseMembers: '/enterprise/pages/members/index',
  subsidy: '/enterprise/pages/subsidy/index',
  claim: '/enterprise/pages/claim/index',
  staff: '/staff/pages/index/index',
  visit: '/staff/pages/visit/index',
  supervision: '/staff/pages/supervision/index',
  bagBatches: '/staff/pages/bags/index',
  bagBind: '/staff/pages/bag-bind/index',
  bagReceive: '/staff/pages/bag-receive/index',
  agentDay: '/staff/pages/day/index',
  handover: '/staff/pages/handover/index',
  centre: '/staff/pages/centre/index',
  tickets: '/staff/pages/tickets/index',
  ticket: '/staff/pages/ticket/index',
  resultMailings: '/staff/pages/result-mailings/index',
  workbench: '/staff/pages/workbench/index',
  settlement: '/staff/pages/settlement/index',
  rounds: '/staff/pages/rounds/index',
  round: '/staff/pages/round/index',
  window: '/staff/pages/window/index',
  windowServe: '/staff/pages/window-serve/index',
  windowIntake: '/staff/pages/window-intake/index',
  windowReceipt: '/staff/pages/window-receipt/index',
  stats: '/stats/pages/index/index',
} as const;
export type Route = (typeof routes)[keyof typeof routes];

/** A route with its query, e.g. withQuery(routes.guide, { code }); undefined values are left out. */
export const withQuery = (route: Route, params: Record<string, string | number | undefined>): string =>
  `${route}${queryString(params)}`;

/** A page's query parameter, decoded once here whatever the platform handed over (H5 leaves it encoded). */
export function routeParam(params: Partial<Record<string, string>>, key: string): string | undefined {
  const raw = params[key];
  if (raw === undefined || raw === '') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

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
