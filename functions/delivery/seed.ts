/**
 * Dev seed (`make dev`, first start): a delivery zone for each dev location (wards named after the
 * 2025 reform, a rough polygon around the centre), two-hour delivery windows 08:00–22:00 with
 * evening peak fees and a 90-minute cut-off, Tết 2027 closed, and pickup windows at the two
 * stores. A second call does nothing.
 */
import type { Pool } from 'pg';
import { localDateOf } from '../shared/vietnam-time';
import { calendarUseCases } from './calendars';
import { deliveryStores, SCHEMA } from './deps';
import type { SlotTemplate } from './slots';
import { unitOfWork } from '../shared/unit-of-work';
import { pickupCalendarId } from './zone-store';
import type { ZoneRow } from './zone-store';

/** A square ring of `km` around a centre ([lng, lat] points). */
const around = (lng: number, lat: number, km: number): [number, number][] => {
  const dLat = km / 111;
  const dLng = km / (111 * Math.cos((lat * Math.PI) / 180));
  return [
    [lng - dLng, lat - dLat],
    [lng + dLng, lat - dLat],
    [lng + dLng, lat + dLat],
    [lng - dLng, lat + dLat],
  ];
};

/** The dev zones (one per dev location in inventory's seed). */
export const DEV_ZONES: Omit<ZoneRow, 'version' | 'updated_at'>[] = [
  {
    id: 'hcm-quan-1',
    location: 'ch-quan-1',
    province: 'ho-chi-minh',
    name: { en: 'Saigon centre', vi: 'Trung tâm Sài Gòn' },
    wards: [
      'Phường Sài Gòn',
      'Phường Bến Thành',
      'Phường Tân Định',
      'Phường Cầu Ông Lãnh',
      'Phường Xuân Hòa',
    ],
    polygons: [around(106.7009, 10.7769, 3)],
    carriers: ['own_fleet', 'grab', 'ahamove', 'ghn'],
  },
  {
    id: 'hcm-thu-duc',
    location: 'kho-thu-duc',
    province: 'ho-chi-minh',
    name: { en: 'Thu Duc', vi: 'Thủ Đức' },
    wards: ['Phường Thủ Đức', 'Phường Linh Xuân', 'Phường Tam Bình', 'Phường Hiệp Bình', 'Phường Long Bình'],
    polygons: [around(106.7537, 10.8494, 6)],
    carriers: ['own_fleet', 'grab', 'ahamove', 'ghn', 'viettelpost'],
  },
  {
    id: 'hn-cau-giay',
    location: 'ch-cau-giay',
    province: 'ha-noi',
    name: { en: 'Cau Giay', vi: 'Cầu Giấy' },
    wards: ['Phường Cầu Giấy', 'Phường Nghĩa Đô', 'Phường Yên Hòa'],
    polygons: [around(105.7938, 21.0333, 3)],
    carriers: ['own_fleet', 'grab', 'ahamove', 'viettelpost'],
  },
];

const TET_2027 = {
  from: '2027-02-05',
  until: '2027-02-10',
  reason: { en: 'Closed for Tết', vi: 'Nghỉ Tết Nguyên Đán' },
};

/** Two-hour windows 08:00–22:00; 18:00–20:00 is the evening peak. */
export const DEV_DELIVERY_TEMPLATE: Omit<SlotTemplate, 'zone'> = {
  windows: ['08:00', '10:00', '12:00', '14:00', '16:00', '18:00', '20:00'].map((start) => {
    const end = `${String(Number(start.slice(0, 2)) + 2).padStart(2, '0')}:00`;
    const peak = start === '18:00';
    return {
      start,
      end,
      capacity: peak ? 30 : 20,
      unitCapacity: peak ? 900 : 600,
      feeVnd: peak ? 30_000 : 15_000,
      ...(peak ? { label: { en: 'Evening peak', vi: 'Giờ cao điểm tối' } } : {}),
    };
  }),
  cutoffMinutes: 90,
  daysAhead: 7,
  closures: [TET_2027],
};

/** Pickup: hourly windows 09:00–21:00, free, booking closes 60 minutes ahead. */
export const DEV_PICKUP_TEMPLATE: Omit<SlotTemplate, 'zone'> = {
  windows: Array.from({ length: 12 }, (_, i) => ({
    start: `${String(9 + i).padStart(2, '0')}:00`,
    end: `${String(10 + i).padStart(2, '0')}:00`,
    capacity: 15,
    feeVnd: 0,
  })),
  cutoffMinutes: 60,
  daysAhead: 7,
  closures: [TET_2027],
};

/** Seeds zones and calendars when there are none; returns a one-line summary. */
export async function seed(pool: Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.zones) AS seeded`);
  if (rows[0].seeded) return 'delivery zones exist; nothing seeded';
  const stores = deliveryStores(SCHEMA);
  const calendars = calendarUseCases({ db: pool, work: unitOfWork(pool, SCHEMA), ...stores });
  const now = new Date();
  for (const zone of DEV_ZONES) {
    await stores.zones.putZone(pool, zone);
    await calendars.put(
      {
        id: zone.id,
        kind: 'delivery',
        location: zone.location,
        template: { ...DEV_DELIVERY_TEMPLATE, zone: zone.id },
      },
      now,
    );
  }
  for (const location of ['ch-quan-1', 'ch-cau-giay']) {
    const id = pickupCalendarId(location);
    await calendars.put(
      { id, kind: 'pickup', location, template: { ...DEV_PICKUP_TEMPLATE, zone: id } },
      now,
    );
  }
  return `${DEV_ZONES.length} zones with delivery windows from ${localDateOf(now)}, pickup at 2 stores`;
}
