/**
 * Add-to-cart benchmark (issue 16): `POST /carts/{id}/lines` on the cart function, which answers
 * every write with the priced view — so each add also asks promotions for a quote
 * (`POST /pricing/quote`) and inventory for stock (`POST /stock/batch`). Each function runs in its
 * own process on the host production gives it (the registry's `hostOf`: lean for all three), with
 * production settings (the manifests' DB_POOL_SIZE 5, caches and jobs at their defaults, the
 * registry's peers replaced by loopback URLs), over one fresh database (`bench_cart`). The cart
 * runs on each storage adapter in turn: `CART_STORE=postgres`, then `CART_STORE=redis` under a
 * unique `CART_REDIS_PREFIX` (its keys deleted afterwards).
 *
 * Set-up: 2,000 products (1,600 by the piece, 400 by weight; 3-level categories, 40 brands, all
 * four tax categories) written straight into the three projections (promotions'
 * `upsertProducts`, the cart's `upsertMany`, inventory's `upsertSkus`, as the catalog events and
 * seeds would); two stores and a warehouse; stock for all but ~3 % of them at one store (lots, as
 * `/stock/receive` writes them); 50 active promotions of every kind created through the staff API
 * (5 of them coupon promotions with codes), 12 lots near expiry delivered to promotions as signed
 * stock.expiring events. Per adapter: 4,000 guest carts opened through `POST /carts`, given pickup
 * at the store through `PUT /carts/{id}/fulfilment`, then filled to 5–40 lines (random per cart;
 * a fifth also carry a valid coupon code) with the cart's own rules in one compare-and-set each
 * through the adapter's store.
 *
 * Load: autocannon adds 1 piece (or one nominal weight) of a random SKU among the 2,000 to the
 * carts in turn, each request with its cart's `x-cart-token`, at 16 connections, then 64,
 * BENCH_DURATION_S seconds each (default 15) after a 5 s warm-up; the carts rotate, so no two
 * requests in flight touch one cart, and a cart gets a handful of adds over the run (never near
 * the 50-piece line limit). Every answer is counted by status (anything but 200 is a failure);
 * a 200 without a quote or with a stock error (a peer failed and the cart degraded) is counted as
 * degraded; every 50th is parsed (lines, quote lines, available on every line). CPU time of each
 * process (cart, promotions, inventory, this process = autocannon), of the PostgreSQL backends of
 * the bench database by function (application_name) and of Redis is read from /proc around each
 * round. Before the load, 200 adds one at a time and their parts (the quote, the stock read, the
 * store's get + compare-and-set, the product and mark reads) timed alone, from this process.
 * BENCH_PROFILE_DIR writes a V8 CPU profile of the cart process. Loopback only; stops by itself.
 * Needs `make services-up` and `make build`.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { stockExpiring, type ProductSnapshot } from '../../events';
import { SCHEMA as CART_SCHEMA } from '../../functions/cart/deps';
import { cartUseCases } from '../../functions/cart/carts';
import { addCoupon, addToLine } from '../../functions/cart/domain';
import type { Cart } from '../../functions/cart/model';
import { pgCartStore } from '../../functions/cart/pg-store';
import type { CartStore, ProductInfo } from '../../functions/cart/ports';
import { productStore } from '../../functions/cart/products';
import { redisCartStore } from '../../functions/cart/redis-store';
import { quoteRequest } from '../../functions/cart/view';
import { inventoryStores, SCHEMA as INVENTORY_SCHEMA } from '../../functions/inventory/deps';
import { SCHEMA as PROMOTIONS_SCHEMA } from '../../functions/promotions/deps';
import { projectionStore } from '../../functions/promotions/projection-store';
import { product } from '../../functions/promotions/testing-http';
import { vietnamDate } from '../../functions/promotions/vat';
import { hostOf, registry } from '../../functions/registry';
import { staffToken, TEST_AUTH_ENV } from '../../functions/shared/auth/testing';
import { createRedis } from '../../functions/shared/clients/redis';
import { serviceEnv } from '../../functions/shared/clients/testing/service-env';
import { createPool } from '../../functions/shared/db';
import { buildEvent } from '../../functions/shared/eventing/outbox';
import { eventAuthEnv, signedDelivery } from '../../functions/shared/eventing/testing';
import { allTracks, migrate } from '../../functions/shared/migrate';
import { built, freePort, startNode } from '../testing/processes';
import { backendTicks, benchDatabase, cmdlineOf, machineTicks, procTicks, rng, TICK_MS } from './lib';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const WARMUP_S = 5;
const ROUNDS = [16, 64];
const DB_NAME = 'bench_cart';
/** What the Knative manifests give every PostgreSQL function (behind PgBouncer there). */
const POOL_SIZE = '5';
const PIECES = 1_600;
const WEIGHED = 400;
const BRANDS = 40;
const LEAVES = 40;
const PROMOTIONS = 50;
const COUPON_PROMOTIONS = 5;
const CARTS = 4_000;
const MIN_LINES = 5;
const MAX_LINES = 40;
const PROBES = 200;
const STORE = 'q1-ben-thanh';
const PARSE_EVERY = 50;
const GUEST_TTL_MS = 30 * 86_400_000;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'error';

const rand = rng(161);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const chance = (p: number) => rand() < p;
const pad = (i: number, n = 4) => String(i).padStart(n, '0');
const n = (v: number) => Math.round(v).toLocaleString('en');
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** Set BENCH_PROFILE_DIR to write a V8 CPU profile of the cart process there. */
const PROFILE = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];

const LOCATIONS = [
  { id: STORE, kind: 'store', name_en: 'Ben Thanh store', name_vi: 'Cửa hàng Bến Thành', zone: 'hcm-q1' },
  {
    id: 'q7-phu-my-hung',
    kind: 'store',
    name_en: 'Phu My Hung store',
    name_vi: 'Cửa hàng Phú Mỹ Hưng',
    zone: 'hcm-q7',
  },
  {
    id: 'kho-thu-duc',
    kind: 'warehouse',
    name_en: 'Thu Duc warehouse',
    name_vi: 'Kho Thủ Đức',
    zone: 'hcm-td',
  },
] as const;

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
    const common = {
      name_en: `${top === 'do-uong' ? 'Drink' : top === 'gia-dung' ? 'Household item' : 'Food'} ${i} (${brand(i)})`,
      name_vi: `${top === 'do-uong' ? 'Đồ uống' : top === 'gia-dung' ? 'Đồ gia dụng' : 'Thực phẩm'} ${i} (${brand(i)})`,
      image_urls: [`https://cdn.tuoi.vn/products/${sku.toLowerCase()}/main.webp`],
      brand: brand(i),
      category_path: [
        { id: top, name_en: top, name_vi: top },
        { id: group(i), name_en: group(i), name_vi: group(i) },
        { id: leaf(i), name_en: leaf(i), name_vi: leaf(i) },
      ],
    };
    if (isWeighed) {
      const perKg = int(50, 400) * 1_000;
      const nominal = pick([250, 500, 1_000]);
      snapshots.push(
        product(sku, {
          ...common,
          sold_by: 'weight',
          unit: 'kg',
          price_vnd: Math.round((perKg * nominal) / 1_000),
          price_per_kg_vnd: perKg,
          nominal_weight_g: nominal,
          tax_category: 'VAT5',
          is_perishable: true,
        }),
      );
      weighed.push({ sku, weighed: true, price: perKg });
    } else {
      const price = int(5, 200) * 1_000;
      const tax =
        top === 'do-uong' && i % 2 === 0
          ? 'VAT10_EXCLUDED'
          : pick(['VAT10_REDUCIBLE', 'VAT5', 'EXEMPT'] as const);
      snapshots.push(product(sku, { ...common, price_vnd: price, tax_category: tax }));
      pieces.push({ sku, weighed: false, price });
    }
  }
  return { snapshots, pieces, weighed };
}

const infoOf = (p: ProductSnapshot): ProductInfo => ({
  sku: p.sku,
  name_en: p.name_en,
  name_vi: p.name_vi,
  image_url: p.image_urls[0] ?? null,
  sold_by: p.sold_by,
  price_vnd: p.price_vnd,
  price_per_kg_vnd: p.price_per_kg_vnd,
  nominal_weight_g: p.nominal_weight_g,
  status: p.status,
});

/** The three projections and the stock, written straight into the bench database. */
async function prepare(url: string, snapshots: ProductSnapshot[]): Promise<void> {
  const pool = createPool(url, { max: 2 });
  try {
    await migrate(pool, allTracks());
    await projectionStore(PROMOTIONS_SCHEMA).upsertProducts(pool, snapshots);
    await productStore(CART_SCHEMA).upsertMany(pool, snapshots.map(infoOf));
    const { lots } = inventoryStores(INVENTORY_SCHEMA);
    await lots.upsertLocations(pool, [...LOCATIONS]);
    await lots.upsertSkus(pool, snapshots);
    // ~3 % of the catalogue has no stock at the store (out of stock); the rest 1–300.
    const stocked = snapshots.filter(() => !chance(0.03));
    await pool.query(
      `INSERT INTO ${INVENTORY_SCHEMA}.lots (id, sku, location, received_qty, on_hand, received_at)
       SELECT 'lot-' || sku, sku, $2, q, q, now() FROM unnest($1::text[], $3::int[]) AS x(sku, q)`,
      [stocked.map((p) => p.sku), STORE, stocked.map(() => int(1, 300))],
    );
    await pool.query(
      `INSERT INTO ${INVENTORY_SCHEMA}.movements (lot_id, sku, location, on_hand_delta, held_delta, reason, actor)
       SELECT id, sku, location, on_hand, 0, 'receive', 'bench' FROM ${INVENTORY_SCHEMA}.lots`,
    );
    await pool.query(
      `VACUUM ANALYZE ${INVENTORY_SCHEMA}.lots, ${INVENTORY_SCHEMA}.skus, ${CART_SCHEMA}.products, ${PROMOTIONS_SCHEMA}.products`,
    );
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Promotions (the staff API's bodies): every kind, 50 of them over 2,000 products

type Body = Record<string, unknown>;

function promotionBodies(pieces: Item[], weighed: Item[]): { bodies: Body[]; codes: string[] } {
  const now = Date.now();
  const day = 86_400_000;
  const skusOf = (items: Item[], k: number) => [...new Set(Array.from({ length: k }, () => pick(items).sku))];
  const priceOf = (sku: string) => pieces.find((p) => p.sku === sku)!.price;
  const categoryTarget = () => ({
    kind: 'categories',
    categories: chance(0.7) ? [leaf(int(0, LEAVES - 1))] : [group(int(0, 7))],
  });
  const bodies: Body[] = [];
  const codes: string[] = [];
  for (let i = 0; i < PROMOTIONS; i++) {
    const coupon = i < COUPON_PROMOTIONS;
    const k = i % 15;
    let target: Body;
    let discount: Body;
    let conditions: Body | undefined;
    if (coupon) {
      target = chance(0.5) ? { kind: 'order' } : categoryTarget();
      discount = chance(0.5)
        ? { kind: 'amount_off', amount_vnd: int(2, 10) * 10_000, allocation: 'across' }
        : { kind: 'percentage', percent: int(5, 15) };
      conditions = { min_order_value_vnd: int(1, 3) * 100_000 };
    } else if (k < 3) {
      target = categoryTarget();
      discount = { kind: 'percentage', percent: int(5, 30) };
    } else if (k === 3) {
      target = { kind: 'brands', brands: [brand(int(0, BRANDS - 1))] };
      discount = { kind: 'percentage', percent: int(5, 20) };
    } else if (k < 6) {
      target = { kind: 'skus', skus: skusOf(pieces, int(5, 40)) };
      discount = { kind: 'amount_off', amount_vnd: int(1, 5) * 1_000, allocation: pick(['each', 'across']) };
    } else if (k < 8) {
      const skus = skusOf(pieces, int(5, 30));
      target = { kind: 'skus', skus };
      discount = {
        kind: 'fixed_price',
        unit_price_vnd: Math.floor((Math.min(...skus.map(priceOf)) * 0.85) / 100) * 100,
      };
    } else if (k === 8) {
      target = chance(0.5) ? { kind: 'skus', skus: skusOf(pieces, int(5, 20)) } : categoryTarget();
      discount = {
        kind: 'buy_x_get_y',
        buy: int(1, 3),
        get: 1,
        percent: pick([50, 100]),
        max_applications: int(1, 3),
      };
    } else if (k === 9) {
      target = categoryTarget();
      discount = {
        kind: 'tiered',
        measure: 'quantity',
        tiers: [
          { min: 3, percent: 5 },
          { min: 6, percent: 10 },
        ],
      };
    } else if (k === 10) {
      target = { kind: 'skus', skus: skusOf(weighed, int(10, 40)) };
      discount = {
        kind: 'tiered',
        measure: 'grams',
        tiers: [
          { min: 1_000, percent: 5 },
          { min: 2_000, percent: 10 },
        ],
      };
    } else if (k === 11) {
      target = chance(0.5) ? categoryTarget() : { kind: 'skus', skus: skusOf(weighed, 20) };
      discount = {
        kind: 'near_expiry',
        within_days: 3,
        schedule: [
          { days_left: 1, percent: 40 },
          { days_left: 3, percent: 20 },
        ],
      };
    } else if (k === 12) {
      target = { kind: 'delivery' };
      discount = { kind: 'delivery', percent: 100 };
      conditions = { min_order_value_vnd: int(2, 8) * 100_000 };
    } else if (k === 13) {
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
    const id = `bench-${pad(i, 2)}`;
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
      priority: int(0, 5),
      ...(chance(0.04) ? { exclusive: true } : {}),
      ...(chance(0.3) ? { stack_group: `g-${int(0, 5)}` } : {}),
    });
    if (coupon) codes.push(`GIAM-${pad(i, 2)}`);
  }
  return { bodies, codes };
}

async function post(base: string, path: string, json: unknown, token: string): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(json),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

async function createPromotions(base: string, pieces: Item[], weighed: Item[]): Promise<string[]> {
  const staff = staffToken();
  const { bodies, codes } = promotionBodies(pieces, weighed);
  for (const b of bodies) await post(base, '/promotions', b, staff);
  for (const [i, code] of codes.entries())
    await post(base, `/promotions/${bodies[i]!.id as string}/coupons`, { code }, staff);
  // Lots near expiry at the store (what inventory's expiring scan announces).
  const today = vietnamDate(new Date());
  for (const [i, it] of weighed.slice(0, 12).entries()) {
    const res = await signedDelivery(
      base,
      'promotions',
      buildEvent(stockExpiring, {
        sku: it.sku,
        location: STORE,
        lot_id: `LOT-${it.sku}`,
        expires_on: new Date(Date.parse(`${today}T00:00:00Z`) + (i % 3) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        quantity: int(1, 5),
        at: new Date().toISOString(),
      }),
    );
    if (res.status >= 300) throw new Error(`stock.expiring ${it.sku}: ${res.status} ${await res.text()}`);
  }
  return codes;
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Proc {
  name: string;
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** Serves function `name` in its own process on the registry's host, with production settings. */
async function serve(name: string, env: NodeJS.ProcessEnv, profile: string[] = []): Promise<Proc> {
  const host = hostOf(registry.find((f) => f.name === name)!);
  const port = await freePort();
  const child = startNode(
    [
      ...profile,
      built(`functions/shared/${host === 'lean' ? 'host' : 'framework-host'}.js`),
      `--target=${name}`,
      `--source=${built(`functions/${name}/index.js`)}`,
    ],
    {
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL,
      FUNCTION_TARGET: name,
      // Also the PostgreSQL application_name, which tells the backends apart.
      K_SERVICE: name,
      DB_POOL_SIZE: POOL_SIZE,
      ...TEST_AUTH_ENV,
      ...eventAuthEnv(name),
      ...env,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.proc.exitCode !== null) return;
    child.proc.kill('SIGTERM');
    await child.exited();
  };
  try {
    await child.waitForHttp(`${base}/readyz`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, base, pid: child.proc.pid!, stop };
}

/** Runs `task` over `items` with at most `width` at once. */
async function inParallel<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Carts

interface GuestCart {
  id: string;
  token: string;
}

interface ViewAnswer {
  lines: { sku: string; available: number | null }[];
  quote: null | {
    lines: unknown[];
    applied: unknown[];
    totals: { subtotal_vnd: number; discount_vnd: number; total_vnd: number };
  };
  stock_error?: string;
  quote_error?: string;
}

/** Opens the carts through the API, gives them pickup at the store, fills them in the store. */
async function fillCarts(
  base: string,
  store: CartStore,
  products: Map<string, ProductInfo>,
  items: Item[],
  codes: string[],
): Promise<{ carts: GuestCart[]; lines: number }> {
  const carts: GuestCart[] = [];
  await inParallel(
    Array.from({ length: CARTS }, (_, i) => i),
    8,
    async () => {
      const res = await fetch(`${base}/carts`, { method: 'POST' });
      const body = (await res.json()) as { id: string; token: string };
      if (res.status !== 201) throw new Error(`POST /carts: ${res.status} ${JSON.stringify(body)}`);
      carts.push({ id: body.id, token: body.token });
    },
  );
  await inParallel(carts, 8, async (c) => {
    const res = await fetch(`${base}/carts/${c.id}/fulfilment`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-cart-token': c.token },
      body: JSON.stringify({ kind: 'pickup', location: STORE }),
    });
    if (res.status !== 200) throw new Error(`PUT fulfilment: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  });
  const use = cartUseCases({ store });
  const byWeight = items.filter((x) => x.weighed);
  let lines = 0;
  const plans = carts.map((c) => {
    const chosen = new Set<Item>();
    const want = int(MIN_LINES, MAX_LINES);
    while (chosen.size < want) chosen.add(chance(0.2) ? pick(byWeight) : pick(items));
    lines += want;
    return { id: c.id, chosen: [...chosen], coupon: chance(0.2) ? pick(codes) : undefined };
  });
  await inParallel(plans, 16, async (plan) => {
    const at = new Date().toISOString();
    const outcome = await use.mutate(plan.id, (cart) => {
      let next: Cart = cart;
      for (const it of plan.chosen) {
        const input = it.weighed
          ? chance(0.5)
            ? { qty: int(1, 2) }
            : { grams: int(2, 10) * 100 }
          : { qty: int(1, 4) };
        const o = addToLine(next, it.sku, input, products, at);
        if (!o.ok) return o;
        next = o.cart;
      }
      if (plan.coupon) {
        const o = addCoupon(next, plan.coupon, at);
        if (!o.ok) return o;
        next = o.cart;
      }
      return { ok: true, cart: next };
    });
    if (!outcome.ok) throw new Error(`filling ${plan.id}: ${JSON.stringify(outcome)}`);
  });
  return { carts, lines };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (clock ticks of 10 ms)

/** The Redis server of the services (its pid), if it runs here. */
function redisPid(): number | undefined {
  const port = new URL(serviceEnv('REDIS_URL')).port;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = cmdlineOf(entry);
    if (cmd.startsWith('redis-server') && cmd.includes(`:${port}`)) return Number(entry);
  }
  return undefined;
}

/** Which function each backend of the bench database serves (its application_name). */
async function backendOwners(admin: Client, into: Map<number, string>): Promise<void> {
  const { rows } = await admin.query<{ pid: number; application_name: string }>(
    'SELECT pid, application_name FROM pg_stat_activity WHERE datname = $1',
    [DB_NAME],
  );
  for (const r of rows) into.set(r.pid, r.application_name || 'other');
}

interface Cpu {
  /** ms of CPU by process: cart, promotions, inventory, autocannon, pg:<function>, redis. */
  byProcess: Map<string, number>;
  machineBusy: number;
  /** Everything else (the idle services, other people's work) as a share of the machine. */
  others: number;
}

async function cpuMeter(admin: Client, procs: Proc[], redis: number | undefined) {
  const owners = new Map<number, string>();
  await backendOwners(admin, owners);
  const p0 = new Map(procs.map((p) => [p.name, procTicks(p.pid)]));
  const r0 = redis ? procTicks(redis) : 0;
  const me0 = process.cpuUsage();
  const pg0 = backendTicks(DB_NAME);
  const m0 = machineTicks();
  return async (): Promise<Cpu> => {
    const me = process.cpuUsage(me0);
    const pg1 = backendTicks(DB_NAME);
    const m1 = machineTicks();
    const r1 = redis ? procTicks(redis) : 0;
    const byProcess = new Map<string, number>();
    for (const p of procs) byProcess.set(p.name, (procTicks(p.pid) - p0.get(p.name)!) * TICK_MS);
    byProcess.set('autocannon', (me.user + me.system) / 1_000);
    await backendOwners(admin, owners);
    for (const [pid, t] of pg1) {
      const key = `pg:${owners.get(pid) ?? 'other'}`;
      byProcess.set(key, (byProcess.get(key) ?? 0) + (t - (pg0.get(pid) ?? 0)) * TICK_MS);
    }
    byProcess.set('redis', (r1 - r0) * TICK_MS);
    const total = m1.total - m0.total;
    const measured = [...byProcess.values()].reduce((a, b) => a + b, 0);
    return {
      byProcess,
      machineBusy: (m1.busy - m0.busy) / total,
      others: Math.max(0, (m1.busy - m0.busy) * TICK_MS - measured) / (total * TICK_MS),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Load

interface Round {
  adapter: string;
  connections: number;
  ok: number;
  failed: number;
  degraded: number;
  malformed: number;
  statuses: string;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  bytes: number;
  linesSeen: { min: number; mean: number; max: number };
  cpu: Cpu;
}

function drive(
  adapter: string,
  base: string,
  carts: GuestCart[],
  skus: string[],
  cursor: { next: number },
  connections: number,
  seconds: number,
  meter: () => Promise<Cpu>,
): Promise<Round> {
  let parsed = 0;
  let malformed = 0;
  let degraded = 0;
  const seen: number[] = [];
  const codes = new Map<number, number>();
  let sample = '';
  const started = performance.now();
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const c = carts[cursor.next++ % carts.length]!;
          return {
            ...req,
            path: `/carts/${c.id}/lines`,
            body: `{"sku":"${pick(skus)}","qty":1}`,
            headers: { ...req.headers, 'x-cart-token': c.token },
          };
        },
        onResponse: (status: number, body: string) => {
          codes.set(status, (codes.get(status) ?? 0) + 1);
          if (status !== 200) {
            if (!sample) sample = `${status} ${body.slice(0, 300)}`;
            return;
          }
          if (!body.includes('"quote":{') || body.includes('"stock_error"')) degraded++;
          else if (++parsed % PARSE_EVERY === 0) {
            const v = JSON.parse(body) as ViewAnswer;
            seen.push(v.lines.length);
            if (
              v.lines.length < MIN_LINES ||
              v.quote?.lines.length !== v.lines.length ||
              typeof v.quote.totals.total_vnd !== 'number' ||
              v.lines.some((l) => typeof l.available !== 'number')
            )
              malformed++;
          }
        },
      },
    ],
  }).then(async (r) => {
    const elapsed = (performance.now() - started) / 1000;
    const cpu = await meter();
    const ok = codes.get(200) ?? 0;
    // errors include timeouts
    const failed = r.errors + [...codes].filter(([c]) => c !== 200).reduce((t, [, k]) => t + k, 0);
    if (sample) console.error(`${adapter}, first failure at ${connections} connections: ${sample}`);
    return {
      adapter,
      connections,
      ok,
      failed,
      degraded,
      malformed,
      statuses: [...codes].map(([c, k]) => `${c}×${k}`).join(', '),
      perSecond: ok / Math.min(elapsed, seconds),
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      bytes: r.throughput.total / Math.max(1, r.requests.total),
      linesSeen: {
        min: Math.min(...seen),
        mean: seen.reduce((a, b) => a + b, 0) / Math.max(1, seen.length),
        max: Math.max(...seen),
      },
      cpu,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// One at a time: an add and its parts

interface Parts {
  adapter: string;
  add: number;
  quote: number;
  stock: number;
  store: number;
  projection: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/**
 * Adds to PROBES carts one at a time, then times the parts of such an add alone, as the cart does
 * them: the quote of the cart's lines, the stock of its lines at the store, the store's read and
 * compare-and-set, the product and mark reads.
 */
async function parts(
  adapter: string,
  procs: { cart: Proc; promotions: Proc; inventory: Proc },
  carts: GuestCart[],
  skus: string[],
  store: CartStore,
  url: string,
): Promise<Parts> {
  const add: number[] = [];
  const quote: number[] = [];
  const stock: number[] = [];
  const stored: number[] = [];
  const projection: number[] = [];
  const products = productStore(CART_SCHEMA);
  const pool = createPool(url, { max: 2 });
  try {
    for (const c of carts.slice(0, PROBES)) {
      add.push(
        await timed(async () => {
          const res = await fetch(`${procs.cart.base}/carts/${c.id}/lines`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-cart-token': c.token },
            body: JSON.stringify({ sku: pick(skus), qty: 1 }),
          });
          if (res.status !== 200) throw new Error(`probe add: ${res.status} ${await res.text()}`);
          await res.text();
        }),
      );
    }
    for (const c of carts.slice(0, PROBES)) {
      const cart = (await store.get(c.id))!;
      const lineSkus = cart.lines.map((l) => l.sku);
      quote.push(
        await timed(async () => {
          const res = await fetch(`${procs.promotions.base}/pricing/quote`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(quoteRequest(cart, () => true, 0)),
          });
          if (res.status !== 200) throw new Error(`probe quote: ${res.status} ${await res.text()}`);
          await res.json();
        }),
      );
      stock.push(
        await timed(async () => {
          const res = await fetch(`${procs.inventory.base}/stock/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ items: lineSkus.map((sku) => ({ sku, location: STORE })) }),
          });
          if (res.status !== 200) throw new Error(`probe stock: ${res.status} ${await res.text()}`);
          await res.json();
        }),
      );
      stored.push(
        await timed(async () => {
          const now = (await store.get(c.id))!;
          if (!(await store.compareAndSet({ ...now, version: now.version + 1 }, now.version)))
            throw new Error('probe compare-and-set lost');
        }),
      );
      projection.push(
        await timed(async () => {
          await products.get(pool, [lineSkus[0]!]);
          await Promise.all([products.get(pool, lineSkus), products.mark(pool)]);
        }),
      );
    }
  } finally {
    await pool.end();
  }
  return {
    adapter,
    add: median(add),
    quote: median(quote),
    stock: median(stock),
    store: median(stored),
    projection: median(projection),
  };
}

// ---------------------------------------------------------------------------------------------

async function sanity(base: string, cart: GuestCart, store: CartStore, skus: string[]): Promise<string> {
  const before = (await store.get(cart.id))!;
  const sku = skus.find((s) => !before.lines.some((l) => l.sku === s))!;
  const res = await fetch(`${base}/carts/${cart.id}/lines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cart-token': cart.token },
    body: JSON.stringify({ sku, qty: 1 }),
  });
  const text = await res.text();
  const v = JSON.parse(text) as ViewAnswer;
  const withStock = v.lines.filter((l) => typeof l.available === 'number').length;
  if (
    res.status !== 200 ||
    v.lines.length !== before.lines.length + 1 ||
    !v.quote ||
    v.quote.lines.length !== v.lines.length ||
    typeof v.quote.totals.total_vnd !== 'number' ||
    withStock !== v.lines.length ||
    v.stock_error ||
    v.quote_error
  )
    throw new Error(`sanity add: ${res.status} ${text.slice(0, 500)}`);
  return `${before.lines.length} → ${v.lines.length} lines, quote with ${v.quote.lines.length} lines and ${v.quote.applied.length} promotions applied (subtotal ${n(v.quote.totals.subtotal_vnd)} đ, discount ${n(v.quote.totals.discount_vnd)} đ, total ${n(v.quote.totals.total_vnd)} đ), stock on all ${withStock} lines, ${n(text.length)} bytes`;
}

async function clearRedis(prefix: string): Promise<number> {
  const redis = createRedis({ url: serviceEnv('REDIS_URL') });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!.toFixed(2);
  const url = await benchDatabase(DB_NAME);
  const { snapshots, pieces, weighed } = catalogue();
  await prepare(url, snapshots);
  const items = [...pieces, ...weighed];
  const skus = items.map((i) => i.sku);
  const admin = new Client({ connectionString: serviceEnv('DATABASE_URL') });
  await admin.connect();
  const redis = redisPid();
  const rows: Round[] = [];
  const budget: Parts[] = [];
  const sanityLines: string[] = [];
  const running: Proc[] = [];
  try {
    const inventory = await serve('inventory', { DATABASE_URL: url, FIRESTORE_PROJECT_ID: '' });
    running.push(inventory);
    const promotions = await serve('promotions', { DATABASE_URL: url });
    running.push(promotions);
    const codes = await createPromotions(promotions.base, pieces, weighed);

    const info = await (async () => {
      const pool = createPool(url, { max: 1 });
      try {
        return await productStore(CART_SCHEMA).get(pool, skus);
      } finally {
        await pool.end();
      }
    })();

    for (const adapter of ['postgres', 'redis'] as const) {
      const prefix = `bench:cart:${randomUUID()}:`;
      const cart = await serve(
        'cart',
        {
          DATABASE_URL: url,
          CART_STORE: adapter,
          REDIS_URL: serviceEnv('REDIS_URL'),
          CART_REDIS_PREFIX: prefix,
          CART_PROMOTIONS_URL: promotions.base,
          CART_INVENTORY_URL: inventory.base,
        },
        PROFILE,
      );
      running.push(cart);
      const pool = createPool(url, { max: 4 });
      const client = adapter === 'redis' ? createRedis({ url: serviceEnv('REDIS_URL') }) : undefined;
      const store = client
        ? redisCartStore(client, { prefix, guestTtlMs: GUEST_TTL_MS })
        : pgCartStore(pool, CART_SCHEMA);
      try {
        const { carts, lines } = await fillCarts(cart.base, store, info, items, codes);
        sanityLines.push(
          `${adapter}: ${n(carts.length)} carts, ${(lines / carts.length).toFixed(1)} lines on average; first add: ${await sanity(cart.base, carts[0]!, store, skus)}.`,
        );
        budget.push(await parts(adapter, { cart, promotions, inventory }, carts.slice(1), skus, store, url));
        const procs = [cart, promotions, inventory];
        const cursor = { next: PROBES + 1 };
        const meter = () => cpuMeter(admin, procs, adapter === 'redis' ? redis : undefined);
        await drive(adapter, cart.base, carts, skus, cursor, ROUNDS[0]!, WARMUP_S, await meter());
        for (const c of ROUNDS)
          rows.push(await drive(adapter, cart.base, carts, skus, cursor, c, DURATION_S, await meter()));
      } finally {
        await cart.stop();
        running.splice(running.indexOf(cart), 1);
        await store.close();
        client?.disconnect();
        await pool.end();
        if (adapter === 'redis') await clearRedis(prefix);
      }
    }
  } finally {
    for (const p of running.reverse()) await p.stop();
    await admin.end();
  }

  console.log(
    `\nAdd to cart: POST /carts/{id}/lines (1 of a random SKU among ${n(PIECES + WEIGHED)}), guest carts of ${MIN_LINES}–${MAX_LINES} lines with pickup at a store, ${PROMOTIONS} active promotions; cart, promotions and inventory each in its own process on its registry host (${['cart', 'promotions', 'inventory'].map((f) => `${f}: ${hostOf(registry.find((x) => x.name === f)!)}`).join(', ')}), DB_POOL_SIZE ${POOL_SIZE}, LOG_LEVEL ${LOG_LEVEL}; ${DURATION_S} s per row after a ${WARMUP_S} s warm-up; ${cpus().length} cores, 1-minute load average ${loadBefore} at the start, ${loadavg()[0]!.toFixed(2)} at the end\n`,
  );
  console.log(
    '| store | connections | adds/s | p50 ms | p90 ms | p99 ms | max ms | 200 | not 200 | degraded | malformed | lines (sampled) | bytes/answer |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows)
    console.log(
      `| ${r.adapter} | ${r.connections} | ${n(r.perSecond)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${n(r.ok)} | ${r.failed} | ${r.degraded} | ${r.malformed} | ${r.linesSeen.min}–${r.linesSeen.max} (mean ${r.linesSeen.mean.toFixed(1)}) | ${n(r.bytes)} |`,
    );
  console.log('\nCPU per add (ms) by process, and the machine:\n');
  const columns = [
    'cart',
    'promotions',
    'inventory',
    'pg:cart',
    'pg:promotions',
    'pg:inventory',
    'redis',
    'autocannon',
  ];
  console.log(
    `| store | connections | ${columns.map((c) => c.replace('pg:', 'PostgreSQL for ')).join(' | ')} | total | machine busy | of it other processes |\n|---|---|${columns.map(() => '---|').join('')}---|---|---|`,
  );
  for (const r of rows) {
    const per = (v: number) => ms(v / Math.max(1, r.ok));
    const others = [...r.cpu.byProcess].filter(([k, v]) => !columns.includes(k) && v > 0);
    const total = [...r.cpu.byProcess.values()].reduce((a, b) => a + b, 0);
    console.log(
      `| ${r.adapter} | ${r.connections} | ${columns.map((c) => per(r.cpu.byProcess.get(c) ?? 0)).join(' | ')} | ${per(total)} | ${Math.round(r.cpu.machineBusy * 100)} % | ${Math.round(r.cpu.others * 100)} %${others.length ? ` (also ${others.map(([k, v]) => `${k} ${per(v)}`).join(', ')})` : ''} |`,
    );
  }
  console.log(
    `\nOne add at a time (median of ${PROBES}, ms), and its parts timed alone from the bench process:\n`,
  );
  console.log(
    '| store | add (end to end) | quote (promotions) | stock (inventory) | store get + compare-and-set | products + mark reads |\n|---|---|---|---|---|---|',
  );
  for (const b of budget)
    console.log(
      `| ${b.adapter} | ${ms(b.add)} | ${ms(b.quote)} | ${ms(b.stock)} | ${ms(b.store)} | ${ms(b.projection)} |`,
    );
  console.log('');
  for (const s of sanityLines) console.log(`Sanity: ${s}`);
  for (const adapter of ['postgres', 'redis']) {
    const at16 = rows.find((r) => r.adapter === adapter && r.connections === 16)!;
    const at64 = rows.find((r) => r.adapter === adapter && r.connections === 64)!;
    console.log(
      `Goals on ${adapter}: ≥ 1,000 adds/s at 64 connections ${at64.perSecond >= 1_000 ? 'met' : 'not met'} (${n(at64.perSecond)}/s); p99 ≤ 30 ms at 16 connections ${at16.p99 <= 30 ? 'met' : 'not met'} (p99 ${at16.p99} ms).`,
    );
  }
  if (rows.some((r) => r.failed > 0 || r.malformed > 0 || r.degraded > 0)) {
    for (const r of rows)
      console.error(
        `${r.adapter}, ${r.connections} connections: ${r.statuses}, ${r.degraded} degraded, ${r.malformed} malformed`,
      );
    console.error('some answers were not 200, degraded or malformed');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
