/**
 * Delivery zones as data: each zone is served by one location and covers wards of a province
 * (by name, since Vietnam's 2025 reform left provinces and wards, no districts) and, optionally,
 * polygons of coordinates. An address resolves to the zone whose polygon holds its coordinates,
 * else to the zone listing its ward. Pure.
 */
import { fold, normalizeText } from '../shared/text';

/** A point: longitude, latitude (GeoJSON order). */
export type Position = readonly [lng: number, lat: number];

/** A delivery zone. */
export interface Zone {
  id: string;
  /** The store or warehouse that serves it (inventory's location id). */
  location: string;
  /** The province id as the address book writes it (e.g. `ho-chi-minh`). */
  province: string;
  /** Ward names it covers ("Phường Bến Thành"), compared without case, accents or the unit word. */
  wards: readonly string[];
  /** Outer rings (first point need not repeat at the end); a point inside any is in the zone. */
  polygons?: readonly (readonly Position[])[];
}

/** An address as the user function's address book holds it. */
export interface AddressPoint {
  province: string;
  ward: string;
  geo?: { lat: number; lng: number } | null;
}

/** A ward name as compared: no accents, case, spacing or leading "phường"/"xã"/"đặc khu"/"thị trấn". */
export function wardKey(ward: string): string {
  return fold(normalizeText(ward)).replace(/^(phuong|xa|dac khu|thi tran|ward|commune)\s+/, '');
}

/** Whether `p` lies inside `ring` (ray casting; a point on an edge may fall either side). */
export function inRing(p: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The zone an address is in, or undefined when no zone covers it. */
export function resolveZone(address: AddressPoint, zones: readonly Zone[]): Zone | undefined {
  const inProvince = zones.filter((z) => z.province === address.province);
  if (address.geo) {
    const p: Position = [address.geo.lng, address.geo.lat];
    const hit = inProvince.find((z) => z.polygons?.some((ring) => inRing(p, ring)));
    if (hit) return hit;
  }
  const ward = wardKey(address.ward);
  return inProvince.find((z) => z.wards.some((w) => wardKey(w) === ward));
}
