import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { matters as simMatters } from '../simulators/gov/catalogue';
import { staffOutlets } from '../src/db/schema';
import { caseOfBooking } from '../src/features/cases/cases';
import { setRoles } from '../src/features/me/users';
import { bearer, type TestApp } from './helpers';

/** A door-pickup matter for people with at least two required materials. */
export const doorMatter = simMatters.find(
  (m) =>
    m.channels.doorPickup &&
    m.applicantType === 'person' &&
    m.materials.filter((x) => x.required).length >= 2,
)!;

export const bookingBody = (over: Record<string, unknown> = {}) => ({
  matterCode: doorMatter.serviceCode,
  address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
  contact: { name: '张三', phone: '13800138000' },
  window: { kind: 'asap' },
  ...over,
});

export { until } from './until';

/** The outlets that serve door visits in 黄埔区 in the simulator's catalogue. */
export const SERVING_POST_OFFICE = 'HP-PO-01';
export const SERVING_CENTRE = 'HP-SC-01';

/** Journeys through the API as residents and staff do them (`current` gives the file's app once built). */
export function journey(current: () => TestApp) {
  let serial = 0;
  async function resident(realName = true, openid?: string) {
    const s = await current().signIn(openid);
    const h = bearer(s.accessToken);
    await current().app.inject({
      method: 'POST',
      url: '/api/v1/me/consent',
      headers: h,
      payload: { version: PRIVACY_GUIDE_VERSION },
    });
    if (realName)
      await current().app.inject({
        method: 'POST',
        url: '/api/v1/me/identity',
        headers: h,
        payload: { name: '张三', idNumber: '11010519491231002X' },
      });
    return { ...s, h };
  }
  /**
   * A staff member; agents and outlet clerks work at the post office serving 黄埔区 and centre clerks at its
   * centre unless told otherwise.
   */
  async function staff(
    role: 'postal_agent' | 'supervisor' | 'centre_clerk' | 'outlet_clerk',
    outletId?: string | null,
  ) {
    const s = await current().signIn();
    await setRoles(current().app.database.db, { userId: s.user.id, roles: ['resident', role] });
    const outlet =
      outletId === undefined
        ? {
            postal_agent: SERVING_POST_OFFICE,
            outlet_clerk: SERVING_POST_OFFICE,
            centre_clerk: SERVING_CENTRE,
            supervisor: null,
          }[role]
        : outletId;
    if (outlet)
      await current().app.database.db.insert(staffOutlets).values({ userId: s.user.id, outletId: outlet });
    const fresh = (
      await current().app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: s.refreshToken },
      })
    ).json();
    return { id: s.user.id, h: bearer(fresh.accessToken) };
  }
  const book = (
    h: Record<string, string>,
    payload: object = bookingBody(),
    key = `key-${Date.now()}-${serial++}`,
  ) =>
    current().app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { ...h, 'idempotency-key': key },
      payload,
    });
  // Steps without a body are sent as a bare JSON POST, as the mini-program's request layer may send them.
  const visit = (h: Record<string, string>, id: string, step: string, payload?: object) =>
    current().app.inject({
      method: 'POST',
      url: `/api/v1/staff/visits/${id}/${step}`,
      headers: payload ? h : { ...h, 'content-type': 'application/json' },
      payload: payload ?? '',
    });
  /** The agent accepts, travels, arrives and collects everything on the checklist. Returns the booking id. */
  async function collectAll(agentH: Record<string, string>, id: string) {
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agentH, id, step);
    const detail = (
      await current().app.inject({ url: `/api/v1/staff/visits/${id}`, headers: agentH })
    ).json();
    const items = detail.checklist.map((m: { materialId: string; count: number }) => ({
      materialId: m.materialId,
      present: true,
      copies: m.count,
    }));
    const res = await visit(agentH, id, 'review', { items });
    if (res.json().status !== 'collected') throw new Error(`not collected: ${res.body}`);
    return id;
  }
  /** The case a collected booking opened (a case has its own id; the platform knows it as ourId). */
  async function caseIdOf(bookingId: string): Promise<string> {
    const c = await caseOfBooking(current().app.database.db, bookingId);
    if (!c) throw new Error(`booking ${bookingId} has no case`);
    return c.id;
  }
  return { resident, staff, book, visit, collectAll, caseIdOf };
}
