/**
 * Quote endpoint benchmark (issue 15): `POST /pricing/quote` on the promotions function in its own
 * process, on the host production gives it (the registry's `hostOf`: the lean host,
 * `functions/shared/host.ts`, which the registry names for promotions; `BENCH_HOST=lean|framework`
 * overrides for comparison), with production settings (PROMOTIONS_CACHE_MS at its default 1 s, the
 * manifests' DB_POOL_SIZE 5, jobs at their default periods) over a fresh database.
 *
 * Set-up: 500 products (400 by the piece, 100 by weight; 3-level categories, 40 brands, all four
 * tax categories) written straight into the projection (`upsertProducts`, as the catalog events
 * would); 200 active promotions of every kind created through the staff API (percentages on
 * categories and brands, amounts off and fixed prices on SKUs, buy X get Y, tiers, near-expiry
 * markdowns, delivery and order discounts, 20 coupon promotions with codes, stack groups,
 * exclusives, per-customer and global limits, minimum orders); 24 lots near expiry at one store
 * delivered as signed stock.expiring events.
 *
 * Load: autocannon drives 30-line carts (25 pieces, 5 by weight, 1,000 different carts in turn;
 * a third with a valid coupon code, some with an unknown one; a third anonymous, a third with a
 * customer's token, a third as checkout with a customer id; delivery fee; most at a location, half
 * of those at the store with the lots) at 16 connections, then 64, BENCH_DURATION_S seconds each
 * (default 15) after a 5 s warm-up. Every answer is counted by status (anything but 200 is a
 * failure); every 200 must carry totals, and every 50th is parsed and must have 30 lines and
 * numeric totals. CPU time of the function process, of this process (autocannon) and of the
 * PostgreSQL backends of the bench database is read from /proc around each round.
 * BENCH_PROFILE_DIR writes a V8 CPU profile of the function. Loopback only; stops by itself.
 * Needs `make services-up` and `make build`.
 */
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { stockExpiring, type ProductSnapshot } from '../../events';
import { serviceToken, staffToken, TEST_AUTH_ENV, userToken } from '../../functions/shared/auth/testing';
import { createPool } from '../../functions/shared/db';
import { buildEvent } from '../../functions/shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../../functions/shared/eventing/testing';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { SCHEMA } from '../../functions/promotions/deps';
import { projectionStore } from '../../functions/promotions/projection-store';
import { product } from '../../functions/promotions/testing-http';
import { vietnamDate } from '../../functions/promotions/vat';
import { hostOf, registry } from '../../functions/registry';
import { built, freePort, startNode } from '../testing/processes';
import { backendTicks, benchDatabase, machineTicks, procTicks, rng, TICK_MS } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const WARMUP_S = 5;
const ROUNDS = [16, 64];
const DB_NAME = 'bench_promotions';
/** What the Knative manifests give every PostgreSQL function (behind PgBouncer there). */
const POOL_SIZE = '5';
const PIECES = 400;
const WEIGHED = 100;
const BRANDS = 40;
const LEAVES = 40;
const PROMOTIONS = 200;
const COUPON_PROMOTIONS = 20;
const CARTS = 1_000;
const LINES = 30;
const CUSTOMERS = 200;
const STORE = 'kho-q1';
const OTHER_STORE = 'kho-q7';
const PARSE_EVERY = 50;

const rand = rng(151);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const chance = (p: number) => rand() < p;
const pad = (i: number, n = 3) => String(i).padStart(n, '0');
const n = (v: number) => Math.round(v).toLocaleString('en');

/** Set BENCH_PROFILE_DIR to write a V8 CPU profile of the function process there. */
const PROFILE = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];

const fn = registry.find((f) => f.name === 'promotions')!;
const HOST = (process.env.BENCH_HOST ?? hostOf(fn)) as 'lean' | 'framework';

// ---------------------------------------------------------------------------------------------
// Catalogue

const TOPS = ['thuc-pham', 'do-uong', 'gia-dung'] as const;
const leaf = (i: number) => `loai-${pad(i % LEAVES, 2)}`;
const group = (i: number) => `nhom-${(i % LEAVES) % 8}`;
const brand = (i: number) => `Brand ${pad(i % BRANDS, 2)}`;

interface Item {
  sku: string;
  weighed: boolean;
  /** Piece price, or price per kg. */
  price: number;
}

function catalogue(): { snapshots: ProductSnapshot[]; pieces: Item[]; weighed: Item[] } {
  const snapshots: ProductSnapshot[] = [];
  const pieces: Item[] = [];
  const weighed: Item[] = [];
  for (let i = 0; i < PIECES + WEIGHED; i++) {
    const isWeighed = i >= PIECES;
    const sku = isWeighed ? `TU-W-${pad(i)}` : `TU-P-${pad(i)}`;
    const top = TOPS[i % TOPS.length]!;
    const category_path = [
      { id: top, name_en: top, name_vi: top },
      { id: group(i), name_en: group(i), name_vi: group(i) },
      { id: leaf(i), name_en: leaf(i), name_vi: leaf(i) },
    ];
    if (isWeighed) {
      const perKg = int(50, 400) * 1_000;
      const nominal = pick([250, 500, 1_000]);
      snapshots.push(
        product(sku, {
          sold_by: 'weight',
          unit: 'kg',
          price_vnd: Math.round((perKg * nominal) / 1_000),
          price_per_kg_vnd: perKg,
          nominal_weight_g: nominal,
          tax_category: 'VAT5',
          is_perishable: true,
          brand: brand(i),
          category_path,
        }),
      );
      weighed.push({ sku, weighed: true, price: perKg });
    } else {
      const price = int(5, 200) * 1_000;
      const tax =
        top === 'do-uong' && i % 2 === 0
          ? 'VAT10_EXCLUDED'
          : pick(['VAT10_REDUCIBLE', 'VAT5', 'EXEMPT'] as const);
      snapshots.push(product(sku, { price_vnd: price, tax_category: tax, brand: brand(i), category_path }));
      pieces.push({ sku, weighed: false, price });
    }
  }
  return { snapshots, pieces, weighed };
}

// ---------------------------------------------------------------------------------------------
// Promotions (the staff API's bodies)

type Body = Record<string, unknown>;

interface Code {
  id: string;
  code: string;
  max_uses?: number;
}

function promotionBodies(pieces: Item[], weighed: Item[]): { bodies: Body[]; codes: Code[] } {
  const now = Date.now();
  const day = 86_400_000;
  const skusOf = (items: Item[], k: number) => [...new Set(Array.from({ length: k }, () => pick(items).sku))];
  const categoryTarget = () => ({
    kind: 'categories',
    categories: chance(0.7) ? [leaf(int(0, LEAVES - 1))] : [group(int(0, 7))],
  });
  const bodies: Body[] = [];
  const codes: Code[] = [];
  for (let i = 0; i < PROMOTIONS; i++) {
    const id = `bench-${pad(i)}`;
    let target: Body;
    let discount: Body;
    let conditions: Body | undefined;
    const coupon = i < COUPON_PROMOTIONS;
    const k = i % 20;
    if (coupon) {
      target = chance(0.5) ? { kind: 'order' } : categoryTarget();
      discount = chance(0.5)
        ? { kind: 'amount_off', amount_vnd: int(2, 10) * 10_000, allocation: 'across' }
        : { kind: 'percentage', percent: int(5, 15) };
      conditions = { min_order_value_vnd: int(1, 5) * 100_000 };
    } else if (k < 5) {
      target = categoryTarget();
      discount = { kind: 'percentage', percent: int(5, 30) };
    } else if (k === 5) {
      target = { kind: 'brands', brands: [brand(int(0, BRANDS - 1))] };
      discount = { kind: 'percentage', percent: int(5, 20) };
    } else if (k < 9) {
      target = { kind: 'skus', skus: skusOf(pieces, int(1, 15)) };
      discount = { kind: 'amount_off', amount_vnd: int(1, 5) * 1_000, allocation: pick(['each', 'across']) };
    } else if (k < 11) {
      const skus = skusOf(pieces, int(1, 10));
      const lowest = Math.min(...skus.map((s) => pieces.find((p) => p.sku === s)!.price));
      target = { kind: 'skus', skus };
      discount = { kind: 'fixed_price', unit_price_vnd: Math.floor((lowest * 0.85) / 100) * 100 };
    } else if (k < 13) {
      target = chance(0.5) ? { kind: 'skus', skus: skusOf(pieces, int(2, 12)) } : categoryTarget();
      discount = {
        kind: 'buy_x_get_y',
        buy: int(1, 3),
        get: 1,
        percent: pick([50, 100]),
        max_applications: int(1, 3),
        ...(chance(0.3) ? { get_target: { kind: 'skus', skus: skusOf(pieces, int(1, 5)) } } : {}),
      };
    } else if (k === 13) {
      target = categoryTarget();
      discount = {
        kind: 'tiered',
        measure: 'quantity',
        tiers: [
          { min: 3, percent: 5 },
          { min: 6, percent: 10 },
        ],
      };
    } else if (k === 14) {
      const skus = skusOf(weighed, int(3, 20));
      target = { kind: 'skus', skus };
      discount = {
        kind: 'tiered',
        measure: 'grams',
        tiers: [
          { min: 1_000, percent: 5 },
          { min: 2_000, percent: 10 },
        ],
      };
    } else if (k === 15) {
      const skus = skusOf(pieces, int(1, 6));
      const lowest = Math.min(...skus.map((s) => pieces.find((p) => p.sku === s)!.price));
      target = { kind: 'skus', skus };
      discount = {
        kind: 'tiered',
        measure: 'quantity',
        tiers: [
          { min: 2, unit_price_vnd: Math.floor((lowest * 0.9) / 100) * 100 },
          { min: 4, unit_price_vnd: Math.floor((lowest * 0.8) / 100) * 100 },
        ],
      };
    } else if (k === 16) {
      target = chance(0.5) ? categoryTarget() : { kind: 'skus', skus: skusOf([...weighed, ...pieces], 12) };
      discount = {
        kind: 'near_expiry',
        within_days: 3,
        schedule: [
          { days_left: 1, percent: 40 },
          { days_left: 3, percent: 20 },
        ],
      };
    } else if (k === 17) {
      target = { kind: 'delivery' };
      discount = chance(0.5) ? { kind: 'delivery', percent: 100 } : { kind: 'delivery', amount_vnd: 10_000 };
      conditions = { min_order_value_vnd: int(2, 8) * 100_000 };
    } else if (k === 18) {
      target = { kind: 'order' };
      discount = chance(0.5)
        ? { kind: 'amount_off', amount_vnd: int(1, 5) * 10_000, allocation: 'across' }
        : { kind: 'percentage', percent: int(2, 5) };
      conditions = { min_order_value_vnd: int(3, 15) * 100_000 };
    } else {
      target = { kind: 'brands', brands: [brand(int(0, BRANDS - 1)), brand(int(0, BRANDS - 1))] };
      discount = { kind: 'amount_off', amount_vnd: int(1, 3) * 1_000, allocation: 'each' };
    }
    if (!conditions && chance(0.15)) conditions = { min_order_value_vnd: int(1, 10) * 100_000 };
    if (chance(0.05)) conditions = { ...conditions, min_quantity: int(2, 4) };
    if (chance(0.03)) conditions = { ...conditions, first_order: true };
    const limited = chance(0.12);
    bodies.push({
      id,
      name: { en: `Bench promotion ${i}`, vi: `Khuyến mãi thử ${i}` },
      label: { en: `Deal ${i}`, vi: `Ưu đãi ${i}` },
      status: 'active',
      ...(coupon ? { requires_coupon: true } : {}),
      ...(chance(0.6)
        ? {
            starts_at: new Date(now - int(1, 10) * day).toISOString(),
            ends_at: new Date(now + int(10, 60) * day).toISOString(),
          }
        : {}),
      target,
      discount,
      ...(conditions ? { conditions } : {}),
      ...(limited ? { per_customer_limit: int(1, 3) } : {}),
      ...(limited && chance(0.5) ? { global_limit: int(1_000, 100_000) } : {}),
      priority: int(0, 5),
      ...(chance(0.05) ? { exclusive: true } : {}),
      ...(chance(0.3) ? { stack_group: `g-${int(0, 9)}` } : {}),
    });
    if (coupon)
      codes.push({ id, code: `GIAM-${pad(i, 2)}`, ...(i % 4 === 0 ? { max_uses: 1_000_000 } : {}) });
  }
  return { bodies, codes };
}

// ---------------------------------------------------------------------------------------------
// Carts

interface Variant {
  body: string;
  authorization?: string;
}

function carts(pieces: Item[], weighed: Item[], codes: Code[]): Variant[] {
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => `00000000-0000-4000-8000-${pad(i, 12)}`);
  const tokens = new Map(customers.map((c) => [c, `Bearer ${userToken({ sub: c })}`]));
  const checkout = `Bearer ${serviceToken(['promotions:redeem'], 'checkout')}`;
  return Array.from({ length: CARTS }, (_, i) => {
    const chosen = new Set<Item>();
    while (chosen.size < LINES - 5) chosen.add(pick(pieces));
    while (chosen.size < LINES) chosen.add(pick(weighed));
    const lines = [...chosen].map((it) =>
      it.weighed
        ? chance(0.5)
          ? { sku: it.sku, qty: int(1, 3) }
          : { sku: it.sku, grams: int(3, 15) * 100 }
        : { sku: it.sku, qty: int(1, 6) },
    );
    const coupon_codes = [
      ...(i % 3 === 0 ? [pick(codes).code.toLowerCase()] : []),
      ...(i % 20 === 7 ? ['KHONG-CO-MA'] : []),
    ];
    const where = rand();
    const body: Body = {
      lines,
      delivery_fee_vnd: pick([0, 15_000, 20_000, 30_000]),
      ...(where < 0.4 ? { location: STORE } : where < 0.8 ? { location: OTHER_STORE } : {}),
      ...(coupon_codes.length ? { coupon_codes } : {}),
    };
    const customer = pick(customers);
    switch (int(0, 2)) {
      case 0:
        return { body: JSON.stringify(body) };
      case 1:
        return { body: JSON.stringify(body), authorization: tokens.get(customer) };
      default:
        return {
          body: JSON.stringify({ ...body, customer: { id: customer, first_order: chance(0.1) } }),
          authorization: checkout,
        };
    }
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (clock ticks of 10 ms)

function cpuMeter(pid: number) {
  const fn0 = procTicks(pid);
  const me0 = process.cpuUsage();
  const pg0 = backendTicks(DB_NAME);
  const m0 = machineTicks();
  return () => {
    const me = process.cpuUsage(me0);
    const pg1 = backendTicks(DB_NAME);
    let pg = 0;
    for (const [p, t] of pg1) pg += t - (pg0.get(p) ?? 0);
    const m1 = machineTicks();
    const functionMs = (procTicks(pid) - fn0) * TICK_MS;
    const generatorMs = (me.user + me.system) / 1_000;
    const postgresMs = pg * TICK_MS;
    const total = m1.total - m0.total;
    return {
      functionMs,
      generatorMs,
      postgresMs,
      machineBusy: (m1.busy - m0.busy) / total,
      /** Everything else (the idle services, other people's work) as a share of the machine. */
      others:
        Math.max(0, (m1.busy - m0.busy) * TICK_MS - functionMs - generatorMs - postgresMs) /
        (total * TICK_MS),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Load

interface Round {
  connections: number;
  ok: number;
  failed: number;
  statuses: string;
  malformed: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  bytes: number;
  cpu: ReturnType<ReturnType<typeof cpuMeter>>;
}

async function drive(base: string, variants: Variant[], connections: number, seconds: number, pid: number) {
  let next = 0;
  let parsed = 0;
  let malformed = 0;
  const codes = new Map<number, number>();
  let sample = '';
  const meter = cpuMeter(pid);
  const started = performance.now();
  const r = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/pricing/quote',
        setupRequest: (req) => {
          const v = variants[next++ % variants.length]!;
          return {
            ...req,
            body: v.body,
            headers: v.authorization ? { ...req.headers, authorization: v.authorization } : req.headers,
          };
        },
        onResponse: (status: number, body: string) => {
          codes.set(status, (codes.get(status) ?? 0) + 1);
          if (status !== 200) {
            if (!sample) sample = `${status} ${body.slice(0, 300)}`;
            return;
          }
          if (!body.includes('"totals":{')) malformed++;
          else if (++parsed % PARSE_EVERY === 0) {
            const q = JSON.parse(body) as { lines?: unknown[]; totals?: { total_vnd?: unknown } };
            if (q.lines?.length !== LINES || typeof q.totals?.total_vnd !== 'number') malformed++;
          }
        },
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = meter();
  const ok = codes.get(200) ?? 0;
  // errors include timeouts
  const failed = r.errors + [...codes].filter(([c]) => c !== 200).reduce((t, [, k]) => t + k, 0);
  if (sample) console.error(`first failure at ${connections} connections: ${sample}`);
  return {
    connections,
    ok,
    failed,
    statuses: [...codes].map(([c, k]) => `${c}×${k}`).join(', '),
    malformed,
    perSecond: ok / Math.min(elapsed, seconds),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    bytes: r.throughput.total / Math.max(1, r.requests.total),
    cpu,
  } satisfies Round;
}

// ---------------------------------------------------------------------------------------------

async function send(base: string, path: string, json: unknown, token: string): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(json),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

async function serve(url: string): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = startNode(
    [
      ...PROFILE,
      built(`functions/shared/${HOST === 'lean' ? 'host' : 'framework-host'}.js`),
      '--target=promotions',
      `--source=${built('functions/promotions/index.js')}`,
    ],
    {
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      FUNCTION_TARGET: 'promotions',
      K_SERVICE: 'promotions',
      DATABASE_URL: url,
      DB_POOL_SIZE: POOL_SIZE,
      ...TEST_AUTH_ENV,
      ...eventAuthEnv('promotions'),
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.proc.kill('SIGTERM');
    await child.exited();
  };
  try {
    await child.waitForHttp(`${base}/readyz`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, pid: child.proc.pid!, stop };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!.toFixed(2);
  const url = await benchDatabase(DB_NAME);
  const { snapshots, pieces, weighed } = catalogue();
  const pool = createPool(url, { max: 2 });
  try {
    await migrate(pool, allTracks());
    await projectionStore(SCHEMA).upsertProducts(pool, snapshots);
  } finally {
    await pool.end();
  }
  const { base, pid, stop } = await serve(url);
  const rows: Round[] = [];
  let first = '';
  try {
    const staff = staffToken();
    const { bodies, codes } = promotionBodies(pieces, weighed);
    for (const b of bodies) await send(base, '/promotions', b, staff);
    for (const { id, ...code } of codes) await send(base, `/promotions/${id}/coupons`, code, staff);
    const today = vietnamDate(new Date());
    const lotSkus = [...weighed.slice(0, 12), ...pieces.slice(0, 12)];
    for (const [i, it] of lotSkus.entries()) {
      const expires = new Date(Date.parse(`${today}T00:00:00Z`) + (i % 3) * 86_400_000);
      const res = await signedDelivery(
        base,
        'promotions',
        buildEvent(stockExpiring, {
          sku: it.sku,
          location: STORE,
          lot_id: `LOT-${it.sku}`,
          expires_on: expires.toISOString().slice(0, 10),
          quantity: int(1, 5),
          at: new Date().toISOString(),
        }),
      );
      if (res.status >= 300) throw new Error(`stock.expiring ${it.sku}: ${res.status} ${await res.text()}`);
    }

    const variants = carts(pieces, weighed, codes);
    const orderCoupon = codes.find(
      (c) => (bodies.find((b) => b.id === c.id)!.target as Body).kind === 'order',
    )!;
    // One answer looked at closely: a cart at the store with the lots, an order coupon, as checkout.
    const probe = JSON.parse(variants[0]!.body) as Body;
    const res = await fetch(`${base}/pricing/quote`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${serviceToken(['promotions:redeem'], 'checkout')}`,
      },
      body: JSON.stringify({
        ...probe,
        customer: { id: 'probe-customer' },
        lines: [
          ...(probe.lines as Body[]).slice(0, LINES - 2),
          { sku: lotSkus[0]!.sku, qty: 2 },
          { sku: lotSkus[12]!.sku, qty: 3 },
        ],
        location: STORE,
        coupon_codes: [orderCoupon.code],
      }),
    });
    const text = await res.text();
    const q = JSON.parse(text) as {
      lines: { adjustments: unknown[] }[];
      totals: { subtotal_vnd: number; discount_vnd: number; total_vnd: number; vat_vnd: number };
      applied: unknown[];
      not_applied: unknown[];
      coupons: { status: string; reason?: { code: string } }[];
    };
    if (res.status !== 200 || q.lines.length !== LINES || typeof q.totals?.total_vnd !== 'number')
      throw new Error(`sanity quote: ${res.status} ${text.slice(0, 500)}`);
    first = `Sanity quote (30 lines, order coupon, store with lots, as checkout): ${q.lines.length} lines, ${q.lines.filter((l) => l.adjustments.length > 0).length} discounted, ${q.applied.length} promotions applied, ${q.not_applied.length} not applied, coupon ${q.coupons[0]?.status}${q.coupons[0]?.reason ? ` (${q.coupons[0].reason.code})` : ''}; subtotal ${n(q.totals.subtotal_vnd)} đ, discount ${n(q.totals.discount_vnd)} đ, VAT ${n(q.totals.vat_vnd)} đ, total ${n(q.totals.total_vnd)} đ; ${n(text.length)} bytes (lines ${n(JSON.stringify(q.lines).length)}, applied ${n(JSON.stringify(q.applied).length)}, not applied ${n(JSON.stringify(q.not_applied).length)}).`;

    await drive(base, variants, ROUNDS[0]!, WARMUP_S, pid);
    for (const c of ROUNDS) rows.push(await drive(base, variants, c, DURATION_S, pid));
  } finally {
    await stop();
  }
  const hostName =
    HOST === 'lean'
      ? 'lean host (functions/shared/host.ts)'
      : 'functions-framework host (functions/shared/framework-host.ts)';
  console.log(
    `\nQuotes: POST /pricing/quote, 30-line carts, ${PROMOTIONS} active promotions, ${PIECES + WEIGHED} products; promotions on the ${hostName}, DB_POOL_SIZE ${POOL_SIZE}, PROMOTIONS_CACHE_MS default; ${DURATION_S} s per row after a ${WARMUP_S} s warm-up; ${cpus().length} cores, 1-minute load average ${loadBefore} at the start, ${loadavg()[0]!.toFixed(2)} at the end\n`,
  );
  console.log(
    '| connections | quotes/s | p50 ms | p90 ms | p99 ms | max ms | 200 | not 200 | malformed | bytes/answer |\n|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows)
    console.log(
      `| ${r.connections} | ${n(r.perSecond)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${n(r.ok)} | ${r.failed} | ${r.malformed} | ${n(r.bytes)} |`,
    );
  console.log('\nCPU per quote (ms) and machine busy:\n');
  console.log(
    '| connections | function | autocannon | PostgreSQL (bench backends) | machine busy | of it other processes |\n|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const per = (ms: number) => (ms / Math.max(1, r.ok)).toFixed(2);
    console.log(
      `| ${r.connections} | ${per(r.cpu.functionMs)} | ${per(r.cpu.generatorMs)} | ${per(r.cpu.postgresMs)} | ${Math.round(r.cpu.machineBusy * 100)} % | ${Math.round(r.cpu.others * 100)} % |`,
    );
  }
  console.log(`\n${first}`);
  const at16 = rows.find((r) => r.connections === 16)!;
  console.log(
    `Goal p99 ≤ 20 ms at 16 connections: ${at16.p99 <= 20 ? 'met' : 'not met'} (p99 ${at16.p99} ms); throughput at 64: ${n(rows.find((r) => r.connections === 64)!.perSecond)} quotes/s.`,
  );
  if (rows.some((r) => r.failed > 0 || r.malformed > 0)) {
    for (const r of rows)
      console.error(`${r.connections} connections: ${r.statuses}, ${r.malformed} malformed`);
    console.error('some answers were not 200 or were malformed');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
