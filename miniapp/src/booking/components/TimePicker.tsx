import { Text, View } from '@tarojs/components';
import type { SlotsResponse } from '@zyt/shared';
import { useEffect, useRef, useState } from 'react';
import { getSlots } from '@/api/bookings';
import { type ApiError, asApiError } from '@/api/errors';
import { beijingClock, beijingDay, beijingDayLabel } from '@/lib/beijingTime';

export type Slot = SlotsResponse['slots'][number];
/** The visit time the person chose: as soon as possible, or one slot. */
export type WindowChoice = { kind: 'asap' } | { kind: 'slot'; slot: Slot };

/** Typing a county should not query on every keystroke. */
const COUNTY_SETTLE_MS = 400;

/** Slots grouped by Beijing day, in order. */
export function byDay(slots: Slot[]): { day: string; label: string; slots: Slot[] }[] {
  const days: { day: string; label: string; slots: Slot[] }[] = [];
  for (const slot of slots) {
    const day = beijingDay(slot.start);
    const last = days[days.length - 1];
    if (last?.day === day) last.slots.push(slot);
    else days.push({ day, label: beijingDayLabel(slot.start), slots: [slot] });
  }
  return days;
}

/**
 * 尽快上门, or a 2-hour slot from the serving post office's list, grouped by day with the places left.
 * `reloadKey` changes when the list must be fetched again (a slot filled up meanwhile).
 */
export function TimePicker({
  matterCode,
  county,
  value,
  onChange,
  error,
  reloadKey = 0,
  onArea,
}: {
  matterCode: string;
  county: string;
  value: WindowChoice | null;
  onChange: (choice: WindowChoice) => void;
  error?: string;
  reloadKey?: number;
  /** Told as soon as the county is known to be served (null) or not (the refusal, in words). */
  onArea?: (refusal: string | null) => void;
}) {
  const [slots, setSlots] = useState<SlotsResponse>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const areaListener = useRef(onArea);
  areaListener.current = onArea;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks for a fresh list on purpose.
  useEffect(() => {
    const place = county.trim();
    if (!place) {
      setSlots(undefined);
      areaListener.current?.(null);
      return;
    }
    const call = ++latest.current;
    const timer = setTimeout(() => {
      setLoading(true);
      setLoadError(undefined);
      getSlots(matterCode, place).then(
        (found) => {
          if (call !== latest.current) return;
          setSlots(found);
          setLoading(false);
          areaListener.current?.(null);
        },
        (e: unknown) => {
          if (call !== latest.current) return;
          const error = asApiError(e);
          setSlots(undefined);
          setLoadError(error);
          setLoading(false);
          if (error.code === 'AREA_NOT_SERVED')
            areaListener.current?.(error.fieldMessage('county') ?? error.message);
        },
      );
    }, COUNTY_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [matterCode, county, reloadKey]);

  const chosenSlot = value?.kind === 'slot' ? value.slot.id : undefined;
  const slotList = () => {
    if (!county.trim()) return <Text className="text-hint">填写区县后显示可预约的时段</Text>;
    if (loading && !slots) return <Text className="text-hint">正在查询可预约的时段…</Text>;
    if (loadError)
      return <Text className="field__error">{loadError.fieldMessage('county') ?? loadError.message}</Text>;
    if (!slots) return null;
    if (slots.slots.length === 0)
      return <Text className="text-hint">近几个工作日的时段都已约满，可以选择“尽快上门”。</Text>;
    return (
      <>
        <Text className="text-hint">由{slots.outlet.name}的政邮专员上门，每个时段 2 小时</Text>
        {byDay(slots.slots).map((day) => (
          <View key={day.day} className="slot-day">
            <Text className="slot-day__label">{day.label}</Text>
            <View className="slot-grid">
              {day.slots.map((slot) => {
                const chosen = slot.id === chosenSlot;
                return (
                  <View
                    key={slot.id}
                    className={`choice slot${chosen ? ' choice--chosen' : ''}`}
                    role="radio"
                    aria-checked={chosen}
                    onClick={() => onChange({ kind: 'slot', slot })}
                  >
                    <Text className="choice__title">
                      {beijingClock(slot.start)}–{beijingClock(slot.end)}
                    </Text>
                    <Text className="choice__hint">剩余 {slot.remaining} 个名额</Text>
                  </View>
                );
              })}
            </View>
          </View>
        ))}
      </>
    );
  };

  const asap = value?.kind === 'asap';
  return (
    <View className="choices" role="radiogroup" aria-label="上门时间">
      <View
        className={`choice choice--asap${asap ? ' choice--chosen' : ''}`}
        role="radio"
        aria-checked={asap}
        onClick={() => onChange({ kind: 'asap' })}
      >
        <Text className="choice__title">尽快上门</Text>
        <Text className="choice__hint">专员接单后 1 小时内上门</Text>
      </View>
      <Text className="text-body">或预约一个时段：</Text>
      {slotList()}
      {error && (
        <Text className="field__error" id="booking-window-error">
          {error}
        </Text>
      )}
    </View>
  );
}
