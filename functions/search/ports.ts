/**
 * The search port: what the search function needs from an engine. Two adapters implement it —
 * Elasticsearch (production) and PostgreSQL (embedded default) — and one relevance suite holds
 * both to the same behaviour.
 */
import type { ProductSnapshot } from '../../events';
import type { DocPromotion } from './promotions';

/** One product as the engines index it (only `active` products are indexed). */
export interface SearchDocument {
  sku: string;
  name_en: string;
  name_vi: string;
  description_en: string;
  description_vi: string;
  brand: string;
  /** Leaf category id. */
  category_id: string;
  /** Category ids root → leaf (filter by any ancestor). */
  category_ids: string[];
  category_names_en: string[];
  category_names_vi: string[];
  price_vnd: number;
  unit: ProductSnapshot['unit'];
  size: number;
  sold_by: ProductSnapshot['sold_by'];
  dietary: string[];
  tags: string[];
  is_perishable: boolean;
  image_url: string | null;
  in_stock: boolean;
  expires_soon: boolean;
  /**
   * Automatic promotions covering the product that have not ended, with their schedules (kept by
   * the store from the promotions projection; a search shows only those live at its time).
   */
  promotions: DocPromotion[];
  /** Units sold recently; a small tie-break in relevance and the `popular` sort. */
  popularity: number;
  created_at: string;
  /** The catalog version; an engine never replaces a document with a lower version. */
  version: number;
}

/** Sort orders of search results. */
export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'name', 'newest', 'popular'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Filters shared by search and facets (all optional; arrays mean "all of" for dietary/tags, "any of" for brand). */
export interface SearchFilters {
  /** A category id; matches it and its descendants. */
  category?: string;
  dietary: string[];
  tags: string[];
  brand: string[];
  price_min?: number;
  price_max?: number;
  is_perishable?: boolean;
  expires_soon?: boolean;
  in_stock?: boolean;
  /** True: only products with a promotion live now; false: only those without. */
  on_promotion?: boolean;
}

/** A validated query as the engines receive it. */
export interface SearchQuery {
  /** NFC-normalised, trimmed, whitespace-collapsed; empty means "browse" (filters only). */
  text: string;
  lang: 'en' | 'vi';
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
}

/** One hit as an engine returns it. */
export interface EngineHit {
  doc: SearchDocument;
  score: number;
}

/** A facet bucket. */
export interface FacetBucket {
  value: string;
  count: number;
}

/** Price bucket edges in VND (lower bound inclusive): [0, 20k), [20k, 50k), … [500k, ∞). */
export const PRICE_EDGES = [0, 20_000, 50_000, 100_000, 200_000, 500_000] as const;

/** Facet counts over every document matching the query and filters. */
export interface EngineFacets {
  /** Counts per leaf category id. */
  category: FacetBucket[];
  dietary: FacetBucket[];
  brand: FacetBucket[];
  /** Counts per price bucket, keyed by the bucket's lower edge as a string. */
  price: FacetBucket[];
}

/** What an engine answers for one query. */
export interface EngineResult {
  hits: EngineHit[];
  total: number;
  facets: EngineFacets;
  /** A corrected query when the engine found a clearly better spelling. */
  suggestion?: string;
}

/** One typeahead entry. */
export interface Suggestion {
  sku: string;
  name_en: string;
  name_vi: string;
  category_id: string;
}

/** A document as stored in `search.documents` (the canonical copy) and pushed to an engine. */
export interface IndexedDocument extends SearchDocument {
  /**
   * Increases with every write to the document (a database sequence): an engine keeps the highest
   * revision it has seen, so writes may arrive late, twice or out of order.
   */
  revision: number;
  /** A tombstone: the product is deleted or not active; searches never return it. */
  deleted: boolean;
}

/** Progress of a rebuild. */
export interface RebuildProgress {
  indexed: number;
}

/**
 * A search engine. PostgreSQL searches `search.documents` directly (its writes are no-ops);
 * Elasticsearch keeps an index fed from those rows, versioned by `revision`.
 */
export interface SearchEngine {
  readonly name: 'postgres' | 'elasticsearch';
  search(query: SearchQuery): Promise<EngineResult>;
  /** Up to `limit` active products whose names start with the typed words (either language, accents optional). */
  suggest(prefix: string, limit: number): Promise<Suggestion[]>;
  /** Makes these documents current in the engine (a lower revision than stored is ignored). */
  index(docs: IndexedDocument[]): Promise<void>;
  /**
   * Rebuilds the engine's index from every stored document without downtime: searches keep
   * answering from the old index, and `index` calls made meanwhile reach the new one too.
   */
  rebuild(
    batches: AsyncIterable<IndexedDocument[]>,
    onProgress?: (p: RebuildProgress) => void,
  ): Promise<RebuildProgress>;
  /** Makes recent writes visible to searches (tests and the reindex command). */
  refresh(): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
}
