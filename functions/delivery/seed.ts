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
    origin: {
      name: 'Tươi Quận 1',
      phone: '+842838000001',
      street: '1 Lê Lợi',
      ward: 'Phường Bến Thành',
      province: 'ho-chi-minh',
      geo: { lat: 10.7731, lng: 106.7005 },
    },
    carriers: ['own_fleet', 'grab', 'ahamove', 'ghn', 'viettelpost'],
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

/** Secrets the dev simulators and the dev delivery function share (never used outside make dev). */
const DEV_SECRETS = {
  grab: {
    clientId: 'tuoi-sim',
    clientSecret: 'tuoi-sim-secret',
    hook: 'tuoi-dev-grab-hook',
    hookId: 'tuoi-dev-grab-hook-id',
  },
  ahamove: { token: 'tuoi-sim-token', apikey: 'tuoi-dev-ahamove-hook' },
  ghn: { token: 'sim-ghn-token', shopId: '885', hook: 'tuoi-dev-ghn-hook-0123456789' },
  viettelpost: { username: 'tuoi-sim', password: 'tuoi-sim-password', hook: 'tuoi-dev-viettelpost-hook' },
  gosend: { clientId: 'tuoi-sim', passKey: 'tuoi-sim-pass-key', hook: 'tuoi-dev-gosend-hook' },
};

/**
 * `make dev`: the carrier settings that point the adapters at the running simulators
 * (`SIM_<CARRIER>_URL`), with location codes for the dev wards the simulators' master data knows.
 */
export function devEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.SIM_GRAB_URL)
    Object.assign(out, {
      GRAB_API_URL: `${env.SIM_GRAB_URL}/grab-express-sandbox`,
      GRAB_CLIENT_ID: DEV_SECRETS.grab.clientId,
      GRAB_CLIENT_SECRET: DEV_SECRETS.grab.clientSecret,
      GRAB_WEBHOOK_AUTHORIZATION: DEV_SECRETS.grab.hook,
      GRAB_WEBHOOK_AUTHORIZATION_ID: DEV_SECRETS.grab.hookId,
    });
  if (env.SIM_AHAMOVE_URL)
    Object.assign(out, {
      AHAMOVE_API_URL: env.SIM_AHAMOVE_URL,
      AHAMOVE_API_KEY: DEV_SECRETS.ahamove.token,
      AHAMOVE_WEBHOOK_APIKEY: DEV_SECRETS.ahamove.apikey,
    });
  if (env.SIM_GHN_URL)
    Object.assign(out, {
      GHN_API_URL: env.SIM_GHN_URL,
      GHN_TOKEN: DEV_SECRETS.ghn.token,
      GHN_SHOP_ID: DEV_SECRETS.ghn.shopId,
      GHN_WEBHOOK_TOKEN: DEV_SECRETS.ghn.hook,
      GHN_AREA_CODES: JSON.stringify({
        'ho-chi-minh|Phường Bến Thành': { districtId: 1442, wardCode: '20101' },
        'ho-chi-minh|Phường Sài Gòn': { districtId: 1442, wardCode: '20102' },
        'ho-chi-minh|Phường Cầu Ông Lãnh': { districtId: 1442, wardCode: '20103' },
        'ho-chi-minh|Phường Xuân Hòa': { districtId: 1443, wardCode: '20301' },
      }),
    });
  if (env.SIM_VIETTELPOST_URL)
    Object.assign(out, {
      VIETTELPOST_API_URL: env.SIM_VIETTELPOST_URL,
      VIETTELPOST_USERNAME: DEV_SECRETS.viettelpost.username,
      VIETTELPOST_PASSWORD: DEV_SECRETS.viettelpost.password,
      VIETTELPOST_WEBHOOK_TOKEN: DEV_SECRETS.viettelpost.hook,
      // Groceries go express: the economy service's 48 h misses same- and next-day windows.
      VIETTELPOST_SERVICE: 'VCN',
      VIETTELPOST_AREA_CODES: JSON.stringify({
        'ho-chi-minh|Phường Bến Thành': { provinceId: 2, districtId: 43, wardId: 501 },
        'ho-chi-minh|Phường Sài Gòn': { provinceId: 2, districtId: 43, wardId: 502 },
        'ho-chi-minh|Phường Cầu Ông Lãnh': { provinceId: 2, districtId: 43, wardId: 503 },
        'ho-chi-minh|Phường Xuân Hòa': { provinceId: 2, districtId: 44, wardId: 511 },
      }),
    });
  // GoSend serves no Vietnamese zone (stores in Indonesia would use it); configured so it answers.
  if (env.SIM_GOSEND_URL)
    Object.assign(out, {
      GOSEND_API_URL: env.SIM_GOSEND_URL,
      GOSEND_CLIENT_ID: DEV_SECRETS.gosend.clientId,
      GOSEND_PASS_KEY: DEV_SECRETS.gosend.passKey,
      GOSEND_MARKET: 'ID',
      GOSEND_WEBHOOK_AUTH_TOKEN: DEV_SECRETS.gosend.hook,
    });
  return out;
}

/** `make dev`, once everything runs: the simulators send their webhooks to the gateway. */
export async function afterStart(ctx: { gatewayUrl: string; env: NodeJS.ProcessEnv }): Promise<string> {
  const hook = (carrier: string) => `${ctx.gatewayUrl}/delivery/webhooks/${carrier}`;
  const configs: [string | undefined, Record<string, unknown>][] = [
    [
      ctx.env.SIM_GRAB_URL,
      {
        webhook_url: hook('grab'),
        webhook_authorization: DEV_SECRETS.grab.hook,
        webhook_authorization_id: DEV_SECRETS.grab.hookId,
      },
    ],
    [ctx.env.SIM_AHAMOVE_URL, { webhook_url: hook('ahamove'), webhook_apikey: DEV_SECRETS.ahamove.apikey }],
    [ctx.env.SIM_GHN_URL, { webhook_url: `${hook('ghn')}?token=${DEV_SECRETS.ghn.hook}` }],
    [
      ctx.env.SIM_VIETTELPOST_URL,
      { webhook_url: hook('viettelpost'), webhook_token: DEV_SECRETS.viettelpost.hook },
    ],
    [
      ctx.env.SIM_GOSEND_URL,
      {
        webhook_url: hook('gosend'),
        webhook_auth_header: 'Authorization',
        webhook_auth_token: DEV_SECRETS.gosend.hook,
      },
    ],
  ];
  const done: string[] = [];
  for (const [base, config] of configs) {
    if (!base) continue;
    const res = await fetch(`${base}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
    if (!res.ok) throw new Error(`${base}/_sim/config answered ${res.status}`);
    done.push(new URL(String(config.webhook_url)).pathname.split('/').pop()!);
  }
  return done.length
    ? `carrier simulators send webhooks to the gateway (${done.join(', ')})`
    : 'no carrier simulators';
}
