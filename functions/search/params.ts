/**
 * Reads the query string of `GET /search` into a `SearchQuery`, rejecting anything unknown or out
 * of range with one field error per problem (never a silent default for a bad value).
 */
import { Type } from '@sinclair/typebox';
import { CATEGORY_ID_PATTERN, DIETARY } from '../../events';
import { ValidationError, type FieldError } from '../shared/errors';
import { decodeCursor, MAX_WINDOW, queryFingerprint } from './domain';
import { SEARCH_SORTS, type SearchFilters, type SearchQuery, type SearchSort } from './ports';
import { normalizeText } from './text';

/** Longest query text accepted. */
export const MAX_QUERY_CHARS = 200;
/** Largest page. */
export const MAX_LIMIT = 50;

const KNOWN = new Set([
  'q',
  'lang',
  'category',
  'dietary',
  'tags',
  'brand',
  'price_min',
  'price_max',
  'is_perishable',
  'expires_soon',
  'in_stock',
  'on_promotion',
  'sort',
  'cursor',
  'limit',
]);
const CATEGORY = new RegExp(CATEGORY_ID_PATTERN);
const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_PRICE = 1_000_000_000;

/** What the parser needs to know beyond the query string. */
export interface ParamContext {
  lang: 'en' | 'vi';
  knownCategory(id: string): boolean;
}

/** The parsed query plus whether its text had any searchable word. */
export function parseSearchParams(raw: Record<string, string>, ctx: ParamContext): SearchQuery {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string) =>
    errors.push({ field: `/${field}`, code, message });

  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) fail(key, 'unknown', `unknown parameter ${key}`);

  const text = normalizeText(raw.q ?? '');
  if ([...text].length > MAX_QUERY_CHARS) fail('q', 'maxLength', `at most ${MAX_QUERY_CHARS} characters`);

  const list = (key: string) =>
    raw[key] === undefined
      ? []
      : raw[key]!.split(',')
          .map((v) => v.trim())
          .filter(Boolean);
  const filters: SearchFilters = { dietary: [], tags: [], brand: [] };

  if (raw.category !== undefined) {
    if (!CATEGORY.test(raw.category)) fail('category', 'pattern', 'a category id such as rau-la');
    else if (!ctx.knownCategory(raw.category)) fail('category', 'exists', `no category ${raw.category}`);
    else filters.category = raw.category;
  }
  for (const d of list('dietary'))
    if (!(DIETARY as readonly string[]).includes(d))
      fail('dietary', 'enum', `unknown dietary value ${JSON.stringify(d)}; allowed: ${DIETARY.join(', ')}`);
  filters.dietary = [...new Set(list('dietary'))];
  for (const t of list('tags')) if (!TAG.test(t)) fail('tags', 'pattern', `bad tag ${JSON.stringify(t)}`);
  filters.tags = [...new Set(list('tags'))];
  const brands = list('brand').map(normalizeText);
  if (brands.some((b) => [...b].length > 80)) fail('brand', 'maxLength', 'a brand has at most 80 characters');
  if (brands.length > 20) fail('brand', 'maxItems', 'at most 20 brands');
  filters.brand = [...new Set(brands)];

  const price = (key: 'price_min' | 'price_max') => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!/^\d{1,10}$/.test(v) || Number(v) > MAX_PRICE) {
      fail(key, 'range', `a whole number of đồng from 0 to ${MAX_PRICE}`);
      return undefined;
    }
    return Number(v);
  };
  const min = price('price_min');
  const max = price('price_max');
  if (min !== undefined) filters.price_min = min;
  if (max !== undefined) filters.price_max = max;
  if (min !== undefined && max !== undefined && min > max)
    fail('price_min', 'range', 'price_min is above price_max');

  for (const key of ['is_perishable', 'expires_soon', 'in_stock', 'on_promotion'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (v !== 'true' && v !== 'false') fail(key, 'type:boolean', 'true or false');
    else filters[key] = v === 'true';
  }

  let sort: SearchSort = 'relevance';
  if (raw.sort !== undefined) {
    if (!(SEARCH_SORTS as readonly string[]).includes(raw.sort))
      fail('sort', 'enum', `one of ${SEARCH_SORTS.join(', ')}`);
    else sort = raw.sort as SearchSort;
  }
  let limit = 20;
  if (raw.limit !== undefined) {
    if (!/^\d{1,3}$/.test(raw.limit) || Number(raw.limit) < 1 || Number(raw.limit) > MAX_LIMIT)
      fail('limit', 'range', `from 1 to ${MAX_LIMIT}`);
    else limit = Number(raw.limit);
  }
  if (errors.length) throw new ValidationError('The search parameters are not valid', errors);

  const query: SearchQuery = { text, lang: ctx.lang, filters, sort, limit, offset: 0 };
  if (raw.cursor !== undefined) query.offset = decodeCursor(raw.cursor, queryFingerprint(query));
  if (query.offset + query.limit > MAX_WINDOW)
    throw new ValidationError('The search parameters are not valid', [
      {
        field: '/cursor',
        code: 'range',
        message: `results beyond ${MAX_WINDOW} are not paged; narrow the query`,
      },
    ]);
  return query;
}

// --- The query strings as the API documents describe them (every value arrives as a string) ---

const DIETARY_ITEM = `(${DIETARY.join('|')})`;
const TAG_ITEM = '[a-z0-9][a-z0-9-]{0,39}';
const PRICE = '^(\\d{1,9}|1000000000)$';
const flag = (description: string) =>
  Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description }));
const Lang = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('vi')], {
    description: 'The language of names; overrides Accept-Language',
  }),
);
const Text = Type.Optional(
  Type.String({
    maxLength: MAX_QUERY_CHARS,
    description: `The typed text, up to ${MAX_QUERY_CHARS} characters, either language, accents optional`,
  }),
);

/** `GET /search`; an unknown parameter or category is a 400. */
export const SearchQueryDoc = Type.Object({
  q: Text,
  lang: Lang,
  category: Type.Optional(
    Type.String({
      pattern: CATEGORY_ID_PATTERN,
      description: 'A category id (e.g. rau-la); unknown is a 400',
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
      pattern: `^${TAG_ITEM}(,${TAG_ITEM})*$`,
      description: 'Comma-separated tags, all required',
    }),
  ),
  brand: Type.Optional(
    Type.String({
      pattern: '^[^,]{1,80}(,[^,]{1,80}){0,19}$',
      description: 'Comma-separated brand names (at most 20, each at most 80 characters), any of them',
    }),
  ),
  price_min: Type.Optional(
    Type.String({
      pattern: PRICE,
      description: 'Lowest price in đồng (0 to 1,000,000,000); not above price_max',
    }),
  ),
  price_max: Type.Optional(
    Type.String({ pattern: PRICE, description: 'Highest price in đồng (0 to 1,000,000,000)' }),
  ),
  is_perishable: flag('Filter on being perishable'),
  expires_soon: flag('Filter on expiring soon'),
  in_stock: flag('Filter on being in stock'),
  on_promotion: flag('Filter on being on a live promotion'),
  sort: Type.Optional(
    Type.Union(
      SEARCH_SORTS.map((s) => Type.Literal(s)),
      { description: 'The order (default relevance)' },
    ),
  ),
  limit: Type.Optional(
    Type.String({ pattern: '^([1-9]|[1-4]\\d|50)$', description: 'Page size, 1 to 50 (default 20)' }),
  ),
  cursor: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,200}$',
      description: 'The next_cursor of the same query (any other is a 400)',
    }),
  ),
});

/** `GET /search/suggest`; an unknown parameter is a 400. */
export const SuggestQueryDoc = Type.Object({
  q: Text,
  lang: Lang,
  limit: Type.Optional(
    Type.String({ pattern: '^([1-9]|10)$', description: 'How many, 1 to 10 (default 10)' }),
  ),
});
