import Taro from '@tarojs/taro';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import { BookingForm } from '@/booking/components/BookingForm';
import { apiError, type FakeReply, type FakeRequest, fakeBff, tokens, user } from '../fakeBff';
import { outlet } from '../pages/catalogueFixtures';
import { request } from '../taro-mock';
import { booking, matter, slots } from './fixtures';

function type(field: string, value: string) {
  const input = document.querySelector(`#booking-${field} input, input#booking-${field}`) as HTMLInputElement;
  fireEvent.input(input, { target: { value } });
}
const fieldError = (field: string) => document.querySelector(`#booking-${field}-error`)?.textContent;
const posts = (log: FakeRequest[]) => log.filter((r) => r.method === 'POST');
/** The Idempotency-Key header of every POST /bookings, in order. */
const idempotencyKeys = () =>
  request.mock.calls
    .map(([options]) => options as { method?: string; header?: Record<string, string> })
    .filter((o) => o.method === 'POST')
    .map((o) => o.header?.['Idempotency-Key']);

const fieldValue = (field: string) =>
  (document.querySelector(`#booking-${field} input, input#booking-${field}`) as HTMLInputElement).value;

/** Waits for the last address to arrive (the form starts from it), then fills the rest. */
async function fillValidForm() {
  await waitFor(() => expect(fieldValue('county')).toBe('黄埔区'));
  type('detail', '大沙地东路1号3栋502');
  type('name', '张三');
  type('phone', '13800138000');
}

const lastAddress = { province: '广东省', city: '广州市', county: '黄埔区', detail: '' };

/** A BFF with slots and the resident's last address, whose POST /bookings answers with `post` (by attempt). */
function bff(post: (attempt: number) => FakeReply, address: object | null = lastAddress) {
  let attempt = 0;
  return fakeBff((req) => {
    if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: { address } };
    if (req.path.startsWith('/api/v1/bookings/slots')) return { status: 200, data: slots };
    if (req.method === 'POST' && req.path === '/api/v1/bookings') return post(++attempt);
    return { status: 404 };
  });
}

describe('booking form (预约上门收件)', () => {
  describe('where the address starts (never a fixed district)', () => {
    /** The device's answer to a position request: a WGS-84 point, or a refusal. */
    let position: { lat: number; lng: number } | 'refused';
    const getCurrentPosition = vi.fn(
      (ok: (p: { coords: { latitude: number; longitude: number } }) => void, fail: (e: object) => void) =>
        position === 'refused'
          ? fail({ code: 1, message: 'User denied Geolocation' })
          : ok({ coords: { latitude: position.lat, longitude: position.lng } }),
    );
    beforeEach(() => {
      getCurrentPosition.mockClear();
      Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition } });
    });
    afterEach(() => {
      Reflect.deleteProperty(navigator, 'geolocation');
    });

    /** A BFF with the resident's last address (or none) and one outlet, the nearest, in 甘肃省张掖市甘州区. */
    const withOutlets = (address: object | null) =>
      fakeBff((req) => {
        if (req.path === '/api/v1/bookings/defaults') return { status: 200, data: { address } };
        if (req.path.startsWith('/api/v1/bookings/slots')) return { status: 200, data: slots };
        if (req.path.startsWith('/api/v1/outlets?')) {
          const nearest = outlet({
            province: '甘肃省',
            city: '张掖市',
            district: '甘州区',
            distanceMetres: 820,
          });
          return { status: 200, data: { items: [nearest], districts: ['甘州区'] } };
        }
        return { status: 404 };
      });
    const region = () => [fieldValue('province'), fieldValue('city'), fieldValue('county')];

    it('starts from the resident’s last address, which wins over their position', async () => {
      position = { lat: 38.93, lng: 100.45 };
      const log = withOutlets({ province: '广东省', city: '广州市', county: '天河区', detail: '天河路1号' });
      render(<BookingForm matter={matter} onBooked={vi.fn()} />);
      await waitFor(() => expect(fieldValue('county')).toBe('天河区'));
      expect([...region(), fieldValue('detail')]).toEqual(['广东省', '广州市', '天河区', '天河路1号']);
      // The position is only asked for when there is no last address.
      expect(getCurrentPosition).not.toHaveBeenCalled();
      expect(log.some((r) => r.path.startsWith('/api/v1/outlets'))).toBe(false);
    });

    it('without a last address, starts from the region of the outlet nearest to the resident', async () => {
      position = { lat: 38.93, lng: 100.45 };
      const log = withOutlets(null);
      render(<BookingForm matter={matter} onBooked={vi.fn()} />);
      await waitFor(() => expect(region()).toEqual(['甘肃省', '张掖市', '甘州区']));
      expect(fieldValue('detail')).toBe('');
      // Asked nearest first from where the resident is (GCJ-02, shifted from the browser's WGS-84).
      const query = new URL(log.find((r) => r.path.startsWith('/api/v1/outlets'))!.path, 'https://x')
        .searchParams;
      expect(query.get('limit')).toBe('1');
      expect(Number(query.get('lat'))).toBeCloseTo(38.93, 1);
      expect(Number(query.get('lng'))).toBeCloseTo(100.45, 1);
      expect(Number(query.get('lng'))).not.toBe(100.45);
    });

    it('starts empty when there is no last address and the position is refused', async () => {
      position = 'refused';
      const log = withOutlets(null);
      render(<BookingForm matter={matter} onBooked={vi.fn()} />);
      await waitFor(() => expect(getCurrentPosition).toHaveBeenCalled());
      // The refusal is answered at once; let the form take it in, then nothing was filled or fetched.
      await act(async () => {});
      expect(region()).toEqual(['', '', '']);
      expect(log.some((r) => r.path.startsWith('/api/v1/outlets'))).toBe(false);
    });

    it('starts empty without a last address when the device cannot tell the position', async () => {
      Reflect.deleteProperty(navigator, 'geolocation');
      const log = withOutlets(null);
      render(<BookingForm matter={matter} onBooked={vi.fn()} />);
      await waitFor(() => expect(log.some((r) => r.path === '/api/v1/bookings/defaults')).toBe(true));
      await act(async () => {});
      expect(region()).toEqual(['', '', '']);
      expect(log.some((r) => r.path.startsWith('/api/v1/outlets'))).toBe(false);
    });
  });

  beforeEach(() => {
    saveTokens(
      tokens(
        1,
        user({
          identity: { name: '张*', idNumber: '110***********002X', verifiedAt: '2026-11-02T02:00:00Z' },
        }),
      ),
    );
  });

  it('shows the phone message as it is typed, and an invalid phone never reaches the server', async () => {
    const log = bff(() => ({ status: 201, data: booking() }));
    const onBooked = vi.fn();
    render(<BookingForm matter={matter} onBooked={onBooked} />);
    type('detail', '大沙地东路1号3栋502');
    type('name', '张三');
    type('phone', '1380013');
    expect(fieldError('phone')).toBe('请输入11位手机号码');
    expect(fieldError('name')).toBeUndefined();

    fireEvent.click(screen.getByText('下一步：确认信息'));
    expect(screen.queryByText('确认预约')).toBeNull();
    expect(screen.getByText('请按标红的提示修改后再继续')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posts(log)).toHaveLength(0);
    expect(onBooked).not.toHaveBeenCalled();

    // Fixed, it goes through.
    type('phone', '13800138000');
    expect(fieldError('phone')).toBeUndefined();
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(posts(log)[0]!.body).toMatchObject({ contact: { name: '张三', phone: '13800138000' } });
  });

  it('marks every missing field when going on with an empty form', () => {
    bff(() => ({ status: 201, data: booking() }));
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    fireEvent.click(screen.getByText('下一步：确认信息'));
    expect(fieldError('detail')).toBe('请填写详细地址：街道、小区、楼栋和门牌号');
    expect(fieldError('name')).toBe('姓名应为2到30个字');
    expect(fieldError('phone')).toBe('请输入11位手机号码');
  });

  it('retries with the same Idempotency-Key after a network error, so the booking is made once', async () => {
    const log = bff((attempt) => (attempt === 1 ? 'offline' : { status: 201, data: booking() }));
    const onBooked = vi.fn();
    render(<BookingForm matter={matter} onBooked={onBooked} />);
    await fillValidForm();
    fireEvent.click(screen.getByText('下一步：确认信息'));
    // The confirmation shows what will happen and the checklist to prepare.
    expect(await screen.findByText('接下来会怎样')).toBeTruthy();
    expect(screen.getByText('终止或解除劳动关系证明')).toBeTruthy();

    fireEvent.click(screen.getByText('确认预约'));
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    expect(screen.getByText('可以再次点击“确认预约”重试，不会重复预约。')).toBeTruthy();
    expect(onBooked).not.toHaveBeenCalled();

    fireEvent.click(screen.getByText('确认预约'));
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking()));

    const keys = idempotencyKeys();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\w-]{8,64}$/);
    expect(keys[1]).toBe(keys[0]);
    const [first, second] = posts(log);
    expect(second!.body).toEqual(first!.body);
    expect(first!.body).toEqual({
      matterCode: matter.code,
      address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
      contact: { name: '张三', phone: '13800138000' },
      window: { kind: 'asap' },
    });
  });

  it('uses a new key once the booking itself changed', async () => {
    bff((attempt) => (attempt === 1 ? 'offline' : { status: 201, data: booking() }));
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    await fillValidForm();
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await screen.findByText('网络连接失败，请检查网络后重试');

    fireEvent.click(screen.getByText('返回修改'));
    type('detail', '大沙地东路1号3栋503');
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await waitFor(() => expect(idempotencyKeys()).toHaveLength(2));
    const [a, b] = idempotencyKeys();
    expect(b).not.toBe(a);
  });

  it('books a slot picked from the list, grouped by day with the places left', async () => {
    const log = bff(() => ({ status: 201, data: booking() }));
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    await fillValidForm();
    expect(await screen.findByText('11月23日 周一')).toBeTruthy();
    expect(screen.getByText('剩余 1 个名额')).toBeTruthy();
    fireEvent.click(screen.getByText('09:00–11:00'));
    fireEvent.click(screen.getByText('下一步：确认信息'));
    expect(await screen.findByText('11月23日 周一 09:00–11:00')).toBeTruthy();
    fireEvent.click(screen.getByText('确认预约'));
    await waitFor(() => expect(posts(log)).toHaveLength(1));
    expect(posts(log)[0]!.body).toMatchObject({ window: { kind: 'slot', slotId: slots.slots[0]!.id } });
    expect(log.find((r) => r.method === 'GET' && r.path.includes('/slots'))!.path).toBe(
      `/api/v1/bookings/slots?matterCode=${encodeURIComponent(matter.code)}&county=${encodeURIComponent('黄埔区')}`,
    );
  });

  it('puts a server field error back under its field', async () => {
    bff(() =>
      apiError(422, 'CONTACT_INVALID', '联系人信息不正确，请按提示修改', [
        { field: 'contact.phone', message: '请输入11位手机号码' },
      ]),
    );
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    await fillValidForm();
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await waitFor(() => expect(fieldError('phone')).toBe('请输入11位手机号码'));
    expect(screen.getByText('下一步：确认信息')).toBeTruthy();
  });

  it('sends the resident to real-name verification when the server asks for it', async () => {
    bff(() => apiError(403, 'REAL_NAME_REQUIRED', '请先完成实名认证，再预约上门收件'));
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    await fillValidForm();
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    fireEvent.click(await screen.findByText('去实名认证'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/me/pages/identity/index' });
  });

  it('says at once when the county is not served, offers the nearest outlet, and does not go on', async () => {
    const log = fakeBff((req) => {
      if (req.path.startsWith('/api/v1/bookings/slots')) {
        return req.path.includes(encodeURIComponent('天河区'))
          ? apiError(422, 'AREA_NOT_SERVED', '您所在的区县暂未开通上门收件服务', [
              { field: 'address.county', message: '天河区暂未开通上门收件服务' },
            ])
          : { status: 200, data: slots };
      }
      return { status: 404 };
    });
    render(<BookingForm matter={matter} onBooked={vi.fn()} />);
    fillValidForm();
    type('county', '天河区');
    const notice = await screen.findByText(/该地址暂不能上门收件/);
    expect(notice).toBeTruthy();
    expect(fieldError('county')).toBe('天河区暂未开通上门收件服务');

    fireEvent.click(screen.getByText('查看就近网点'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: `/outlets/pages/index/index?matter=${encodeURIComponent(matter.code)}`,
    });
    fireEvent.click(screen.getByText('下一步：确认信息'));
    expect(screen.queryByText('确认预约')).toBeNull();
    expect(posts(log)).toHaveLength(0);

    // A served county clears it.
    type('county', '黄埔区');
    await waitFor(() => expect(document.querySelector('#booking-area-notice')).toBeNull());
    expect(fieldError('county')).toBeUndefined();
  });

  it('books again from the earlier booking: filled in, with each missing item’s specification', async () => {
    const log = bff(() => ({ status: 201, data: booking() }));
    render(
      <BookingForm
        matter={matter}
        onBooked={vi.fn()}
        draft={{
          matterCode: matter.code,
          address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
          contact: { name: '张三', phone: '13800138000' },
          entrust: { scope: '代为提交申请材料', validUntil: '2099-12-31' },
          missingItems: [
            { materialId: 'm-id', name: '居民身份证', reason: '未提供' },
            { materialId: 'm-proof', name: '终止或解除劳动关系证明', reason: '需2份，仅提供1份' },
          ],
        }}
      />,
    );
    const specs = document.querySelector('#rebook-missing')!;
    expect(specs.textContent).toContain('1. 居民身份证');
    expect(specs.textContent).toContain('上次：未提供');
    expect(specs.textContent).toContain('要求：原件 1 份（必需）');
    expect(specs.textContent).toContain('2. 终止或解除劳动关系证明');
    expect(specs.textContent).toContain('要求：复印件 2 份（必需）；须加盖公章');

    const value = (field: string) =>
      (document.querySelector(`#booking-${field} input, input#booking-${field}`) as HTMLInputElement).value;
    expect(value('detail')).toBe('大沙地东路1号3栋502');
    expect(value('name')).toBe('张三');
    expect(value('phone')).toBe('13800138000');

    // Nothing to retype: straight on to confirm and book.
    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await waitFor(() => expect(posts(log)).toHaveLength(1));
    expect(posts(log)[0]!.body).toMatchObject({
      matterCode: matter.code,
      address: { county: '黄埔区', detail: '大沙地东路1号3栋502' },
      contact: { name: '张三', phone: '13800138000' },
      entrust: { scope: '代为提交申请材料', validUntil: '2099-12-31' },
    });
  });
});
