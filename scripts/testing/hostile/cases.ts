/**
 * Hostile cases for one walked route: the naughty-string corpus spread over every slot (path
 * parameters, query parameters, body fields at any depth), each slot's own edge values (wrong
 * types, numeric edges, values just past its bounds), whole-body attacks, hostile headers, and
 * fast-check bodies that follow the schema with hostile leaves. Every case starts from a valid
 * request, so one slot at a time is hostile and the rest gets past validation.
 */
import fc from 'fast-check';
import { EXTRA_STRINGS, HOSTILE_HEADERS, naughtyStrings, rawBodies } from './corpus';
import type { WalkedRoute } from './routes';
import { arbitraryOf, edgeValues, setAt, slotsOf, validSample } from './schema-values';

/** Who sends a case: a dev account's token, or none. */
export type Caller = 'admin' | 'staff' | 'customer' | 'none';

/** One request of the suite. */
export interface HostileCase {
  route: WalkedRoute;
  /** What is hostile about it, e.g. `body /lines/0/sku = "\u0000"`. */
  label: string;
  method: string;
  /** Request target as sent (already percent-encoded, possibly malformed on purpose). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  caller: Caller;
}

/** Values the suite starts from, by parameter or property name (seeded SKUs, locations, ids). */
export type Hints = Record<string, unknown>;

/** Query names tried on routes that parse their query string without a schema (catalog, search). */
export const UNSCHEMATIZED_QUERY_NAMES = [
  'q',
  'category',
  'dietary',
  'tags',
  'brand',
  'is_perishable',
  'price_min',
  'price_max',
  'in_stock',
  'expires_soon',
  'sort',
  'limit',
  'cursor',
  'after',
  'partial',
  'lang',
];

/** Options of {@link casesFor}. */
export interface CaseOptions {
  hints: Hints;
  seed: number;
  /** fast-check bodies per route with a body schema. */
  generated: number;
  /** Corpus strings per route (spread over its slots); the whole corpus when undefined. */
  corpusPerRoute?: number;
  /**
   * Hand-written valid bodies by route (`POST /products`) where a sample drawn from the schema
   * alone is refused by the handler's own rules, so the hostile values reach past validation.
   */
  bodies?: Record<string, unknown>;
}

/**
 * Percent-encodes a string as UTF-8, or as WTF-8 for lone surrogates (which `encodeURIComponent`
 * refuses), so every string in the corpus can be sent in a URL.
 */
export function percentEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => '%' + b.toString(16).toUpperCase())
        .join('');
    } else out += encodeURIComponent(s[i] as string);
  }
  return out;
}

function queryString(q: Record<string, unknown>): string {
  const parts = Object.entries(q).map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The valid starting point of a route: path parameters, query and body. */
export function baseline(route: WalkedRoute, opts: Pick<CaseOptions, 'hints' | 'seed' | 'bodies'>) {
  const params = Object.fromEntries(
    route.params.map((p) => {
      const fromSchema = route.paramsSchema
        ? (validSample(route.paramsSchema, opts.seed, opts.hints) as Record<string, unknown>)[p]
        : undefined;
      return [p, String(opts.hints[p] ?? fromSchema ?? 'x1')];
    }),
  );
  const query = route.query
    ? (validSample(route.query, opts.seed, opts.hints) as Record<string, unknown>)
    : {};
  const given = opts.bodies?.[`${route.method} ${route.path}`];
  const body = given ?? (route.body ? validSample(route.body, opts.seed, opts.hints) : undefined);
  return { params, query, body };
}

function pathWith(
  route: WalkedRoute,
  params: Record<string, string>,
  raw: Record<string, string> = {},
): string {
  return route.path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg;
      const name = seg.slice(1);
      return raw[name] ?? percentEncode(params[name] ?? '');
    })
    .join('/');
}

/** Every hostile case for one route. */
export function casesFor(route: WalkedRoute, opts: CaseOptions): HostileCase[] {
  const base = baseline(route, opts);
  const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
  const writes = route.method !== 'GET';
  const caller: Caller = 'admin';
  const out: HostileCase[] = [];
  const add = (
    label: string,
    parts: {
      params?: Record<string, string>;
      rawParams?: Record<string, string>;
      query?: Record<string, unknown>;
      rawQuery?: string;
      body?: Buffer;
      headers?: Record<string, string>;
      caller?: Caller;
    } = {},
  ) => {
    const body = parts.body ?? (base.body !== undefined ? json(base.body) : undefined);
    // A write carries a new Idempotency-Key, as a client does, so a route that requires one (POST
    // /checkout) reads the rest of the request; the header's own hostile values are in HOSTILE_HEADERS.
    const headers: Record<string, string> = {
      ...(writes ? { 'idempotency-key': `hostile-key-${out.length + 1}` } : {}),
      ...parts.headers,
    };
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    out.push({
      route,
      label,
      method: route.method,
      target:
        pathWith(route, parts.params ?? base.params, parts.rawParams) +
        (parts.rawQuery ?? queryString(parts.query ?? base.query)),
      headers,
      body,
      caller: parts.caller ?? caller,
    });
  };

  // Slots: path parameters, query parameters, body fields.
  type Put = (value: unknown) => void;
  const slots: { name: string; put: Put; edges: unknown[] }[] = [];
  for (const p of route.params)
    slots.push({
      name: `path :${p}`,
      put: (v) => add(`path :${p} = ${show(v)}`, { params: { ...base.params, [p]: String(v) } }),
      edges: [],
    });
  const queryNames = route.query
    ? Object.keys((route.query as { properties?: object }).properties ?? {})
    : route.method === 'GET'
      ? UNSCHEMATIZED_QUERY_NAMES
      : [];
  for (const q of queryNames)
    slots.push({
      name: `query ${q}`,
      put: (v) => add(`query ${q} = ${show(v)}`, { query: { ...base.query, [q]: String(v) } }),
      edges: [],
    });
  if (route.body)
    for (const slot of slotsOf(route.body, '', base.body))
      slots.push({
        name: `body ${slot.pointer}`,
        put: (v) =>
          add(`body ${slot.pointer} = ${show(v)}`, { body: json(setAt(base.body, slot.pointer, v)) }),
        edges: edgeValues(slot.schema),
      });

  // The corpus, spread over the slots round-robin (each string in two different slots of the
  // route when it has two), then every slot gets the targeted extras and its own edge values.
  const corpus = naughtyStrings();
  const share = opts.corpusPerRoute === undefined ? corpus : pick(corpus, opts.corpusPerRoute, opts.seed);
  if (slots.length > 0)
    share.forEach((s, i) => {
      slots[i % slots.length]!.put(s);
      if (slots.length > 1) slots[(i + 1) % slots.length]!.put(s);
    });
  for (const slot of slots) {
    for (const s of EXTRA_STRINGS) slot.put(s);
    for (const v of slot.edges) slot.put(v);
  }

  // Malformed percent-encoding and traversal in path parameters (sent raw).
  for (const p of route.params)
    for (const raw of ['%', '%zz', '%ed%a0%80', '%c0%af', '..', '.', '%2e%2e', '..%2f..%2f', '%00', '%2F'])
      add(`raw path :${p} = ${raw}`, { rawParams: { [p]: raw } });

  // Query-string shapes: repeated, prototype and unknown keys, malformed encoding.
  const qs = queryString(base.query);
  const glue = qs ? `${qs}&` : '?';
  for (const raw of [
    '__proto__=1',
    'constructor=1',
    'zz_unknown=1',
    '%=1',
    'a=%zz',
    '=',
    '&&&',
    'lang=vi&lang=en',
    'limit=1&limit=2',
  ])
    add(`raw query ${raw}`, { rawQuery: glue + raw });

  // Whole bodies.
  if (route.body || writes)
    for (const raw of rawBodies(base.body))
      add(`raw body: ${raw.label}`, {
        body: raw.body,
        headers: raw.contentType ? { 'content-type': raw.contentType } : {},
      });

  // Headers.
  for (const h of HOSTILE_HEADERS)
    add(`header ${h.name}: ${show(h.value)}`, {
      headers: { [h.name]: h.value },
      caller: h.name === 'authorization' ? 'none' : caller,
    });

  // fast-check bodies: the schema's shape with hostile leaves.
  if (route.body && opts.generated > 0) {
    const hostile = fc.oneof(
      fc.constantFrom(...EXTRA_STRINGS),
      fc.constantFrom(...corpus),
      fc.constantFrom(...edgeValues({})),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const bodies = fc.sample(arbitraryOf(route.body, hostile), { seed: opts.seed, numRuns: opts.generated });
    bodies.forEach((b, i) => add(`generated body #${i}: ${show(b, 120)}`, { body: json(b) }));
  }
  // The valid request last: a write that succeeds (a delete) must not starve the cases before it.
  add('valid baseline without a token', { caller: 'none' });
  add('valid baseline as a customer', { caller: 'customer' });
  add('valid baseline');
  return out;
}

/** A short printable form of a value for case labels. */
export function show(v: unknown, max = 60): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/** `n` items of `list` chosen deterministically by `seed`. */
function pick<T>(list: readonly T[], n: number, seed: number): T[] {
  if (n >= list.length) return [...list];
  return (
    fc.sample(fc.shuffledSubarray([...list], { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0] ?? []
  );
}
