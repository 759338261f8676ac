import { type Route, routes } from '@/navigation';

/** The service domains, as the home page and the placeholder pages present them. */
export interface Feature {
  title: string;
  summary: string;
  route: Route;
  /** False while the sub-package only holds its "即将开放" page. */
  ready: boolean;
}

export const features = {
  booking: {
    title: '预约上门收件',
    summary: '政邮专员上门核对材料、收件，寄到政务服务中心',
    route: routes.booking,
    ready: true,
  },
  scan: {
    title: '扫码补寄（替你跑）',
    summary: '扫邮袋背面的二维码，免费寄送补正材料',
    route: routes.scan,
    ready: false,
  },
  cases: {
    title: '我的办件',
    summary: '受理、审批、办结和证照寄递的进度，一处查看',
    route: routes.cases,
    ready: true,
  },
  catalogue: {
    title: '办事指南',
    summary: '按主题查事项：条件、材料、时限、收费和可办网点',
    route: routes.search,
    ready: true,
  },
  outlets: {
    title: '附近网点',
    summary: '可办政务的邮政网点、营业时间和电话',
    route: routes.outlets,
    ready: true,
  },
  enterprise: {
    title: '企业服务',
    summary: '绑定企业，邮寄申报稳岗补贴等政策并跟踪到账',
    route: routes.enterprise,
    ready: false,
  },
  staff: {
    title: '工作台',
    summary: '政邮专员接单、上门初审；监管人员查看时效与整改',
    route: routes.staff,
    ready: true,
  },
} satisfies Record<string, Feature>;

export type FeatureKey = keyof typeof features;

/** Home page entries, in the order a resident needs them. */
export const homeEntries: FeatureKey[] = ['booking', 'catalogue', 'scan', 'cases', 'outlets', 'enterprise'];
