import type {
  BagConfirmation,
  BagScanResponse,
  StaffBagView,
  SupplementView,
  VisitTarget,
} from '@zyt/shared';

export const CODE = 'K7QM-2XNP-8RTV';
export const CASE_ID = '0b9a4a52-5a5e-4c1f-9d7e-3f1a2b3c4d5e';
export const OTHER_CASE_ID = '0b9a4a52-5a5e-4c1f-9d7e-3f1a2b3c4d60';

export const supplement = (overrides: Partial<SupplementView> = {}): SupplementView => ({
  caseId: CASE_ID,
  caseNumber: '44011200000000012345',
  matterName: '居民身份证换领',
  source: 'platform',
  items: [
    { id: 'm1', name: '户口簿', reason: '未提供', specification: '原件1份' },
    { id: 'm2', name: '近期免冠照片', reason: '照片不清晰', specification: null },
  ],
  deadline: '2026-12-08T15:59:59.000Z',
  deadlineDate: '2026-12-08',
  ...overrides,
});

export const WINDOWS = [
  { start: '2026-12-02T01:00:00.000Z', end: '2026-12-02T03:00:00.000Z' },
  { start: '2026-12-02T06:00:00.000Z', end: '2026-12-02T08:00:00.000Z' },
];
export const OUTLET = {
  id: 'outlet-1',
  name: '黄埔大沙地邮政支局',
  address: '广州市黄埔区大沙地东路100号',
  phone: '020-82212345',
  hours: '周一至周日 09:00-17:00',
};

export const boundScan = (overrides: Partial<BagScanResponse> = {}): BagScanResponse => ({
  code: CODE,
  state: 'bound',
  validUntil: '2027-05-31',
  supplement: supplement(),
  candidates: [],
  visits: [],
  pickupWindows: WINDOWS,
  outlets: [OUTLET],
  ...overrides,
});

export const confirmation = (overrides: Partial<BagConfirmation> = {}): BagConfirmation => ({
  code: CODE,
  state: 'sent',
  caseId: CASE_ID,
  items: supplement().items,
  notIncluded: [],
  shipment: {
    status: 'pending',
    statusLabel: '待揽收',
    waybillNo: '1180000000123',
    handover: 'pickup',
    window: WINDOWS[0]!,
    outlet: null,
  },
  nextStep: 'EMS 揽收员将在12月2日 09:00-11:00 上门取件，送达政务服务中心后继续办理。',
  ...overrides,
});

export const staffBag = (overrides: Partial<StaffBagView> = {}): StaffBagView => ({
  code: CODE,
  state: 'sent',
  validUntil: '2027-05-31',
  expired: false,
  supplement: { ...supplement(), applicantName: '张*', ticked: ['m1', 'm2'] },
  shipment: {
    status: 'delivered',
    statusLabel: '已签收',
    waybillNo: '1180000000123',
    handover: 'pickup',
    window: WINDOWS[0]!,
    outlet: null,
  },
  receipt: null,
  ...overrides,
});

export const VISIT_BOOKING_ID = '6f1d2f6e-1111-4000-8000-000000000077';
export const visitTarget = (overrides: Partial<VisitTarget> = {}): VisitTarget => ({
  bookingId: VISIT_BOOKING_ID,
  bookingNumber: '261201000077',
  matterName: '失业保险金申领',
  reviewedAt: '2026-12-01T03:00:00.000Z',
  sendByDate: '2027-01-30',
  items: [{ id: 'm-proof', name: '终止或解除劳动关系证明', reason: '未提供', specification: '原件1份' }],
  checkedAtDoor: ['居民身份证'],
  ...overrides,
});
