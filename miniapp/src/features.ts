import { type Route, routes } from '@/navigation';

/** The service domains, as the home page presents them. Only what works is listed. */
export interface Feature {
  title: string;
  summary: string;
  route: Route;
}

export const features = {
  booking: {
    title: '预约上门收件',
    summary: '政邮专员上门核对材料、收件，寄到政务服务中心',
    route: routes.booking,
  },
  cases: {
    title: '我的办件',
    summary: '受理、审批、办结和证照寄递的进度，一处查看',
    route: routes.cases,
  },
  bag: {
    title: '替你跑：快递袋寄补正材料',
    summary: '扫快递袋背面的二维码，装入要补交的材料，EMS 免费寄到政务服务中心',
    route: routes.bag,
  },
  catalogue: {
    title: '办事指南',
    summary: '按主题查事项：条件、材料、时限、收费和可办网点',
    route: routes.search,
  },
  outlets: {
    title: '附近网点',
    summary: '可办政务的邮政网点、营业时间和电话',
    route: routes.outlets,
  },
  enterprise: {
    title: '企业办事：免申即享',
    summary: '绑定企业，确认平台筛选的补贴金额，跟踪拨付进度',
    route: routes.enterprise,
  },
  staff: {
    title: '工作台',
    summary: '政邮专员接单、上门初审；政务中心收件；监管人员查看时效与异常',
    route: routes.staff,
  },
} satisfies Record<string, Feature>;

export type FeatureKey = keyof typeof features;

/** Home page entries, in the order a resident needs them. */
export const homeEntries: FeatureKey[] = ['booking', 'catalogue', 'cases', 'bag', 'enterprise', 'outlets'];
