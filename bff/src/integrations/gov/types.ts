import { type GovStage, govStages } from '@zyt/shared';
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * The provincial government service platform (一体化政务服务平台) as we use it: matter catalogue, identity check,
 * case submission and case state, plus the stage callbacks it pushes to us. Field meanings follow the provincial
 * case-exchange table (PROJID, SERVICECODE, INFOTYPE, ACCEPTLIST, BUS_MODE, …) in camelCase JSON. Instants are
 * ISO 8601 in UTC; working days follow the Chinese calendar in Beijing time.
 *
 * The schemas double as runtime checks: the client checks what the platform answers and the callback route
 * checks what it pushes, so a malformed record is refused at the edge instead of poisoning our data.
 */
export const GOV_API_PREFIX = '/gov/v1';

const literals = <const T extends string>(...values: T[]) => Type.Enum(values);
const Text = Type.String({ minLength: 1 });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant' });

/** 事项类型 */
export const GOV_MATTER_TYPES = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '20': '公共服务',
} as const;
export type GovMatterType = keyof typeof GOV_MATTER_TYPES;

/** 办件类型 INFOTYPE */
export const GOV_INFO_TYPES = { 1: '即办件', 2: '承诺件', 3: '联办件', 4: '上报件' } as const;
export type GovInfoType = keyof typeof GOV_INFO_TYPES;

/** 办件环节 stage codes (one list, in shared); 99's refusal and return ends are told apart by status. */
export type { GovStage };

export const GOV_CASE_STATUSES = {
  in_progress: '办理中',
  supplement_required: '待补齐补正',
  suspended: '挂起',
  completed: '已办结',
  refused: '不予受理',
  returned: '退件',
} as const;
export type GovCaseStatus = keyof typeof GOV_CASE_STATUSES;

/** APPLY_CARDTYPE: 111 居民身份证, 414 普通护照, 516 港澳居民来往内地通行证, 511 台湾居民来往大陆通行证, 001 统一社会信用代码. */
export const GovCardType = literals('111', '414', '516', '511', '001');

const MatterTypeSchema = literals(...(Object.keys(GOV_MATTER_TYPES) as GovMatterType[]));
const InfoTypeSchema = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]);
const StageSchema = literals(...(Object.keys(govStages) as GovStage[]));
const StatusSchema = literals(...(Object.keys(GOV_CASE_STATUSES) as GovCaseStatus[]));
const MaterialForm = literals('original', 'copy', 'original_and_copy');
const ResultKind = literals('physical', 'electronic');

export const GovMaterial = Type.Object({
  id: Text,
  name: Text,
  /** 原件 / 复印件 / 原件和复印件 */
  form: MaterialForm,
  count: Type.Integer({ minimum: 1 }),
  required: Type.Boolean(),
  note: Type.Optional(Type.String()),
});
export type GovMaterial = Static<typeof GovMaterial>;

export const GovChannels = Type.Object({
  /** 上门收件: a postal agent collects the materials at the applicant's door. */
  doorPickup: Type.Boolean(),
  /** 网点办: accepted at the outlets listed in outletIds. */
  outlet: Type.Boolean(),
  /** 邮寄送达: one_way = result mailed to the applicant (单程寄递); two_way = materials in and result out (双程收寄). */
  mail: literals('none', 'one_way', 'two_way'),
});
export type GovChannels = Static<typeof GovChannels>;

export const GovMatter = Type.Object({
  /** 实施编码 SERVICECODE */
  serviceCode: Text,
  /** SERVICEVERSION: a submission names the version it was prepared against. */
  serviceVersion: Text,
  name: Text,
  matterType: MatterTypeSchema,
  infoType: InfoTypeSchema,
  /** 个人 / 法人 */
  applicantType: literals('person', 'enterprise'),
  /** 主题, e.g. 社会保险, 劳动就业, 户籍, 不动产, 企业开办, 医保, 税务, 民政, 公积金 */
  theme: Text,
  department: Text,
  /** 承诺办结时限 (working days from acceptance; 0 = same day) */
  promisedWorkingDays: Type.Integer({ minimum: 0 }),
  /** 法定办结时限 */
  legalWorkingDays: Type.Integer({ minimum: 0 }),
  /** 受理条件 */
  conditions: Text,
  materials: Type.Array(GovMaterial),
  /** 收费标准 */
  fees: Text,
  channels: GovChannels,
  /** 容缺受理: the matter may be accepted with secondary materials missing, supplemented within a deadline. */
  tolerantAcceptance: Type.Optional(Type.Boolean()),
  outletIds: Type.Array(Text),
  /** 办理结果: what the applicant receives and whether it can travel by post. */
  result: Type.Object({ documentName: Text, kind: ResultKind }),
});
export type GovMatter = Static<typeof GovMatter>;

export const GovOpeningHours = Type.Object({
  /** ISO weekday: 1 Monday … 6 Saturday, 7 Sunday. A day may have several ranges (lunch break); a missing day is closed. */
  day: Type.Integer({ minimum: 1, maximum: 7 }),
  open: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
  close: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
});
export type GovOpeningHours = Static<typeof GovOpeningHours>;

export const GovOutlet = Type.Object({
  id: Text,
  name: Text,
  /** 邮政网点 (post office with a government window) or 政务服务中心 / 便民服务中心 */
  kind: literals('post_office', 'service_centre'),
  address: Text,
  /** 省, 市 and 区县 (district) of the outlet: EMS sender and receiver parties are placed by them. */
  province: Text,
  city: Text,
  district: Text,
  /** 街道 / 镇 */
  street: Text,
  /** GCJ-02, as map SDKs in China expect. */
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  phone: Text,
  hours: Type.Array(GovOpeningHours),
  serviceCodes: Type.Array(Text),
});
export type GovOutlet = Static<typeof GovOutlet>;

/** A form field a bundle's matters ask for (shared fields are asked once). */
export const GovBundleField = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
  label: Text,
  kind: literals('name', 'id_number', 'date', 'sex', 'text'),
});
export type GovBundleField = Static<typeof GovBundleField>;

/**
 * 一件事一次办: several matters applied for at once (e.g. 出生一件事). Each matter names the form fields it needs
 * and the matters whose result it waits for; each situation (情形) says which matters apply, and may limit the
 * applicant's child's age (maxAgeDays from the birthDate field).
 */
export const GovBundle = Type.Object({
  code: Text,
  version: Text,
  name: Text,
  theme: Text,
  description: Text,
  /** 上门收件 for the bundle: one visit collects every matter's materials. */
  doorPickup: Type.Boolean(),
  fields: Type.Array(GovBundleField),
  matters: Type.Array(
    Type.Object({
      serviceCode: Text,
      fieldIds: Type.Array(Text),
      dependsOn: Type.Array(Text),
    }),
    { minItems: 1 },
  ),
  situations: Type.Array(
    Type.Object({
      id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
      name: Text,
      description: Text,
      serviceCodes: Type.Array(Text, { minItems: 1 }),
      maxAgeDays: Type.Optional(Type.Integer({ minimum: 0 })),
    }),
    { minItems: 1 },
  ),
});
export type GovBundle = Static<typeof GovBundle>;

export const GovCataloguePage = Type.Object({
  matters: Type.Array(GovMatter),
  /** 一件事 bundles, on the first page (like outlets); absent from platforms that publish none. */
  bundles: Type.Optional(Type.Array(GovBundle)),
  /** The full outlet list on the first page (no cursor); empty on later pages. */
  outlets: Type.Array(GovOutlet),
  nextCursor: Type.Optional(Text),
  /** Changes whenever any matter or outlet changes; all pages of one sync share it. */
  version: Text,
});
export type GovCataloguePage = Static<typeof GovCataloguePage>;

const Person = Type.Object({ name: Text, cardType: GovCardType, cardNumber: Text, mobile: Text });

export const GovAcceptItem = Type.Object({
  materialId: Text,
  name: Text,
  form: MaterialForm,
  count: Type.Integer({ minimum: 0 }),
  /** 是否已收取: the agent checked it and it travels with the case. */
  provided: Type.Boolean(),
});
export type GovAcceptItem = Static<typeof GovAcceptItem>;

/**
 * 结果送达方式 (RESULT_DELIVERY): how the applicant receives the result. mail = 邮寄送达 by EMS to this
 * receiver (单程寄递, paid by the government); the platform prints it on the case and the centre hands the
 * result to the post instead of keeping it for 窗口领取. Personal data: request bodies only.
 */
export const GovDelivery = Type.Object(
  {
    mode: Type.Literal('mail'),
    receiver: Type.Object(
      {
        name: Text,
        mobile: Text,
        province: Text,
        city: Text,
        county: Text,
        detail: Text,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type GovDelivery = Static<typeof GovDelivery>;

export const GovCaseSubmission = Type.Object({
  /** Our booking/claim id: the idempotency key. */
  ourId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  serviceCode: Text,
  serviceVersion: Text,
  /** PROJECTNAME, e.g. "张三申请失业保险金申领" */
  projectName: Text,
  /** APPLY_TYPE: 0 person, 1 enterprise */
  applyType: Type.Union([Type.Literal(0), Type.Literal(1)]),
  /** The applicant: a person, or the enterprise (cardType 001, cardNumber = 统一社会信用代码). */
  applicant: Type.Object({
    name: Text,
    cardType: GovCardType,
    cardNumber: Text,
    mobile: Text,
    address: Text,
  }),
  /** 经办人 when an enterprise applies. */
  operator: Type.Optional(Person),
  /** ACCEPTLIST */
  acceptList: Type.Array(GovAcceptItem),
  /**
   * 一件事一次办: the bundle this case is one matter of. All matters of one application share applicationId; the
   * form carries the fields this matter asks for (personal data: request bodies only).
   */
  bundle: Type.Optional(
    Type.Object({
      code: Text,
      applicationId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
      situation: Text,
      form: Type.Record(Type.String(), Type.String()),
    }),
  ),
  /** BUS_MODE: 00 normal, 01 快递送达 (result delivered by EMS to the applicant's address) */
  busMode: literals('00', '01'),
  infoType: InfoTypeSchema,
  /**
   * 免申即享: the enterprise confirms what the platform screened (no materials travel). The round and amount
   * are the platform's own; size class, headcount and the account the money goes to are the enterprise's.
   */
  subsidy: Type.Optional(
    Type.Object({
      roundId: Text,
      amountFen: Type.Integer({ minimum: 1 }),
      sizeClass: literals('large', 'medium', 'small', 'micro'),
      headcount: Type.Integer({ minimum: 1 }),
      bankName: Text,
      bankAccount: Type.String({ pattern: '^[0-9]{8,32}$' }),
    }),
  ),
  /**
   * 邮寄申领: an enterprise not on the round's list claims with materials; the amount is the round's rate of
   * the last-year subsidy it states (the centre checks the voucher among the materials).
   */
  claim: Type.Optional(
    Type.Object({
      roundId: Text,
      lastYearFen: Type.Integer({ minimum: 1 }),
      ratePercent: Type.Integer({ minimum: 1, maximum: 100 }),
      amountFen: Type.Integer({ minimum: 1 }),
      headcount: Type.Integer({ minimum: 1 }),
      bankName: Text,
      bankAccount: Type.String({ pattern: '^[0-9]{8,32}$' }),
    }),
  ),
  /**
   * 网点就近办: taken at this outlet's government window (受理网点) rather than collected at a door. The platform
   * then issues the acceptance receipt's 查询码 (queryCode in the answer), as for any window case.
   */
  window: Type.Optional(Type.Object({ outletId: Text }, { additionalProperties: false })),
  /** 结果送达方式 chosen when applying (absent: the platform's default, 窗口领取 for a window case). */
  delivery: Type.Optional(GovDelivery),
  /** 委托全程代办: who acts for the applicant and the power of attorney (授权委托书) they hold. */
  entrusted: Type.Optional(
    Type.Object({
      agent: Type.Object({ ...Person.properties, organisation: Type.Optional(Text) }),
      powerOfAttorney: Type.Object({
        signedAt: Instant,
        scope: Text,
        validUntil: Type.Optional(Instant),
        /** The acceptList entry that carries the signed document, if any. */
        materialId: Type.Optional(Text),
      }),
    }),
  ),
});
export type GovCaseSubmission = Static<typeof GovCaseSubmission>;

export const GovSubmitResult = Type.Object({
  projId: Text,
  receivedAt: Instant,
  /** A window case's 查询码 (six digits), printed on its acceptance receipt beside the PROJID. */
  queryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
});
export type GovSubmitResult = Static<typeof GovSubmitResult>;

export const GovIdentityResult = Type.Object({ match: Type.Boolean() });

export const GovSupplement = Type.Object({
  /** 一次性告知: everything missing, at once. */
  items: Type.Array(Type.Object({ name: Text, reason: Text, materialId: Type.Optional(Text) }), {
    minItems: 1,
  }),
  requestedAt: Instant,
  /** End of the last working day to supplement (Beijing time). */
  deadline: Instant,
});
export type GovSupplement = Static<typeof GovSupplement>;

/** 不予受理决定书 / 退件通知书 */
export const GovRefusal = Type.Object({ reason: Text, documentName: Text });
export type GovRefusal = Static<typeof GovRefusal>;

export const GovSuspension = Type.Object({ reason: Text });

export const GovResult = Type.Object({ kind: ResultKind, issuedAt: Instant, documentName: Text });
export type GovResult = Static<typeof GovResult>;

/** 拨付: money paid to the enterprise's account for a 给付 case (免申即享 or a claim). */
export const GovPayment = Type.Object({
  amountFen: Type.Integer({ minimum: 1 }),
  /** Beijing date the money left the treasury. */
  paidOn: Type.String({ format: 'date' }),
  /** 银行账号 masked by the platform (****5678). */
  account: Text,
});
export type GovPayment = Static<typeof GovPayment>;

export const GovCaseEvent = Type.Object({
  stage: StageSchema,
  status: StatusSchema,
  at: Instant,
  note: Type.Optional(Type.String()),
});
export type GovCaseEvent = Static<typeof GovCaseEvent>;

export const GovCase = Type.Object({
  projId: Text,
  ourId: Text,
  serviceCode: Text,
  serviceVersion: Text,
  projectName: Text,
  busMode: literals('00', '01'),
  stage: StageSchema,
  status: StatusSchema,
  /** RECEIVETIME 收件 */
  receiveTime: Instant,
  /** ACCEPT_TIME 受理 */
  acceptTime: Type.Optional(Instant),
  /** PROMISEE_TIME: acceptance + the matter's promised working days, end of that day */
  promiseTime: Type.Optional(Instant),
  /** TRANSACT_TIME 办结 */
  transactTime: Type.Optional(Instant),
  supplement: Type.Optional(GovSupplement),
  suspension: Type.Optional(GovSuspension),
  refusal: Type.Optional(GovRefusal),
  result: Type.Optional(GovResult),
  payment: Type.Optional(GovPayment),
  history: Type.Array(GovCaseEvent),
});
export type GovCase = Static<typeof GovCase>;

/** What the platform pushes to `POST /api/v1/hooks/gov/cases` on every stage change, signed like our requests. */
export const GovCaseCallback = Type.Object({
  /** Unique per event: the platform re-sends until it gets a 2xx, so receivers dedupe on this. */
  eventId: Text,
  projId: Text,
  ourId: Text,
  serviceCode: Text,
  stage: StageSchema,
  status: StatusSchema,
  occurredAt: Instant,
  promiseTime: Type.Optional(Instant),
  supplement: Type.Optional(GovSupplement),
  suspension: Type.Optional(GovSuspension),
  refusal: Type.Optional(GovRefusal),
  result: Type.Optional(GovResult),
  /** On a concluded 给付 case: the money was paid (拨付). */
  payment: Type.Optional(GovPayment),
});
export type GovCaseCallback = Static<typeof GovCaseCallback>;

export const GovErrorBody = Type.Object({
  error: Type.Object({
    code: Text,
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  }),
});
export type GovErrorBody = Static<typeof GovErrorBody>;

/**
 * For a 快递送达 case (BUS_MODE 01) the applicant's materials travel to the centre by EMS: we tell the platform
 * when that waybill is signed for at the centre, and only then does the centre accept (受理) the case.
 */
export const GovMaterialsArrival = Type.Object(
  { waybillNo: Text, deliveredAt: Instant },
  { additionalProperties: false },
);
export type GovMaterialsArrival = Static<typeof GovMaterialsArrival>;
export const GovMaterialsArrivalResult = Type.Object({ projId: Text, stage: StageSchema });
export type GovMaterialsArrivalResult = Static<typeof GovMaterialsArrivalResult>;

/**
 * 补齐补正 done: the centre has the supplemented materials in hand (a 替你跑 bag received complete), so the case
 * can go on (受理 after 补正). Also used after 容缺受理, when the case never stopped. Idempotent on supplementId.
 */
export const GovSupplementPush = Type.Object(
  {
    supplementId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    items: Type.Array(Type.Object({ name: Text, materialId: Type.Optional(Text) }), { minItems: 1 }),
    receivedAt: Instant,
    /** The EMS waybill that carried them, when they came by post. */
    waybillNo: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type GovSupplementPush = Static<typeof GovSupplementPush>;
export const GovSupplementPushResult = Type.Object({ projId: Text, stage: StageSchema });
export type GovSupplementPushResult = Static<typeof GovSupplementPushResult>;

/**
 * 变更送达方式: the applicant chose result mailing after applying (e.g. by the window receipt's code). Allowed
 * until the result is handed over; a repeat with the same receiver changes nothing.
 */
export const GovDeliveryChangeResult = Type.Object({
  projId: Text,
  deliveryMode: Type.Literal('mail'),
  changedAt: Instant,
});
export type GovDeliveryChangeResult = Static<typeof GovDeliveryChangeResult>;

/**
 * 单程寄递 for a case applied for elsewhere (online, or at a window): does the applicant of this case match the
 * person asking? The query code (查询码) printed on the acceptance receipt proves they hold it; an unknown case
 * and a wrong query code get the same 404 CASE_NOT_FOUND, so the call cannot be used to probe case numbers.
 */
export const GovApplicantCheck = Type.Object(
  {
    queryCode: Text,
    applicant: Type.Object({ name: Text, cardType: GovCardType, cardNumber: Text }),
  },
  { additionalProperties: false },
);
export type GovApplicantCheck = Static<typeof GovApplicantCheck>;
export const GovApplicantCheckResult = Type.Union([
  Type.Object({ match: Type.Literal(false) }),
  Type.Object({
    match: Type.Literal(true),
    /** Where it was applied for: 网上申请 or 窗口. */
    applyChannel: literals('online', 'window'),
    /** The result was already handed over at the window (领取): nothing left to mail. */
    resultCollected: Type.Boolean(),
    case: GovCase,
  }),
]);
export type GovApplicantCheckResult = Static<typeof GovApplicantCheckResult>;

/**
 * One 好差评 rating reported to the platform (as provinces report them: case number, stage, matter, level,
 * indicators, reason tags, user type). No personal data: the platform knows the applicant by the case.
 * Idempotent on evaluationId.
 */
export const GovEvaluationReport = Type.Object(
  {
    evaluationId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    /** The id we gave the case (ourId); projId once the platform has numbered it (affairSerialNo). */
    ourId: Text,
    projId: Type.Optional(Text),
    serviceCode: Text,
    /** evalProcess: visit (上门收件), completion (办结), delivery (送达). */
    stage: Type.Union([Type.Literal('visit'), Type.Literal('completion'), Type.Literal('delivery')]),
    level: Type.Integer({ minimum: 1, maximum: 5 }),
    indicators: Type.Record(Type.String(), Type.Integer({ minimum: 1, maximum: 5 })),
    tags: Type.Array(Type.String()),
    userType: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
    evaluatedAt: Instant,
  },
  { additionalProperties: false },
);
export type GovEvaluationReport = Static<typeof GovEvaluationReport>;
export const GovEvaluationReportResult = Type.Object({ evaluationId: Text, receivedAt: Instant });
export type GovEvaluationReportResult = Static<typeof GovEvaluationReportResult>;

/** A rating found malicious on appeal (恶意差评申诉): it no longer counts. Idempotent. No reason travels (it may name people). */
export const GovEvaluationVoid = Type.Object({ voidedAt: Instant }, { additionalProperties: false });
export type GovEvaluationVoid = Static<typeof GovEvaluationVoid>;
export const GovEvaluationVoidResult = Type.Object({ evaluationId: Text, voidedAt: Instant });
export type GovEvaluationVoidResult = Static<typeof GovEvaluationVoidResult>;

/**
 * 企业登记信息查询: the enterprise registry (市场监管) behind the platform. Given a person's real-name identity it
 * also says whether they are the legal representative (法定代表人); the representative's identity never comes back.
 * An unknown code answers 404 ENTERPRISE_NOT_FOUND.
 */
export const GovEnterpriseLookup = Type.Object(
  {
    creditCode: Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }),
    person: Type.Optional(Type.Object({ name: Text, cardType: GovCardType, cardNumber: Text })),
  },
  { additionalProperties: false },
);
export type GovEnterpriseLookup = Static<typeof GovEnterpriseLookup>;
export const GovEnterpriseLookupResult = Type.Object({
  creditCode: Text,
  name: Text,
  address: Text,
  /** The legal representative's name, masked by the registry (林*). */
  legalRepresentative: Text,
  /** 登记状态: 存续 (in business), 注销 (dissolved), 吊销 (licence revoked). */
  status: literals('active', 'dissolved', 'revoked'),
  /** Present when a person was given: is that person the legal representative? */
  isLegalRepresentative: Type.Optional(Type.Boolean()),
});
export type GovEnterpriseLookupResult = Static<typeof GovEnterpriseLookupResult>;

/**
 * 免申即享 policy round (政策批次) as the platform publishes it: pushed to `POST /api/v1/hooks/gov/rounds` (signed
 * like stage callbacks); its screened list is fetched with fetchRoundList.
 */
export const GovRoundNotice = Type.Object({
  eventId: Text,
  roundId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  name: Text,
  /** The rule, as published (e.g. 按上年度稳岗补贴金额的50%给予配套资助). */
  rule: Text,
  /**
   * The rule as a rate of last year's subsidy, when it is one: enterprises the screening missed claim by post,
   * the amount computed from what they state.
   */
  ratePercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** The matter the confirmations become cases of (SERVICECODE). */
  serviceCode: Text,
  /** End of the last day to confirm. */
  deadline: Instant,
  /** Rows on the screened list. */
  listSize: Type.Integer({ minimum: 0 }),
  publishedAt: Instant,
});
export type GovRoundNotice = Static<typeof GovRoundNotice>;

export const GovScreenedRow = Type.Object({
  creditCode: Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }),
  name: Text,
  amountFen: Type.Integer({ minimum: 1 }),
  /** How the amount was computed, as the platform publishes it. */
  basis: Text,
});
export type GovScreenedRow = Static<typeof GovScreenedRow>;
export const GovRoundList = Type.Object({ roundId: Text, rows: Type.Array(GovScreenedRow) });
export type GovRoundList = Static<typeof GovRoundList>;

export interface GovPlatformApi {
  /** 企业登记信息查询 (read-only). */
  lookupEnterprise(q: GovEnterpriseLookup): Promise<GovEnterpriseLookupResult>;
  /** The whole screened list of a 免申即享 round (read-only). */
  fetchRoundList(roundId: string): Promise<GovRoundList>;
  /** One page of the matter catalogue; page on with nextCursor until it is absent. */
  fetchCatalogue(p?: { cursor?: string; limit?: number }): Promise<GovCataloguePage>;
  /** Real-name check (实名核验) against the public security population register. */
  checkIdentity(p: { name: string; idNumber: string }): Promise<{ match: boolean }>;
  /** Idempotent on c.ourId: a repeat returns the same PROJID and creates nothing. */
  submitCase(c: GovCaseSubmission): Promise<GovSubmitResult>;
  getCase(projId: string): Promise<GovCase>;
  /** The materials of a 快递送达 case reached the centre. Idempotent: a repeat changes nothing. */
  materialsArrived(projId: string, arrival: GovMaterialsArrival): Promise<GovMaterialsArrivalResult>;
  /** The supplement (补正材料) is complete at the centre. Idempotent on push.supplementId. */
  pushSupplement(projId: string, push: GovSupplementPush): Promise<GovSupplementPushResult>;
  /** 变更送达方式: the result of this case is to be mailed. Idempotent for the same receiver. */
  changeDelivery(projId: string, delivery: GovDelivery): Promise<GovDeliveryChangeResult>;
  /** Does this case (by its receipt's query code) belong to this applicant? Read-only. */
  checkApplicant(projId: string, check: GovApplicantCheck): Promise<GovApplicantCheckResult>;
  /** 好差评: one rating. Idempotent on report.evaluationId: a repeat stores nothing new. */
  reportEvaluation(report: GovEvaluationReport): Promise<GovEvaluationReportResult>;
  /** 好差评: a reported rating voided on appeal. Idempotent: a repeat keeps the first voidedAt. */
  voidEvaluation(evaluationId: string, v: GovEvaluationVoid): Promise<GovEvaluationVoidResult>;
}

/**
 * A failed platform call. `code` is the platform's own code when it answered (e.g. SERVICE_NOT_FOUND,
 * BAD_SIGNATURE), else UNREACHABLE, TIMEOUT or BAD_RESPONSE. `retryable` tells a job whether trying the same
 * call again later can succeed (network trouble, 5xx, 429) or a person must act (4xx, bad data).
 */
export class GovError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly details?: { field: string; message: string }[];

  constructor(
    code: string,
    message: string,
    opts: { retryable: boolean; status?: number; details?: { field: string; message: string }[] },
  ) {
    super(`gov ${code}: ${message}`);
    this.name = 'GovError';
    this.code = code;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.details = opts.details;
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** A compiled runtime check that reports at most a few `path: message` lines (enough to act on, short enough to log). */
export function checker<S extends TSchema>(schema: S): (value: unknown) => Checked<Static<S>> {
  const compiled = Compile(schema);
  return (value) => {
    if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
    const errors = [...compiled.Errors(value)]
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
    return { ok: false, errors };
  };
}

/** For the callback route: is this parsed JSON a well-formed stage callback? */
export const parseCaseCallback = checker(GovCaseCallback);
export const parseRoundNotice = checker(GovRoundNotice);
