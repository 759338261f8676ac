import type { MatterGuide, MatterSummary, OutletSummary } from '@zyt/shared';

export function matter(n: number, overrides: Partial<MatterSummary> = {}): MatterSummary {
  return {
    code: `CODE-${n}`,
    name: `事项${n}`,
    applicantType: 'person',
    theme: '社会保险',
    department: '广州市黄埔区人力资源和社会保障局',
    caseType: 2,
    caseTypeLabel: '承诺件',
    promisedWorkingDays: 5,
    channels: { doorPickup: true, outlet: true, mail: 'two_way' },
    ...overrides,
  };
}

export function outlet(overrides: Partial<OutletSummary> = {}): OutletSummary {
  return {
    id: 'HP-PO-01',
    name: '黄埔邮局（政务服务便民点）',
    kind: 'post_office',
    kindLabel: '邮政网点',
    address: '广州市黄埔区大沙地东路326号',
    province: '广东省',
    city: '广州市',
    district: '黄埔区',
    street: '大沙街道',
    lat: 23.1068,
    lng: 113.4591,
    phone: '020-82211183',
    distanceMetres: null,
    today: {
      date: '2026-11-07',
      weekday: 6,
      closed: false,
      ranges: [{ open: '09:00', close: '17:00' }],
      text: '09:00-17:00',
    },
    openNow: true,
    openAtWeekends: true,
    matterCount: 60,
    ...overrides,
  };
}

export function guide(overrides: Partial<MatterGuide> = {}): MatterGuide {
  return {
    ...matter(1, { name: '失业保险金申领', code: '114401120075021314050001000' }),
    version: '1',
    matterType: '05',
    matterTypeLabel: '行政给付',
    legalWorkingDays: 20,
    conditions: '（一）失业前用人单位和本人已经缴纳失业保险费满1年；（二）非因本人意愿中断就业。',
    materials: [
      {
        id: 'm1',
        name: '申请人居民身份证',
        form: 'original',
        formLabel: '原件',
        count: 1,
        required: true,
        note: '核验后当场退还',
      },
      {
        id: 'm2',
        name: '终止或解除劳动关系证明',
        form: 'copy',
        formLabel: '复印件',
        count: 2,
        required: true,
        note: null,
      },
      {
        id: 'm3',
        name: '授权委托书及受托人居民身份证',
        form: 'original_and_copy',
        formLabel: '原件和复印件',
        count: 1,
        required: false,
        note: '委托他人办理时提供',
      },
    ],
    fees: { text: '不收费', free: true },
    result: { documentName: '失业保险待遇核定通知书', kind: 'physical' },
    outlets: [outlet()],
    ...overrides,
  };
}
