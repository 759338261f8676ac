import type { BookingView, MatterGuide, VisitView } from '@zyt/shared';

/** A door-pickup matter with two required materials and one optional. */
export const matter = {
  code: '11440112MB2C0001-001',
  name: '失业保险金申领',
  department: '广州市黄埔区人力资源和社会保障局',
  theme: '社会保险',
  channels: { doorPickup: true, outlet: true, mail: 'two_way' },
  materials: [
    {
      id: 'm-id',
      name: '居民身份证',
      form: 'original',
      formLabel: '原件',
      count: 1,
      required: true,
      note: null,
    },
    {
      id: 'm-proof',
      name: '终止或解除劳动关系证明',
      form: 'copy',
      formLabel: '复印件',
      count: 2,
      required: true,
      note: '须加盖公章',
    },
    {
      id: 'm-proxy',
      name: '授权委托书',
      form: 'original',
      formLabel: '原件',
      count: 1,
      required: false,
      note: null,
    },
  ],
} as unknown as MatterGuide;

export const slots = {
  outlet: { id: 'o-1', name: '黄埔大沙地邮政支局' },
  slots: [
    {
      id: '0b8c7f0e-0000-4000-8000-000000000001',
      start: '2026-11-23T01:00:00.000Z',
      end: '2026-11-23T03:00:00.000Z',
      remaining: 3,
    },
    {
      id: '0b8c7f0e-0000-4000-8000-000000000002',
      start: '2026-11-24T06:00:00.000Z',
      end: '2026-11-24T08:00:00.000Z',
      remaining: 1,
    },
  ],
};

export function booking(overrides: Partial<BookingView> = {}): BookingView {
  return {
    id: '6f1d2f6e-1111-4000-8000-000000000001',
    number: '261122000042',
    status: 'requested',
    statusLabel: '等待专员接单',
    matter: { code: matter.code, name: matter.name },
    window: { kind: 'asap', start: '2026-11-22T02:00:00.000Z', end: null },
    dueAt: null,
    address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东****' },
    contact: { name: '张*', phone: '138****8000' },
    entrust: null,
    missingItems: null,
    caseNumber: null,
    waybillNo: null,
    cancelReason: null,
    agent: null,
    case: null,
    events: [
      { kind: 'created', status: 'requested', at: '2026-11-22T02:00:00.000Z', actor: 'resident', note: null },
    ],
    createdAt: '2026-11-22T02:00:00.000Z',
    ...overrides,
  };
}

export function visit(overrides: Partial<VisitView> = {}): VisitView {
  return {
    ...booking({ status: 'reviewing', statusLabel: '材料初审中' }),
    address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
    contact: { name: '张三', phone: '13800138000' },
    checklist: matter.materials.map((m) => ({
      materialId: m.id,
      name: m.name,
      form: m.form,
      count: m.count,
      required: m.required,
      note: m.note,
    })),
    overdue: false,
    mine: true,
    ...overrides,
  };
}
