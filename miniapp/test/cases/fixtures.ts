import type { BreachListResponse, CaseDetail, CaseSummary, SubscriptionsResponse } from '@zyt/shared';

export const caseId = '6f1d2f6e-1111-4000-8000-000000000001';

export function caseSummary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: caseId,
    caseNumber: '44011226112200000042',
    matterName: '失业保险金申领',
    status: 'in_progress',
    statusLabel: '办理中',
    promised: { date: '2026-12-04', provisional: false },
    attention: false,
    updatedAt: '2026-11-23T02:00:00.000Z',
    ...overrides,
  };
}

/** A delivered case: both legs, the result late, the whole timeline (oldest first, as the API sends it). */
export function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    ...caseSummary(),
    bookingId: caseId,
    bookingNumber: '261122000042',
    promisedWorkingDays: 10,
    nextStep: '政务服务中心正在审核您的材料，办结后证照将通过 EMS 寄给您。',
    supplement: null,
    reason: null,
    result: null,
    shipments: [
      {
        leg: 'materials_to_centre',
        legLabel: '申请材料寄往政务中心',
        waybillNo: '1100012345678',
        status: 'delivered',
        statusLabel: '已签收',
        flags: [],
      },
    ],
    timeline: [
      { at: '2026-11-22T03:00:00.000Z', source: 'booking', title: '政邮专员已收取材料' },
      {
        at: '2026-11-22T04:00:00.000Z',
        source: 'ems',
        title: '申请材料寄往政务中心 · 已揽收',
        leg: 'materials_to_centre',
        waybillNo: '1100012345678',
        opCode: '203',
        emsStatus: 'picked_up',
      },
      {
        at: '2026-11-22T09:00:00.000Z',
        source: 'ems',
        title: '申请材料寄往政务中心 · 已签收',
        detail: '本人签收',
        leg: 'materials_to_centre',
        waybillNo: '1100012345678',
        opCode: '704',
        emsStatus: 'delivered',
      },
      { at: '2026-11-23T01:00:00.000Z', source: 'gov', title: '已受理', stage: '2' },
    ],
    ...overrides,
  };
}

export const subscriptions = (grants: Record<string, number> = {}): SubscriptionsResponse => ({
  templates: [
    { kind: 'case_accepted', templateId: 'tmpl-accepted', title: '办件受理通知' },
    { kind: 'supplement_required', templateId: 'tmpl-supplement', title: '补齐补正通知' },
    { kind: 'case_completed', templateId: 'tmpl-completed', title: '办结通知' },
    { kind: 'result_shipped', templateId: 'tmpl-shipped', title: '证照寄出通知' },
    { kind: 'result_delivered', templateId: 'tmpl-delivered', title: '签收通知' },
  ],
  grants: {
    case_accepted: 0,
    supplement_required: 0,
    case_completed: 0,
    result_shipped: 0,
    result_delivered: 0,
    ...grants,
  },
});

export const breaches: BreachListResponse = {
  items: [
    {
      kind: 'visit_not_reached',
      label: '接单后1小时内未上门',
      subjectId: 'b-1',
      bookingId: 'b-1',
      bookingNumber: '261122000010',
      caseNumber: null,
      waybillNo: null,
      matterName: '失业保险金申领',
      dueAt: '2026-11-23T02:00:00.000Z',
      at: null,
      minutesLate: 125,
      detail: '专员尚未到达',
      outstanding: true,
    },
    {
      kind: 'result_late',
      label: '证照送达超时',
      subjectId: 'c-2',
      bookingId: 'c-2',
      bookingNumber: '261120000003',
      caseNumber: '44011226112000000003',
      waybillNo: '1100098765432',
      matterName: '就业创业证申领',
      // Due end of Monday 23 Nov (Beijing), delivered Wednesday 25 Nov.
      dueAt: '2026-11-23T15:59:59.999Z',
      at: '2026-11-25T03:00:00.000Z',
      minutesLate: 2101,
      detail: '已送达，但超过2个工作日时限',
      outstanding: false,
    },
    {
      kind: 'logistics_exception',
      label: '他人代收未登记关系和证件',
      subjectId: 'c-3',
      bookingId: 'c-3',
      bookingNumber: '261120000004',
      caseNumber: '44011226112000000004',
      waybillNo: '1100011112222',
      matterName: '失业保险金申领',
      dueAt: null,
      at: '2026-11-24T06:00:00.000Z',
      minutesLate: null,
      detail: '代收人未登记与收件人关系和身份证件',
      // Delivered, but nobody has followed it up yet.
      outstanding: true,
      findingId: '5a0c0000-0000-4000-8000-000000000003',
      handled: null,
    },
  ],
  counts: {
    visit_not_reached: 1,
    visit_late: 0,
    result_not_delivered: 0,
    result_late: 1,
    logistics_exception: 1,
    case_overdue: 0,
  },
};
