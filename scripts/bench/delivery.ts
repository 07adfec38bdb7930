/**
 * Delivery benchmark (the delivery function on the lean host, its own process, durable commits):
 * (a) `GET /slots?zone=&date=` for one zone and day at 16 and 64 connections (goal: p99 ≤ 20 ms at
 * 16; the seed asks ≤ 500 ms); (b) `POST /slot-holds` on one hot window by 64 connections, every
 * request a new customer and hold id (goal: ≥ 1,000 holds/s), first on a window with more places
 * than the run takes (every request holds), then on one with 10 places (every request after the
 * tenth is refused), each followed by a check that the window holds no more than its capacity
 * (zero overbooking). Loopback only. Needs `make services-up`.
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import { serviceToken, staffToken, TEST_AUTH_ENV } from '../../functions/shared/auth/testing';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { addDays, localDateOf } from '../../functions/shared/vietnam-time';
import { benchDatabase, serveFunction } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const CHECKOUT = serviceToken(['delivery:reserve'], 'checkout');
/** Places in the hot window: more than a run can take, so every request is a hold. */
const HOT_CAPACITY = 100_000;
/** Places in the scarce window: a few, so nearly every request is refused. */
const SCARCE_CAPACITY = 10;

interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  codes: Map<number, number>;
  errors: number;
}

async function load(opts: autocannon.Options, onStatus?: Map<number, number>): Promise<Figures> {
  const codes = onStatus ?? new Map<number, number>();
  const r = await autocannon({ ...opts, duration: DURATION_S });
  const decided = [...codes.values()].reduce((a, b) => a + b, 0) || r.requests.total;
  return {
    perSecond: Math.round(decided / DURATION_S),
    p50: r.latency.p50,
    p99: r.latency.p99,
    codes,
    errors: r.errors + r.non2xx - (codes.get(409) ?? 0),
  };
}

async function put(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken()}` },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  const durable = new URL(await benchDatabase('bench_delivery'));
  durable.searchParams.set('options', '-c synchronous_commit=on');
  const url = durable.toString();
  const pool = createPool(url, { max: 2 });
  await migrate(pool, allTracks());
  await pool.end();
  const { base, stop } = await serveFunction('delivery', {
    DATABASE_URL: url,
    DB_POOL_SIZE: '16',
    ...TEST_AUTH_ENV,
  });
  const date = addDays(localDateOf(new Date()), 1);
  const lines: string[] = [];
  let check = '';
  try {
    await put(base, '/zones/bench', {
      location: 'ch-bench',
      province: 'ho-chi-minh',
      name: { en: 'Bench', vi: 'Thử tải' },
      wards: ['Phường Bến Thành'],
      carriers: ['own_fleet'],
    });
    await put(base, '/calendars/bench', {
      windows: [
        ...['08:00', '10:00', '12:00', '14:00', '16:00', '20:00'].map((start) => ({
          start,
          end: `${String(Number(start.slice(0, 2)) + 2).padStart(2, '0')}:00`,
          capacity: start === '16:00' ? SCARCE_CAPACITY : 20,
          fee_vnd: 15_000,
        })),
        {
          start: '18:00',
          end: '20:00',
          capacity: HOT_CAPACITY,
          fee_vnd: 30_000,
          label: { en: 'Evening peak', vi: 'Giờ cao điểm tối' },
        },
      ],
      cutoff_minutes: 90,
      days_ahead: 7,
      closures: [],
    });
    const listing = { url: `${base}/slots?zone=bench&date=${date}` };
    await load({ ...listing, connections: 16 }); // warm-up
    for (const connections of [16, 64]) {
      const f = await load({ ...listing, connections });
      lines.push(
        `| (a) GET /slots, one zone and day | ${connections} | ${f.perSecond.toLocaleString('en')} | ${f.p50} | ${f.p99} | ${f.errors} |`,
      );
    }
    const c = new Client({ connectionString: url });
    await c.connect();
    const checks: string[] = [];
    /** 64 connections holding places on `slot`, each request a new customer; then the overbooking check. */
    const holdRun = async (label: string, slot: string) => {
      const run = label.replace(/\W/g, '');
      let n = 0;
      const codes = new Map<number, number>();
      const f = await load(
        {
          url: base,
          connections: 64,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${CHECKOUT}` },
          requests: [
            {
              method: 'POST',
              path: '/slot-holds',
              setupRequest: (req: object) => {
                const i = n++;
                return {
                  ...req,
                  body: JSON.stringify({ id: `${run}-${i}`, slot, customer_id: `${run}-c-${i}` }),
                };
              },
              onResponse: (status: number) => void codes.set(status, (codes.get(status) ?? 0) + 1),
            },
          ],
        },
        codes,
      );
      const other = [...codes].filter(([k]) => k !== 201 && k !== 409).reduce((t, [, k]) => t + k, 0);
      const { rows } = await c.query(
        `SELECT s.capacity, s.held, s.booked,
                (SELECT count(*)::int FROM delivery.slot_holds h WHERE h.slot = s.id AND h.state = 'held') AS rows
           FROM delivery.slots s WHERE s.id = $1`,
        [slot],
      );
      const r = rows[0];
      const held = codes.get(201) ?? 0;
      const refused = codes.get(409) ?? 0;
      lines.push(
        `| ${label} POST /slot-holds, one window of ${r.capacity.toLocaleString('en')} places | 64 | ${f.perSecond.toLocaleString('en')} (${Math.round(held / DURATION_S).toLocaleString('en')} held, ${Math.round(refused / DURATION_S).toLocaleString('en')} refused) | ${f.p50} | ${f.p99} | ${other} |`,
      );
      checks.push(
        `${label}: ${r.held.toLocaleString('en')} held of ${r.capacity.toLocaleString('en')} places (hold rows ${r.rows.toLocaleString('en')}; 201s ${held.toLocaleString('en')}, 409s ${refused.toLocaleString('en')}); overbooked: ${r.held + r.booked > r.capacity || r.rows !== r.held ? 'YES' : 'no'}.`,
      );
    };
    try {
      await holdRun('(b)', `bench:${date}:1800`);
      await holdRun('(c)', `bench:${date}:1600`);
    } finally {
      await c.end();
    }
    check = checks.join('\n');
  } finally {
    await stop();
  }
  console.log(`\nDelivery: ${DURATION_S} s per row, durable commits\n`);
  console.log(
    '| workload | connections | requests/s | p50 ms | p99 ms | failed |\n|---|---|---|---|---|---|',
  );
  for (const l of lines) console.log(l);
  console.log(check);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
