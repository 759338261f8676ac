import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { VisitView } from '@zyt/shared';
import { useState } from 'react';
import { type ApiError, asApiError } from '@/api/errors';
import { CheckSubmit } from '@/staff/components/CheckSubmit';
import { LeaveBag } from '@/staff/components/LeaveBag';
import { OptionToggle, presenceOptions } from '@/staff/components/OptionToggle';
import { formLabel } from '@/staff/format';
import { Tag } from '@/ui/nutui';

interface Mark {
  present: boolean;
  copies: number;
}

const MAX_COPIES = 99;

function Stepper({
  value,
  onChange,
  label,
}: {
  value: number;
  onChange: (n: number) => void;
  label: string;
}) {
  const step = (delta: number) => {
    const next = Math.min(MAX_COPIES, Math.max(0, value + delta));
    if (next !== value) onChange(next);
  };
  return (
    <View className="stepper" aria-label={`${label}份数`}>
      <View
        className={`stepper__button${value <= 0 ? ' stepper__button--disabled' : ''}`}
        role="button"
        aria-label="减少一份"
        onClick={() => step(-1)}
      >
        −
      </View>
      <Text className="stepper__value">{value}</Text>
      <View
        className={`stepper__button${value >= MAX_COPIES ? ' stepper__button--disabled' : ''}`}
        role="button"
        aria-label="增加一份"
        onClick={() => step(1)}
      >
        +
      </View>
    </View>
  );
}

type ReviewItems = { materialId: string; present: boolean; copies: number }[];

/**
 * 初审: the agent at the door, or the clerk at a post-office window, checks every material on the matter's
 * checklist (有/无 and how many copies), then submits all of them at once. Nothing is pre-ticked: each item
 * must be looked at. The server decides the outcome: collected, or materials incomplete with one complete list
 * of what is missing (一次性告知).
 */
export function ReviewChecklist<T>({
  checklist,
  tolerantAcceptance = false,
  submit,
  onReviewed,
}: {
  checklist: VisitView['checklist'];
  /** 容缺受理 (door visits of matters that allow it): a bag can be left for what is missing. */
  tolerantAcceptance?: boolean;
  submit: (items: ReviewItems, tolerate?: { bagCode: string }) => Promise<T>;
  /** With `leftBag`: collected under 容缺受理, that bag left for what is missing. */
  onReviewed: (reviewed: T, leftBag?: string) => void;
}) {
  const [marks, setMarks] = useState<Record<string, Mark | undefined>>({});
  const [bagCode, setBagCode] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const mark = (materialId: string, next: Mark) => setMarks((m) => ({ ...m, [materialId]: next }));
  const unchecked = checklist.filter((m) => !marks[m.materialId]);
  const short = checklist.filter((m) => {
    const given = marks[m.materialId];
    return m.required && given && (!given.present || given.copies < m.count);
  });
  // 容缺受理 only when the matter allows it and something is missing; else the bag is not sent. A bundle's
  // (一件事): only when a matter asking for something missing allows it; the others wait for the bag.
  const bundleShort = short.filter((m) => m.matters);
  const tolerate =
    tolerantAcceptance &&
    unchecked.length === 0 &&
    short.length > 0 &&
    (bundleShort.length === 0 || bundleShort.some((m) => m.matters!.some((x) => x.tolerant)));
  const waitingMatters = [
    ...new Set(bundleShort.flatMap((m) => m.matters!.filter((x) => !x.tolerant).map((x) => x.name))),
  ];
  const leftBag = tolerate ? bagCode : undefined;

  /**
   * What the agent confirms before submitting: the complete list told to the resident (一次性告知), or every
   * item collected with its copies. The server decides the same way.
   */
  const summary = () => {
    const missing = short
      .map((m, i) => {
        const given = marks[m.materialId]!;
        return `${i + 1}. ${m.name}（${given.present ? `需${m.count}份，仅${given.copies}份` : '未提供'}）`;
      })
      .join('\n');
    if (short.length > 0 && !leftBag)
      return `将一次性告知居民缺少以下 ${short.length} 项材料，本次不收件：\n${missing}`;
    const taken = checklist.filter((m) => marks[m.materialId]?.present && marks[m.materialId]!.copies > 0);
    const collected = `收取以下 ${taken.length} 项材料：\n${taken
      .map((m, i) => `${i + 1}. ${m.name} ${marks[m.materialId]!.copies} 份`)
      .join('\n')}`;
    // 容缺受理: what is complete is collected; the rest goes in the bag left with the resident.
    return leftBag
      ? `${collected}\n缺少的 ${short.length} 项由快递袋 ${leftBag} 补寄：\n${missing}${
          waitingMatters.length > 0 ? `\n${waitingMatters.join('、')}不能容缺，材料寄到后再提交` : ''
        }`
      : collected;
  };

  const send = async () => {
    if (unchecked.length > 0) return;
    const { confirm } = await Taro.showModal({
      title: short.length > 0 && !leftBag ? '确认材料不齐' : leftBag ? '确认容缺受理' : '确认收件',
      content: summary(),
      confirmText: '确认提交',
      cancelText: '再核对',
    });
    if (!confirm) return;
    setBusy(true);
    setError(undefined);
    try {
      const items = checklist.map((m) => {
        const given = marks[m.materialId]!;
        return { materialId: m.materialId, present: given.present, copies: given.present ? given.copies : 0 };
      });
      const reviewed = await submit(items, leftBag ? { bagCode: leftBag } : undefined);
      onReviewed(reviewed, leftBag);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card review">
      <Text className="staff-title">初审：逐项核对材料</Text>
      <Text className="text-hint">
        按清单逐项选择“有”或“无”，核对份数。必需材料缺少或份数不够时，系统会一次性告知居民。
      </Text>
      {checklist.map((m) => {
        const given = marks[m.materialId];
        const isShort = m.required && given?.present && given.copies < m.count;
        return (
          <View key={m.materialId} className="review-item" id={`review-${m.materialId}`}>
            <View className="row">
              <Text className="text-body">{m.name}</Text>
              <Tag type={m.required ? 'danger' : 'default'}>{m.required ? '必需' : '非必需'}</Tag>
            </View>
            <Text className="text-hint">
              {formLabel(m.form)} {m.count} 份{m.note ? `；${m.note}` : ''}
            </Text>
            {m.matters && m.matters.length > 0 && (
              <Text className="text-hint review-matters">
                用于：{m.matters.map((x) => (x.tolerant ? `${x.name}（可容缺）` : x.name)).join('、')}
              </Text>
            )}
            <View className="review-controls">
              <OptionToggle
                label={m.name}
                options={presenceOptions}
                value={given?.present}
                onChange={(present) =>
                  mark(
                    m.materialId,
                    present
                      ? { present: true, copies: given?.present ? given.copies : m.count }
                      : { present: false, copies: 0 },
                  )
                }
              />
              {given?.present && (
                <Stepper
                  label={m.name}
                  value={given.copies}
                  onChange={(copies) => mark(m.materialId, { present: true, copies })}
                />
              )}
            </View>
            {isShort && <Text className="short">份数不足：需 {m.count} 份</Text>}
          </View>
        );
      })}
      {tolerate && <LeaveBag missing={short.length} bagCode={bagCode} onChange={setBagCode} busy={busy} />}
      {error && (
        <View className="notice" role="alert">
          <Text>{error.message}</Text>
          {error.details.map((d) => (
            <Text key={d.field}>{d.message}</Text>
          ))}
        </View>
      )}
      <CheckSubmit
        unchecked={unchecked.length}
        wrong={short.length > 0}
        outcome={
          leftBag
            ? `提交后收取齐全的材料，缺少的 ${short.length} 项由快递袋补寄`
            : short.length > 0
              ? `提交后将告知居民缺少 ${short.length} 项材料，本次不收件`
              : '必需材料齐全，提交后收件'
        }
        label="提交初审结果"
        busy={busy}
        onSubmit={send}
      />
    </View>
  );
}
