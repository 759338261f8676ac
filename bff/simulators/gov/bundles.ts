import type { GovBundle, GovMatter } from '../../src/integrations/gov/types';

/**
 * 出生一件事 as Jiangsu runs it (seed 001): seven matters in one application — 出生医学证明, 户口登记, 医保参保登记,
 * 医保缴费, 婴幼儿保健册, 社会保障卡, 预防接种证 — and five certificates delivered by EMS. Which matters apply
 * depends on the situation (情形); some results wait for others (户口 needs the 出生医学证明; 医保 needs the
 * 户口; the 社会保障卡 needs both the 户口 and the 参保登记).
 */
export function buildBundles(matterNamed: (name: string) => GovMatter): GovBundle[] {
  const birthCert = matterNamed('出生医学证明首次签发').serviceCode;
  const hukou = matterNamed('出生登记').serviceCode;
  const insured = matterNamed('城乡居民基本医疗保险参保登记').serviceCode;
  const premium = matterNamed('城乡居民基本医疗保险缴费').serviceCode;
  const socialCard = matterNamed('社会保障卡申领（首次）').serviceCode;
  const vaccination = matterNamed('预防接种证办理').serviceCode;
  const healthBook = matterNamed('婴幼儿保健册发放').serviceCode;
  const parents = ['motherName', 'motherIdNumber', 'fatherName', 'fatherIdNumber'];
  return [
    {
      code: 'YJS-CSYJS-440112',
      version: '1',
      name: '出生一件事',
      theme: '出生',
      description:
        '新生儿出生后，父母填写一张申请表、一次提交材料，即可同时办理出生医学证明、户口登记、医保参保登记和缴费、社会保障卡、预防接种证、婴幼儿保健册，五本证卡由EMS免费寄送到家。',
      doorPickup: true,
      fields: [
        { id: 'babyName', label: '新生儿姓名', kind: 'name' },
        { id: 'babySex', label: '新生儿性别', kind: 'sex' },
        { id: 'birthDate', label: '出生日期', kind: 'date' },
        { id: 'birthPlace', label: '出生医院', kind: 'text' },
        { id: 'motherName', label: '母亲姓名', kind: 'name' },
        { id: 'motherIdNumber', label: '母亲身份证号', kind: 'id_number' },
        { id: 'fatherName', label: '父亲姓名', kind: 'name' },
        { id: 'fatherIdNumber', label: '父亲身份证号', kind: 'id_number' },
        { id: 'householdHead', label: '落户户主姓名', kind: 'name' },
        { id: 'hukouAddress', label: '落户地址', kind: 'text' },
      ],
      matters: [
        {
          serviceCode: birthCert,
          fieldIds: ['babyName', 'babySex', 'birthDate', 'birthPlace', ...parents],
          dependsOn: [],
        },
        {
          serviceCode: hukou,
          fieldIds: ['babyName', 'babySex', 'birthDate', ...parents, 'householdHead', 'hukouAddress'],
          dependsOn: [birthCert],
        },
        { serviceCode: insured, fieldIds: ['babyName', 'birthDate', 'hukouAddress'], dependsOn: [hukou] },
        { serviceCode: premium, fieldIds: ['babyName'], dependsOn: [insured] },
        {
          serviceCode: socialCard,
          fieldIds: ['babyName', 'babySex', 'birthDate'],
          dependsOn: [hukou, insured],
        },
        {
          serviceCode: vaccination,
          fieldIds: ['babyName', 'babySex', 'birthDate', 'motherName'],
          dependsOn: [],
        },
        { serviceCode: healthBook, fieldIds: ['babyName', 'birthDate', 'motherName'], dependsOn: [] },
      ],
      situations: [
        {
          id: 'settle_here',
          name: '新生儿在本区落户',
          description: '父母一方为本区户籍，新生儿随父或母在本区落户：七件事一次办，五本证卡寄送到家。',
          serviceCodes: [birthCert, hukou, insured, premium, socialCard, vaccination, healthBook],
          maxAgeDays: 90,
        },
        {
          id: 'settle_here_no_card',
          name: '在本区落户，暂不申领社会保障卡',
          description: '新生儿在本区落户，已有社会保障卡申领安排或暂不申领：六件事一次办。',
          serviceCodes: [birthCert, hukou, insured, premium, vaccination, healthBook],
          maxAgeDays: 90,
        },
        {
          id: 'settle_elsewhere',
          name: '新生儿不在本区落户',
          description: '父母均非本区户籍，户口回户籍地办理：办理出生医学证明、预防接种证和婴幼儿保健册。',
          serviceCodes: [birthCert, vaccination, healthBook],
          maxAgeDays: 365,
        },
      ],
    },
  ];
}
