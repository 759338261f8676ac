import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import {
  type CallbackOutcome,
  callbackOutcomeLabels,
  callbackOutcomes,
  type EvaluationIndicator,
  type EvaluationLevel,
  type EvaluationReasonTag,
  evaluationIndicatorLabels,
  evaluationLevelLabels,
  evaluationReasonTagLabels,
  evaluationStageLabels,
  Role,
  type TicketDetail,
  ticketStatusLabels,
} from '@zyt/shared';
import { useState } from 'react';
import { assignTicket, closeTicket, getTicket, recordCallback, voidTicket } from '@/api/evaluations';
import { Kv } from '@/components/Kv';
import { Page } from '@/components/Page';
import { ErrorState, LoadingState } from '@/components/states';
import { beijingDateTime } from '@/lib/beijingTime';
import { useLoader } from '@/lib/useLoader';
import { routeParam } from '@/navigation';
import { RoleGate } from '@/staff/components/RoleGate';
import { StaffPicker, useStep } from '@/staff/components/staffSteps';
import { ticketTones } from '@/staff/format';
import { Button, Radio, Tag, TextArea } from '@/ui/nutui';
import '../../staff.css';

const level = (l: number) => evaluationLevelLabels[l as EvaluationLevel] ?? String(l);

/** Assigning (or reassigning) the person responsible for the fix; the server's refusal is shown beside the button. */
function Assign({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const [who, setWho] = useState(ticket.assignee?.id ?? '');
  const step = useStep(() => assignTicket(ticket.id, who), onDone);
  return (
    <View className="card" id="ticket-assign">
      <Text className="text-title">{ticket.assignee ? '改派整改负责人' : '指派整改负责人'}</Text>
      <StaffPicker value={who} onChange={setWho} />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        type="primary"
        size="large"
        loading={step.busy}
        onClick={() => step.go(() => (who ? undefined : '请选择整改负责人'))}
      >
        确认指派
      </Button>
    </View>
  );
}

function Callback({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const [outcome, setOutcome] = useState<CallbackOutcome | ''>('');
  const [note, setNote] = useState('');
  const step = useStep(() => recordCallback(ticket.id, outcome as CallbackOutcome, note.trim()), onDone);
  return (
    <View className="card" id="ticket-callback">
      <Text className="text-title">{ticket.callback ? '再次回访' : '回访记录（必填）'}</Text>
      <Radio.Group value={outcome} onChange={(v) => setOutcome(v as CallbackOutcome)}>
        <View className="bag-options">
          {callbackOutcomes.map((o) => (
            <Radio key={o} value={o}>
              {callbackOutcomeLabels[o]}
            </Radio>
          ))}
        </View>
      </Radio.Group>
      <TextArea
        value={note}
        maxLength={300}
        placeholder="回访情况，如：电话回访，群众表示理解"
        onChange={setNote}
      />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        size="large"
        loading={step.busy}
        onClick={() =>
          step.go(() =>
            !outcome ? '请选择回访结果' : [...note.trim()].length < 2 ? '请写明回访情况' : undefined,
          )
        }
      >
        保存回访记录
      </Button>
    </View>
  );
}

function Close({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const [reply, setReply] = useState('');
  const step = useStep(() => closeTicket(ticket.id, reply.trim()), onDone);
  return (
    <View className="card" id="ticket-close">
      <Text className="text-title">整改答复并办结</Text>
      <Text className="text-hint">答复内容会显示在群众的评价下方，请勿填写个人信息。</Text>
      <TextArea
        value={reply}
        maxLength={300}
        placeholder="如：已督促窗口一次性告知材料清单"
        onChange={setReply}
      />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        type="primary"
        size="large"
        loading={step.busy}
        onClick={() =>
          step.go(() => ([...reply.trim()].length < 5 ? '请填写整改答复（至少5个字）' : undefined))
        }
      >
        办结工单
      </Button>
    </View>
  );
}

function Appeal({ ticket, onDone }: { ticket: TicketDetail; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const step = useStep(() => voidTicket(ticket.id, reason.trim()), onDone);
  return (
    <View className="card" id="ticket-appeal">
      <Text className="text-title">恶意差评申诉</Text>
      <Text className="text-hint">经核实属恶意评价的，记录申诉理由后撤销该评价，不计入统计。</Text>
      <TextArea value={reason} maxLength={300} placeholder="核实情况和依据" onChange={setReason} />
      {step.error && <Text className="field__error">{step.error}</Text>}
      <Button
        size="large"
        loading={step.busy}
        onClick={() =>
          step.go(() => ([...reason.trim()].length < 5 ? '请写明申诉理由（至少5个字）' : undefined))
        }
      >
        申诉并撤销评价
      </Button>
    </View>
  );
}

function Ticket({ id }: { id: string }) {
  const loaded = useLoader(() => getTicket(id));
  const t = loaded.data;
  if (!t)
    return loaded.error ? (
      <ErrorState message={loaded.error.message} onRetry={loaded.reload} />
    ) : (
      <LoadingState />
    );
  const working = t.status === 'open' || t.status === 'assigned';
  return (
    <>
      <View className="card" id="ticket-head">
        <View className="row">
          <Text className="staff-title">{t.matterName}</Text>
          <View className="staff-tags">
            {t.overdue && <Tag type="danger">已超期</Tag>}
            <Tag type={ticketTones[t.status]}>{ticketStatusLabels[t.status]}</Tag>
          </View>
        </View>
        <Kv label="评价环节" value={evaluationStageLabels[t.stage]} />
        <Kv label="评价等级" value={level(t.level)} />
        {Object.entries(t.indicators).map(([k, v]) => (
          <Kv key={k} label={evaluationIndicatorLabels[k as EvaluationIndicator] ?? k} value={level(v)} />
        ))}
        <Kv
          label="不满意原因"
          value={
            t.tags.map((x) => evaluationReasonTagLabels[x as EvaluationReasonTag] ?? x).join('、') || '—'
          }
        />
        {t.comment && <Kv label="具体情况" value={t.comment} />}
        {t.caseNumber && <Kv label="办件编号" value={t.caseNumber} />}
        <Kv label="整改期限" value={`${t.dueDate}${t.dueProvisional ? '（预计）' : ''}`} />
      </View>
      <View className="card" id="ticket-history">
        <Text className="text-title">处理记录</Text>
        <Kv label="生成" value={beijingDateTime(t.createdAt)} />
        {t.assigned && (
          <Kv
            label="指派"
            value={`${t.assigned.by} 指派给 ${t.assignee?.label ?? ''}（${beijingDateTime(t.assigned.at)}）`}
          />
        )}
        {t.callback && (
          <Kv
            label="回访"
            value={`${callbackOutcomeLabels[t.callback.outcome]}：${t.callback.note}（${t.callback.by}，${beijingDateTime(t.callback.at)}）`}
          />
        )}
        {t.closed && (
          <Kv
            label="整改答复"
            value={`${t.closed.reply}（${t.closed.by}，${beijingDateTime(t.closed.at)}）`}
          />
        )}
        {t.appeal && (
          <Kv
            label="申诉撤销"
            value={`${t.appeal.reason}（${t.appeal.by}，${beijingDateTime(t.appeal.at)}）`}
          />
        )}
      </View>
      {working && t.canAssign && <Assign ticket={t} onDone={loaded.reload} />}
      {t.canWork && <Callback ticket={t} onDone={loaded.reload} />}
      {t.canWork && t.callback && <Close ticket={t} onDone={loaded.reload} />}
      {t.canWork && !t.callback && (
        <Text className="text-hint" id="ticket-close-hint">
          回访并记录结果后才能办结工单。
        </Text>
      )}
      {working && t.canAssign && <Appeal ticket={t} onDone={loaded.reload} />}
    </>
  );
}

/** 整改工单: assign (supervisors), record the call-back, close with a reply, or void by appeal (supervisors). */
export default function TicketPage() {
  const id = routeParam(useRouter().params, 'id') ?? '';
  return (
    <Page className="ticket">
      <RoleGate roles={[Role.supervisor, Role.postalAgent, Role.centreClerk]} what="处理整改工单">
        <Ticket id={id} />
      </RoleGate>
    </Page>
  );
}
