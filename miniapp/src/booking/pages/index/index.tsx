import Taro, { useRouter } from '@tarojs/taro';
import {
  type BundleGuide,
  bundleForSituation,
  checkBundleForm,
  type MatterGuide,
  materialFormLabels,
  type RebookDraft,
} from '@zyt/shared';
import { useState } from 'react';
import { getRebookDraft } from '@/api/bookings';
import { getBundleGuide } from '@/api/bundles';
import { getMatterGuide } from '@/api/catalogue';
import { BookingForm } from '@/booking/components/BookingForm';
import { BundleForm } from '@/booking/components/BundleForm';
import { MatterPicker } from '@/booking/components/MatterPicker';
import { ResidentGate } from '@/booking/components/ResidentGate';
import { Page } from '@/components/Page';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useLoader } from '@/lib/useLoader';
import { routeParam, routes, withQuery } from '@/navigation';
import { Button } from '@/ui/nutui';
import '../../booking.css';

/** Why a matter cannot be booked for a door visit by a resident, or null when it can. */
function notBookable(matter: MatterGuide): { title: string; text: string } | null {
  if (matter.applicantType === 'enterprise') {
    return {
      title: '该事项需由企业办理',
      text: `“${matter.name}”的服务对象是企业（法人），需由企业作为申请人办理，不能以个人身份预约。`,
    };
  }
  if (!matter.channels.doorPickup) {
    return {
      title: '该事项不支持上门收件',
      text: `“${matter.name}”请到网点办理，或查看办事指南了解其他办理方式。`,
    };
  }
  return null;
}

/** The matter's guide decides what can be booked: door pickup must be on, and it gives the checklist. */
function BookMatter({ matterCode, draft }: { matterCode: string; draft?: RebookDraft }) {
  const guide = useLoader(() => getMatterGuide(matterCode));
  if (guide.loading) return <LoadingState />;
  if (guide.error) return <ErrorState message={guide.error.message} onRetry={guide.reload} />;
  const matter = guide.data;
  if (!matter) return null;
  const refusal = notBookable(matter);
  if (refusal) {
    return (
      <EmptyState title={refusal.title} text={refusal.text}>
        <Button
          type="primary"
          size="large"
          onClick={() => Taro.redirectTo({ url: withQuery(routes.guide, { code: matter.code }) })}
        >
          查看办事指南
        </Button>
      </EmptyState>
    );
  }
  return (
    <BookingForm
      matter={matter}
      draft={draft}
      onBooked={(booking) =>
        Taro.redirectTo({ url: withQuery(routes.bookingDone, { id: booking.id, number: booking.number }) })
      }
    />
  );
}

/**
 * 一件事一次办: one door visit for every matter of the situation, with the merged form asked once. Booking again
 * (`draft`), the earlier booking's situation, form, address and contact are where it starts.
 */
function BookBundleForm({
  guide,
  situation,
  draft,
}: {
  guide: BundleGuide;
  situation: string;
  draft?: RebookDraft;
}) {
  const view = bundleForSituation(guide, situation);
  const [form, setForm] = useState<Record<string, string>>(() => {
    if (!draft?.bundle || !view) return {};
    // Only the fields this situation asks (a form that no longer fits is answered again where it differs).
    const ids = new Set(view.fields.map((f) => f.id));
    return Object.fromEntries(Object.entries(draft.bundle.form).filter(([id]) => ids.has(id)));
  });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  if (!view) {
    return (
      <EmptyState title="该情形不适用" text={`“${guide.name}”没有这种情形，请返回办事指南重新选择。`}>
        <Button
          type="primary"
          size="large"
          onClick={() => Taro.redirectTo({ url: withQuery(routes.bundleGuide, { code: guide.code }) })}
        >
          重新选择情形
        </Button>
      </EmptyState>
    );
  }
  const checked = checkBundleForm(view.fields, form);
  const name = guide.situations.find((s) => s.id === situation)!.name;
  return (
    <BookingForm
      matter={{
        code: guide.code,
        name: guide.name,
        department: `${name} · ${view.matters.length} 个事项一次办`,
        materials: view.materials.map((m) => ({ ...m, formLabel: materialFormLabels[m.form] })),
      }}
      bundle={{
        input: { situation, form },
        situationName: name,
        problems: checked.ok ? 0 : checked.issues.length,
      }}
      draft={draft}
      onBooked={(booking) =>
        Taro.redirectTo({ url: withQuery(routes.bookingDone, { id: booking.id, number: booking.number }) })
      }
    >
      <BundleForm
        fields={view.fields}
        values={form}
        problems={checked.ok ? [] : checked.issues}
        showAll={false}
        touched={touched}
        onChange={(id, value) => {
          setForm((f) => ({ ...f, [id]: value }));
          setTouched((t) => ({ ...t, [id]: true }));
        }}
      />
    </BookingForm>
  );
}

function BookBundle({ code, situation, draft }: { code: string; situation: string; draft?: RebookDraft }) {
  const guide = useLoader(() => getBundleGuide(code));
  if (guide.loading) return <LoadingState />;
  if (guide.error) return <ErrorState message={guide.error.message} onRetry={guide.reload} />;
  return guide.data ? <BookBundleForm guide={guide.data} situation={situation} draft={draft} /> : null;
}

/**
 * Booking again from an earlier booking (?from=): its matter, address, contact and what was missing; a bundle's
 * (一件事) again as that bundle, with its situation and form.
 */
function Rebook({ from }: { from: string }) {
  const draft = useLoader(() => getRebookDraft(from));
  if (draft.loading) return <LoadingState />;
  if (draft.error) return <ErrorState message={draft.error.message} onRetry={draft.reload} />;
  if (!draft.data) return null;
  const { bundle } = draft.data;
  if (bundle) return <BookBundle code={bundle.code} situation={bundle.situation.id} draft={draft.data} />;
  return <BookMatter matterCode={draft.data.matterCode} draft={draft.data} />;
}

/**
 * 预约上门收件: with ?matterCode= (from a guide) the booking form, with ?from= a new booking started from an
 * earlier one; from home, first pick the matter.
 */
export default function BookingEntry() {
  const params = useRouter().params;
  const matterCode = routeParam(params, 'matterCode');
  const from = routeParam(params, 'from');
  const situation = routeParam(params, 'situation');
  return (
    <Page className="booking">
      {matterCode && situation ? (
        <ResidentGate>
          <BookBundle code={matterCode} situation={situation} />
        </ResidentGate>
      ) : from ? (
        <ResidentGate>
          <Rebook from={from} />
        </ResidentGate>
      ) : matterCode ? (
        <ResidentGate>
          <BookMatter matterCode={matterCode} />
        </ResidentGate>
      ) : (
        <MatterPicker />
      )}
    </Page>
  );
}
