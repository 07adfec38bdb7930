/**
 * Inventory benchmark: `POST /reservations` on the inventory function (lean host, its own process)
 * with 200 connections, (a) one unit of a random SKU among 10,000 and (b) one unit of one hot SKU;
 * then (c) the hot SKU with less stock than demand, checking that exactly its stock was held. In
 * the same run, the baseline: the naive single-row conditional decrement driven straight at
 * PostgreSQL by 16 clients (pgbench-style, no HTTP). Loopback only. Needs `make services-up`.
 */
import { serviceToken, TEST_AUTH_ENV } from '../../functions/shared/auth/testing';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createPool } from '../../functions/shared/db';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { inventoryStores, SCHEMA } from '../../functions/inventory/deps';
import { benchDatabase, serveFunction } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = 200;
const BASELINE_CLIENTS = 16;
const SKUS = 10_000;
// Checkout's token: a service client allowed to reserve and, for the set-up, to receive stock.
const TOKEN = serviceToken(['inventory:reserve', 'inventory:write'], 'checkout');
const LOCATION = 'kho-bench';
const HOT = 'TU-HOT-0000';

async function prepare(url: string): Promise<void> {
  const pool = createPool(url, { max: 4 });
  try {
    await migrate(pool, allTracks());
    const { lots } = inventoryStores(SCHEMA);
    await lots.upsertLocations(pool, [
      { id: LOCATION, kind: 'warehouse', name_en: 'Bench warehouse', name_vi: 'Kho thử tải', zone: 'bench' },
    ]);
    const skus = [
      HOT,
      'TU-SCARCE-0000',
      ...Array.from({ length: SKUS }, (_, i) => `TU-B-${String(i).padStart(5, '0')}`),
    ];
    await lots.upsertSkus(
      pool,
      skus.map((sku) => ({
        sku,
        sold_by: 'piece' as const,
        is_perishable: false,
        status: 'active' as const,
        version: 1,
      })),
    );
    const qty = skus.map((sku) => (sku === 'TU-SCARCE-0000' ? 5_000 : 10_000_000));
    await pool.query(
      `INSERT INTO inventory.lots (id, sku, location, received_qty, on_hand, received_at)
       SELECT 'lot-' || sku, sku, $2, q, q, now() FROM unnest($1::text[], $3::int[]) AS x(sku, q)`,
      [skus, LOCATION, qty],
    );
    await pool.query(
      `INSERT INTO inventory.movements (lot_id, sku, location, on_hand_delta, held_delta, reason, actor)
       SELECT id, sku, location, on_hand, 0, 'receive', 'bench' FROM inventory.lots`,
    );
    await pool.query('VACUUM ANALYZE inventory.lots, inventory.skus');
  } finally {
    await pool.end();
  }
}

interface Figures {
  held: number;
  refused: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function drive(base: string, run: string, pick: () => string): Promise<Figures> {
  let n = 0;
  const codes = new Map<number, number>();
  const requests = [
    {
      method: 'POST' as const,
      path: '/reservations',
      setupRequest: (req: object) => ({
        ...req,
        body: JSON.stringify({ id: `${run}-${n++}`, location: LOCATION, lines: [{ sku: pick(), qty: 1 }] }),
      }),
      onResponse: (status: number) => codes.set(status, (codes.get(status) ?? 0) + 1),
    },
  ];
  const r = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    requests,
  });
  const held = codes.get(201) ?? 0;
  const refused = codes.get(409) ?? 0;
  return {
    held,
    refused,
    failed: r.errors + [...codes].filter(([c]) => c !== 201 && c !== 409).reduce((t, [, k]) => t + k, 0),
    perSecond: Math.round((held + refused) / DURATION_S),
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

/** The naive baseline: one row, `qty = qty - 1 WHERE qty > 0`, one statement per transaction. */
async function baseline(url: string): Promise<{ perSecond: number; p50: number; p99: number }> {
  const setup = new Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    'CREATE TABLE IF NOT EXISTS bench_row (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0))',
  );
  await setup.query(
    'INSERT INTO bench_row VALUES (1, 100000000) ON CONFLICT (id) DO UPDATE SET qty = 100000000',
  );
  await setup.end();
  const latencies: number[] = [];
  const until = Date.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: BASELINE_CLIENTS }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      while (Date.now() < until) {
        const t = performance.now();
        await c.query('UPDATE bench_row SET qty = qty - 1 WHERE id = 1 AND qty > 0');
        latencies.push(performance.now() - t);
      }
      await c.end();
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))]! * 10) / 10;
  return { perSecond: Math.round(latencies.length / DURATION_S), p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  // Durable commits, as production runs: the test server defaults to synchronous_commit=off, which
  // would flatter the one-commit-per-decrement baseline most.
  const durable = new URL(await benchDatabase('bench_inventory'));
  durable.searchParams.set('options', '-c synchronous_commit=on');
  const url = durable.toString();
  await prepare(url);
  const { base, stop } = await serveFunction('inventory', {
    DATABASE_URL: url,
    DB_POOL_SIZE: '16',
    ...TEST_AUTH_ENV,
    INVENTORY_LANES: process.env.INVENTORY_LANES ?? '4',
    FIRESTORE_PROJECT_ID: '',
  });
  const rows: string[] = [];
  const row = (label: string, f: Figures) =>
    rows.push(
      `| ${label} | ${f.perSecond.toLocaleString('en')} | ${f.held.toLocaleString('en')} | ${f.refused.toLocaleString('en')} | ${f.failed} | ${f.p50} | ${f.p99} |`,
    );
  let oversell = '';
  try {
    let i = 0;
    await drive(base, 'warm', () => `TU-B-${String(i++ % SKUS).padStart(5, '0')}`); // warm-up
    row(
      '(a) distinct SKUs (10,000)',
      await drive(base, 'a', () => `TU-B-${String(Math.floor(Math.random() * SKUS)).padStart(5, '0')}`),
    );
    row('(b) one hot SKU', await drive(base, 'b', () => HOT));
    const scarce = await drive(base, 'c', () => 'TU-SCARCE-0000');
    row('(c) hot SKU, 5,000 in stock', scarce);
    const check = new Client({ connectionString: url });
    await check.connect();
    const { rows: sync } = await check.query('SHOW synchronous_commit');
    if (sync[0].synchronous_commit !== 'on')
      throw new Error('expected synchronous_commit=on on bench connections');
    const { rows: lots } = await check.query(
      `SELECT sku, on_hand, held FROM inventory.lots WHERE sku IN ($1, 'TU-SCARCE-0000') ORDER BY sku`,
      [HOT],
    );
    const { rows: bad } = await check.query(
      `SELECT count(*)::int AS n FROM inventory.lots WHERE held > on_hand`,
    );
    await check.end();
    oversell = `Scarce SKU after (c): ${lots.find((l) => l.sku === 'TU-SCARCE-0000')?.held} held of 5,000 (201s: ${scarce.held}); lots with held > on hand: ${bad[0].n}.`;
  } finally {
    await stop();
  }
  const naive = await baseline(url);
  console.log(
    `\nReservations: POST /reservations, 1 unit, ${CONNECTIONS} connections, ${DURATION_S} s per row\n`,
  );
  console.log(
    '| workload | decided/s | held | refused (409) | failed | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|',
  );
  for (const r of rows) console.log(r);
  console.log(
    `\nNaive baseline (single-row conditional decrement, ${BASELINE_CLIENTS} clients straight at PostgreSQL): ${naive.perSecond.toLocaleString('en')}/s, p50 ${naive.p50} ms, p99 ${naive.p99} ms`,
  );
  console.log(oversell);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
