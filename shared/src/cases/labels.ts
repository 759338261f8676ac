/**
 * Case tracking words both sides show: case status chips, EMS legs and statuses, delivery flags. Kept apart from
 * the TypeBox schemas so mini-program pages can import them without pulling TypeBox into their package.
 */
export const caseStatuses = [
  /** A door visit ended 材料不齐 and the resident sent the rest by bag: submitted once the centre has it all. */
  'awaiting_materials',
  'submitting',
  'received',
  'in_progress',
  'supplement_required',
  'suspended',
  'completed',
  'result_shipping',
  'delivered',
  'refused',
  'returned',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const caseStatusLabels: Record<CaseStatus, string> = {
  awaiting_materials: '补齐材料寄送中',
  submitting: '材料已收取',
  received: '已收件',
  in_progress: '办理中',
  supplement_required: '待补齐补正',
  suspended: '已挂起',
  completed: '已办结',
  result_shipping: '结果寄送中',
  delivered: '已送达',
  refused: '不予受理',
  returned: '已退件',
};

/** Cases that need nothing more from anyone. */
export const finalCaseStatuses: readonly CaseStatus[] = ['delivered', 'refused', 'returned'];

/** 办件环节 stage codes of the government platform; 99 carries the refusal (不予受理) and return (退件) ends. */
export const govStages = {
  '1': '收件',
  '2': '受理',
  '3': '审核',
  '4': '办结',
  '11': '补齐补正',
  '12': '挂起',
  '99': '其他',
} as const;
export type GovStage = keyof typeof govStages;
/** Stage labels by code, for whatever code a stage event carries. */
export const govStageLabels: Readonly<Record<string, string>> = govStages;

export const shipmentLegs = ['materials_to_centre', 'supplement_to_centre', 'result_to_applicant'] as const;
export type ShipmentLeg = (typeof shipmentLegs)[number];
export const shipmentLegLabels: Record<ShipmentLeg, string> = {
  materials_to_centre: '申请材料寄往政务中心',
  supplement_to_centre: '补正材料寄往政务中心',
  result_to_applicant: '办理结果寄给您',
};

export const emsStatuses = [
  'pending',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'returning',
  'returned',
  'cancelled',
  'exception',
] as const;
export type EmsStatus = (typeof emsStatuses)[number];
export const emsStatusLabels: Record<EmsStatus, string> = {
  pending: '待揽收',
  picked_up: '已揽收',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
  delivery_failed: '未妥投',
  returning: '退回中',
  returned: '已退回',
  cancelled: '已撤单',
  exception: '异常',
};

/**
 * What an EMS event means, in the words a resident uses (EMS's own opName — 收寄, 封车, 投递下段, 妥投 — is
 * courier jargon). Unknown codes fall back to the unified status's label; the raw code never reaches the UI.
 */
export const emsEventLabels: Record<string, string> = {
  '203': '已揽收',
  '305': '运输中',
  '389': '运输中',
  '954': '到达处理中心',
  '702': '派送中',
  '704': '已签收',
  '705': '投递未成功',
  '708': '退回寄件人',
  '711': '退回件已签收',
  '743': '签收记录已撤销',
  '747': '已放入快递柜',
  '748': '已从快递柜取出',
  '801': '已撤单',
};

export const shipmentFlagCodes = [
  'delivery_failed',
  'proxy_unverified',
  'parcel_point',
  'returned',
  'exception',
] as const;
export type ShipmentFlagCode = (typeof shipmentFlagCodes)[number];
export const shipmentFlagLabels: Record<ShipmentFlagCode, string> = {
  delivery_failed: '投递未成功',
  proxy_unverified: '他人代收未登记关系和证件',
  parcel_point: '投至代收点或门卫',
  returned: '邮件退回',
  exception: '物流异常',
};

/**
 * 705 未妥投 reasons (attemptDeliveryCode). Our sources document 4 (absent) and 7 (refused); the rest follow
 * the reason list EMS couriers pick from and are marked as our reading until EMS confirms them.
 */
export const attemptDeliveryReasons: Record<string, string> = {
  '1': '地址不详',
  '2': '收件人电话无法接通',
  '3': '收件人已搬迁',
  '4': '收件人不在',
  '5': '收件人要求改日投递',
  '6': '单位休息',
  '7': '收件人拒收',
  '8': '收件人要求自取',
};
export const attemptDeliveryReason = (code: string | null | undefined): string =>
  (code && attemptDeliveryReasons[code]) || (code ? `其他原因（代码${code}）` : '原因未说明');

/** Subscribe-message kinds (one WeChat template each). WeChat asks for at most 3 templates per tap. */
export const notificationKinds = [
  'case_accepted',
  'supplement_required',
  'case_completed',
  'result_shipped',
  'result_delivered',
  'bag_picked_up',
  'bag_delivered',
  'supplement_received',
  'supplement_deadline',
  /** The resident: the visit changed hands or was cancelled by the agent. */
  'visit_update',
  /** Postal agents: an order of their outlet is about to pass its acceptance window. */
  'visit_reminder',
  /** The resident: a stage of their case is done, please evaluate it (好差评); again 3 days later if unrated. */
  'evaluation_invite',
  /** Enterprises: a 免申即享 round's deadline is near and they have not confirmed. */
  'subsidy_deadline',
  /** Enterprises: the platform paid (拨付) their subsidy. */
  'subsidy_paid',
  /** Staff: a supervisor named them on a workbench item (监管工作台). */
  'work_assigned',
  /** Enterprises: the admin approved or refused a clerk's request to act for the enterprise. */
  'enterprise_member_decided',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export const notificationKindLabels: Record<NotificationKind, string> = {
  case_accepted: '办件受理通知',
  supplement_required: '补齐补正通知',
  case_completed: '办结通知',
  result_shipped: '证照寄出通知',
  result_delivered: '签收通知',
  bag_picked_up: '补正材料揽收通知',
  bag_delivered: '补正材料送达通知',
  supplement_received: '补正材料签收确认',
  supplement_deadline: '补正期限提醒',
  visit_update: '上门预约变动通知',
  visit_reminder: '待接单提醒',
  evaluation_invite: '服务评价邀请',
  subsidy_deadline: '免申即享确认提醒',
  subsidy_paid: '补贴拨付通知',
  work_assigned: '待办指派通知',
  enterprise_member_decided: '企业绑定审核结果通知',
};

/** How a case came in (受理渠道): one list for every way in. */
export const caseChannels = ['door_visit', 'online', 'outlet_window', 'enterprise_claim', 'bundle'] as const;
export type CaseChannel = (typeof caseChannels)[number];
export const caseChannelLabels: Record<CaseChannel, string> = {
  door_visit: '上门收件',
  online: '网上申请',
  outlet_window: '网点窗口',
  enterprise_claim: '企业认领',
  bundle: '一件事打包办',
};

/** Who applies: a person (居民身份证) or an enterprise (统一社会信用代码) through its operator (经办人). */
export const applicantKinds = ['person', 'enterprise'] as const;
export type ApplicantKind = (typeof applicantKinds)[number];

/** What the resident reads on a case a job could not carry through (dead-lettered submission, EMS order…). */
export const CASE_PROBLEM_SENTENCE = '提交遇到问题，工作人员正在处理';

/** Supervisor breach kinds, in the order a supervisor acts on them, and their labels. */
export const breachKinds = [
  'visit_not_accepted',
  'visit_not_reached',
  'visit_late',
  'result_not_delivered',
  'result_late',
  'logistics_exception',
  'case_overdue',
  'case_stuck',
  'supplement_overdue',
  'handover_discrepancy',
  /** 给付 cases: not paid within 21 working days of acceptance. */
  'payment_overdue',
] as const;
export type BreachKindName = (typeof breachKinds)[number];
/** Short labels for the supervisors' filter tabs (each breach carries its own specific label too). */
export const breachKindLabels: Record<BreachKindName, string> = {
  visit_not_accepted: '超时未接单',
  visit_not_reached: '上门未到达',
  visit_late: '上门超时',
  result_not_delivered: '证照未送达',
  result_late: '证照送达超时',
  logistics_exception: '物流异常',
  case_overdue: '办件超期',
  case_stuck: '办件提交受阻',
  supplement_overdue: '补正逾期未寄',
  handover_discrepancy: '材料交接异常',
  payment_overdue: '拨付超期',
};
