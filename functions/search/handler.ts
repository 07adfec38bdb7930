/**
 * Search: `GET /search` and `GET /search/suggest` over the configured engine, and the indexer that
 * keeps `search.documents` (and the engine) current from catalog, inventory and promotion events.
 */
import type { Pool } from 'pg';
import {
  productCreated,
  productDeleted,
  productUpdated,
  promotionActivated,
  promotionChanged,
  promotionEnded,
  stockChanged,
  stockExpiring,
  type DataOf,
  type TuoiCloudEvent,
} from '../../events';
import type { Tx } from '../shared/db';
import { ValidationError } from '../shared/errors';
import type { EventHandler } from '../shared/eventing/consumer';
import { route, type Route } from '../shared/http';
import { encodeCursor, queryFingerprint, toFacetsView, toHitView, toSearchDocument } from './domain';
import { MAX_QUERY_CHARS, parseSearchParams, SearchQueryDoc, SuggestQueryDoc } from './params';
import type { EngineResult, IndexedDocument, SearchEngine } from './ports';
import { indexPromotionChange } from './promotion-indexer';
import type { PromotionStore } from './promotion-store';
import type { ResultCache } from './result-cache';
import type { DocumentStore } from './store';
import { normalizeText, tokenize } from './text';
import { SearchResultView, SuggestView } from './views';

/** What the search handlers need. */
export interface SearchDeps {
  pool: Pool;
  store: DocumentStore;
  /** The promotions projection (badges and the `on_promotion` filter). */
  promotions: PromotionStore;
  engine: SearchEngine;
  /** Category labels, reloaded at most every `ttlMs`. */
  categories: CategoryCache;
  /** Answers of the engine while the index has not changed. */
  results: ResultCache;
}

/** Category names by id, cached with a reload on a miss (new categories arrive with products). */
export interface CategoryCache {
  get(): Promise<Map<string, { name_en: string; name_vi: string }>>;
  has(id: string): Promise<boolean>;
}

/** A category cache over the store. */
export function categoryCache(pool: Pool, store: DocumentStore, ttlMs = 60_000): CategoryCache {
  let cached: { at: number; map: Map<string, { name_en: string; name_vi: string }> } | undefined;
  const load = async (force = false) => {
    if (!cached || force || Date.now() - cached.at > ttlMs)
      cached = { at: Date.now(), map: await store.categories(pool) };
    return cached.map;
  };
  return {
    get: () => load(),
    async has(id) {
      return (await load()).has(id) || (await load(true)).has(id);
    },
  };
}

const emptyResult = (): EngineResult => ({
  hits: [],
  total: 0,
  facets: { category: [], dietary: [], brand: [], price: [] },
});

/** HTTP routes of the search function. */
export function searchRoutes(deps: SearchDeps): Route[] {
  return [
    route({
      method: 'GET',
      path: '/search',
      doc: {
        summary: 'Search active products by text and filters, with facets',
        description:
          'An empty q browses by the filters. An unknown parameter or category, or a foreign cursor, is a ' +
          '400; results beyond the first 10,000 are not paged.',
        query: SearchQueryDoc,
        problems: [400],
        responses: {
          200: {
            description:
              'One page of hits with facets over every match; next_cursor is null on the last page',
            headers: { 'x-cache': 'hit or miss: whether the answer came from the result cache' },
            body: SearchResultView,
          },
        },
      },
      async handle(req) {
        const started = process.hrtime.bigint();
        const now = Date.now(); // promotions show while live at this instant
        const raw = req.query as Record<string, string>;
        const category = raw.category;
        const known = category !== undefined && (await deps.categories.has(category));
        const query = parseSearchParams(raw, { lang: req.lang, knownCategory: () => known });
        const empty = query.text !== '' && tokenize(query.text).length === 0;
        // Engines use the language only to sort by name: other answers are shared by both languages.
        const key = {
          ...query,
          text: query.text.toLowerCase(),
          lang: query.sort === 'name' ? query.lang : '',
        };
        const answer = empty
          ? { value: emptyResult(), hit: false }
          : await deps.results.get(`s:${JSON.stringify(key)}`, () => deps.engine.search(query));
        const result = answer.value;
        const next = query.offset + query.limit;
        return {
          status: 200,
          headers: { 'cache-control': 'public, max-age=5', 'x-cache': answer.hit ? 'hit' : 'miss' },
          body: {
            q: query.text,
            total: result.total,
            hits: result.hits.map((h) => toHitView(h, req.lang, now)),
            facets: toFacetsView(result.facets, req.lang, await deps.categories.get()),
            ...('suggestion' in result && result.suggestion ? { did_you_mean: result.suggestion } : {}),
            next_cursor: next < result.total ? encodeCursor(next, queryFingerprint(query)) : null,
            engine: deps.engine.name,
            took_ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/search/suggest',
      doc: {
        summary: 'Typeahead: active products whose names start with the typed words',
        description: 'Either language, accents optional; an unknown parameter is a 400.',
        query: SuggestQueryDoc,
        problems: [400],
        responses: {
          200: {
            description: 'Up to `limit` suggestions',
            headers: { 'x-cache': 'hit or miss: whether the answer came from the result cache' },
            body: SuggestView,
          },
        },
      },
      async handle(req) {
        const raw = req.query as Record<string, string>;
        const extra = Object.keys(raw).filter((k) => k !== 'q' && k !== 'lang' && k !== 'limit');
        const q = normalizeText(raw.q ?? '');
        const limit = raw.limit === undefined ? 10 : Number(raw.limit);
        const errors = [
          ...extra.map((k) => ({ field: `/${k}`, code: 'unknown', message: `unknown parameter ${k}` })),
          ...([...q].length > MAX_QUERY_CHARS
            ? [{ field: '/q', code: 'maxLength', message: `at most ${MAX_QUERY_CHARS} characters` }]
            : []),
          ...(!Number.isInteger(limit) || limit < 1 || limit > 10
            ? [{ field: '/limit', code: 'range', message: 'from 1 to 10' }]
            : []),
        ];
        if (errors.length) throw new ValidationError('The suggest parameters are not valid', errors);
        const found = await deps.results.get(`t:${limit}:${q.toLowerCase()}`, () =>
          deps.engine.suggest(q, limit),
        );
        return {
          status: 200,
          headers: { 'cache-control': 'public, max-age=30', 'x-cache': found.hit ? 'hit' : 'miss' },
          body: {
            q,
            suggestions: found.value.map((s) => ({
              sku: s.sku,
              name: req.lang === 'vi' ? s.name_vi : s.name_en,
              name_en: s.name_en,
              name_vi: s.name_vi,
              category_id: s.category_id,
            })),
          },
        };
      },
    }),
  ];
}

/** The indexer: one handler per consumed event type; engine writes happen before the commit. */
export function indexerHandlers(
  deps: Pick<SearchDeps, 'store' | 'promotions' | 'engine'>,
): Record<string, EventHandler> {
  const push = async (docs: IndexedDocument[]) => {
    if (docs.length) await deps.engine.index(docs);
  };
  const onProduct = async (event: TuoiCloudEvent, tx: Tx) => {
    const product = event.data as DataOf<typeof productCreated>;
    await push(await deps.store.upsertProducts(tx, [{ product, doc: toSearchDocument(product) }]));
  };
  const onAnnouncement = async (event: TuoiCloudEvent, tx: Tx) => {
    const announcement = event.data as DataOf<typeof promotionActivated>;
    await push(await indexPromotionChange(tx, deps, { kind: 'announce', announcement }));
  };
  return {
    [productCreated.type]: onProduct,
    [productUpdated.type]: onProduct,
    [productDeleted.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof productDeleted>;
      await push(await deps.store.removeProduct(tx, data.sku, data.version));
    },
    [stockChanged.type]: async (event, tx) => {
      await push(await deps.store.applyStock(tx, event.data as DataOf<typeof stockChanged>));
    },
    [stockExpiring.type]: async (event, tx) => {
      await push(await deps.store.applyExpiring(tx, event.data as DataOf<typeof stockExpiring>));
    },
    [promotionActivated.type]: onAnnouncement,
    [promotionChanged.type]: onAnnouncement,
    [promotionEnded.type]: async (event, tx) => {
      const { id, version } = event.data as DataOf<typeof promotionEnded>;
      await push(await indexPromotionChange(tx, deps, { kind: 'end', id, version }));
    },
  };
}
