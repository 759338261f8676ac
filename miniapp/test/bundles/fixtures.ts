import type { BundleGuide, BundleTimeline } from '@zyt/shared';

const CERT = 'M-CERT';
const HUKOU = 'M-HUKOU';
const CARD = 'M-CARD';
const VAX = 'M-VAX';

/** 出生一件事, cut down to four matters: two situations, shared fields and a shared material. */
export const birthBundle = (): BundleGuide => ({
  code: 'YJS-CSYJS-440112',
  name: '出生一件事',
  theme: '出生',
  description: '一次申请，五本证卡寄送到家',
  matterCount: 4,
  physicalResults: 4,
  doorPickup: true,
  matters: [
    {
      code: CERT,
      name: '出生医学证明首次签发',
      department: '卫健局',
      promisedWorkingDays: 3,
      resultName: '出生医学证明',
      resultKind: 'physical',
      dependsOn: [],
    },
    {
      code: HUKOU,
      name: '出生登记',
      department: '公安分局',
      promisedWorkingDays: 5,
      resultName: '居民户口簿',
      resultKind: 'physical',
      dependsOn: [CERT],
    },
    {
      code: CARD,
      name: '社会保障卡申领（首次）',
      department: '人社局',
      promisedWorkingDays: 10,
      resultName: '社会保障卡',
      resultKind: 'physical',
      dependsOn: [HUKOU],
    },
    {
      code: VAX,
      name: '预防接种证办理',
      department: '卫健局',
      promisedWorkingDays: 1,
      resultName: '预防接种证',
      resultKind: 'physical',
      dependsOn: [],
    },
  ],
  situations: [
    {
      id: 'settle_here',
      name: '新生儿在本区落户',
      description: '四件事一次办',
      matterCodes: [CERT, HUKOU, CARD, VAX],
      maxAgeDays: 90,
    },
    {
      id: 'settle_elsewhere',
      name: '新生儿不在本区落户',
      description: '两件事一次办',
      matterCodes: [CERT, VAX],
      maxAgeDays: 365,
    },
  ],
  fields: [
    { id: 'babyName', label: '新生儿姓名', kind: 'name', matterCodes: [CERT, HUKOU, CARD, VAX] },
    { id: 'birthDate', label: '出生日期', kind: 'date', matterCodes: [CERT, HUKOU, VAX] },
    { id: 'hukouAddress', label: '落户地址', kind: 'text', matterCodes: [HUKOU] },
  ],
  materials: [
    {
      id: 'b-01',
      name: '父母双方居民身份证',
      form: 'original',
      count: 2,
      required: true,
      note: '核验后退还',
      matterCodes: [CERT, HUKOU, VAX],
    },
    {
      id: 'b-02',
      name: '居民户口簿',
      form: 'original',
      count: 1,
      required: true,
      note: null,
      matterCodes: [HUKOU, CARD],
    },
    {
      id: 'b-03',
      name: '出生医学证明',
      form: 'original_and_copy',
      count: 1,
      required: true,
      note: '由本“一件事”中的出生医学证明首次签发办理后共享，无需另交',
      matterCodes: [],
    },
  ],
});

export const bundleBookingId = '6f1d2c3b-0000-4000-8000-000000000001';

export const birthTimeline = (): BundleTimeline => ({
  bookingId: bundleBookingId,
  bookingNumber: '261202000042',
  bundle: { code: 'YJS-CSYJS-440112', name: '出生一件事' },
  situation: { id: 'settle_here', name: '新生儿在本区落户' },
  events: [
    { at: '2026-12-02T02:00:00.000Z', title: '已预约', detail: '一件事：新生儿在本区落户' },
    { at: '2026-12-02T05:00:00.000Z', title: '出生医学证明首次签发：办结', detail: null },
    { at: '2026-12-02T06:00:00.000Z', title: '证照寄递（出生医学证明、预防接种证）：已妥投', detail: null },
  ],
  items: [
    {
      matter: { code: 'M-CERT', name: '出生医学证明首次签发' },
      caseId: 'c1',
      caseNumber: '4401122026120200000001',
      status: 'delivered',
      statusLabel: '已送达',
      waitingFor: [],
      result: { name: '出生医学证明', kind: 'physical', issuedAt: '2026-12-02T05:00:00.000Z' },
      waybillNo: '1100000000011',
    },
    {
      matter: { code: 'M-HUKOU', name: '出生登记' },
      caseId: 'c2',
      caseNumber: '4401122026120200000002',
      status: 'in_progress',
      statusLabel: '办理中',
      waitingFor: [],
      result: null,
      waybillNo: null,
    },
    {
      matter: { code: 'M-CARD', name: '社会保障卡申领（首次）' },
      caseId: 'c3',
      caseNumber: null,
      status: 'in_progress',
      statusLabel: '办理中',
      waitingFor: ['出生登记'],
      result: null,
      waybillNo: null,
    },
    {
      matter: { code: 'M-VAX', name: '预防接种证办理' },
      caseId: 'c4',
      caseNumber: '4401122026120200000004',
      status: 'delivered',
      statusLabel: '已送达',
      waitingFor: [],
      result: { name: '预防接种证', kind: 'physical', issuedAt: '2026-12-02T05:00:00.000Z' },
      waybillNo: '1100000000011',
    },
  ],
  parcels: [
    {
      waybillNo: '1100000000011',
      status: 'delivered',
      statusLabel: '已签收',
      documents: ['出生医学证明', '预防接种证'],
    },
  ],
});
