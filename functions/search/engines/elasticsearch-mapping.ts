/**
 * The Elasticsearch index layout for products (settings, strict mapping, stored source) and the
 * pure builders and readers of every request that depends on it. No client here: each function
 * maps plain values to a request body or a response to plain values, so a unit test can cover it
 * without a cluster.
 */
import type { estypes } from '@elastic/elasticsearch';
import type {
  EngineFacets,
  FacetBucket,
  IndexedDocument,
  SearchFilters,
  SearchQuery,
  SearchSort,
} from '../ports';
import { PRICE_EDGES } from '../ports';
import { fold, hasDiacritics, tokenize } from '../text';

/** Longest prefix the `*.prefix` sub-fields index (edge n-grams 1–20). */
export const MAX_PREFIX = 20;
/** Query words beyond this many are ignored (bounds the size of fuzzy queries). */
export const MAX_WORDS = 10;

/**
 * Score contributions (constant per match kind, so rules hold regardless of term statistics).
 * Per query word the best kind counts; the smallest gap between kinds is 1, and the popularity
 * tie-break adds at most ~0.5 (log10(1 + popularity) × 0.1).
 */
export const WEIGHTS = {
  sku: 1000,
  nameAccent: 12,
  nameFolded: 9,
  namePrefix: 7,
  brandAccent: 6,
  brandOrCategory: 5,
  brandOrCategoryPrefix: 4,
  nameFuzzy: 3,
  brandOrCategoryFuzzy: 2,
  description: 1,
  phrase: 6,
  phrasePrefix: 4,
  proximity: 2,
  exactBrand: 10,
  popularity: 0.1,
  outOfStock: 0.5,
} as const;

/** Fuzziness on folded words: 0 edits up to 3 characters, 1 up to 7, else 2 (transpositions = 1). */
const FUZZY = { fuzziness: 'AUTO:4,8', prefix_length: 0, max_expansions: 50, fuzzy_transpositions: true };

const keyword = { type: 'keyword' } as const;
const bool = { type: 'boolean' } as const;
const long = { type: 'long' } as const;
const accented = { type: 'text', analyzer: 'tuoi_accented' } as const;
const folded = { type: 'text', analyzer: 'tuoi_folded' } as const;
const prefix = { type: 'text', analyzer: 'tuoi_prefix', search_analyzer: 'tuoi_folded' } as const;
const name = {
  ...accented,
  fields: { folded, prefix, sort: { type: 'keyword', normalizer: 'tuoi_sort' } },
} as const;

/**
 * The promotions of a document, nested so that one promotion's start and end are tested together
 * (labels are only shown, not searched).
 */
export const PROMOTIONS_MAPPING = {
  type: 'nested',
  properties: {
    id: keyword,
    label_en: { type: 'keyword', index: false },
    label_vi: { type: 'keyword', index: false },
    kind: keyword,
    starts_at: { type: 'date' },
    ends_at: { type: 'date' },
  },
} as const satisfies estypes.MappingProperty;

/** A document as stored: an indexed document plus its brand's folded words (for rule 7). */
export type StoredDocument = IndexedDocument & { brand_key: string };

/** The strict mapping: exactly one entry per stored field (the type checks both ways). */
const PROPERTIES: Record<keyof StoredDocument, estypes.MappingProperty> = {
  sku: keyword,
  name_en: name,
  name_vi: name,
  description_en: folded,
  description_vi: folded,
  brand: { ...keyword, fields: { text: accented, folded } },
  brand_key: keyword,
  category_id: keyword,
  category_ids: keyword,
  category_names_en: folded,
  category_names_vi: folded,
  price_vnd: long,
  unit: keyword,
  size: { type: 'double' },
  sold_by: keyword,
  dietary: keyword,
  tags: keyword,
  is_perishable: bool,
  image_url: { type: 'keyword', index: false, doc_values: false },
  in_stock: bool,
  expires_soon: bool,
  promotions: PROMOTIONS_MAPPING,
  popularity: { type: 'double' },
  created_at: { type: 'date' },
  version: long,
  revision: long,
  deleted: bool,
};

/**
 * Settings and mappings of a new concrete index: names analysed accented (standard + lowercase),
 * folded (+ asciifolding) and as folded prefixes (+ edge n-grams 1–20, searched folded).
 * While `loading`, refresh is off and there are no replicas.
 */
export function indexBody(opts: { shards: number; replicas: number; loading: boolean }): {
  settings: estypes.IndicesIndexSettings;
  mappings: estypes.MappingTypeMapping;
} {
  const analyzer = (...filter: string[]) => ({ type: 'custom' as const, tokenizer: 'standard', filter });
  return {
    settings: {
      number_of_shards: opts.shards,
      number_of_replicas: opts.loading ? 0 : opts.replicas,
      refresh_interval: opts.loading ? '-1' : '1s',
      analysis: {
        filter: { tuoi_edge: { type: 'edge_ngram', min_gram: 1, max_gram: MAX_PREFIX } },
        analyzer: {
          tuoi_accented: analyzer('lowercase'),
          tuoi_folded: analyzer('lowercase', 'asciifolding'),
          tuoi_prefix: analyzer('lowercase', 'asciifolding', 'tuoi_edge'),
        },
        normalizer: { tuoi_sort: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
      },
    },
    mappings: { dynamic: 'strict', properties: PROPERTIES },
  };
}

/** Fields of the stored source that are not part of a `SearchDocument`. */
export const STORED_ONLY = ['revision', 'deleted', 'brand_key'];

/** The stored source of a document: the mapped fields only (the mapping is strict). */
export function toSource(d: IndexedDocument): StoredDocument {
  const fields = Object.keys(PROPERTIES).filter((f): f is keyof IndexedDocument => f in d);
  return {
    ...Object.fromEntries(fields.map((f) => [f, d[f]])),
    brand_key: brandKey(d.brand),
  } as StoredDocument;
}

type Query = estypes.QueryDslQueryContainer;

/** A brand or query as folded words joined by one space ("Chin-su" → "chin su"). */
export const brandKey = (text: string): string => queryWords(text).map(fold).join(' ');

const NAMES = ['name_vi', 'name_en'] as const;
const OTHER = ['brand.folded', 'category_names_vi', 'category_names_en'];
const fieldsOf = (suffix: string): string[] => NAMES.map((f) => `${f}${suffix}`);
const scored = (filter: Query, boost: number): Query => ({ constant_score: { filter, boost } });
const anyField = (query: string, fields: string[], extra: Partial<estypes.QueryDslMultiMatchQuery> = {}) =>
  ({ multi_match: { query, fields, ...extra } }) satisfies Query;

/**
 * A document with a promotion live when the search runs (`now` at the shard): started or without
 * a start, not yet ended or without an end. Indices made before promotions existed match nothing.
 */
export const LIVE_PROMOTION: Query = {
  nested: {
    path: 'promotions',
    ignore_unmapped: true,
    query: {
      bool: {
        filter: [
          {
            bool: {
              should: [
                { range: { 'promotions.starts_at': { lte: 'now' } } },
                { bool: { must_not: { exists: { field: 'promotions.starts_at' } } } },
              ],
              minimum_should_match: 1,
            },
          },
          {
            bool: {
              should: [
                { range: { 'promotions.ends_at': { gt: 'now' } } },
                { bool: { must_not: { exists: { field: 'promotions.ends_at' } } } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
      },
    },
  },
};

/** Filters in filter context, always including `deleted: false`. */
export function buildFilters(f: SearchFilters): Query[] {
  const out: Query[] = [{ term: { deleted: false } }];
  if (f.category !== undefined) out.push({ term: { category_ids: f.category } });
  for (const d of f.dietary) out.push({ term: { dietary: d } });
  for (const t of f.tags) out.push({ term: { tags: t } });
  if (f.brand.length > 0) out.push({ terms: { brand: f.brand } });
  if (f.price_min !== undefined || f.price_max !== undefined) {
    out.push({ range: { price_vnd: { gte: f.price_min, lte: f.price_max } } });
  }
  for (const key of ['is_perishable', 'expires_soon', 'in_stock'] as const) {
    const value = f[key];
    if (value !== undefined) out.push({ term: { [key]: value } });
  }
  if (f.on_promotion === true) out.push(LIVE_PROMOTION);
  if (f.on_promotion === false) out.push({ bool: { must_not: LIVE_PROMOTION } });
  return out;
}

/** Query words (accents kept, lower-case), capped at {@link MAX_WORDS}. */
export function queryWords(text: string): string[] {
  return tokenize(text).slice(0, MAX_WORDS);
}

/** Name of the named query that marks word `i` as matched without fuzziness. */
export const exactName = (i: number): string => `w${i}`;

/**
 * One query word: the best of its match kinds counts (rules 2–4, 7). The non-fuzzy kinds are
 * grouped under a named query so a hit tells whether the word matched only fuzzily.
 */
function wordQuery(word: string, i: number, last: boolean): Query {
  const f = fold(word);
  const exact: Query[] = [
    scored(anyField(f, fieldsOf('.folded')), WEIGHTS.nameFolded),
    scored(anyField(f, OTHER), WEIGHTS.brandOrCategory),
    scored(anyField(f, ['description_vi', 'description_en']), WEIGHTS.description),
  ];
  if (hasDiacritics(word)) {
    exact.push(scored(anyField(word, [...NAMES]), WEIGHTS.nameAccent));
    exact.push(scored(anyField(word, ['brand.text']), WEIGHTS.brandAccent));
  }
  if (last) {
    exact.push(scored(anyField(f.slice(0, MAX_PREFIX), fieldsOf('.prefix')), WEIGHTS.namePrefix));
    const prefixes = OTHER.map((field): Query => ({ prefix: { [field]: f } }));
    exact.push(scored({ bool: { should: prefixes } }, WEIGHTS.brandOrCategoryPrefix));
  }
  return {
    dis_max: {
      queries: [
        { dis_max: { queries: exact, _name: exactName(i) } },
        scored(anyField(f, fieldsOf('.folded'), FUZZY), WEIGHTS.nameFuzzy),
        scored(anyField(f, OTHER, FUZZY), WEIGHTS.brandOrCategoryFuzzy),
      ],
    },
  };
}

/** Matches SKUs as the catalog writes them (upper-case letters, digits, hyphens). */
const SKU_LIKE = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/i;

/**
 * The scoring query for a non-empty text, before filters: every word must match (AND across
 * fields), with bonuses for adjacent words (rule 6), an exact brand (rule 7) and a SKU (rule 1).
 */
export function buildTextQuery(text: string): Query | undefined {
  const words = queryWords(text);
  const options: Query[] = [];
  if (SKU_LIKE.test(text)) {
    options.push(scored({ term: { sku: { value: text.toUpperCase(), _name: 'sku' } } }, WEIGHTS.sku));
  }
  if (words.length > 0) {
    const folded = words.map(fold).join(' ');
    const bonuses: Query[] = [scored({ term: { brand_key: folded } }, WEIGHTS.exactBrand)];
    if (words.length > 1) {
      const phrase = (fields: string[], boost: number, slop = 0): Query =>
        scored(anyField(folded, fields, { type: 'phrase', slop }), boost);
      bonuses.push({
        dis_max: {
          queries: [
            phrase(fieldsOf('.folded'), WEIGHTS.phrase),
            phrase(fieldsOf('.prefix'), WEIGHTS.phrasePrefix),
            phrase(fieldsOf('.folded'), WEIGHTS.proximity, 3),
          ],
        },
      });
    }
    options.push({
      bool: { must: words.map((w, i) => wordQuery(w, i, i === words.length - 1)), should: bonuses },
    });
  }
  if (options.length === 0) return undefined;
  return options.length === 1 ? options[0] : { bool: { should: options, minimum_should_match: 1 } };
}

/** True when every query word (or the SKU) matched without fuzziness, from a hit's named queries. */
export function matchedExactly(matched: string[] | undefined, wordCount: number): boolean {
  const names = new Set(matched ?? []);
  if (names.has('sku')) return true;
  for (let i = 0; i < wordCount; i++) if (!names.has(exactName(i))) return false;
  return true;
}

/** Text + filters + in-stock multiplier (rule 8) + popularity tie-break (rule 9). */
export function buildQuery(text: string, filters: SearchFilters): Query {
  const filter = buildFilters(filters);
  const textQuery = buildTextQuery(text);
  if (textQuery === undefined) return { bool: { filter } };
  return {
    function_score: {
      query: {
        function_score: {
          query: { bool: { must: textQuery, filter } },
          functions: [
            {
              field_value_factor: { field: 'popularity', modifier: 'log1p', missing: 0 },
              weight: WEIGHTS.popularity,
            },
          ],
          boost_mode: 'sum',
        },
      },
      functions: [{ filter: { term: { in_stock: false } }, weight: WEIGHTS.outOfStock }],
      boost_mode: 'multiply',
    },
  };
}

/** Sort clauses: every order ends on `sku` so pages are stable. */
export function buildSort(
  q: Pick<SearchQuery, 'sort' | 'lang'>,
  browse: boolean,
): estypes.SortCombinations[] {
  const first: Record<SearchSort, estypes.SortCombinations> = {
    relevance: browse ? { popularity: 'desc' } : { _score: { order: 'desc' } },
    price_asc: { price_vnd: 'asc' },
    price_desc: { price_vnd: 'desc' },
    name: { [`name_${q.lang}.sort`]: 'asc' },
    newest: { created_at: 'desc' },
    popular: { popularity: 'desc' },
  };
  return [first[q.sort], { sku: 'asc' }];
}

/** Facet aggregations over the matching documents. */
export function buildAggs(): Record<string, estypes.AggregationsAggregationContainer> {
  const order: estypes.AggregationsAggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];
  return {
    category: { terms: { field: 'category_id', size: 50, order } },
    dietary: { terms: { field: 'dietary', size: 20, order } },
    brand: { terms: { field: 'brand', size: 20, order } },
    price: {
      range: {
        field: 'price_vnd',
        ranges: PRICE_EDGES.map((from, i) => ({ key: String(from), from, to: PRICE_EDGES[i + 1] })),
      },
    },
  };
}

/** Facets from the aggregations of {@link buildAggs} (terms and range buckets, in order). */
export function readFacets(aggs: Record<string, estypes.AggregationsAggregate> | undefined): EngineFacets {
  const buckets = (agg: estypes.AggregationsAggregate | undefined): FacetBucket[] => {
    const list: { key?: unknown; doc_count: number }[] =
      agg !== undefined && 'buckets' in agg && Array.isArray(agg.buckets) ? agg.buckets : [];
    return list.map((b) => ({ value: String(b.key), count: b.doc_count }));
  };
  return {
    category: buckets(aggs?.category),
    dietary: buckets(aggs?.dietary),
    brand: buckets(aggs?.brand),
    price: buckets(aggs?.price),
  };
}

/**
 * Typeahead: a name (either language) holding the typed words adjacent and in order, the last
 * as a folded prefix; each word matching with its accents scores 1.
 */
export function buildTypeaheadQuery(prefix: string): Query | undefined {
  const words = queryWords(prefix);
  if (words.length === 0) return undefined;
  const lastIndex = words.length - 1;
  const inName = (field: string): Query => {
    const last = fold(words[lastIndex] ?? '').slice(0, MAX_PREFIX);
    if (words.length === 1) return { term: { [`${field}.prefix`]: last } };
    const clauses: estypes.QueryDslSpanQuery[] = words.slice(0, lastIndex).map((w) => ({
      span_term: { [`${field}.folded`]: fold(w) },
    }));
    clauses.push({
      span_field_masking: { query: { span_term: { [`${field}.prefix`]: last } }, field: `${field}.folded` },
    });
    return { span_near: { clauses, slop: 0, in_order: true } };
  };
  const accents = words.flatMap((w, i): Query[] => {
    if (!hasDiacritics(w)) return [];
    const exact = (field: string): Query =>
      i === lastIndex ? { prefix: { [field]: w } } : { term: { [field]: w } };
    return [scored({ bool: { should: NAMES.map(exact) } }, 1)];
  });
  return {
    bool: {
      filter: [{ term: { deleted: false } }, { bool: { should: NAMES.map(inName) } }],
      should: accents,
    },
  };
}

/**
 * Term suggesters for did-you-mean: words with diacritics are corrected against the accented
 * fields first, every word against the folded fields.
 */
export function buildDidYouMean(words: string[]): estypes.SearchSuggester {
  const term = (field: string): estypes.SearchTermSuggester => ({
    field,
    suggest_mode: 'missing',
    max_edits: 2,
    prefix_length: 0,
    min_word_length: 4,
    size: 1,
  });
  const out: estypes.SearchSuggester = {};
  for (const field of [...NAMES, 'brand.text']) {
    out[`a_${field}`] = { text: words.join(' '), term: term(field) };
  }
  for (const field of [...fieldsOf('.folded'), 'brand.folded']) {
    out[`f_${field}`] = { text: words.map(fold).join(' '), term: term(field) };
  }
  return out;
}

/**
 * The query with misspelt words replaced by the suggesters' best option (for words typed with
 * diacritics the accented fields' option first), or undefined when no word changed.
 */
export function readDidYouMean(
  words: string[],
  suggest: Record<string, estypes.SearchSuggest[]> | undefined,
): string | undefined {
  const best = new Map<string, estypes.SearchTermSuggestOption>();
  for (const [name, entries] of Object.entries(suggest ?? {})) {
    for (const entry of entries) {
      const option = ('options' in entry ? [entry.options].flat() : [])[0] as
        estypes.SearchTermSuggestOption | undefined;
      const key = `${name[0]}:${entry.text}`; // a: accented, f: folded
      const seen = best.get(key);
      if (
        option &&
        (!seen || option.score > seen.score || (option.score === seen.score && option.freq > seen.freq))
      )
        best.set(key, option);
    }
  }
  const out = words.map(
    (w) => (hasDiacritics(w) ? best.get(`a:${w}`) : undefined)?.text ?? best.get(`f:${fold(w)}`)?.text ?? w,
  );
  return out.some((w, i) => w !== words[i]) ? out.join(' ') : undefined;
}
