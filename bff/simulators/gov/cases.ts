import { randomUUID } from 'node:crypto';
import { addWorkingDays, beijingDate, endOfBeijingDay } from '@zyt/shared';
import type {
  GovCase,
  GovCaseCallback,
  GovCaseEvent,
  GovCaseStatus,
  GovCaseSubmission,
  GovDelivery,
  GovMatter,
  GovStage,
  GovSupplement,
} from '../../src/integrations/gov/types';
import { createStateFile } from '../stateFile';
import type { CallbackOutbox } from './callbacks';

/**
 * The simulated platform's case book: cases move 收件 → 受理 → 审核 → 办结 on a clock that can run faster than
 * real time, unless a script sends them another way (补齐补正, 挂起, 不予受理, 退件). Every stage change goes to
 * the callback outbox. Timestamps are real instants; only the waiting between stages is compressed.
 */
export const OUTCOMES = ['normal', 'supplement', 'refused', 'suspended', 'returned', 'unpaid'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Script {
  outcome: Outcome;
  /** Supplement items (补齐补正); default: two materials of the matter. */
  items?: GovSupplement['items'];
  /** Reason for 不予受理, 退件 or 挂起. */
  reason?: string;
}

/** Simulated seconds spent in a stage before the next one, at speed 1. */
const STAGE_SECONDS: Partial<Record<GovStage, number>> = { '1': 30, '2': 60, '3': 120, '12': 90 };
/** From 办结 of a 免申即享 case to 拨付 (the treasury's run), at speed 1. */
const PAY_SECONDS = 120;
/** How often a bundle's case waiting for another matter's result looks again. */
const DEPENDENCY_RECHECK_SECONDS = 15;
/** From supplement received to 受理. */
const AFTER_SUPPLEMENT_SECONDS = 30;
/** Working days the applicant has to supplement (补正期限). */
const SUPPLEMENT_WORKING_DAYS = 5;

const iso = (d: Date) => d.toISOString();
const endOfWorkingDay = (from: Date, days: number) =>
  iso(endOfBeijingDay(addWorkingDays(beijingDate(from), days).date));

interface SimCase {
  view: GovCase;
  matter: GovMatter;
  script: Script;
  supplementDone: boolean;
  suspensionDone: boolean;
  /** Who applied, as received (for tests): APPLY_TYPE, card type and number, the operator's card type. */
  applicant: {
    applyType: 0 | 1;
    name: string;
    cardType: string;
    cardNumber: string;
    operatorCardType?: string;
  };
  /** 快递送达 (BUS_MODE 01): the waybill of the materials once they reached the centre; the case waits for it. */
  materialsWaybill?: string;
  /** 免申即享: what the enterprise confirmed; paid (拨付) after 办结 unless scripted 'unpaid'. */
  subsidy?: NonNullable<GovCaseSubmission['subsidy']>;
  /** 邮寄申领: what the enterprise claimed; paid like a confirmation once concluded. */
  claim?: NonNullable<GovCaseSubmission['claim']>;
  /** Supplements pushed to this case (补正材料 received at the centre), by the sender's supplementId. */
  supplementsPushed?: string[];
  /** 容缺受理: taken with required materials missing; it cannot be concluded until a supplement is pushed. */
  toleratedMissing?: boolean;
  /** Simulated ms at which the case moves on; undefined while it waits (补正) or has ended. */
  dueAt?: number;
  /** A case applied for elsewhere (online or at a window): its receipt's 查询码, and where it came in. */
  receipt?: { queryCode: string; applyChannel: 'online' | 'window' };
  /** The result was handed over at the window (领取). */
  resultCollected?: boolean;
  /** 网点就近办: the outlet whose window took the case (submitted with `window`). */
  windowOutletId?: string;
  /** 结果送达方式 as the applicant chose it (with the submission or changed later): the result is mailed. */
  delivery?: GovDelivery & { changedAt: string; via: 'submission' | 'change' };
  /** 一件事一次办: the application it belongs to and the matters (codes) whose results it waits for. */
  bundle?: { code: string; applicationId: string; dependsOn: string[] };
}

/** Simulated time: runs `speed` times faster than the wall clock and can jump ahead. */
class SimClock {
  private virtual = 0;
  private lastReal = Date.now();
  constructor(private speedFactor: number) {}
  now(): number {
    const real = Date.now();
    this.virtual += (real - this.lastReal) * this.speedFactor;
    this.lastReal = real;
    return this.virtual;
  }
  get speed() {
    return this.speedFactor;
  }
  setSpeed(speed: number) {
    this.now();
    this.speedFactor = speed;
  }
  advance(ms: number) {
    this.now();
    this.virtual += ms;
  }
  /** Continues from a saved simulated time. */
  restore(virtual: number) {
    this.virtual = virtual;
    this.lastReal = Date.now();
  }
}

/** What a restart keeps (stateFile); matters are looked up again by service code. */
interface CaseBookState {
  now: number;
  sequence: number;
  cases: (Omit<SimCase, 'matter'> & { serviceCode: string })[];
  submissions: [string, number][];
  scripts: { byOurId: [string, Script][]; byServiceCode: [string, Script][]; next: Script[] };
}

export function createCaseBook(opts: {
  outbox: CallbackOutbox;
  speed: number;
  tickMs?: number;
  /** Keeps cases, scripts and the clock in this JSON file across restarts. */
  stateFile?: string;
  /** The catalogue's matters by service code, to restore saved cases. */
  matterOf?: (serviceCode: string) => GovMatter | undefined;
  /** 一件事一次办: the matters (codes) whose result a matter of a bundle waits for. */
  dependsOn?: (bundle: { code: string; situation: string }, serviceCode: string) => string[];
}) {
  const clock = new SimClock(opts.speed);
  const cases = new Map<string, SimCase>();
  const byOurId = new Map<string, string>();
  /** How many submit requests arrived per ourId (repeats included), for idempotency tests. */
  const submissions = new Map<string, number>();
  const scripts = {
    byOurId: new Map<string, Script>(),
    byServiceCode: new Map<string, Script>(),
    next: [] as Script[],
  };
  let sequence = 0;
  const stateFile = createStateFile<CaseBookState>(opts.stateFile);
  const saved = stateFile.load();
  if (saved) {
    clock.restore(saved.now);
    sequence = saved.sequence;
    for (const { serviceCode, ...rest } of saved.cases) {
      const matter = opts.matterOf?.(serviceCode);
      if (!matter) continue;
      cases.set(rest.view.projId, { ...rest, matter });
      byOurId.set(rest.view.ourId, rest.view.projId);
    }
    for (const [k, v] of saved.submissions) submissions.set(k, v);
    for (const [k, v] of saved.scripts.byOurId) scripts.byOurId.set(k, v);
    for (const [k, v] of saved.scripts.byServiceCode) scripts.byServiceCode.set(k, v);
    scripts.next.push(...saved.scripts.next);
  }
  const saveState = () =>
    stateFile.save({
      now: clock.now(),
      sequence,
      cases: [...cases.values()].map(({ matter, ...rest }) => ({ ...rest, serviceCode: matter.serviceCode })),
      submissions: [...submissions],
      scripts: {
        byOurId: [...scripts.byOurId],
        byServiceCode: [...scripts.byServiceCode],
        next: scripts.next,
      },
    });

  function projIdFor(now: Date): string {
    sequence++;
    return `440112${beijingDate(now).replaceAll('-', '')}${String(sequence).padStart(6, '0')}`;
  }

  function schedule(c: SimCase, seconds: number | undefined) {
    c.dueAt = seconds === undefined ? undefined : clock.now() + seconds * 1000;
  }

  function move(
    c: SimCase,
    stage: GovStage,
    status: GovCaseStatus,
    note: string,
    extra: Partial<GovCaseCallback> = {},
  ) {
    const at = iso(new Date());
    c.view.stage = stage;
    c.view.status = status;
    const event: GovCaseEvent = { stage, status, at, note };
    c.view.history.push(event);
    opts.outbox.enqueue(c.view.projId, {
      eventId: randomUUID(),
      projId: c.view.projId,
      ourId: c.view.ourId,
      serviceCode: c.view.serviceCode,
      stage,
      status,
      occurredAt: at,
      ...extra,
    });
  }

  function defaultItems(matter: GovMatter): GovSupplement['items'] {
    const required = matter.materials.find((mt) => mt.required);
    const last = matter.materials.at(-1);
    const items: GovSupplement['items'] = [];
    if (required)
      items.push({
        materialId: required.id,
        name: required.name,
        reason: '复印件字迹模糊，无法辨认，请补交清晰的材料',
      });
    if (last && last !== required)
      items.push({ materialId: last.id, name: last.name, reason: '未提交该材料，请补交' });
    return items.length > 0 ? items : [{ name: '补充说明材料', reason: '请补充说明申请事由' }];
  }

  /** One step of the lifecycle; the script decides the branches. */
  function step(c: SimCase) {
    const v = c.view;
    const now = new Date();
    const { outcome } = c.script;
    switch (v.stage) {
      case '1': {
        if (outcome === 'refused') {
          v.refusal = {
            reason: c.script.reason ?? '经审查，申请人不属于本事项的服务对象，不符合受理条件',
            documentName: '不予受理决定书',
          };
          move(c, '99', 'refused', `不予受理：${v.refusal.reason}`, { refusal: v.refusal });
          return schedule(c, undefined);
        }
        if (outcome === 'supplement' && !c.supplementDone) {
          v.supplement = {
            items: c.script.items ?? defaultItems(c.matter),
            requestedAt: iso(now),
            deadline: endOfWorkingDay(now, SUPPLEMENT_WORKING_DAYS),
          };
          move(
            c,
            '11',
            'supplement_required',
            `需补齐补正：${v.supplement.items.map((i) => i.name).join('、')}`,
            {
              supplement: v.supplement,
            },
          );
          return schedule(c, undefined);
        }
        return accept(c, now, '予以受理');
      }
      case '11':
        return accept(c, now, '补正材料已收到，予以受理');
      case '2':
        if (outcome === 'suspended' && !c.suspensionDone) {
          v.suspension = { reason: c.script.reason ?? '需现场勘查，办理时限中止计算' };
          move(c, '12', 'suspended', `挂起：${v.suspension.reason}`, { suspension: v.suspension });
          return schedule(c, STAGE_SECONDS['12']);
        }
        move(c, '3', 'in_progress', '进入审核');
        return schedule(c, reviewSeconds(c));
      case '12':
        c.suspensionDone = true;
        v.suspension = undefined;
        move(c, '3', 'in_progress', '恢复办理，进入审核');
        return schedule(c, reviewSeconds(c));
      case '3': {
        // 容缺受理: examined, but not concluded until the missing materials arrive (pushSupplement resumes it).
        if (c.toleratedMissing) return schedule(c, undefined);
        // 一件事: concluded only after the matters it depends on (e.g. 社会保障卡 after 户口登记); looked at again soon.
        if (c.bundle && waitingOnOthers(c)) return schedule(c, DEPENDENCY_RECHECK_SECONDS);
        if (outcome === 'returned') {
          v.refusal = {
            reason: c.script.reason ?? '申请人申请撤回，申请材料予以退回',
            documentName: '退件通知书',
          };
          move(c, '99', 'returned', `退件：${v.refusal.reason}`, { refusal: v.refusal });
          return schedule(c, undefined);
        }
        v.transactTime = iso(now);
        v.result = {
          // A 免申即享 decision is an electronic notice: nothing to mail, the money is the outcome.
          kind: c.subsidy || c.claim ? 'electronic' : c.matter.result.kind,
          issuedAt: v.transactTime,
          documentName: c.matter.result.documentName,
        };
        move(c, '4', 'completed', `办结：${v.result.documentName}`, { result: v.result });
        return schedule(c, (c.subsidy || c.claim) && outcome !== 'unpaid' ? PAY_SECONDS : undefined);
      }
      case '4': {
        const payout = c.subsidy ?? c.claim;
        if (payout && !v.payment) {
          v.payment = {
            amountFen: payout.amountFen,
            paidOn: beijingDate(now),
            account: `****${payout.bankAccount.slice(-4)}`,
          };
          move(c, '4', 'completed', `已拨付 ¥${(v.payment.amountFen / 100).toFixed(2)}`, {
            result: v.result,
            payment: v.payment,
          });
        }
        return schedule(c, undefined);
      }
      default:
        return schedule(c, undefined);
    }
  }

  /** Cases of the same application it waits for that are not concluded, or not submitted yet. */
  function waitingOnOthers(c: SimCase): boolean {
    const { applicationId, dependsOn } = c.bundle!;
    return dependsOn.some((code) => {
      const other = [...cases.values()].find(
        (o) => o.bundle?.applicationId === applicationId && o.view.serviceCode === code,
      );
      return other?.view.stage !== '4';
    });
  }

  /** Review takes longer for matters with a longer promise: a bundle's results come in over days, not at once. */
  function reviewSeconds(c: SimCase): number {
    return c.bundle ? STAGE_SECONDS['3']! + c.matter.promisedWorkingDays * 30 : STAGE_SECONDS['3']!;
  }

  function accept(c: SimCase, now: Date, note: string) {
    c.supplementDone = true;
    c.view.acceptTime = iso(now);
    c.view.promiseTime = endOfWorkingDay(now, c.matter.promisedWorkingDays);
    move(c, '2', 'in_progress', note, { promiseTime: c.view.promiseTime });
    schedule(c, STAGE_SECONDS['2']);
  }

  const ticker = setInterval(() => {
    const now = clock.now();
    for (const c of cases.values()) {
      // A slow clock moves one step per tick; a fast one may owe several, which the next ticks deliver in order.
      if (c.dueAt !== undefined && c.dueAt <= now) step(c);
    }
  }, opts.tickMs ?? 20);
  ticker.unref();
  const saver = setInterval(saveState, 1000);
  saver.unref();

  function scriptFor(sub: GovCaseSubmission): Script {
    return (
      scripts.byOurId.get(sub.ourId) ??
      scripts.next.shift() ??
      scripts.byServiceCode.get(sub.serviceCode) ?? { outcome: 'normal' }
    );
  }

  return {
    clock,
    countSubmission(ourId: string) {
      submissions.set(ourId, (submissions.get(ourId) ?? 0) + 1);
    },
    findByOurId(ourId: string): GovCase | undefined {
      const projId = byOurId.get(ourId);
      return projId ? cases.get(projId)?.view : undefined;
    },
    get(projId: string): GovCase | undefined {
      return cases.get(projId)?.view;
    },
    /** Registers a validated submission at stage 1 (收件). */
    create(sub: GovCaseSubmission, matter: GovMatter): GovCase {
      const now = new Date();
      const view: GovCase = {
        projId: projIdFor(now),
        ourId: sub.ourId,
        serviceCode: sub.serviceCode,
        serviceVersion: sub.serviceVersion,
        projectName: sub.projectName,
        busMode: sub.busMode,
        stage: '1',
        status: 'in_progress',
        receiveTime: iso(now),
        history: [],
      };
      const c: SimCase = {
        view,
        matter,
        script: scriptFor(sub),
        supplementDone: false,
        suspensionDone: false,
        applicant: {
          applyType: sub.applyType,
          name: sub.applicant.name,
          cardType: sub.applicant.cardType,
          cardNumber: sub.applicant.cardNumber,
          ...(sub.operator ? { operatorCardType: sub.operator.cardType } : {}),
        },
        ...(sub.subsidy ? { subsidy: sub.subsidy } : {}),
        ...(sub.claim ? { claim: sub.claim } : {}),
        ...(sub.bundle
          ? {
              bundle: {
                code: sub.bundle.code,
                applicationId: sub.bundle.applicationId,
                dependsOn: opts.dependsOn?.(sub.bundle, sub.serviceCode) ?? [],
              },
            }
          : {}),
      };
      if (sub.window) c.windowOutletId = sub.window.outletId;
      if (sub.delivery) c.delivery = { ...sub.delivery, changedAt: iso(now), via: 'submission' };
      const provided = new Set(sub.acceptList.filter((a) => a.provided).map((a) => a.materialId));
      if (!sub.subsidy && matter.materials.some((mt) => mt.required && !provided.has(mt.id)))
        c.toleratedMissing = true;
      cases.set(view.projId, c);
      byOurId.set(sub.ourId, view.projId);
      // A 快递送达 case is only examined once its materials are in the centre's hands.
      move(c, '1', 'in_progress', sub.busMode === '01' ? '已收件（快递送达），待申请材料寄达' : '已收件');
      schedule(c, sub.busMode === '01' ? undefined : STAGE_SECONDS['1']);
      return view;
    },
    /**
     * A case applied for online or at a window (not through us): registered like a submission, with the
     * receipt's query code. A seeding control for tests and the demo.
     */
    openElsewhere(
      sub: GovCaseSubmission,
      matter: GovMatter,
      receipt: { queryCode: string; applyChannel: 'online' | 'window' },
    ): GovCase {
      const view = this.create(sub, matter);
      cases.get(view.projId)!.receipt = receipt;
      return view;
    },
    /** The receipt's query code of a case taken at a window (ours or elsewhere), if any. */
    receiptOf(projId: string): { queryCode: string; applyChannel: 'online' | 'window' } | undefined {
      return cases.get(projId)?.receipt;
    },
    /** The applicant check of 单程寄递: same answer for an unknown case and a wrong query code. */
    checkApplicant(
      projId: string,
      queryCode: string,
      who: { name: string; cardType: string; cardNumber: string },
    ):
      | 'not_found'
      | { match: false }
      | { match: true; applyChannel: 'online' | 'window'; resultCollected: boolean; case: GovCase } {
      const c = cases.get(projId);
      if (!c?.receipt || c.receipt.queryCode !== queryCode) return 'not_found';
      const a = c.applicant;
      if (
        a.name !== who.name ||
        a.cardType !== who.cardType ||
        a.cardNumber.toUpperCase() !== who.cardNumber.toUpperCase()
      )
        return { match: false };
      return {
        match: true,
        applyChannel: c.receipt.applyChannel,
        resultCollected: c.resultCollected ?? false,
        case: c.view,
      };
    },
    /**
     * 变更送达方式: the result is to be mailed to this receiver. Refused once the case is closed or its result
     * handed over at the window; the same receiver again changes nothing.
     */
    changeDelivery(
      projId: string,
      delivery: GovDelivery,
    ): { changedAt: string } | 'not_found' | 'closed' | 'collected' | 'not_mailable' {
      const c = cases.get(projId);
      if (!c) return 'not_found';
      if (c.matter.channels.mail === 'none') return 'not_mailable';
      if (c.resultCollected) return 'collected';
      if (c.view.stage === '99') return 'closed';
      const same = c.delivery && JSON.stringify(c.delivery.receiver) === JSON.stringify(delivery.receiver);
      if (!same) c.delivery = { ...delivery, changedAt: new Date().toISOString(), via: 'change' };
      return { changedAt: c.delivery!.changedAt };
    },
    /** The applicant collected the result at the window (领取). */
    collectResult(projId: string): GovCase | 'not_found' | 'not_completed' {
      const c = cases.get(projId);
      if (!c) return 'not_found';
      if (c.view.stage !== '4') return 'not_completed';
      c.resultCollected = true;
      return c.view;
    },
    /** The EMS leg carrying a 快递送达 case's materials was signed for at the centre: examination starts. */
    materialsArrived(
      projId: string,
      waybillNo: string,
    ): GovCase | 'not_found' | 'not_by_post' | 'other_waybill' {
      const c = cases.get(projId);
      if (!c) return 'not_found';
      if (c.view.busMode !== '01') return 'not_by_post';
      if (c.materialsWaybill) return c.materialsWaybill === waybillNo ? c.view : 'other_waybill';
      c.materialsWaybill = waybillNo;
      if (c.view.stage === '1') schedule(c, STAGE_SECONDS['1']);
      return c.view;
    },
    /** The centre confirms the supplement arrived (替你跑 bag received); the case resumes. */
    supplementReceived(projId: string): 'ok' | 'not_found' | 'not_waiting' {
      const c = cases.get(projId);
      if (!c) return 'not_found';
      if (c.view.stage !== '11' || c.dueAt !== undefined) return 'not_waiting';
      schedule(c, AFTER_SUPPLEMENT_SECONDS);
      return 'ok';
    },
    /**
     * pushSupplement: the supplement is complete at the centre. A case waiting in 补齐补正 resumes (受理 follows);
     * a case accepted under 容缺受理 just records it. A repeat of one supplementId changes nothing.
     */
    supplementPushed(projId: string, supplementId: string): GovCase | 'not_found' | 'closed' {
      const c = cases.get(projId);
      if (!c) return 'not_found';
      c.supplementsPushed ??= [];
      const pushed = c.supplementsPushed;
      if (pushed.includes(supplementId)) return c.view;
      if (['4', '99'].includes(c.view.stage)) return 'closed';
      pushed.push(supplementId);
      if (c.view.stage === '11' && c.dueAt === undefined) schedule(c, AFTER_SUPPLEMENT_SECONDS);
      if (c.toleratedMissing) {
        c.toleratedMissing = false;
        if (c.view.stage === '3' && c.dueAt === undefined) schedule(c, STAGE_SECONDS['3']);
      }
      return c.view;
    },
    /** Returns the case the script now applies to, if it already exists. */
    setScript(
      target: { ourId: string } | { serviceCode: string } | 'next',
      script: Script,
    ): string | undefined {
      if (target === 'next') {
        scripts.next.push(script);
        return undefined;
      }
      if ('serviceCode' in target) {
        scripts.byServiceCode.set(target.serviceCode, script);
        return undefined;
      }
      scripts.byOurId.set(target.ourId, script);
      const existing = byOurId.get(target.ourId);
      const c = existing ? cases.get(existing) : undefined;
      if (c) c.script = script;
      return existing;
    },
    list() {
      return [...cases.values()].map((c) => ({
        projId: c.view.projId,
        ourId: c.view.ourId,
        serviceCode: c.view.serviceCode,
        stage: c.view.stage,
        status: c.view.status,
        outcome: c.script.outcome,
        applicant: c.applicant,
        busMode: c.view.busMode,
        materialsWaybill: c.materialsWaybill ?? null,
        supplementsPushed: c.supplementsPushed ?? [],
        receipt: c.receipt ?? null,
        windowOutletId: c.windowOutletId ?? null,
        delivery: c.delivery ?? null,
        resultCollected: c.resultCollected ?? false,
        subsidy: c.subsidy ?? null,
        claim: c.claim ?? null,
        payment: c.view.payment ?? null,
        bundle: c.bundle ?? null,
        completedAt: c.view.transactTime ?? null,
        waitingForMaterials: c.view.busMode === '01' && !c.materialsWaybill && c.view.stage === '1',
        submissions: submissions.get(c.view.ourId) ?? 0,
        callbacks: opts.outbox.stats(c.view.projId),
      }));
    },
    submissionCounts: () => Object.fromEntries(submissions),
    reset() {
      cases.clear();
      byOurId.clear();
      submissions.clear();
      scripts.byOurId.clear();
      scripts.byServiceCode.clear();
      scripts.next.length = 0;
      clock.setSpeed(opts.speed);
    },
    stop() {
      clearInterval(ticker);
      clearInterval(saver);
      saveState();
    },
  };
}
export type CaseBook = ReturnType<typeof createCaseBook>;
