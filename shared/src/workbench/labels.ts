/**
 * Supervisors' workbench (监管工作台): one list of everything that needs a person. TypeBox-free, so the staff
 * sub-package can import the labels without the schemas.
 */
export const workItemKinds = [
  /** A service time limit missed: acceptance, door visit, result delivery, promised completion, supplement. */
  'sla_breach',
  /** A delivery that went through but needs checking: proxy signature without relation/ID, parcel point… */
  'flagged_delivery',
  /** A delivery that did not go through (failed, returned) or a handover bag with missing/damaged items. */
  'logistics_exception',
  /** A background job that ran out of retries (pg-boss dead letter). */
  'dead_letter',
  /** A case work stopped on (refused for good) or with no stage change for too long. */
  'stuck_case',
  /** A bad rating's rectification ticket (整改工单): worked on its own page. */
  'ticket',
] as const;
export type WorkItemKind = (typeof workItemKinds)[number];

export const workItemKindLabels: Record<WorkItemKind, string> = {
  sla_breach: '超时预警',
  flagged_delivery: '签收存疑',
  logistics_exception: '物流异常',
  dead_letter: '任务失败',
  stuck_case: '办件停滞',
  ticket: '整改工单',
};

export const workItemStatuses = ['open', 'acknowledged', 'closed'] as const;
export type WorkItemStatus = (typeof workItemStatuses)[number];
export const workItemStatusLabels: Record<WorkItemStatus, string> = {
  open: '待处理',
  acknowledged: '处理中',
  closed: '已办结',
};

export const workItemEventKinds = ['opened', 'assigned', 'acknowledged', 'noted', 'closed'] as const;
export type WorkItemEventKind = (typeof workItemEventKinds)[number];
export const workItemEventLabels: Record<WorkItemEventKind, string> = {
  opened: '发现',
  assigned: '指派',
  acknowledged: '确认接手',
  noted: '备注',
  closed: '办结',
};
