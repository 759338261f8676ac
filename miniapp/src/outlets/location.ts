import Taro from '@tarojs/taro';
import { listOutlets, type Point } from '@/api/catalogue';

/**
 * Where the person is, in GCJ-02 (the coordinates outlets are listed in), or null when they refuse or the
 * device cannot tell. WeChat asks for GCJ-02 directly; a browser gives WGS-84, which is shifted here.
 */
export async function currentPosition(): Promise<Point | null> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const res = await Taro.getLocation({ type: 'gcj02' });
      return { lat: res.latitude, lng: res.longitude };
    } catch {
      return null;
    }
  }
  if (typeof navigator === 'undefined' || !navigator.geolocation) return null;
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve(wgs84ToGcj02({ lat: pos.coords.latitude, lng: pos.coords.longitude })),
      () => resolve(null),
      { timeout: 10_000, maximumAge: 5 * 60_000 },
    );
  });
}

/** 省 / 市 / 区县, as a booking address starts. */
export interface Region {
  province: string;
  city: string;
  county: string;
}

/**
 * The region of the outlet nearest to the person, or null when their position is unknown (refused, failed)
 * or no outlet is listed. The BFF orders outlets by distance from the point (its one haversine), so the
 * nearest is the first: no second distance formula here.
 */
export async function nearestOutletRegion(): Promise<Region | null> {
  const point = await currentPosition();
  if (!point) return null;
  const [nearest] = (await listOutlets({ point, limit: 1 })).items;
  return nearest ? { province: nearest.province, city: nearest.city, county: nearest.district } : null;
}

// The published WGS-84 → GCJ-02 transform (Krasovsky 1940 ellipsoid); outside China there is no shift.
const A = 6378245.0;
const EE = 0.006693421622965943;

const outOfChina = ({ lat, lng }: Point) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;

function shiftLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  ret += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return ret;
}

function shiftLng(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  ret += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  ret += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return ret;
}

export function wgs84ToGcj02(point: Point): Point {
  if (outOfChina(point)) return point;
  const radLat = (point.lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat =
    (shiftLat(point.lng - 105, point.lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng =
    (shiftLng(point.lng - 105, point.lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: point.lat + dLat, lng: point.lng + dLng };
}
