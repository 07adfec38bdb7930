/**
 * `make capacity`: the capacity model of docs/capacity.md, computed from the figures recorded in
 * docs/benchmarks.md and a load model whose every assumption is a named constant below. It reads
 * the benchmark tables (a figure that disappears is an error naming it, never a silent default),
 * turns the seeds' load (100,000 daily users, 300,000 at peak) into requests and events per second,
 * and sizes from them the pods of every function, the Knative settings, the Kafka partitions,
 * PostgreSQL's connections through PgBouncer, Elasticsearch and Redis. It compares the result with
 * what the manifests set today (scripts/manifests, infra/k8s) and lists the differences; it changes
 * nothing but docs/capacity.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll as loadAllYaml } from 'js-yaml';
import { contractFor, contracts, producers } from '../events';
import type { Cart, CartLine } from '../functions/cart/model';
import { cartConfigSpec } from '../functions/cart/deps';
import { registry, triggers, type FunctionSpec, type ScalingProfile } from '../functions/registry';
import { searchConfigSpec } from '../functions/search/deps';
import { baseConfigSpec } from '../functions/shared/config';
import { userConfigSpec } from '../functions/user/deps';
import { environmentNamed, type Environment } from './manifests/environments';
import { partitionsFor } from './manifests/eventing';
import { functionEnv, scalingAnnotations } from './manifests/serving';
import { seedSnapshots } from './seed/data';

const ROOT = join(__dirname, __dirname.includes(`${join('dist', 'scripts')}`) ? '../..' : '..');
export const BENCHMARKS_PATH = join(ROOT, 'docs/benchmarks.md');
export const CAPACITY_PATH = join(ROOT, 'docs/capacity.md');

// ---------------------------------------------------------------------------------------------
// Markdown tables of docs/benchmarks.md
// ---------------------------------------------------------------------------------------------

/** One Markdown table: the `## ` section it sits in, its header names and its rows of cells. */
export interface MdTable {
  section: string;
  headers: string[];
  rows: string[][];
}

/** A cell without Markdown emphasis or code marks, trimmed. */
export const plainCell = (cell: string): string => cell.replace(/\*\*|`/g, '').trim();

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** Every pipe table of a Markdown text, with the `## ` heading it is under ('' before the first). */
export function parseTables(md: string): MdTable[] {
  const tables: MdTable[] = [];
  let section = '';
  let current: MdTable | undefined;
  for (const line of md.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.trim().startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = splitRow(line);
    if (!current) {
      current = { section, headers: cells.map(plainCell), rows: [] };
      tables.push(current);
    } else if (!cells.every((c) => /^:?-{3,}:?$/.test(c))) current.rows.push(cells);
  }
  return tables;
}

/**
 * The number a cell starts with: `**1,234**` → 1234, `5,385 (all held)` → 5385, `4,273/s (234 µs)`
 * → 4273, `−3.5` → -3.5. Throws when the cell does not start with a number.
 */
export function parseNumber(cell: string): number {
  const match = /^[-−]?\d[\d,]*(\.\d+)?/.exec(plainCell(cell));
  if (!match) throw new Error(`"${cell}" does not start with a number`);
  return Number(match[0].replace(/,/g, '').replace('−', '-'));
}

/** A row test on its first cells (compared without emphasis, case-insensitively; a RegExp tests). */
export type RowTest = (cells: string[]) => boolean;

/** Rows whose first cells are `expected`, in order (strings match whole cells, RegExps search). */
export const rowWhere =
  (...expected: (string | RegExp)[]): RowTest =>
  (cells) =>
    expected.every((e, i) => {
      const cell = plainCell(cells[i] ?? '');
      return typeof e === 'string' ? cell.toLowerCase() === e.toLowerCase() : e.test(cell);
    });

/** Where a figure is: a section (by heading prefix), the rows (by their first cells), a column. */
export interface FigureQuery {
  section: string;
  row: RowTest;
  /** How the rows were chosen, for messages and the document. */
  rowLabel: string;
  column: string;
}

/** Every value a query finds (one per matching row); throws naming what it looked for if none. */
export function figures(tables: readonly MdTable[], q: FigureQuery): number[] {
  const where = `section "${q.section}…", rows ${q.rowLabel}, column "${q.column}"`;
  const inSection = tables.filter((t) => t.section.startsWith(q.section));
  if (inSection.length === 0)
    throw new Error(`benchmarks: no table under a section "${q.section}…" (${where})`);
  const withColumn = inSection.filter((t) =>
    t.headers.some((h) => h.toLowerCase() === q.column.toLowerCase()),
  );
  if (withColumn.length === 0)
    throw new Error(`benchmarks: no column "${q.column}" in section "${q.section}…" (${where})`);
  const values: number[] = [];
  for (const t of withColumn) {
    const col = t.headers.findIndex((h) => h.toLowerCase() === q.column.toLowerCase());
    for (const row of t.rows) if (q.row(row)) values.push(parseNumber(row[col] ?? ''));
  }
  if (values.length === 0) throw new Error(`benchmarks: no row ${q.rowLabel} (${where})`);
  return values;
}

/** The one value a query finds; throws if none or more than one row matches. */
export function figure(tables: readonly MdTable[], q: FigureQuery): number {
  const values = figures(tables, q);
  if (values.length > 1)
    throw new Error(`benchmarks: ${values.length} rows ${q.rowLabel} in "${q.section}…", expected one`);
  return values[0]!;
}

/** The rows of a section's table that has `column`, as {cells, value of column}. */
function rowsWith(tables: readonly MdTable[], q: Omit<FigureQuery, 'row' | 'rowLabel'>): string[][] {
  const t = tables.find(
    (x) =>
      x.section.startsWith(q.section) && x.headers.some((h) => h.toLowerCase() === q.column.toLowerCase()),
  );
  if (!t) throw new Error(`benchmarks: no column "${q.column}" in section "${q.section}…"`);
  return t.rows;
}

/** A number in a section's prose, found by a pattern with one capture; throws if the text has none. */
export function proseFigure(md: string, section: string, pattern: RegExp, what: string): number {
  const start = md.split('\n').findIndex((l) => l.startsWith('## ') && l.slice(3).startsWith(section));
  if (start < 0) throw new Error(`benchmarks: no section "${section}…" (looking for ${what})`);
  const rest = md.split('\n').slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  const text = rest.slice(0, end < 0 ? undefined : end).join(' ');
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`benchmarks: no ${what} in section "${section}…" (pattern ${pattern})`);
  return parseNumber(match[1]);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---------------------------------------------------------------------------------------------
// The figures the model uses
// ---------------------------------------------------------------------------------------------

/** A figure with where it came from (shown in the document). */
export interface Figure {
  value: number;
  source: string;
}

/** Every benchmark figure the model reads. Rates are per second; latencies in ms. */
export interface Figures {
  /** Lean host, hello handler: req/s, p50. */
  leanHost: Figure;
  leanHostP50: Figure;
  /** Search, Elasticsearch, result cache on / off, 8 connections: req/s, p50, p99. */
  searchCached: Figure;
  searchCachedP50: Figure;
  searchCachedP99: Figure;
  searchUncached: Figure;
  searchUncachedP50: Figure;
  /** Search on PostgreSQL with the cache, 8 connections (for comparison: the embedded engine). */
  searchPostgresCached: Figure;
  /** Product detail from the shared Redis cache, 8 connections: req/s, p50. */
  productDetail: Figure;
  productDetailP50: Figure;
  /** Add to cart on the Redis store: whole-machine adds/s at 16 connections (lowest run). */
  addsPerSecond: Figure;
  /** CPU ms per add of cart, promotions and inventory (Redis store, mean over runs). */
  cartCpuMs: Figure;
  promotionsCpuMs: Figure;
  inventoryCpuMs: Figure;
  /** One add alone end to end, and its quote and stock parts (Redis store, mean; ms). */
  addAloneMs: Figure;
  quoteAloneMs: Figure;
  stockAloneMs: Figure;
  /** Checkout: highest COD rate with p99 ≤ 2 s, answer p50/p99. */
  checkoutRate: Figure;
  checkoutAnswerP50: Figure;
  checkoutAnswerP99: Figure;
  /** Events written and PostgreSQL transactions per COD checkout (prose of the Checkout section). */
  checkoutEvents: Figure;
  checkoutTransactions: Figure;
  /** Reservations decided/s, distinct SKUs. */
  reservations: Figure;
  /** Slot listing and slot holds. */
  slots: Figure;
  slotsP50: Figure;
  slotHolds: Figure;
  /** Payments: MoMo authorise (simulator at 0 ms), its p50 with MoMo at 200 ms, COD, IPNs. */
  paymentMomo: Figure;
  paymentMomoSlowP50: Figure;
  paymentCod: Figure;
  paymentCodP50: Figure;
  paymentIpn: Figure;
  /** Event path: sustained events/s (highest with p95 within budget), lowest-rate p50. */
  eventsSustained: Figure;
  eventP50: Figure;
  /** Notification messages/s, order confirmed by email (pinned to one core), transactions per message. */
  notifications: Figure;
  notificationsAccepted: Figure;
  notificationTransactions: Figure;
  /** Sign-in: logins/s at 10 connections (slowest run), p50 (fastest run); token verifications/s. */
  logins: Figure;
  loginP50: Figure;
  tokenVerifications: Figure;
}

/** The p95 the event path must keep for a rate to count as sustained (ms). */
export const EVENT_P95_BUDGET_MS = 1_000;
/** The p99 within which a checkout rate counts as sustained (the benchmark's own criterion, ms). */
export const CHECKOUT_P99_BUDGET_MS = 2_000;

/** Reads every figure the model needs from docs/benchmarks.md; throws naming the first one missing. */
export function readFigures(md: string): Figures {
  const t = parseTables(md);
  const one = (section: string, row: (string | RegExp)[], column: string): Figure => {
    const rowLabel = row.map((r) => (typeof r === 'string' ? `"${r}"` : String(r))).join(' / ');
    return { value: figure(t, { section, row: rowWhere(...row), rowLabel, column }), source: section };
  };
  const agg = (
    how: 'mean' | 'min' | 'max',
    section: string,
    row: (string | RegExp)[],
    column: string,
  ): Figure => {
    const rowLabel = row.map((r) => (typeof r === 'string' ? `"${r}"` : String(r))).join(' / ');
    const values = figures(t, { section, row: rowWhere(...row), rowLabel, column });
    const value = how === 'mean' ? mean(values) : how === 'min' ? Math.min(...values) : Math.max(...values);
    return { value, source: `${section} (${how} of ${values.length} rows)` };
  };
  const S = {
    host: 'Host overhead',
    events: 'Event path',
    search: 'Search',
    product: 'Product detail',
    reserve: 'Reservations',
    auth: 'Access tokens and sign-in',
    cart: 'Add to cart',
    slots: 'Delivery slots and holds',
    pay: 'Authorising payments',
    checkout: 'Checkout',
    notify: 'Sending notifications',
  };

  // Event path: the highest sustained rate, one event per producer transaction on Kafka, whose p95
  // stays within the budget; and the p50 at the lowest rate (one event's trip, unqueued).
  const kafkaRows = rowsWith(t, { section: S.events, column: 'sustained events/s' }).filter(
    (r) => plainCell(r[2] ?? '') === 'Kafka' && parseNumber(r[1] ?? '') === 1,
  );
  const eventHeaders = t.find((x) => x.section.startsWith(S.events))!.headers;
  const col = (name: string) => eventHeaders.indexOf(name);
  const within = kafkaRows.filter((r) => parseNumber(r[col('p95 ms')] ?? '') <= EVENT_P95_BUDGET_MS);
  if (within.length === 0)
    throw new Error(`benchmarks: no Kafka row of "${S.events}" with p95 ≤ ${EVENT_P95_BUDGET_MS} ms`);
  const sustained = Math.max(...within.map((r) => parseNumber(r[col('sustained events/s')] ?? '')));
  const lowest = kafkaRows.reduce((a, b) => (parseNumber(a[0] ?? '') <= parseNumber(b[0] ?? '') ? a : b));

  // Checkout: the highest COD rate whose p99 stays within the budget ("at 20/s" in the first cell).
  const codRows = rowsWith(t, { section: S.checkout, column: 'p99 ms' })
    .map((r) => ({ rate: /COD checkout at (\d+)\/s/.exec(plainCell(r[0] ?? ''))?.[1], r }))
    .filter((x) => x.rate !== undefined);
  const checkoutHeaders = t.find((x) => x.section.startsWith(S.checkout))!.headers;
  const ok = codRows.filter(
    (x) => parseNumber(x.r[checkoutHeaders.indexOf('p99 ms')] ?? '') <= CHECKOUT_P99_BUDGET_MS,
  );
  if (ok.length === 0)
    throw new Error(
      `benchmarks: no "COD checkout at N/s" row of "${S.checkout}" with p99 ≤ ${CHECKOUT_P99_BUDGET_MS} ms`,
    );

  return {
    leanHost: one(S.host, [/^lean host/], 'req/s'),
    leanHostP50: one(S.host, [/^lean host/], 'p50 ms'),
    searchCached: one(S.search, ['Elasticsearch', 'on', '8'], 'req/s'),
    searchCachedP50: one(S.search, ['Elasticsearch', 'on', '8'], 'p50 ms'),
    searchCachedP99: one(S.search, ['Elasticsearch', 'on', '8'], 'p99 ms'),
    searchUncached: one(S.search, ['Elasticsearch', 'off', '8'], 'req/s'),
    searchUncachedP50: one(S.search, ['Elasticsearch', 'off', '8'], 'p50 ms'),
    searchPostgresCached: one(S.search, ['PostgreSQL', 'on', '8'], 'req/s'),
    productDetail: one(S.product, [/^Redis/, '8'], 'req/s'),
    productDetailP50: one(S.product, [/^Redis/, '8'], 'p50 ms'),
    addsPerSecond: agg('min', S.cart, [/^[A-Z]$/, 'redis', '16'], 'adds/s'),
    cartCpuMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'cart'),
    promotionsCpuMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'promotions'),
    inventoryCpuMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'inventory'),
    addAloneMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'add, end to end'),
    quoteAloneMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'quote (promotions)'),
    stockAloneMs: agg('mean', S.cart, [/^[A-Z]$/, 'redis'], 'stock (inventory)'),
    checkoutRate: {
      value: Math.max(...ok.map((x) => Number(x.rate))),
      source: `${S.checkout} (highest COD rate with p99 ≤ ${CHECKOUT_P99_BUDGET_MS / 1000} s)`,
    },
    checkoutAnswerP50: one(S.checkout, [/^\(a\) MoMo checkout .*answer/], 'p50 ms'),
    checkoutAnswerP99: one(S.checkout, [/^\(a\) MoMo checkout .*answer/], 'p99 ms'),
    checkoutEvents: {
      value: proseFigure(
        md,
        S.checkout,
        /checkout writes ([\d,]+) events to outboxes/,
        'events per checkout',
      ),
      source: `${S.checkout} (prose: events written per COD checkout)`,
    },
    checkoutTransactions: {
      value: proseFigure(
        md,
        S.checkout,
        /about ([\d,]+) PostgreSQL transactions/,
        'transactions per checkout',
      ),
      source: `${S.checkout} (prose: PostgreSQL transactions per COD checkout)`,
    },
    reservations: one(S.reserve, [/^\(a\) distinct SKUs/], 'decided/s'),
    slots: one(S.slots, [/^\(a\) GET \/slots/, '16'], 'requests/s'),
    slotsP50: one(S.slots, [/^\(a\) GET \/slots/, '16'], 'p50 ms'),
    slotHolds: one(S.slots, [/^\(b\) POST \/slot-holds/], 'requests/s'),
    paymentMomo: one(S.pay, [/^\(b\) POST \/payments, MoMo/], 'requests/s'),
    paymentMomoSlowP50: one(S.pay, [/^\(c\) POST \/payments, MoMo/], 'p50 ms'),
    paymentCod: one(S.pay, [/^\(a\) POST \/payments, cash on delivery/], 'requests/s'),
    paymentCodP50: one(S.pay, [/^\(a\) POST \/payments, cash on delivery/], 'p50 ms'),
    paymentIpn: one(S.pay, [/^\(d\) MoMo IPN/], 'requests/s'),
    eventsSustained: {
      value: sustained,
      source: `${S.events} (highest Kafka rate, 1 event per transaction, p95 ≤ ${EVENT_P95_BUDGET_MS / 1000} s)`,
    },
    eventP50: {
      value: parseNumber(lowest[col('p50 ms')] ?? ''),
      source: `${S.events} (p50 at ${plainCell(lowest[0] ?? '')} events/s, Kafka)`,
    },
    notifications: one(S.notify, [/^SendGrid: order confirmed/], 'messages/s'),
    notificationsAccepted: one(S.notify, [/^SendGrid: order confirmed/], 'events accepted/s'),
    notificationTransactions: agg('mean', S.notify, [/^(SendGrid|Twilio)/], 'transactions/msg'),
    logins: agg('min', S.auth, [/, 10 connections$/], 'logins/s'),
    loginP50: agg('min', S.auth, [/, 10 connections$/], 'p50'),
    tokenVerifications: one(S.auth, [/^Zipf\(1\) over/], 'run C'),
  };
}

// ---------------------------------------------------------------------------------------------
// The load model: every assumption, and why
// ---------------------------------------------------------------------------------------------

/** One assumption of the model: its value, unit and why (the document's assumptions table). */
export interface Assumption {
  value: number;
  unit: string;
  why: string;
}

/** The values of a set of assumptions, by name. */
const valuesOf = <T extends Record<string, Assumption>>(a: T): { [K in keyof T]: number } =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.value])) as { [K in keyof T]: number };

/** The load model: the seed's numbers and our estimates of how people shop. */
export const LOAD_ASSUMPTIONS = {
  dailyUsersNormal: { value: 100_000, unit: 'users/day', why: 'the seed: 100,000 daily users' },
  dailyUsersPeak: { value: 300_000, unit: 'users/day', why: 'the seed: 300,000 at peak (Tết, promotions)' },
  peakHourShare: {
    value: 0.15,
    unit: 'of a day’s users',
    why: 'grocery shopping peaks in the evening (19–21 h): 15 % of the day’s users in its busiest hour',
  },
  sessionMinutes: {
    value: 15,
    unit: 'min',
    why: 'a grocery basket takes longer than one product: 15 min a session; concurrent users = hourly users × 15/60',
  },
  spikeFactor: {
    value: 2,
    unit: '×',
    why: 'within the peak hour a push notification or a flash sale doubles the rate for minutes; pods are sized for it',
  },
  conversion: {
    value: 0.3,
    unit: 'orders/session',
    why: 'grocery apps convert well (people come to buy); 30 % of sessions place an order',
  },
  linesPerOrder: {
    value: 12,
    unit: 'lines',
    why: 'a Vietnamese online grocery basket of ~12 items (the cart benchmark fills 22.6, a stress case)',
  },
  addActionsPerLine: { value: 1.3, unit: 'adds/line', why: 'quantity changes (+/−) are adds too' },
  addsPerAbandonedSession: {
    value: 3,
    unit: 'adds',
    why: 'sessions that do not order still add a few items',
  },
  searchesPerMinute: {
    value: 1,
    unit: '/active user/min',
    why: 'one search a minute while shopping (the rest is browsing)',
  },
  typeaheadPerSearch: {
    value: 2,
    unit: 'suggests/search',
    why: 'debounced as-you-type suggestions, each a /search request',
  },
  productReadsPerMinute: {
    value: 4,
    unit: '/active user/min',
    why: 'product detail, category listings and popular lists from catalog',
  },
  cartReadsPerMinute: {
    value: 1,
    unit: '/active user/min',
    why: 'the cart badge and cart page; each is a priced view (quote + stock) like an add',
  },
  slotListsPerOrder: {
    value: 3,
    unit: 'lists/order',
    why: 'the slot picker is opened and changed at checkout',
  },
  slotListsPerAbandonedSession: {
    value: 0.5,
    unit: 'lists',
    why: 'some non-buyers check when delivery is possible',
  },
  orderReadsPerOrder: {
    value: 4,
    unit: 'reads/order',
    why: 'order page and list around checkout (tracking itself is Firestore)',
  },
  loginShareOfSessions: {
    value: 0.2,
    unit: 'logins/session',
    why: 'refresh tokens keep most customers signed in; 1 session in 5 signs in with a password',
  },
  onlinePaymentShare: {
    value: 0.6,
    unit: 'of orders',
    why: 'MoMo/VNPay/cards; the rest cash on delivery (no IPN)',
  },
  couponShare: { value: 0.2, unit: 'of orders', why: 'orders with a coupon (coupon.redeemed event)' },
  deliveryStatusesPerOrder: { value: 3, unit: 'events', why: 'picked up, in transit, delivered' },
  abandonedCartShare: {
    value: 0.3,
    unit: 'of non-buying sessions',
    why: 'left a cart with lines (cart.abandoned)',
  },
  newAccountsShareOfUsers: { value: 0.02, unit: 'of daily users', why: 'sign-ups a day (user events)' },
  passwordResetsPerLogin: {
    value: 0.01,
    unit: 'resets/sign-in',
    why: 'one sign-in in a hundred starts with a forgotten password (an email or SMS)',
  },
  productUpdatesPerDay: {
    value: 5_000,
    unit: 'events/day',
    why: 'price and content changes: 10 % of the 50,000 SKUs a day',
  },
  stockReceiptsPerDay: {
    value: 50_000,
    unit: 'events/day',
    why: 'goods received and counted per (SKU, store), outside orders',
  },
} satisfies Record<string, Assumption>;

/** How the figures are turned into capacity, and the sizes of what is stored. */
export const SIZING_ASSUMPTIONS = {
  benchCoresPerFigure: {
    value: 1,
    unit: 'core',
    why: 'a benchmark figure counts as what one core does: the function’s one event loop shared 2 vCPUs with PostgreSQL, the load generator and its peers, so it is conservative; a pod gets its CPU request (capped at one core)',
  },
  maxScaleHeadroom: {
    value: 2,
    unit: '×',
    why: 'max-scale above the spike-sized peak: a slow dependency raises concurrency, and a zone loss moves load',
  },
  searchHitRateBench: {
    value: 0.75,
    unit: '',
    why: 'the search benchmark: three quarters of requests repeat an earlier query in a 20 s run, no writes',
  },
  searchHitRateAtPeak: {
    value: 0.3,
    unit: '',
    why: 'at peak every reservation indexes a stock change, so answers live only as long as the micro-cache; per-pod caches split the hits',
  },
  gatewayCostVsHello: {
    value: 3,
    unit: '×',
    why: 'the gateway reads the request, opens an upstream request and copies the answer (~28 KB for a cart): three hello handlers’ worth',
  },
  eventPartitionsFloor: {
    value: 3,
    unit: 'partitions',
    why: 'at least one per broker (replication 3) so a topic spreads over the Kafka cluster',
  },
  writeTxSeconds: {
    value: 0.005,
    unit: 's',
    why: 'mean time a write transaction holds a PgBouncer server connection: a few statements at ~0.5 ms in-cluster plus a commit waiting for a synchronous replica (quorum replication)',
  },
  readSeconds: {
    value: 0.001,
    unit: 's',
    why: 'an autocommit read statement (an indexed lookup) holds a server connection for about one in-cluster round trip',
  },
  pgHeadroom: {
    value: 3,
    unit: '×',
    why: 'transactions arrive in bursts and slow under lock waits; server pool = 3 × the mean in flight',
  },
  pgReservedConnections: {
    value: 30,
    unit: 'connections',
    why: 'max_connections above the poolers: superuser reserve, CloudNativePG’s own, migrations, psql, exporters',
  },
  relayPoolSize: {
    value: 4,
    unit: 'connections',
    why: 'functions/shared/eventing/relay-main.ts (createPool max 4)',
  },
  routerInFlight: {
    value: 16,
    unit: 'deliveries',
    why: 'the router’s in-flight limit per subscriber (the notification benchmark’s concurrency)',
  },
  esMinDataNodes: { value: 2, unit: 'nodes', why: 'a primary and its replica on different nodes' },
  esReplicas: {
    value: 1,
    unit: 'replicas',
    why: 'one replica of the product index (SEARCH_INDEX_REPLICAS in the registry)',
  },
  esIndexOverhead: {
    value: 1.5,
    unit: '×',
    why: 'inverted index, doc values and _source over the JSON size',
  },
  registeredCustomers: {
    value: 1_000_000,
    unit: 'customers',
    why: '10× the normal daily users have an account',
  },
  openCartShare: {
    value: 0.5,
    unit: 'of customers',
    why: 'customer carts never expire in Redis (cart/redis-store.ts): half of the accounts keep one with lines',
  },
  linesPerOpenCart: { value: 6, unit: 'lines', why: 'a kept cart is half a basket' },
  guestSessionShare: { value: 0.3, unit: 'of sessions', why: 'browsing without signing in' },
  guestCartShare: {
    value: 0.4,
    unit: 'of guest sessions',
    why: 'guests who open a cart (kept CART_GUEST_TTL_DAYS)',
  },
  searchAnswerBytes: {
    value: 26_000,
    unit: 'bytes',
    why: 'a 20-hit page with facets (20 × ~1.2 KB products + facets)',
  },
  rateLimitKeysPerLogin: { value: 3, unit: 'keys', why: 'sign-in counters per account, client and address' },
  rateLimitKeyBytes: { value: 120, unit: 'bytes', why: 'key name, counter and TTL' },
  redisOverhead: {
    value: 2,
    unit: '×',
    why: 'Redis per-key overhead, fragmentation and the AOF rewrite’s copy-on-write',
  },
} satisfies Record<string, Assumption>;

export const LOAD = valuesOf(LOAD_ASSUMPTIONS);
export const SIZING = valuesOf(SIZING_ASSUMPTIONS);

/** Every assumption with its name, for the document. */
export const assumptions = (): (Assumption & { name: string })[] =>
  Object.entries({ ...LOAD_ASSUMPTIONS, ...SIZING_ASSUMPTIONS }).map(([name, a]) => ({ name, ...a }));

// ---------------------------------------------------------------------------------------------
// Pure formulas
// ---------------------------------------------------------------------------------------------

/** Pods for a demand: ceil(load ÷ (per-pod throughput × target utilisation)); 0 load → 0 pods. */
export function podsFor(load: number, perPod: number, utilisation: number): number {
  if (!(perPod > 0) || !(utilisation > 0 && utilisation <= 1))
    throw new Error(`podsFor: per-pod throughput ${perPod} and utilisation ${utilisation} must be positive`);
  return load <= 0 ? 0 : Math.ceil(load / (perPod * utilisation) - 1e-9);
}

/** Little's law: requests in flight = arrival rate (per s) × time in the system (ms). */
export const littlesLaw = (ratePerSecond: number, latencyMs: number): number =>
  (ratePerSecond * latencyMs) / 1000;

/**
 * Partitions of a topic: at least the peak pods of its busiest subscriber (one ordered partition
 * feeds one delivery at a time), enough for its events at the per-partition rate, and the floor.
 */
export function partitionsNeeded(
  eventsPerSecond: number,
  perPartition: number,
  maxSubscriberPods: number,
  floor: number,
): number {
  return Math.max(floor, maxSubscriberPods, Math.ceil(eventsPerSecond / perPartition - 1e-9));
}

/** CPU of a Kubernetes quantity ('500m', '1', '2') in cores. */
export function cores(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m) throw new Error(`cores: "${quantity}" is not a CPU quantity`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

/** Concurrent users from daily users: the peak hour's share of them × session length. */
export const concurrentUsers = (daily: number, peakHourShare: number, sessionMinutes: number): number =>
  daily * peakHourShare * (sessionMinutes / 60);

// ---------------------------------------------------------------------------------------------
// Load per route class and events per order
// ---------------------------------------------------------------------------------------------

/** Requests per second by route class (HTTP), and orders per second. */
export interface Load {
  concurrentUsers: number;
  search: number;
  productReads: number;
  cartReads: number;
  adds: number;
  slotLists: number;
  checkouts: number;
  orderReads: number;
  logins: number;
  refreshes: number;
  paymentCreates: number;
  paymentIpns: number;
}

/** The load of `dailyUsers` in the peak hour (× the spike factor when `spike`). */
export function loadOf(dailyUsers: number, accessTtlSeconds: number, spike: boolean): Load {
  const l = LOAD;
  const users = concurrentUsers(dailyUsers, l.peakHourShare, l.sessionMinutes);
  const k = spike ? l.spikeFactor : 1;
  const perMinute = (x: number) => (users * x * k) / 60;
  const perSession = (x: number) => perMinute(x / l.sessionMinutes);
  const checkouts = perSession(l.conversion);
  return {
    concurrentUsers: users,
    search: perMinute(l.searchesPerMinute * (1 + l.typeaheadPerSearch)),
    productReads: perMinute(l.productReadsPerMinute),
    cartReads: perMinute(l.cartReadsPerMinute),
    adds: perSession(
      l.conversion * l.linesPerOrder * l.addActionsPerLine + (1 - l.conversion) * l.addsPerAbandonedSession,
    ),
    slotLists: perSession(
      l.conversion * l.slotListsPerOrder + (1 - l.conversion) * l.slotListsPerAbandonedSession,
    ),
    checkouts,
    orderReads: checkouts * l.orderReadsPerOrder,
    logins: perSession(l.loginShareOfSessions),
    refreshes: perMinute(60 / accessTtlSeconds),
    paymentCreates: checkouts,
    paymentIpns: checkouts * l.onlinePaymentShare,
  };
}

/** How many of each event type an order makes, end to end (checkout to delivered). */
export interface OrderEvents {
  /** Type → count per order. */
  perOrder: Map<string, number>;
  total: number;
}

/**
 * The events of one order, read from the saga (functions/order/saga.ts: pricing, stock and slot
 * together, then the payment; finish legs once paid; capture after picking) and the functions'
 * own events. `through: 'confirmed'` stops at confirmation (what the checkout benchmark counts).
 */
export function orderEvents(
  lines: number,
  opts: { online: number; coupon: number; statuses: number; through: 'confirmed' | 'completed' },
): OrderEvents {
  const done = opts.through === 'completed';
  const counts: [string, number][] = [
    ['io.tuoi.order.placed.v1', 1],
    // Commands: forward (price, reserve, hold, create) and finish (commit, commit, book); capture after picking.
    ['io.tuoi.order.saga.pricing-requested.v1', 2],
    ['io.tuoi.order.saga.stock-requested.v1', 2],
    ['io.tuoi.order.saga.slot-requested.v1', 2],
    ['io.tuoi.order.saga.payment-requested.v1', done ? 2 : 1],
    // One reply per command.
    ['io.tuoi.promotions.saga.replied.v1', 2],
    ['io.tuoi.inventory.saga.replied.v1', 2],
    ['io.tuoi.delivery.saga.replied.v1', 2],
    ['io.tuoi.payment.saga.replied.v1', done ? 2 : 1],
    // One stock.changed per (SKU, location) touched by the reservation and by its commit.
    ['io.tuoi.inventory.stock.changed.v1', 2 * lines],
    ['io.tuoi.delivery.slot.booked.v1', 1],
    ['io.tuoi.order.confirmed.v1', 1],
    ['io.tuoi.payment.authorised.v1', opts.online],
    ['io.tuoi.promotions.coupon.redeemed.v1', opts.coupon],
    ['io.tuoi.order.packed.v1', done ? 1 : 0],
    ['io.tuoi.delivery.booked.v1', done ? 1 : 0],
    ['io.tuoi.delivery.status.changed.v1', done ? opts.statuses : 0],
    ['io.tuoi.payment.captured.v1', done ? 1 : 0],
    ['io.tuoi.order.completed.v1', done ? 1 : 0],
  ];
  const perOrder = new Map<string, number>();
  for (const [type, n] of counts) {
    if (!contractFor(type)) throw new Error(`orderEvents: ${type} has no contract`);
    if (n > 0) perOrder.set(type, n);
  }
  return { perOrder, total: [...perOrder.values()].reduce((a, b) => a + b, 0) };
}

/** Events per second by type at a load: the orders' events and the background ones. */
export function eventRates(load: Load, dailyUsers: number, spike: boolean): Map<string, number> {
  const l = LOAD;
  const k = spike ? l.spikeFactor : 1;
  const rates = new Map<string, number>();
  const add = (type: string, perSecond: number) => rates.set(type, (rates.get(type) ?? 0) + perSecond);
  const order = orderEvents(l.linesPerOrder, {
    online: l.onlinePaymentShare,
    coupon: l.couponShare,
    statuses: l.deliveryStatusesPerOrder,
    through: 'completed',
  });
  for (const [type, n] of order.perOrder) add(type, n * load.checkouts);
  const sessions = (load.concurrentUsers * k) / (l.sessionMinutes * 60);
  add('io.tuoi.cart.abandoned.v1', sessions * (1 - l.conversion) * l.abandonedCartShare);
  // Spread evenly over the day, so small; the peak hour gets its share of the day at most.
  const daily = (n: number) => (n * l.peakHourShare * k) / 3600;
  add('io.tuoi.user.registered.v1', daily(dailyUsers * l.newAccountsShareOfUsers));
  add('io.tuoi.user.verification-requested.v1', daily(dailyUsers * l.newAccountsShareOfUsers));
  add('io.tuoi.catalog.product.updated.v1', daily(l.productUpdatesPerDay));
  add('io.tuoi.inventory.stock.changed.v1', daily(l.stockReceiptsPerDay));
  add('io.tuoi.user.password-reset-requested.v1', load.logins * l.passwordResetsPerLogin);
  return rates;
}

/** Deliveries per second to each function: every event of a type it subscribes to. */
export function deliveriesByFunction(
  rates: Map<string, number>,
  functions: readonly FunctionSpec[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of triggers(functions))
    out.set(t.subscriber, (out.get(t.subscriber) ?? 0) + (rates.get(t.type) ?? 0));
  return out;
}

/** Events per second into each producer's topic. */
export function eventsByTopic(rates: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>(producers().map((p) => [p, 0]));
  for (const [type, r] of rates) {
    const c = contractFor(type);
    if (!c) throw new Error(`eventsByTopic: ${type} has no contract`);
    out.set(c.producer, (out.get(c.producer) ?? 0) + r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pods per function
// ---------------------------------------------------------------------------------------------

/** One kind of work a function does: its rate and what one core of it manages. */
export interface Work {
  what: string;
  rate: number;
  perCore: number;
  source: string;
}

/** The sizing of one function (or the gateway). */
export interface Sizing {
  name: string;
  profile: ScalingProfile;
  podCores: number;
  work: Work[];
  normalWork: Work[];
  /** Time one request of its main route spends in the pod unqueued (for the concurrency target). */
  latencyMs: number;
  latencySource: string;
  uses: FunctionSpec['uses'];
}

/** Pods needed for a function's work: Σ (rate ÷ per-pod rate) ÷ utilisation, rounded up. */
export function podsForWork(work: readonly Work[], podCores: number, utilisation: number): number {
  const busy = work.reduce((a, w) => a + w.rate / (w.perCore * podCores), 0);
  return podsFor(busy, 1, utilisation);
}

/** The target utilisation of a profile's annotations (Knative's default 70 % when unset). */
export function targetUtilisation(profile: ScalingProfile, env: Environment): number {
  const pct = scalingAnnotations(profile, env)['autoscaling.knative.dev/target-utilization-percentage'];
  return pct ? Number(pct) / 100 : 0.7;
}

/** The concurrency target of a profile's annotations (Knative's default 100 when unset). */
export function targetConcurrency(profile: ScalingProfile, env: Environment): number {
  const t = scalingAnnotations(profile, env)['autoscaling.knative.dev/target'];
  return t ? Number(t) : 100;
}

/** Everything the model computes. */
export interface Model {
  figures: Figures;
  env: Environment;
  peak: Load;
  normal: Load;
  sizings: Sizing[];
  events: { peak: Map<string, number>; byTopic: Map<string, number>; deliveries: Map<string, number> };
  perOrder: OrderEvents;
  perOrderConfirmedCod1: OrderEvents;
  configs: {
    accessTtlSeconds: number;
    guestTtlDays: number;
    searchCacheEntries: number;
    defaultPool: number;
  };
  productBytes: number;
  cartBytes: (lines: number) => number;
  infra: Infra;
}

/** What the data services' manifests (infra/k8s) set today. */
export interface Infra {
  poolerInstances: number;
  defaultPoolSize: number;
  maxClientConn: number;
  maxConnections: number;
  redisMaxmemoryBytes: number;
  esNodes: number;
  esCpu: string;
}

/** The settings of infra/k8s that the model compares with. */
export function readInfra(root: string): Infra {
  const pg = loadAllYaml(readFileSync(join(root, 'infra/k8s/postgres/cluster.yaml'), 'utf8')) as {
    kind?: string;
    spec?: Record<string, unknown>;
  }[];
  const cluster = pg.find((d) => d?.kind === 'Cluster')?.spec as
    { postgresql: { parameters: Record<string, string> } } | undefined;
  const pooler = pg.find((d) => d?.kind === 'Pooler')?.spec as
    { instances: number; pgbouncer: { parameters: Record<string, string> } } | undefined;
  if (!cluster || !pooler) throw new Error('infra/k8s/postgres/cluster.yaml: no Cluster or Pooler');
  const redis = readFileSync(join(root, 'infra/k8s/redis/redis.yaml'), 'utf8');
  const maxmemory = /^\s*maxmemory (\d+)(gb|mb)\s*$/im.exec(redis);
  if (!maxmemory) throw new Error('infra/k8s/redis/redis.yaml: no maxmemory');
  const es = (
    loadAllYaml(readFileSync(join(root, 'infra/k8s/elasticsearch/elasticsearch.yaml'), 'utf8')) as {
      kind?: string;
      spec?: {
        replicas?: number;
        template?: {
          spec?: { containers?: { name: string; resources?: { requests?: { cpu?: string } } }[] };
        };
      };
    }[]
  ).find((d) => d?.kind === 'StatefulSet');
  const esContainer = es?.spec?.template?.spec?.containers?.find((c) => c.name === 'elasticsearch');
  if (!es?.spec?.replicas || !esContainer?.resources?.requests?.cpu)
    throw new Error('infra/k8s/elasticsearch/elasticsearch.yaml: no StatefulSet replicas or cpu request');
  return {
    poolerInstances: pooler.instances,
    defaultPoolSize: Number(pooler.pgbouncer.parameters.default_pool_size),
    maxClientConn: Number(pooler.pgbouncer.parameters.max_client_conn),
    maxConnections: Number(cluster.postgresql.parameters.max_connections),
    redisMaxmemoryBytes:
      Number(maxmemory[1]) * (maxmemory[2]!.toLowerCase() === 'gb' ? 1024 ** 3 : 1024 ** 2),
    esNodes: es.spec.replicas,
    esCpu: esContainer.resources.requests.cpu,
  };
}

/** The DB_POOL_SIZE a function runs with in `env` (the manifests' value, else the config default). */
export function poolSizeOf(fn: FunctionSpec, env: Environment): number {
  if (!fn.uses.includes('postgres')) return 0;
  const v = functionEnv(fn, env).find((e) => e.name === 'DB_POOL_SIZE');
  return v && 'value' in v ? Number(v.value) : baseConfigSpec.DB_POOL_SIZE.read(undefined);
}

/** Average JSON size of the catalog's cached product (the first `sample` seed products). */
export function averageProductBytes(sample: number): number {
  const { snapshots } = seedSnapshots(sample);
  const total = snapshots.reduce(
    (a, product) => a + Buffer.byteLength(JSON.stringify({ product, in_stock: true, expires_soon: false })),
    0,
  );
  return total / snapshots.length;
}

/** JSON size of a stored cart with `lines` lines (the shape of functions/cart/model.ts). */
export function cartBytes(lines: number): number {
  const at = '2026-12-07T12:00:00.000Z';
  const line = (i: number): CartLine => ({
    sku: `TU-${String(10_000 + i).padStart(6, '0')}`,
    qty: 2,
    price_at_add_vnd: 45_000,
    added_at: at,
    updated_at: at,
  });
  const cart: Cart = {
    id: '0193a5b2-7c4e-7d3a-9f10-2b3c4d5e6f70',
    version: 14,
    status: 'active',
    owner: { kind: 'customer', customer_id: '0193a5b2-7c4e-7d3a-9f10-2b3c4d5e6f71' },
    lines: Array.from({ length: lines }, (_, i) => line(i)),
    coupons: [],
    fulfilment: { kind: 'delivery', zone: 'hcm-quan-1', location: 'store-hcm-01', address_id: 'a-1' },
    merged_from: [],
    created_at: at,
    updated_at: at,
    lines_touched_at: at,
  };
  return Buffer.byteLength(JSON.stringify(cart));
}

/** The sizing of every function and the gateway from the figures and a load. */
export function sizings(
  f: Figures,
  peak: Load,
  normal: Load,
  deliveries: { peak: Map<string, number>; normal: Map<string, number> },
  env: Environment,
): Sizing[] {
  const ev = f.eventsSustained.value / SIZING.benchCoresPerFigure;
  const per = (fig: Figure) => fig.value / SIZING.benchCoresPerFigure;
  const hit = SIZING.searchHitRateAtPeak / SIZING.searchHitRateBench;
  // A search costs, per core, the cached row's cost for the share that still hits and the uncached row's for the rest.
  const searchPerCore = 1 / (hit / per(f.searchCached) + (1 - hit) / per(f.searchUncached));
  const searchP50 = hit * f.searchCachedP50.value + (1 - hit) * f.searchUncachedP50.value;
  const proxyWrite = per(f.paymentCod);
  // The gateway holds each request for its upstream's time: the route mix's mean of their p50s.
  const upstreamMs = (l: Load): number => {
    const mix: [number, number][] = [
      [l.search, searchP50],
      [l.productReads, f.productDetailP50.value],
      [l.cartReads + l.adds, f.addAloneMs.value],
      [l.slotLists, f.slotsP50.value],
      [l.checkouts, f.checkoutAnswerP50.value],
      [l.orderReads + l.refreshes + l.paymentIpns, f.paymentCodP50.value],
      [l.logins, f.loginP50.value],
    ];
    return mix.reduce((a, [r, ms]) => a + r * ms, 0) / mix.reduce((a, [r]) => a + r, 0);
  };
  const specs: {
    name: string;
    latency: [number, string];
    work: (l: Load) => Work[];
  }[] = [
    {
      name: 'gateway',
      latency: [
        f.leanHostP50.value * SIZING.gatewayCostVsHello + upstreamMs(peak),
        'its own (hello p50 × gateway cost) + the upstream p50s weighted by the route mix',
      ],
      work: (l) => [
        {
          what: 'every public request',
          rate:
            l.search +
            l.productReads +
            l.cartReads +
            l.adds +
            l.slotLists +
            l.checkouts +
            l.orderReads +
            l.logins +
            l.refreshes +
            l.paymentIpns,
          perCore: per(f.leanHost) / SIZING.gatewayCostVsHello,
          source: `${f.leanHost.source} ÷ ${SIZING.gatewayCostVsHello}`,
        },
      ],
    },
    {
      name: 'search',
      latency: [searchP50, 'search p50, cached and uncached rows blended by the peak hit rate'],
      work: (l) => [
        {
          what: 'searches + typeahead',
          rate: l.search,
          perCore: searchPerCore,
          source: `${f.searchCached.source}: Elasticsearch cached ${f.searchCached.value} / uncached ${f.searchUncached.value} req/s, blended`,
        },
      ],
    },
    {
      name: 'catalog',
      latency: [f.productDetailP50.value, 'product detail p50 (Redis cache, 8 connections)'],
      work: (l) => [
        {
          what: 'product and catalog reads',
          rate: l.productReads,
          perCore: per(f.productDetail),
          source: f.productDetail.source,
        },
      ],
    },
    {
      name: 'cart',
      latency: [f.addAloneMs.value, 'one add alone, end to end'],
      work: (l) => [
        {
          what: 'adds + priced cart reads',
          rate: l.adds + l.cartReads,
          perCore: 1000 / f.cartCpuMs.value,
          source: `${f.cartCpuMs.source}: ${f.cartCpuMs.value.toFixed(2)} ms of cart CPU per add`,
        },
      ],
    },
    {
      name: 'promotions',
      latency: [f.quoteAloneMs.value, 'a quote alone (from the add-to-cart parts)'],
      work: (l) => [
        {
          what: 'quotes (cart reads, adds, checkouts)',
          rate: l.adds + l.cartReads + l.checkouts,
          perCore: 1000 / f.promotionsCpuMs.value,
          source: `${f.promotionsCpuMs.source}: ${f.promotionsCpuMs.value.toFixed(2)} ms of promotions CPU per add`,
        },
      ],
    },
    {
      name: 'inventory',
      latency: [f.stockAloneMs.value, 'a stock read alone (from the add-to-cart parts)'],
      work: (l) => [
        {
          what: 'stock reads (cart reads, adds)',
          rate: l.adds + l.cartReads,
          perCore: 1000 / f.inventoryCpuMs.value,
          source: `${f.inventoryCpuMs.source}: ${f.inventoryCpuMs.value.toFixed(2)} ms of inventory CPU per add`,
        },
        {
          what: 'reservations',
          rate: l.checkouts,
          perCore: per(f.reservations),
          source: f.reservations.source,
        },
      ],
    },
    {
      name: 'delivery',
      latency: [f.slotsP50.value, 'slot listing p50 (16 connections)'],
      work: (l) => [
        { what: 'slot listings', rate: l.slotLists, perCore: per(f.slots), source: f.slots.source },
        { what: 'slot holds', rate: l.checkouts, perCore: per(f.slotHolds), source: f.slotHolds.source },
      ],
    },
    {
      name: 'payment',
      latency: [f.paymentMomoSlowP50.value, 'MoMo authorise p50 with the provider answering in 200 ms'],
      work: (l) => [
        {
          what: 'payment creates',
          rate: l.paymentCreates,
          perCore: per(f.paymentMomo),
          source: f.paymentMomo.source,
        },
        {
          what: 'provider notifications',
          rate: l.paymentIpns,
          perCore: per(f.paymentIpn),
          source: f.paymentIpn.source,
        },
      ],
    },
    {
      name: 'order',
      latency: [f.checkoutAnswerP50.value, 'checkout answer p50 (202)'],
      work: (l) => [
        {
          what: 'checkouts (whole saga)',
          rate: l.checkouts,
          perCore: per(f.checkoutRate),
          source: `${f.checkoutRate.source}: the whole platform on 2 shared cores`,
        },
        {
          what: 'order reads',
          rate: l.orderReads,
          perCore: proxyWrite,
          source: `${f.paymentCod.source} (proxy: one transaction per request)`,
        },
      ],
    },
    {
      name: 'notification',
      latency: [
        (1000 * SIZING.routerInFlight) / f.notificationsAccepted.value,
        'router in-flight limit ÷ events accepted/s (intake; sending runs behind it)',
      ],
      work: () => [],
    },
    {
      name: 'user',
      latency: [f.loginP50.value, 'login p50 at 10 connections (fastest run)'],
      work: (l) => [
        {
          what: 'sign-ins (argon2id)',
          rate: l.logins,
          // Sign-in runs argon2 on the thread pool: the benchmark used both of its cores.
          perCore: f.logins.value / 2,
          source: `${f.logins.source} ÷ 2 cores`,
        },
        {
          what: 'token refreshes',
          rate: l.refreshes,
          perCore: proxyWrite,
          source: `${f.paymentCod.source} (proxy: one write transaction)`,
        },
      ],
    },
    { name: 'pulse', latency: [f.eventP50.value, 'event path p50'], work: () => [] },
  ];
  return specs.map((s) => {
    const fn = registry.find((r) => r.name === s.name);
    const profile: ScalingProfile = fn?.scaling ?? 'scale-out';
    const podCores = Math.min(1, cores(env.profiles[profile].cpu));
    const build = (l: Load, d: Map<string, number>): Work[] => {
      const work = s.work(l);
      // Every event the notification function receives becomes (about) one message.
      if (s.name === 'notification')
        work.push({
          what: 'messages (one per event received)',
          rate: d.get('notification') ?? 0,
          perCore: per(f.notifications),
          source: `${f.notifications.source} (pinned to one core)`,
        });
      else if (s.name !== 'order' && (d.get(s.name) ?? 0) > 0)
        work.push({
          what: 'event deliveries',
          rate: d.get(s.name) ?? 0,
          perCore: ev,
          source: f.eventsSustained.source,
        });
      return work;
    };
    return {
      name: s.name,
      profile,
      podCores,
      work: build(peak, deliveries.peak),
      normalWork: build(normal, deliveries.normal),
      latencyMs: s.latency[0],
      latencySource: s.latency[1],
      uses: fn?.uses ?? [],
    };
  });
}

/** Messages the notification function sends per order: one per order event it subscribes to. */
export function notificationMessagesPerOrder(order: OrderEvents): number {
  const fn = registry.find((r) => r.name === 'notification');
  if (!fn) throw new Error('registry: no notification function');
  return fn.subscriptions.reduce((a, s) => a + (order.perOrder.get(s.type) ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/** SKUs of the seed catalog. */
export const SKUS = 50_000;
/** Seed products averaged for the cached product's size (the generator is deterministic). */
export const PRODUCT_SAMPLE = 5_000;
/**
 * PostgreSQL work per request class: autocommit reads (each holds a PgBouncer server connection
 * for `readSeconds`) and write transactions (`writeTxSeconds`). Checkouts and notification messages
 * use the benchmarks' own transaction counts instead.
 */
export const PG_PER_REQUEST = {
  /** Cart view or add on the Redis store: product + mark reads (cart), three stock statements (inventory), two read pairs (promotions). */
  cartViewReads: 9,
  /** A product read misses the shared Redis cache (10 min TTL, invalidated on writes) one time in ten. */
  productReadReads: 0.1,
  slotListReads: 1,
  orderReadReads: 1,
  /** The search instance polls the index's change mark every 250 ms. */
  searchPollReadsPerPodPerSecond: 4,
  /** Sign-in: the account read, then the session written. */
  loginWrites: 1,
  loginReads: 1,
  /** Refresh: the refresh token rotated in one transaction. */
  refreshWrites: 1,
  paymentIpnWrites: 1,
  /** Every other event delivery: the consumer's transaction with its dedup row. */
  eventDeliveryWrites: 1,
} as const;

/** Builds the model from the benchmark text, the manifests' environment and the repository's files. */
export function buildModel(md: string, env: Environment = environmentNamed('prod'), root = ROOT): Model {
  const f = readFigures(md);
  const configs = {
    accessTtlSeconds: userConfigSpec.USERS_ACCESS_TTL_SECONDS.read(undefined),
    guestTtlDays: cartConfigSpec.CART_GUEST_TTL_DAYS.read(undefined),
    searchCacheEntries: searchConfigSpec.SEARCH_CACHE_ENTRIES.read(undefined),
    defaultPool: baseConfigSpec.DB_POOL_SIZE.read(undefined),
  };
  const peak = loadOf(LOAD.dailyUsersPeak, configs.accessTtlSeconds, true);
  const normal = loadOf(LOAD.dailyUsersNormal, configs.accessTtlSeconds, false);
  const peakRates = eventRates(peak, LOAD.dailyUsersPeak, true);
  const normalRates = eventRates(normal, LOAD.dailyUsersNormal, false);
  const deliveries = {
    peak: deliveriesByFunction(peakRates, registry),
    normal: deliveriesByFunction(normalRates, registry),
  };
  return {
    figures: f,
    env,
    peak,
    normal,
    sizings: sizings(f, peak, normal, deliveries, env),
    events: { peak: peakRates, byTopic: eventsByTopic(peakRates), deliveries: deliveries.peak },
    perOrder: orderEvents(LOAD.linesPerOrder, {
      online: LOAD.onlinePaymentShare,
      coupon: LOAD.couponShare,
      statuses: LOAD.deliveryStatusesPerOrder,
      through: 'completed',
    }),
    perOrderConfirmedCod1: orderEvents(1, { online: 0, coupon: 0, statuses: 0, through: 'confirmed' }),
    configs,
    productBytes: averageProductBytes(PRODUCT_SAMPLE),
    cartBytes,
    infra: readInfra(root),
  };
}

/** Knative settings of one function: what follows from the model and what the manifests set. */
export interface KnativeRow {
  name: string;
  profile: ScalingProfile;
  peakPods: number;
  normalPods: number;
  minScale: number;
  maxScale: number;
  target: number | undefined;
  current: { minScale: number; maxScale: number; target: number };
  notes: string[];
}

/** The Knative settings that follow from a sizing, compared with its profile's. */
export function knativeRow(s: Sizing, env: Environment): KnativeRow {
  const util = targetUtilisation(s.profile, env);
  const peakPods = podsForWork(s.work, s.podCores, util);
  const normalPods = podsForWork(s.normalWork, s.podCores, util);
  const minScale = s.profile === 'scale-to-zero' ? 0 : Math.max(1, normalPods);
  const maxScale = Math.max(minScale, 1, Math.ceil(peakPods * SIZING.maxScaleHeadroom));
  const main = s.work[0];
  const target = main
    ? Math.max(1, Math.ceil(littlesLaw(main.perCore * s.podCores, s.latencyMs)))
    : undefined;
  const p = env.profiles[s.profile];
  const current = { minScale: p.minScale, maxScale: p.maxScale, target: targetConcurrency(s.profile, env) };
  const notes: string[] = [];
  if (current.maxScale < maxScale) notes.push(`raise max-scale ${current.maxScale} → ${maxScale}`);
  if (current.minScale < minScale) notes.push(`raise min-scale ${current.minScale} → ${minScale}`);
  if (target !== undefined && (current.target > 2 * target || current.target * 2 < target))
    notes.push(`target ${current.target} vs ${target} from Little's law`);
  return {
    name: s.name,
    profile: s.profile,
    peakPods,
    normalPods,
    minScale,
    maxScale,
    target,
    current,
    notes,
  };
}

/** Kafka partitions of one producer topic. */
export interface TopicRow {
  producer: string;
  eventsPerSecond: number;
  subscribers: string[];
  maxSubscriberPods: number;
  /** Partitions the event rate alone needs. */
  byRate: number;
  needed: number;
  current: number;
}

/** Partitions each producer topic needs, with `partitionsFor`'s current count. */
export function topicRows(m: Model, rows: readonly KnativeRow[]): TopicRow[] {
  const perPartition = 1000 / m.figures.eventP50.value;
  const pods = new Map(rows.map((r) => [r.name, r.peakPods]));
  return producers().map((producer) => {
    const types = new Set(contracts.filter((c) => c.producer === producer).map((c) => c.type));
    const subscribers = [
      ...new Set(
        triggers(registry)
          .filter((t) => types.has(t.type))
          .map((t) => t.subscriber),
      ),
    ].sort();
    const maxSubscriberPods = Math.max(0, ...subscribers.map((s) => pods.get(s) ?? 0));
    const eventsPerSecond = m.events.byTopic.get(producer) ?? 0;
    return {
      producer,
      eventsPerSecond,
      subscribers,
      maxSubscriberPods,
      byRate: Math.ceil(eventsPerSecond / perPartition - 1e-9),
      needed: partitionsNeeded(eventsPerSecond, perPartition, maxSubscriberPods, SIZING.eventPartitionsFloor),
      current: partitionsFor(producer, registry),
    };
  });
}

/** PostgreSQL through PgBouncer at peak. */
export interface Postgres {
  clientsAtPeak: number;
  clientsAtMaxScale: number;
  readsPerSecond: number;
  writesPerSecond: number;
  txInFlight: number;
  serverConnections: number;
  maxConnections: number;
  perFunction: { name: string; pool: number; peakPods: number; maxScale: number }[];
}

/** Connections and transactions through PgBouncer. */
export function postgres(m: Model, rows: readonly KnativeRow[]): Postgres {
  const l = m.peak;
  const byName = new Map(rows.map((r) => [r.name, r]));
  const perFunction = registry
    .filter((fn) => fn.uses.includes('postgres'))
    .map((fn) => ({
      name: fn.name,
      pool: poolSizeOf(fn, m.env),
      peakPods: byName.get(fn.name)?.peakPods ?? 0,
      maxScale: byName.get(fn.name)?.maxScale ?? 0,
    }));
  const relay = m.env.relayReplicas * SIZING.relayPoolSize;
  const clientsAtPeak = perFunction.reduce((a, p) => a + p.pool * Math.max(p.peakPods, 1), relay);
  const clientsAtMaxScale = perFunction.reduce((a, p) => a + p.pool * p.maxScale, relay);
  const d = m.events.deliveries;
  const otherDeliveries = [...d]
    .filter(([fn]) => fn !== 'order' && fn !== 'notification')
    .reduce((a, [, r]) => a + r, 0);
  const q = PG_PER_REQUEST;
  const readsPerSecond =
    (l.cartReads + l.adds) * q.cartViewReads +
    l.productReads * q.productReadReads +
    l.slotLists * q.slotListReads +
    l.orderReads * q.orderReadReads +
    l.logins * q.loginReads +
    (byName.get('search')?.peakPods ?? 0) * q.searchPollReadsPerPodPerSecond;
  const writesPerSecond =
    l.logins * q.loginWrites +
    l.refreshes * q.refreshWrites +
    l.paymentIpns * q.paymentIpnWrites +
    l.checkouts * m.figures.checkoutTransactions.value +
    (d.get('notification') ?? 0) * m.figures.notificationTransactions.value +
    otherDeliveries * q.eventDeliveryWrites;
  const txInFlight =
    littlesLaw(readsPerSecond, SIZING.readSeconds * 1000) +
    littlesLaw(writesPerSecond, SIZING.writeTxSeconds * 1000);
  const serverConnections = Math.ceil(txInFlight * SIZING.pgHeadroom);
  return {
    clientsAtPeak,
    clientsAtMaxScale,
    readsPerSecond,
    writesPerSecond,
    txInFlight,
    serverConnections,
    maxConnections: serverConnections + SIZING.pgReservedConnections,
    perFunction,
  };
}

/** Elasticsearch at peak. */
export interface Elastic {
  searchesPerSecond: number;
  enginePerSecond: number;
  perNode: number;
  throughputNodes: number;
  nodes: number;
  /** Nodes if the result cache kept the benchmark's hit rate at peak (a shared tier, fewer invalidations). */
  nodesAtBenchHitRate: number;
  indexBytes: number;
}

export function elastic(m: Model): Elastic {
  const enginePerSecond = m.peak.search * (1 - SIZING.searchHitRateAtPeak);
  const perNode = m.figures.searchUncached.value;
  const throughputNodes = podsFor(enginePerSecond, perNode, 0.7);
  return {
    searchesPerSecond: m.peak.search,
    enginePerSecond,
    perNode,
    throughputNodes,
    nodes: Math.max(SIZING.esMinDataNodes, SIZING.esReplicas + 1, throughputNodes),
    nodesAtBenchHitRate: Math.max(
      SIZING.esMinDataNodes,
      podsFor(m.peak.search * (1 - SIZING.searchHitRateBench), perNode, 0.7),
    ),
    indexBytes: SKUS * m.productBytes * SIZING.esIndexOverhead * (1 + SIZING.esReplicas),
  };
}

/** Redis memory, by what it holds. */
export interface RedisRow {
  what: string;
  keys: number;
  bytesEach: number;
  total: number;
  counted: boolean;
}

export function redis(m: Model): {
  rows: RedisRow[];
  data: number;
  withOverhead: number;
  searchPerPod: number;
} {
  const s = SIZING;
  const kept = s.registeredCustomers * s.openCartShare;
  const guests = LOAD.dailyUsersNormal * s.guestSessionShare * s.guestCartShare * m.configs.guestTtlDays;
  const row = (what: string, keys: number, bytesEach: number, counted = true): RedisRow => ({
    what,
    keys,
    bytesEach,
    total: keys * bytesEach,
    counted,
  });
  const rows = [
    row(
      `customer carts kept (no expiry), ${s.linesPerOpenCart} lines`,
      kept,
      m.cartBytes(s.linesPerOpenCart),
    ),
    row(
      `guest carts within their ${m.configs.guestTtlDays}-day TTL, ${s.linesPerOpenCart} lines`,
      guests,
      m.cartBytes(s.linesPerOpenCart),
    ),
    row(
      `carts of shoppers active at peak, ${LOAD.linesPerOrder} lines (among the above)`,
      m.peak.concurrentUsers,
      m.cartBytes(LOAD.linesPerOrder),
      false,
    ),
    row('catalog product cache (every SKU)', SKUS, m.productBytes),
    row(
      'rate-limit counters (sign-ins in a 15 min window)',
      m.peak.logins * 900 * s.rateLimitKeysPerLogin,
      s.rateLimitKeyBytes,
    ),
    row(
      'search result cache: per search pod, in process (not in Redis today)',
      m.configs.searchCacheEntries,
      s.searchAnswerBytes,
      false,
    ),
  ];
  const data = rows.filter((r) => r.counted).reduce((a, r) => a + r.total, 0);
  return {
    rows,
    data,
    withOverhead: data * s.redisOverhead,
    searchPerPod: m.configs.searchCacheEntries * s.searchAnswerBytes,
  };
}

// ---------------------------------------------------------------------------------------------
// docs/capacity.md
// ---------------------------------------------------------------------------------------------

/** A number with thousands separators and `digits` decimals. */
export const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A number with thousands separators and up to three decimals. */
export const num = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** Bytes as GB or MB (binary units), one decimal. */
export const bytes = (b: number): string =>
  b >= 1024 ** 3
    ? `${fmt(b / 1024 ** 3, 2)} GiB`
    : b >= 1024 ** 2
      ? `${fmt(b / 1024 ** 2, 1)} MiB`
      : `${fmt(b / 1024, 1)} KiB`;

/** A Markdown table (cells are escaped for pipes). */
export function mdTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (c: string | number) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

const rate = (x: number): string => (x >= 100 ? fmt(x) : x >= 1 ? fmt(x, 1) : fmt(x, 2));

/** Every recommendation of the model (what differs from the manifests). */
export function recommendations(m: Model): string[] {
  const k = m.sizings.map((s) => knativeRow(s, m.env));
  const out: string[] = [];
  for (const r of k) for (const n of r.notes) out.push(`Knative, ${r.name} (${r.profile}): ${n}.`);
  for (const t of topicRows(m, k))
    if (t.current < t.needed)
      out.push(`Kafka, tuoi.events.${t.producer}: ${t.current} partitions, ${t.needed} needed.`);
  const pg = postgres(m, k);
  const servers = m.infra.poolerInstances * m.infra.defaultPoolSize;
  if (servers < pg.serverConnections)
    out.push(
      `PgBouncer: ${servers} server connections (${m.infra.poolerInstances} × ${m.infra.defaultPoolSize}), ${pg.serverConnections} needed.`,
    );
  if (m.infra.maxConnections < pg.maxConnections)
    out.push(`PostgreSQL: max_connections ${m.infra.maxConnections}, ${pg.maxConnections} needed.`);
  if (m.infra.maxClientConn < pg.clientsAtMaxScale)
    out.push(
      `PgBouncer: max_client_conn ${fmt(m.infra.maxClientConn)} per pod is below the ${fmt(pg.clientsAtMaxScale)} client connections of every function at its recommended max-scale (one pooler pod must take them all when the other is down).`,
    );
  const es = elastic(m);
  if (m.infra.esNodes < es.nodes)
    out.push(
      `Elasticsearch: ${m.infra.esNodes} nodes (cpu ${m.infra.esCpu} each), ${es.nodes} of the benchmark's size needed.`,
    );
  const r = redis(m);
  if (m.infra.redisMaxmemoryBytes < r.withOverhead)
    out.push(
      `Redis: maxmemory ${bytes(m.infra.redisMaxmemoryBytes)}, ${bytes(r.withOverhead)} needed: under volatile-lru, guest carts (they have a TTL) and cached products are evicted first, then writes of customer carts (no TTL) fail.`,
    );
  return out;
}

/** The functions whose min-scale today is above what normal load needs (kept for availability). */
export function warmSpare(rows: readonly KnativeRow[]): string {
  const spare = rows.filter((r) => r.profile !== 'scale-to-zero' && r.current.minScale > r.minScale);
  if (spare.length === 0) return '';
  return `Today's min-scale is above what normal load needs for ${spare.map((r) => r.name).join(', ')}: not
listed as a difference, since ${spare[0]!.current.minScale} warm pods spread over nodes keep a function up through a node
loss and a rolling update, and spare the buying path cold starts.
`;
}

/** The whole document. */
export function render(m: Model): string {
  const f = m.figures;
  const k = m.sizings.map((s) => knativeRow(s, m.env));
  const topics = topicRows(m, k);
  const pg = postgres(m, k);
  const es = elastic(m);
  const rd = redis(m);
  const util = targetUtilisation('scale-out', m.env);
  const figureRows: [string, Figure, string][] = [
    ['lean host, hello', f.leanHost, 'req/s'],
    ['search, Elasticsearch, cache on, 8 connections', f.searchCached, 'req/s'],
    [
      'search, same, p50 / p99',
      { value: f.searchCachedP50.value, source: f.searchCachedP50.source },
      `ms / ${fmt(f.searchCachedP99.value)} ms`,
    ],
    ['search, Elasticsearch, cache off, 8 connections', f.searchUncached, 'req/s'],
    [
      'search, PostgreSQL, cache on, 8 connections (embedded engine, not used in a cluster)',
      f.searchPostgresCached,
      'req/s',
    ],
    ['product detail, Redis cache, 8 connections', f.productDetail, 'req/s'],
    ['add to cart, Redis store, 16 connections, whole machine', f.addsPerSecond, 'adds/s'],
    ['add to cart: cart CPU per add', f.cartCpuMs, 'ms'],
    ['add to cart: promotions CPU per add', f.promotionsCpuMs, 'ms'],
    ['add to cart: inventory CPU per add', f.inventoryCpuMs, 'ms'],
    ['one add alone, end to end', f.addAloneMs, 'ms'],
    ['checkout, highest sustained rate', f.checkoutRate, 'orders/s'],
    ['checkout answer p50 / p99', f.checkoutAnswerP50, `ms / ${fmt(f.checkoutAnswerP99.value)} ms`],
    ['events written per COD checkout', f.checkoutEvents, 'events'],
    ['PostgreSQL transactions per COD checkout', f.checkoutTransactions, 'transactions'],
    ['reservations, distinct SKUs', f.reservations, 'decided/s'],
    ['slot listing, 16 connections', f.slots, 'req/s'],
    ['slot holds, 64 connections', f.slotHolds, 'holds/s'],
    ['payments, MoMo (simulator 0 ms)', f.paymentMomo, 'req/s'],
    ['payments, MoMo at 200 ms, p50', f.paymentMomoSlowP50, 'ms'],
    ['payments, cash on delivery', f.paymentCod, 'req/s'],
    ['payments, MoMo notifications applied', f.paymentIpn, 'req/s'],
    ['event path, sustained', f.eventsSustained, 'events/s'],
    ['event path, one event commit → effect, p50', f.eventP50, 'ms'],
    ['notifications, order confirmed by email', f.notifications, 'messages/s'],
    ['notifications, transactions per message', f.notificationTransactions, 'transactions'],
    ['sign-in, 10 connections', f.logins, 'logins/s'],
    ['sign-in p50, 10 connections', f.loginP50, 'ms'],
    ['token verification, Zipf over 20,000 tokens, run C', f.tokenVerifications, '/s on one thread'],
  ];
  const loadRows: [string, keyof Load][] = [
    ['searches + typeahead (search)', 'search'],
    ['product and catalog reads (catalog)', 'productReads'],
    ['cart reads, priced (cart → promotions, inventory)', 'cartReads'],
    ['adds to cart (cart → promotions, inventory)', 'adds'],
    ['slot listings (delivery)', 'slotLists'],
    ['checkouts = orders (order, saga)', 'checkouts'],
    ['order reads (order)', 'orderReads'],
    ['password sign-ins (user)', 'logins'],
    ['token refreshes (user)', 'refreshes'],
    ['payment creates (payment)', 'paymentCreates'],
    ['provider notifications (payment)', 'paymentIpns'],
  ];
  const verifyCores =
    (m.peak.search + m.peak.productReads + m.peak.cartReads + m.peak.adds + m.peak.checkouts) /
    f.tokenVerifications.value;
  const totalPeakPods = k.reduce((a, r) => a + r.peakPods, 0);
  const totalCores = k.reduce((a, r, i) => a + r.peakPods * m.sizings[i]!.podCores, 0);
  const rec = recommendations(m);
  const perPartition = 1000 / f.eventP50.value;
  const servers = m.infra.poolerInstances * m.infra.defaultPoolSize;

  return `# Capacity model

Generated by \`make capacity\` from docs/benchmarks.md — do not edit by hand. The numbers are
computed by \`scripts/capacity.ts\` from the recorded benchmark figures and the assumptions below, so
they move when the figures move; \`scripts/capacity.test.ts\` fails when this file is stale.

**Headline** (300,000 daily users at peak, ×${LOAD.spikeFactor} spike): ${fmt(totalPeakPods)} function pods
(${fmt(totalCores, 1)} requested cores), ${fmt(pg.serverConnections)} PgBouncer server connections for ${fmt(pg.readsPerSecond + pg.writesPerSecond)} statements and transactions/s,
${es.nodes} Elasticsearch data nodes, ${bytes(rd.withOverhead)} of Redis. ${rec.length} settings differ from the manifests
(listed at the end).

**How to read the figures.** Every benchmark ran on one 2-vCPU development VM where the function
under test shared the two cores with PostgreSQL, the load generator, its peers and idle services.
The model counts each figure as what **one core** of the function does (\`benchCoresPerFigure\` =
${SIZING.benchCoresPerFigure}), which is conservative: the function's one event loop got less than the whole machine.
A pod is given its profile's CPU request (capped at one core: one Node event loop) and is loaded
to Knative's target utilisation (${fmt(util * 100)} %, \`autoscaling.knative.dev/target-utilization-percentage\`
in scripts/manifests/serving.ts), so pods = ⌈Σ load ÷ (per-core rate × pod cores) ÷ ${util}⌉.
The environment compared against is \`${m.env.name}\` (scripts/manifests/environments.ts).

## Assumptions

${mdTable(
  ['constant', 'value', 'unit', 'why'],
  assumptions().map((a) => [`\`${a.name}\``, num(a.value), a.unit, a.why]),
)}

Read from the code: access tokens live ${fmt(m.configs.accessTtlSeconds)} s (\`USERS_ACCESS_TTL_SECONDS\`, one refresh per
active user per ${fmt(m.configs.accessTtlSeconds / 60)} min); guest carts live ${m.configs.guestTtlDays} days (\`CART_GUEST_TTL_DAYS\`); each search
instance caches ${fmt(m.configs.searchCacheEntries)} answers (\`SEARCH_CACHE_ENTRIES\`); pools per function from the manifests'
\`DB_POOL_SIZE\` (functions/shared/config.ts defaults to ${m.configs.defaultPool}); PostgreSQL work per request class:
${Object.entries(PG_PER_REQUEST)
  .map(([key, v]) => `\`${key}\` ${v}`)
  .join(', ')}.

## Benchmark figures used

${mdTable(
  ['figure', 'value', 'unit', 'from docs/benchmarks.md'],
  figureRows.map(([name, fig, unit]) => [name, num(fig.value), unit, fig.source]),
)}

## Load per route class

Concurrent users: ${fmt(m.normal.concurrentUsers)} normally (100,000 daily users), ${fmt(m.peak.concurrentUsers)} at peak
(300,000 × ${LOAD.peakHourShare} in the peak hour × ${LOAD.sessionMinutes}/60), and the peak column is × ${LOAD.spikeFactor} for spikes.

${mdTable(
  ['route class', 'normal req/s', 'peak req/s'],
  loadRows.map(([name, key]) => [name, rate(m.normal[key]), rate(m.peak[key])]),
)}

Token verification on every authenticated request costs ~${fmt(verifyCores, 2)} cores across the fleet at peak
(${fmt(f.tokenVerifications.value)} verifications/s per thread with the verified-token memory): not a sizing factor.

## Events per order

Read from the saga (functions/order/saga.ts: price, reserve and hold together, then the payment;
commit, commit and book once paid; the capture after picking) and the functions' own events, for
an order of ${LOAD.linesPerOrder} lines delivered to the door (${fmt(m.perOrder.total, 1)} events; shares are averages over orders).
Cross-check: for the checkout benchmark's order (cash on delivery, one line, up to confirmation) the
same model counts **${fmt(m.perOrderConfirmedCod1.total)}** events, and the benchmark counted **${fmt(f.checkoutEvents.value)}**.

${mdTable(
  ['event type', 'topic', 'per order', 'peak events/s'],
  [...m.perOrder.perOrder].map(([type, n]) => [
    `\`${type.replace(/^io\.tuoi\./, '')}\``,
    `tuoi.events.${contractFor(type)!.producer}`,
    fmt(n, Number.isInteger(n) ? 0 : 1),
    rate(m.events.peak.get(type) ?? 0),
  ]),
)}

Besides orders: abandoned carts, sign-ups, password resets, product updates and stock receipts
(assumptions above), ${rate([...m.events.peak.values()].reduce((a, b) => a + b, 0) - m.peak.checkouts * m.perOrder.total)} events/s at peak. The notification function hears
${fmt(notificationMessagesPerOrder(m.perOrder), 1)} of an order's events (each about one message; the benchmark's own estimate is five emails
an order), and every event type is delivered once to each function subscribed to it (functions/registry.ts).

## Pods per function at peak

${mdTable(
  [
    'function',
    'profile',
    'work at peak (rate/s @ per-core rate/s, figure)',
    'cores/pod',
    'pods, normal',
    'pods, peak',
  ],
  m.sizings.map((s, i) => [
    s.name,
    s.profile,
    s.work.length === 0
      ? 'no load in the model (the backbone probe)'
      : s.work.map((w) => `${w.what}: ${rate(w.rate)} @ ${rate(w.perCore)} (${w.source})`).join('; '),
    fmt(s.podCores, 2),
    k[i]!.normalPods,
    `**${k[i]!.peakPods}**`,
  ]),
)}

The order function's figure is the whole platform's sustained checkout rate on two shared cores, so
it covers the saga's replies too; other functions' event deliveries are costed at the event path's
sustained rate per core. The gateway is the one public Knative Service; it runs on the scale-out
profile.

## Knative settings that follow

min-scale = pods at normal load (0 for scale-to-zero, at least 1 otherwise); max-scale = peak pods ×
${SIZING.maxScaleHeadroom}; target concurrency = per-pod rate × unqueued latency (Little's law), rounded up. The
scaling profiles are shared by every function of a profile, so a differing target is a per-function
override to add, not a profile change.

${mdTable(
  [
    'function',
    'profile',
    'min-scale',
    'max-scale',
    'target',
    'latency used',
    'now (min / max / target)',
    'differs',
  ],
  k.map((r, i) => [
    r.name,
    r.profile,
    r.minScale,
    r.maxScale,
    r.target ?? '—',
    `${fmt(m.sizings[i]!.latencyMs, 1)} ms (${m.sizings[i]!.latencySource})`,
    `${r.current.minScale} / ${r.current.maxScale} / ${r.current.target}`,
    r.notes.join('; ') || '—',
  ]),
)}

${warmSpare(k)}
A target well below today's means Knative lets a pod's CPU saturate before it adds pods: requests
then queue inside the pod (the benchmarks' loaded p50s are that queue), so the concurrency target
should be about what one pod completes within its unqueued latency.

## Kafka partitions per topic

A KafkaSource feeds each topic to the broker in partition order, one event at a time per partition,
so a partition carries at most 1000 ÷ ${fmt(f.eventP50.value)} ms ≈ ${fmt(perPartition, 1)} events/s (the event path's unqueued p50).
Partitions = max(${SIZING.eventPartitionsFloor}, the peak pods of the busiest subscriber, ⌈events/s ÷ ${fmt(perPartition, 1)}⌉); now:
\`partitionsFor\` in scripts/manifests/eventing.ts. A topic's partitions can be added but never removed, and
adding them moves keys to other partitions (per-key order is broken once, at the change), so round
up rather than resize often.

${mdTable(
  ['topic', 'peak events/s', 'by rate', 'subscribers', 'busiest subscriber pods', 'needed', 'now'],
  topics.map((t) => [
    `tuoi.events.${t.producer}`,
    rate(t.eventsPerSecond),
    t.byRate,
    t.subscribers.join(', ') || '—',
    t.maxSubscriberPods,
    `**${t.needed}**`,
    t.current,
  ]),
)}

## PostgreSQL through PgBouncer

${mdTable(
  [
    'function',
    'DB_POOL_SIZE',
    'pods at peak',
    'clients at peak',
    'max-scale (recommended)',
    'clients at max-scale',
  ],
  pg.perFunction.map((p) => [
    p.name,
    p.pool,
    p.peakPods,
    p.pool * Math.max(p.peakPods, 1),
    p.maxScale,
    p.pool * p.maxScale,
  ]),
)}

- Client connections to PgBouncer: **${fmt(pg.clientsAtPeak)}** at peak, ${fmt(pg.clientsAtMaxScale)} with every function at its
  recommended max-scale (plus the outbox relay's ${m.env.relayReplicas} × ${SIZING.relayPoolSize}, included). Now: max_client_conn
  ${fmt(m.infra.maxClientConn)} per PgBouncer pod, ${m.infra.poolerInstances} pods (infra/k8s/postgres/cluster.yaml).
- At peak: ${fmt(pg.readsPerSecond)} autocommit reads/s (cart views at ${PG_PER_REQUEST.cartViewReads} each) and ${fmt(pg.writesPerSecond)} write
  transactions/s (checkouts at ${fmt(f.checkoutTransactions.value)} each and notification messages at ${fmt(f.notificationTransactions.value, 1)}, both from the
  benchmarks; one per other event delivery). In flight (Little's law, ${fmt(SIZING.readSeconds * 1000)} ms a read,
  ${fmt(SIZING.writeTxSeconds * 1000)} ms a write): ${fmt(pg.txInFlight, 1)}.
- PgBouncer server connections (transaction pooling): **${fmt(pg.serverConnections)}** (× ${SIZING.pgHeadroom} headroom). Now:
  ${m.infra.poolerInstances} × default_pool_size ${m.infra.defaultPoolSize} = ${servers}.
- PostgreSQL max_connections: ≥ **${fmt(pg.maxConnections)}** (server connections + ${SIZING.pgReservedConnections} reserved). Now: ${m.infra.maxConnections}.

## Elasticsearch

- Searches at peak: ${rate(es.searchesPerSecond)}/s; reaching the engine (cache misses at a ${fmt(SIZING.searchHitRateAtPeak * 100)} % hit
  rate): ${rate(es.enginePerSecond)}/s.
- One node managed ${fmt(es.perNode)} uncached searches/s in the benchmark (a single node sharing 2 vCPUs with the
  function and the load generator): ${es.throughputNodes} nodes of that size at ${fmt(util * 100)} %.
- Data nodes: **${es.nodes}** (at least ${SIZING.esMinDataNodes} so that the replica of every shard is on another node,
  \`number_of_replicas\` ${SIZING.esReplicas}). Now: ${m.infra.esNodes} nodes requesting cpu ${m.infra.esCpu}
  (infra/k8s/elasticsearch/elasticsearch.yaml); count cores rather than nodes if the nodes are larger.
  If the result cache kept the benchmark's ${fmt(SIZING.searchHitRateBench * 100)} % hit rate at peak (the shared Redis tier the
  search benchmark names as a next step, and invalidating only the answers a stock change affects),
  ${es.nodesAtBenchHitRate} nodes would do.
- Index: ${fmt(SKUS)} products × ${fmt(m.productBytes)} bytes of JSON (the seed's average) × ${SIZING.esIndexOverhead} × ${1 + SIZING.esReplicas} copies
  ≈ **${bytes(es.indexBytes)}**: it fits in every node's page cache; memory is not the limit, CPU is.

## Redis

Cart sizes are the JSON of functions/cart/model.ts's \`Cart\` (${fmt(m.cartBytes(1))} bytes with one line, ${fmt(m.cartBytes(LOAD.linesPerOrder))} with
${LOAD.linesPerOrder}); the product is the seed's average cached product.

${mdTable(
  ['what', 'keys', 'bytes each', 'total'],
  rd.rows.map((r) => [
    r.what,
    fmt(r.keys),
    fmt(r.bytesEach),
    r.counted ? bytes(r.total) : `(${bytes(r.total)})`,
  ]),
)}

Data ${bytes(rd.data)}; × ${SIZING.redisOverhead} overhead: **${bytes(rd.withOverhead)}** of maxmemory. Now: maxmemory
${bytes(m.infra.redisMaxmemoryBytes)} (infra/k8s/redis/redis.yaml). The search result cache is per instance:
${fmt(m.configs.searchCacheEntries)} answers × ~${fmt(SIZING.searchAnswerBytes / 1000)} KB ≈ ${bytes(rd.searchPerPod)} of each search pod's memory when
full (the profile gives a scale-out pod ${m.env.profiles['scale-out'].memory}); a shared Redis tier of it would add that once.

## Differences from the manifests (recommendations; nothing is changed)

${rec.length === 0 ? 'None.' : rec.map((r) => `- ${r}`).join('\n')}
`;
}

/** Writes docs/capacity.md. */
export function main(): void {
  const model = buildModel(readFileSync(BENCHMARKS_PATH, 'utf8'));
  writeFileSync(CAPACITY_PATH, render(model));
  console.log(`wrote ${CAPACITY_PATH}`);
}

if (require.main === module) main();
