/**
 * Public reads of the catalog: listings with filters and keyset cursors, one product (read-through
 * cache), popular products, products on promotion, the category tree; plus the staff export the
 * search reindex reads. Every GET answers with an entity tag and 304 to a matching If-None-Match.
 */
import { Type } from '@sinclair/typebox';
import type { Pool } from 'pg';
import { SKU_PATTERN } from '../../events';
import { guarded, hasScope, type Verifier } from '../shared/auth/verifier';
import { NotFoundError, ValidationError } from '../shared/errors';
import type { HttpRequest, HttpResponse, Route } from '../shared/http';
import { validate } from '../shared/validate';
import type { ProductCache } from './cache';
import { encodeCursor } from './cursor';
import type { DailyRefresher } from './daily';
import type { PromotedList } from './promoted';
import { ifNoneMatchHits, productEtag, toSnapshot } from './domain';
import {
  ExportQueryDoc,
  LangOnlyQuery,
  ListQueryDoc,
  parseExportQuery,
  parseListQuery,
  PopularQueryDoc,
  PromotedQueryDoc,
  QueryReader,
} from './params';
import type { CatalogStore, Category } from './store';
import type { CardRow, ListingStore } from './store-listing';
import {
  bodyEtag,
  CategoryNodeView,
  PopularCardView,
  ProductCardView,
  ProductSnapshotView,
  ProductView,
  PromotedCardView,
  toCard,
  toCategoryTree,
  toProductView,
  toPromotedCard,
} from './views';
import { toCached } from './writes';

/** What the read routes need. */
export interface ReadDeps {
  pool: Pool;
  store: CatalogStore;
  listing: ListingStore;
  cache: ProductCache;
  daily: DailyRefresher;
  /** Products on promotion, memoised (promoted.ts). */
  promoted: Pick<PromotedList, 'get'>;
}

const SkuParam = Type.Object({ sku: Type.String({ pattern: SKU_PATTERN }) });
const NO_FILTERS = { dietary: [], tags: [], brand: [] };

const CACHED = {
  etag: 'A strong tag of the body; send it back in If-None-Match for a 304',
  'cache-control': 'How long shared caches may keep it',
};
const NOT_MODIFIED = ' Answers 304 with no body when If-None-Match holds the current tag.';
/** The 304 of a cacheable read and the header that asks for it. */
const NOT_MODIFIED_RESPONSE = {
  description: 'Not modified: the ETag in If-None-Match is current',
  empty: true,
  headers: CACHED,
};
const IF_NONE_MATCH = {
  'If-None-Match': { description: 'An ETag of an earlier answer: 304 with no body when it is still current' },
};
const LocalisedCategory = Type.Object({
  id: Type.String(),
  name: Type.String(),
  name_en: Type.String(),
  name_vi: Type.String(),
});

const queryOf = (req: HttpRequest<unknown, unknown>) => req.query as Record<string, string>;
const named = (c: Category, lang: 'en' | 'vi') => ({
  id: c.id,
  name: lang === 'vi' ? c.name_vi : c.name_en,
  name_en: c.name_en,
  name_vi: c.name_vi,
});
const withUnits = (r: CardRow, lang: 'en' | 'vi') => ({ ...toCard(r, lang), units_sold_7d: r.units_sold_7d });

/** Aggregates behind the home page (category counts, best sellers) are shared for this long. */
export const AGGREGATE_TTL_MS = 5_000;
/** Seconds clients and shared caches may keep the promoted list: promotions end by the minute. */
export const PROMOTED_MAX_AGE_S = 15;

/** Memoises an async result for `ttlMs`; a failed load is forgotten at once. */
export function shortLived<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttlMs) {
      const value = load();
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

/** A cacheable JSON answer: strong tag of the body, 304 when the client has it. */
function tagged(req: HttpRequest<unknown, unknown>, body: unknown, maxAge: number): HttpResponse {
  const headers = {
    etag: bodyEtag(body),
    'cache-control': `public, max-age=${maxAge}`,
    vary: 'accept-language',
  };
  if (ifNoneMatchHits(req.headers['if-none-match'], headers.etag)) return { status: 304, headers };
  return { status: 200, headers, body };
}

/** Public read routes and the staff export. Literal paths come before `/products/:sku`. */
export function readRoutes(deps: ReadDeps, check: Verifier): Route[] {
  const knownCategory = async (id: string) => {
    const category = await deps.store.category(deps.pool, id);
    if (!category)
      throw new ValidationError('The query parameters are not valid', [
        { field: '/category', code: 'exists', message: `no category ${JSON.stringify(id)}` },
      ]);
    return category;
  };

  const categoryCounts = shortLived(AGGREGATE_TTL_MS, () => deps.store.activeCountsByCategory(deps.pool));
  const bestByRoot = new Map<number, () => ReturnType<ListingStore['popularByRoot']>>();
  const popularByRoot = (limit: number) => {
    let load = bestByRoot.get(limit);
    if (!load) {
      load = shortLived(AGGREGATE_TTL_MS, () => deps.listing.popularByRoot(deps.pool, limit));
      bestByRoot.set(limit, load);
    }
    return load();
  };

  return [
    {
      method: 'GET',
      path: '/products',
      doc: {
        summary: 'Live products as cards, filtered, sorted and paged',
        description: 'An unknown parameter or category, or a foreign cursor, is a 400.' + NOT_MODIFIED,
        query: ListQueryDoc,
        headers: IF_NONE_MATCH,
        problems: [400],
        responses: {
          200: {
            description: 'One page of cards; next_cursor is null on the last page',
            headers: CACHED,
            body: Type.Object({
              items: Type.Array(ProductCardView),
              next_cursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
          304: NOT_MODIFIED_RESPONSE,
        },
      },
      async handle(req) {
        const q = parseListQuery(queryOf(req), req.lang);
        if (q.filters.category !== undefined) await knownCategory(q.filters.category);
        deps.daily.kick();
        const { rows, more } = await deps.listing.list(deps.pool, q);
        const last = rows[rows.length - 1];
        const body = {
          items: rows.map((r) => toCard(r, req.lang)),
          next_cursor:
            more && last ? encodeCursor({ key: last.sort_key, sku: last.sku }, q.fingerprint) : null,
        };
        return tagged(req, body, 30);
      },
    },
    {
      method: 'GET',
      path: '/products/popular',
      doc: {
        summary: 'Best sellers of the last seven days, by root category or in one category',
        description:
          'With a category: its best sellers; without: the best sellers of every root category.' +
          NOT_MODIFIED,
        query: PopularQueryDoc,
        headers: IF_NONE_MATCH,
        problems: [400],
        responses: {
          200: {
            description:
              'With `category`: that category and its items; without: every root category with its items',
            headers: CACHED,
            body: Type.Union([
              Type.Object({ category: LocalisedCategory, items: Type.Array(PopularCardView) }),
              Type.Object({
                categories: Type.Array(
                  Type.Composite([LocalisedCategory, Type.Object({ items: Type.Array(PopularCardView) })]),
                ),
              }),
            ]),
          },
          304: NOT_MODIFIED_RESPONSE,
        },
      },
      async handle(req) {
        const r = new QueryReader(queryOf(req), ['category', 'limit']);
        const id = r.category();
        const limit = r.int('limit', 1, 50, id ? 10 : 5);
        r.done();
        deps.daily.kick();
        if (id !== undefined) {
          const category = await knownCategory(id);
          const filters = { ...NO_FILTERS, category: id };
          const page = await deps.listing.list(deps.pool, {
            filters,
            sort: 'popular',
            lang: req.lang,
            limit,
            soldOnly: true,
          });
          const body = {
            category: named(category, req.lang),
            items: page.rows.map((x) => withUnits(x, req.lang)),
          };
          return tagged(req, body, 60);
        }
        const [categories, rows] = await Promise.all([
          deps.store.categories(deps.pool),
          popularByRoot(limit),
        ]);
        const body = {
          categories: categories
            .filter((c) => c.parent_id === null)
            .map((c) => ({
              ...named(c, req.lang),
              items: rows.filter((x) => x.root_id === c.id).map((x) => withUnits(x, req.lang)),
            })),
        };
        return tagged(req, body, 60);
      },
    },
    {
      method: 'GET',
      path: '/products/promoted',
      doc: {
        summary: 'Live products on a live automatic promotion, with its badges',
        description: NOT_MODIFIED.trim(),
        query: PromotedQueryDoc,
        headers: IF_NONE_MATCH,
        problems: [400],
        responses: {
          200: {
            description: 'Promoted cards',
            headers: CACHED,
            body: Type.Object({ items: Type.Array(PromotedCardView) }),
          },
          304: NOT_MODIFIED_RESPONSE,
        },
      },
      /** Live products covered by live, automatic promotions, each with the promotions' badges. */
      async handle(req) {
        const r = new QueryReader(queryOf(req), ['limit']);
        const limit = r.int('limit', 1, 100, 24);
        r.done();
        const rows = await deps.promoted.get(limit);
        return tagged(req, { items: rows.map((x) => toPromotedCard(x, req.lang)) }, PROMOTED_MAX_AGE_S);
      },
    },
    guarded(
      check,
      { scope: 'catalog:export' },
      {
        method: 'GET',
        path: '/products/export',
        doc: {
          summary: 'Every product in SKU order, for the search reindex',
          description: 'Includes drafts and discontinued products; next_after is null on the last page.',
          query: ExportQueryDoc,
          problems: [400],
          responses: {
            200: {
              description: 'One page of published products with their recent sales',
              body: Type.Object({
                items: Type.Array(
                  Type.Object({ product: ProductSnapshotView, units_sold_7d: Type.Integer() }),
                ),
                next_after: Type.Union([Type.String(), Type.Null()]),
              }),
            },
          },
        },
        async handle(req) {
          const { after, limit } = parseExportQuery(queryOf(req));
          const rows = await deps.listing.exportPage(deps.pool, after, limit);
          const last = rows[rows.length - 1];
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: {
              items: rows.map((p) => ({
                product: toSnapshot(p, p.category_path),
                units_sold_7d: p.units_sold_7d,
              })),
              next_after: rows.length === limit && last ? last.sku : null,
            },
          };
        },
      },
    ),
    {
      method: 'GET',
      path: '/products/:sku',
      auth: {
        required: false,
        note: 'anyone sees active products; drafts and discontinued ones only a caller with catalog:write',
      },
      doc: {
        summary: 'A product by SKU',
        description:
          'A draft or discontinued product is a 404 unless the token carries catalog:write; the token is ' +
          'read only for those, and a forged or expired one is then a 401.' +
          NOT_MODIFIED,
        responses: {
          200: {
            description: "The full product in the request's language",
            headers: {
              etag: 'The version, language and stock flags of the product',
              'x-cache': 'hit or miss: whether the product came from the read cache',
            },
            body: ProductView,
          },
          304: {
            description: 'Not modified: the ETag in If-None-Match is current',
            empty: true,
            headers: { etag: 'The version, language and stock flags of the product' },
          },
        },
        query: LangOnlyQuery,
        headers: IF_NONE_MATCH,
        problems: [401, 404],
      },
      async handle(req) {
        new QueryReader(queryOf(req), []).done();
        const { sku } = validate(SkuParam, req.params, 'path');
        deps.daily.kick();
        let cached = await deps.cache.get(sku);
        const hit = cached !== undefined;
        if (!cached) {
          const product = await deps.store.product(deps.pool, sku);
          if (!product) throw new NotFoundError(`No product ${sku}`);
          cached = toCached(product);
          await deps.cache.set(sku, cached);
        }
        const active = cached.product.status === 'active';
        // Drafts and discontinued products exist only for staff (a customer's token is fine here,
        // it just does not reveal them; a forged or expired one is a 401).
        if (!active && !hasScope(await check.optional(req.headers), 'catalog:write'))
          throw new NotFoundError(`No product ${sku}`);
        const headers = {
          etag: productEtag(sku, cached.product.version, req.lang, cached),
          'cache-control': active ? 'public, max-age=30' : 'private, no-store',
          vary: 'accept-language',
          'x-cache': hit ? 'hit' : 'miss',
        };
        if (ifNoneMatchHits(req.headers['if-none-match'], headers.etag)) return { status: 304, headers };
        return { status: 200, headers, body: toProductView(cached, req.lang) };
      },
    },
    {
      method: 'GET',
      path: '/categories',
      doc: {
        summary: 'The category tree with counts of active products',
        description: 'A product counts in its category and every category above it.' + NOT_MODIFIED,
        responses: {
          200: {
            description: 'The root categories, each with its children',
            headers: CACHED,
            body: Type.Object({ categories: Type.Array(CategoryNodeView) }),
          },
          304: NOT_MODIFIED_RESPONSE,
        },
        query: LangOnlyQuery,
        headers: IF_NONE_MATCH,
        problems: [400],
      },
      async handle(req) {
        new QueryReader(queryOf(req), []).done();
        const [categories, counts] = await Promise.all([deps.store.categories(deps.pool), categoryCounts()]);
        return tagged(req, { categories: toCategoryTree(categories, counts, req.lang) }, 60);
      },
    },
  ];
}
