/**
 * Door-visit booking (政务流动窗口上门办): states and the actions that move between them. The BFF applies a
 * transition only when the current state is one the action allows (one conditional UPDATE), and the
 * mini-program uses the same table to decide which buttons to show.
 */
export const BookingStatus = {
  requested: 'requested', // 已预约: waiting for an agent
  assigned: 'assigned', // 已派单: an agent accepted
  enRoute: 'en_route', // 专员已出发
  arrived: 'arrived', // 专员已到达
  reviewing: 'reviewing', // 初审中
  collected: 'collected', // 已收件
  handedOver: 'handed_over', // 材料已交寄 EMS
  caseSubmitted: 'case_submitted', // 已提交政务服务平台
  materialsIncomplete: 'materials_incomplete', // 材料不齐（一次性告知）
  cancelled: 'cancelled',
  expired: 'expired',
} as const;
export type BookingStatus = (typeof BookingStatus)[keyof typeof BookingStatus];

export type BookingActor = 'resident' | 'agent' | 'system';

export const bookingActions = {
  accept: { from: ['requested'], to: 'assigned', by: 'agent' },
  depart: { from: ['assigned'], to: 'en_route', by: 'agent' },
  arrive: { from: ['en_route'], to: 'arrived', by: 'agent' },
  startReview: { from: ['arrived'], to: 'reviewing', by: 'agent' },
  collect: { from: ['reviewing'], to: 'collected', by: 'agent' },
  markIncomplete: { from: ['reviewing'], to: 'materials_incomplete', by: 'agent' },
  /** The resident may cancel until the agent is on the way. */
  cancel: { from: ['requested', 'assigned'], to: 'cancelled', by: 'resident' },
  /** The agent may cancel with a reason, up to the review. */
  agentCancel: { from: ['assigned', 'en_route', 'arrived'], to: 'cancelled', by: 'agent' },
  /** AB岗: the agent who can't go hands the visit back to the outlet's queue; the booking and its slot stay. */
  handBack: { from: ['assigned', 'en_route', 'arrived'], to: 'requested', by: 'agent' },
  /** EMS issued the waybill for the materials' leg. */
  handOver: { from: ['collected'], to: 'handed_over', by: 'system' },
  /**
   * The government platform accepted the case (PROJID known); may come before or after the hand-over, or after
   * a visit that ended 材料不齐 was completed by bag (替你跑).
   */
  submitCase: {
    from: ['collected', 'handed_over', 'materials_incomplete'],
    to: 'case_submitted',
    by: 'system',
  },
  /** Nobody took the visit before its window ended. */
  expire: { from: ['requested'], to: 'expired', by: 'system' },
} as const satisfies Record<string, { from: readonly BookingStatus[]; to: BookingStatus; by: BookingActor }>;
export type BookingAction = keyof typeof bookingActions;

/** The state after `action`, or null when the action is not allowed from `status`. */
export function nextBookingStatus(status: BookingStatus, action: BookingAction): BookingStatus | null {
  const rule = bookingActions[action];
  return (rule.from as readonly BookingStatus[]).includes(status) ? rule.to : null;
}

/** Until the agent is on the way, the resident can still change the time or cancel. */
export const canReschedule = (status: BookingStatus) => status === 'requested' || status === 'assigned';

export const bookingStatusLabels: Record<BookingStatus, string> = {
  requested: '等待专员接单',
  assigned: '专员已接单',
  en_route: '专员已出发',
  arrived: '专员已到达',
  reviewing: '材料初审中',
  collected: '材料已收取',
  handed_over: '材料已交寄',
  case_submitted: '已提交审批',
  materials_incomplete: '材料不齐',
  cancelled: '已取消',
  expired: '已过期',
};

/**
 * What a booking event records: the booking was made, its status changed, or its visit time changed (改约,
 * the status stays). Clients read the kind, never the note's wording.
 */
export const BookingEventKind = {
  created: 'created',
  statusChanged: 'status_changed',
  rescheduled: 'rescheduled',
  /** AB岗: the agent handed the visit back to the queue (status back to requested, with the reason). */
  handedBack: 'handed_back',
  /** Chain of custody: the agent sealed the collected materials in a bag at the post office (bag code/waybill). */
  handoverSealed: 'handover_sealed',
  /** Chain of custody: the service centre confirmed receipt, item by item. */
  centreReceived: 'centre_received',
} as const;
export type BookingEventKind = (typeof BookingEventKind)[keyof typeof BookingEventKind];
export const bookingEventKinds = Object.values(BookingEventKind);

/** The title of a booking event in a timeline. */
const eventTitles: Partial<Record<BookingEventKind, string>> = {
  rescheduled: '已改约上门时间',
  handed_back: '专员无法上门，已重新派单',
  handover_sealed: '材料已封袋交寄政务服务中心',
  centre_received: '政务服务中心已签收材料',
};
export const bookingEventTitle = (event: { kind: BookingEventKind; status: BookingStatus }): string =>
  eventTitles[event.kind] ?? bookingStatusLabels[event.status];

export const finalBookingStatuses: readonly BookingStatus[] = [
  'case_submitted',
  'materials_incomplete',
  'cancelled',
  'expired',
];

/** "As soon as possible" visits must be reached within this long of the agent accepting them. */
export const ASAP_REACH_MINUTES = 60;
