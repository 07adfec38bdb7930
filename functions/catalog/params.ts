/**
 * Reads query strings of the catalog's routes, rejecting anything unknown or out of range with one
 * field error per problem (never a silent default for a bad value). Existence checks that need the
 * database (the category) are the handler's.
 */
import { Type } from '@sinclair/typebox';
import { CATEGORY_ID_PATTERN, DIETARY, SKU_PATTERN } from '../../events';
import { ValidationError, type FieldError } from '../shared/errors';
import { decodeCursor, fingerprint, type KeyKind, type KeysetPosition } from './cursor';
import { TAG_PATTERN } from './write-schema';

/** Orders of `GET /products`. The listing has no text query, so `relevance` orders as `popular`. */
export const LIST_SORTS = ['relevance', 'price', 'price_desc', 'name', 'newest', 'popular'] as const;
/** One listing order. */
export type ListSort = (typeof LIST_SORTS)[number];

/** The kind of sort key each order pages on. */
export const SORT_KEY_KIND: Record<ListSort, KeyKind> = {
  relevance: 'integer',
  popular: 'integer',
  price: 'integer',
  price_desc: 'integer',
  name: 'text',
  newest: 'timestamp',
};

/** Filters of a listing; lists are de-duplicated and sorted (they are sets). */
export interface ListFilters {
  category?: string;
  dietary: string[];
  tags: string[];
  brand: string[];
  is_perishable?: boolean;
  price_min?: number;
  price_max?: number;
  in_stock?: boolean;
  expires_soon?: boolean;
}

/** A parsed `GET /products`. */
export interface ListQuery {
  filters: ListFilters;
  sort: ListSort;
  lang: 'en' | 'vi';
  limit: number;
  after?: KeysetPosition;
  /** Binds cursors to this query (everything but the position and the page size). */
  fingerprint: string;
}

/** Largest listing page; the default page. */
export const MAX_LIMIT = 100;
/** Default listing page. */
export const DEFAULT_LIMIT = 24;
const MAX_PRICE = 1_000_000_000;
const CATEGORY = new RegExp(CATEGORY_ID_PATTERN);
const TAG = new RegExp(TAG_PATTERN);
const SKU = new RegExp(SKU_PATTERN);

/** Collects field errors of one query string; `done` throws them all at once. */
export class QueryReader {
  readonly errors: FieldError[] = [];
  constructor(
    readonly raw: Record<string, string>,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(raw))
      if (key !== 'lang' && !allowed.includes(key))
        this.fail(key, 'unknown', `unknown parameter; allowed: ${['lang', ...allowed].join(', ')}`);
    if (raw.lang !== undefined && raw.lang !== 'en' && raw.lang !== 'vi')
      this.fail('lang', 'enum', 'en or vi');
  }

  /** Records one field error. */
  fail(field: string, code: string, message: string): void {
    this.errors.push({ field: `/${field}`, code, message });
  }

  /** An integer in [min, max], or `fallback` when absent. */
  int(key: string, min: number, max: number, fallback: number): number;
  int(key: string, min: number, max: number): number | undefined;
  int(key: string, min: number, max: number, fallback?: number): number | undefined {
    const v = this.raw[key];
    if (v === undefined) return fallback;
    if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) {
      this.fail(key, 'range', `a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(v);
  }

  /** true/false, or undefined when absent. */
  bool(key: string): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') this.fail(key, 'type:boolean', 'true or false');
    return v === 'true';
  }

  /** A comma-separated list, trimmed, empty items dropped, de-duplicated and sorted. */
  list(key: string): string[] {
    const v = this.raw[key];
    if (v === undefined) return [];
    return [
      ...new Set(
        v
          .split(',')
          .map((s) => s.normalize('NFC').trim())
          .filter(Boolean),
      ),
    ].sort();
  }

  /** A category id (pattern only; existence is checked against the tree). */
  category(key = 'category'): string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (!CATEGORY.test(v)) {
      this.fail(key, 'pattern', 'a category id such as rau-cu');
      return undefined;
    }
    return v;
  }

  /** Throws one ValidationError listing every problem found. */
  done(what = 'query parameters'): void {
    if (this.errors.length > 0) throw new ValidationError(`The ${what} are not valid`, this.errors);
  }
}

/** Parses `GET /products`. */
export function parseListQuery(raw: Record<string, string>, lang: 'en' | 'vi'): ListQuery {
  const r = new QueryReader(raw, [
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
  ]);
  const filters: ListFilters = { dietary: r.list('dietary'), tags: r.list('tags'), brand: r.list('brand') };
  const category = r.category();
  if (category) filters.category = category;
  for (const d of filters.dietary)
    if (!(DIETARY as readonly string[]).includes(d))
      r.fail('dietary', 'enum', `unknown dietary value ${JSON.stringify(d)}; allowed: ${DIETARY.join(', ')}`);
  for (const t of filters.tags) if (!TAG.test(t)) r.fail('tags', 'pattern', `bad tag ${JSON.stringify(t)}`);
  if (filters.brand.some((b) => b.length > 80))
    r.fail('brand', 'maxLength', 'a brand has at most 80 characters');
  if (filters.brand.length > 20) r.fail('brand', 'maxItems', 'at most 20 brands');
  if (filters.tags.length > 20) r.fail('tags', 'maxItems', 'at most 20 tags');
  const min = r.int('price_min', 0, MAX_PRICE);
  const max = r.int('price_max', 0, MAX_PRICE);
  if (min !== undefined) filters.price_min = min;
  if (max !== undefined) filters.price_max = max;
  if (min !== undefined && max !== undefined && min > max)
    r.fail('price_min', 'range', 'price_min is above price_max');
  for (const key of ['is_perishable', 'in_stock', 'expires_soon'] as const) {
    const v = r.bool(key);
    if (v !== undefined) filters[key] = v;
  }
  let sort: ListSort = 'relevance';
  if (raw.sort !== undefined) {
    if ((LIST_SORTS as readonly string[]).includes(raw.sort)) sort = raw.sort as ListSort;
    else r.fail('sort', 'enum', `one of ${LIST_SORTS.join(', ')}`);
  }
  const limit = r.int('limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
  r.done();
  const query: ListQuery = { filters, sort, lang, limit, fingerprint: fingerprint([filters, sort, lang]) };
  if (raw.cursor !== undefined)
    query.after = decodeCursor(raw.cursor, query.fingerprint, SORT_KEY_KIND[sort]);
  return query;
}

/** Parses `GET /products/export`: `after` a SKU, `limit` 1..2000 (default 500). */
export function parseExportQuery(raw: Record<string, string>): { after?: string; limit: number } {
  const r = new QueryReader(raw, ['after', 'limit']);
  if (raw.after !== undefined && !SKU.test(raw.after)) r.fail('after', 'pattern', 'a SKU such as TU-000123');
  const limit = r.int('limit', 1, 2000, 500);
  r.done();
  return { ...(raw.after !== undefined ? { after: raw.after } : {}), limit };
}

// --- The query strings as the API documents describe them (every value arrives as a string) ---

const TAG_ITEM = TAG_PATTERN.slice(1, -1);
const DIETARY_ITEM = `(${DIETARY.join('|')})`;

/** `lang`, which every catalog read accepts besides Accept-Language. */
const Lang = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('vi')], {
    description: 'The language of names and descriptions; overrides Accept-Language',
  }),
);

/** A route that takes no query parameter but `lang` (any other is a 400). */
export const LangOnlyQuery = Type.Object({ lang: Lang });

/** `GET /products`; an unknown parameter is a 400. */
export const ListQueryDoc = Type.Object({
  lang: Lang,
  category: Type.Optional(
    Type.String({
      pattern: CATEGORY_ID_PATTERN,
      description: 'A category id (e.g. rau-cu): products in it and every category below; unknown is a 400',
    }),
  ),
  dietary: Type.Optional(
    Type.String({
      pattern: `^${DIETARY_ITEM}(,${DIETARY_ITEM})*$`,
      description: `Comma-separated dietary labels, all required: ${DIETARY.join(', ')}`,
    }),
  ),
  tags: Type.Optional(
    Type.String({
      pattern: `^${TAG_ITEM}(,${TAG_ITEM}){0,19}$`,
      description: 'Comma-separated tags (at most 20), all required',
    }),
  ),
  brand: Type.Optional(
    Type.String({
      pattern: '^[^,]{1,80}(,[^,]{1,80}){0,19}$',
      description: 'Comma-separated brand names (at most 20, each at most 80 characters), any of them',
    }),
  ),
  is_perishable: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Filter on being perishable' }),
  ),
  price_min: Type.Optional(
    Type.String({
      pattern: '^(\\d{1,9}|1000000000)$',
      description: 'Lowest price in đồng (0 to 1,000,000,000); not above price_max',
    }),
  ),
  price_max: Type.Optional(
    Type.String({
      pattern: '^(\\d{1,9}|1000000000)$',
      description: 'Highest price in đồng (0 to 1,000,000,000)',
    }),
  ),
  in_stock: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Filter on being in stock' }),
  ),
  expires_soon: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Filter on expiring soon' }),
  ),
  sort: Type.Optional(
    Type.Union(
      LIST_SORTS.map((s) => Type.Literal(s)),
      { description: 'The order (default relevance, which orders as popular)' },
    ),
  ),
  limit: Type.Optional(
    Type.String({ pattern: '^([1-9]\\d?|100)$', description: 'Page size, 1 to 100 (default 24)' }),
  ),
  cursor: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,1200}$',
      description: "The previous page's next_cursor, for the same query (any other is a 400)",
    }),
  ),
});

/** `GET /products/popular`. */
export const PopularQueryDoc = Type.Object({
  lang: Lang,
  category: Type.Optional(
    Type.String({ pattern: CATEGORY_ID_PATTERN, description: 'A category id; unknown is a 400' }),
  ),
  limit: Type.Optional(
    Type.String({
      pattern: '^([1-9]|[1-4]\\d|50)$',
      description: 'How many, 1 to 50 (default 10 in a category, 5 per root category)',
    }),
  ),
});

/** `GET /products/promoted`. */
export const PromotedQueryDoc = Type.Object({
  lang: Lang,
  limit: Type.Optional(
    Type.String({ pattern: '^([1-9]\\d?|100)$', description: 'How many, 1 to 100 (default 24)' }),
  ),
});

/** `GET /products/export`. */
export const ExportQueryDoc = Type.Object({
  lang: Lang,
  after: Type.Optional(Type.String({ pattern: SKU_PATTERN, description: 'A SKU: the page starts after it' })),
  limit: Type.Optional(
    Type.String({
      pattern: '^([1-9]\\d{0,2}|1\\d{3}|2000)$',
      description: 'Page size, 1 to 2000 (default 500)',
    }),
  ),
});

/** `POST /products/import`. */
export const ImportQueryDoc = Type.Object({
  lang: Lang,
  partial: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], {
      description: 'true: apply the valid rows and report the rest; false (default): all or nothing',
    }),
  ),
});
