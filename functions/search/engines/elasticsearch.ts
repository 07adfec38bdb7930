/**
 * The Elasticsearch search engine. Searches read the alias `<alias>` (one concrete index
 * `<alias>-<n>`); a rebuild loads a new index behind `<alias>-building` and swaps the read alias
 * atomically. Documents are versioned by their revision (`external_gte`), so writes may arrive
 * late, twice or out of order and every index ends at each document's highest revision.
 */
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { pingElasticsearch } from '../../shared/clients/elasticsearch';
import type {
  EngineFacets,
  FacetBucket,
  IndexedDocument,
  RebuildProgress,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  Suggestion,
} from '../ports';
import { fold, hasDiacritics } from '../text';
import {
  buildAggs,
  buildDidYouMean,
  buildQuery,
  buildSort,
  buildTextQuery,
  buildTypeaheadQuery,
  indexBody,
  matchedExactly,
  queryWords,
  STORED_ONLY,
  type StoredDocument,
  toSource,
} from './elasticsearch-mapping';

/** Options for {@link createElasticsearchEngine}. */
export interface ElasticsearchEngineOptions {
  /** The client; the engine never closes it (its creator owns it). */
  client: Client;
  /** Read alias (default `tuoi-products`); concrete indices are `<alias>-<n>`. */
  alias?: string;
  /** Primary shards of new indices (default 1). */
  shards?: number;
  /** Replicas of new indices once loaded (default 0, a single node). */
  replicas?: number;
  /** Documents per bulk request (default 2000). */
  bulkSize?: number;
  /** Bulk requests in flight during a rebuild (default 2). */
  bulkConcurrency?: number;
  /**
   * How long the indices behind the aliases are cached for writes (default 1000 ms). A rebuild
   * waits this long after attaching the building alias before reading batches, and again
   * before deleting the old index, so writers in other processes have seen both changes.
   */
  aliasCacheMs?: number;
}

type Hit = estypes.SearchHit<SearchDocument>;
type Aggregates = Record<string, estypes.AggregationsAggregate>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The error type Elasticsearch reported (`index_not_found_exception`, ...), if any. */
function errorType(e: unknown): string | undefined {
  if (!(e instanceof errors.ResponseError)) return undefined;
  const body: unknown = e.body;
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error: unknown = body.error;
  return typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : undefined;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Bulk-index operations for these documents into every index, versioned by revision. */
function writeOperations(
  docs: IndexedDocument[],
  indices: string[],
): (estypes.BulkOperationContainer | StoredDocument)[] {
  return docs.flatMap((doc) =>
    indices.flatMap((index) => [
      {
        index: { _index: index, _id: doc.sku, version: doc.revision, version_type: 'external_gte' as const },
      },
      toSource(doc),
    ]),
  );
}

/** Buckets of a terms or range aggregation. */
function buckets(agg: estypes.AggregationsAggregate | undefined): FacetBucket[] {
  const list = agg !== undefined && 'buckets' in agg && Array.isArray(agg.buckets) ? agg.buckets : [];
  return list.map((b: { key?: unknown; doc_count: number }) => ({
    value: String(b.key),
    count: b.doc_count,
  }));
}

function facetsOf(aggs: Aggregates | undefined): EngineFacets {
  return {
    category: buckets(aggs?.category),
    dietary: buckets(aggs?.dietary),
    brand: buckets(aggs?.brand),
    price: buckets(aggs?.price),
  };
}

/**
 * The query with misspelt words replaced by the term suggesters' best option (accented fields
 * first for words typed with diacritics), or undefined when no word changed.
 */
export function correctedQuery(
  words: string[],
  suggest: Record<string, estypes.SearchSuggest[]> | undefined,
): string | undefined {
  const best = new Map<string, estypes.SearchTermSuggestOption>();
  for (const [name, entries] of Object.entries(suggest ?? {})) {
    for (const entry of entries) {
      const options = 'options' in entry ? [entry.options].flat() : [];
      const option = options[0] as estypes.SearchTermSuggestOption | undefined;
      const key = `${name[0]}:${entry.text}`;
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

/** Creates the Elasticsearch engine over `opts.alias` (see the module comment). */
export function createElasticsearchEngine(opts: ElasticsearchEngineOptions): SearchEngine {
  const { client } = opts;
  const alias = opts.alias ?? 'tuoi-products';
  const building = `${alias}-building`;
  const shards = opts.shards ?? 1;
  const replicas = opts.replicas ?? 0;
  const bulkSize = opts.bulkSize ?? 2000;
  const bulkConcurrency = opts.bulkConcurrency ?? 2;
  const cacheMs = opts.aliasCacheMs ?? 1000;
  let cached: { at: number; targets: Promise<string[]> } | undefined;

  /** Concrete indices behind the read alias and behind the building alias. */
  async function aliasIndices(): Promise<{ read: string[]; building: string[] }> {
    const res = await client.indices.getAlias({ name: [alias, building] }, { ignore: [404] });
    const out = { read: [] as string[], building: [] as string[] };
    for (const [index, value] of Object.entries(res)) {
      const aliases = (value as { aliases?: Record<string, unknown> }).aliases;
      if (aliases?.[alias] !== undefined) out.read.push(index);
      if (aliases?.[building] !== undefined) out.building.push(index);
    }
    return out;
  }

  /** Creates the first index with the read alias; a concurrent creator winning is fine. */
  async function createInitialIndex(): Promise<void> {
    try {
      await client.indices.create({
        index: `${alias}-0`,
        aliases: { [alias]: {} },
        ...indexBody({ shards, replicas, loading: false }),
      });
    } catch (e) {
      if (errorType(e) !== 'resource_already_exists_exception') throw e;
    }
    cached = undefined;
  }

  /** Runs a request against the read alias, creating the first index when there is none. */
  async function withIndex<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      if (errorType(e) !== 'index_not_found_exception') throw e;
      await createInitialIndex();
      return request();
    }
  }

  async function resolveTargets(): Promise<string[]> {
    let found = await aliasIndices();
    if (found.read.length === 0) {
      await createInitialIndex();
      found = await aliasIndices();
      if (found.read.length === 0)
        throw new Error(`alias ${alias} is missing and ${alias}-0 exists without it`);
    }
    return [...new Set([...found.read, ...found.building])];
  }

  /** Every index a write must reach (read + building), cached for `aliasCacheMs`. */
  function targets(): Promise<string[]> {
    if (cached === undefined || Date.now() - cached.at >= cacheMs) {
      const entry = { at: Date.now(), targets: resolveTargets() };
      entry.targets.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.targets;
  }

  /**
   * One bulk request. Version conflicts (an older revision arriving late) are ignored; returns
   * true when an index had vanished (a rebuild just deleted it); any other failure throws.
   */
  async function bulkWrite(docs: IndexedDocument[], indices: string[]): Promise<boolean> {
    const res = await client.bulk({ operations: writeOperations(docs, indices) });
    if (!res.errors) return false;
    let missing = false;
    const failures: string[] = [];
    for (const item of res.items) {
      const r = item.index;
      if (r?.error === undefined || r.status === 409) continue;
      if (r.error.type === 'index_not_found_exception') missing = true;
      else failures.push(`${r._id ?? '?'} in ${r._index}: ${r.error.type}: ${r.error.reason ?? ''}`);
    }
    if (failures.length > 0) {
      throw new Error(`Elasticsearch rejected ${failures.length} document(s), first ${failures[0]}`);
    }
    return missing;
  }

  async function didYouMean(query: SearchQuery, total: number): Promise<string | undefined> {
    const words = queryWords(query.text);
    if (words.length === 0) return undefined;
    const res = await client.search({ index: alias, size: 0, suggest: buildDidYouMean(words) });
    const corrected = correctedQuery(words, res.suggest);
    if (corrected === undefined || total > 0) return corrected;
    const check = await client.count({ index: alias, query: buildQuery(corrected, query.filters) });
    return check.count > 0 ? corrected : undefined;
  }

  return {
    name: 'elasticsearch',

    async search(query) {
      const browse = buildTextQuery(query.text) === undefined;
      const res = await withIndex(() =>
        client.search<SearchDocument, Aggregates>({
          index: alias,
          query: buildQuery(query.text, query.filters),
          sort: buildSort(query, browse),
          from: query.offset,
          size: query.limit,
          aggs: buildAggs(),
          track_total_hits: true,
          track_scores: !browse,
          _source: { excludes: STORED_ONLY },
        }),
      );
      const hits = res.hits.hits as Hit[];
      const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
      const words = queryWords(query.text).length;
      const fuzzyOnly =
        hits.length > 0 && !hits.some((h) => matchedExactly(h.matched_queries as string[], words));
      const suggestion = !browse && (total === 0 || fuzzyOnly) ? await didYouMean(query, total) : undefined;
      return {
        hits: hits.flatMap((h) => (h._source ? [{ doc: h._source, score: h._score ?? 0 }] : [])),
        total,
        facets: facetsOf(res.aggregations),
        ...(suggestion !== undefined ? { suggestion } : {}),
      };
    },

    async suggest(prefix, limit) {
      const query = buildTypeaheadQuery(prefix);
      if (query === undefined || limit <= 0) return [];
      const res = await withIndex(() =>
        client.search<Suggestion>({
          index: alias,
          query,
          size: limit,
          sort: [{ _score: { order: 'desc' } }, { popularity: 'desc' }, { sku: 'asc' }],
          _source: ['sku', 'name_en', 'name_vi', 'category_id'],
        }),
      );
      return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
    },

    async index(docs) {
      for (const chunk of chunks(docs, bulkSize)) {
        if (await bulkWrite(chunk, await targets())) {
          cached = undefined; // an index behind the cache was deleted: write to the current ones
          if (await bulkWrite(chunk, await targets()))
            throw new Error(`indices behind ${alias} vanished twice`);
        }
      }
    },

    async rebuild(batches, onProgress) {
      const index = `${alias}-${Date.now()}`;
      // Indices left behind the building alias by a rebuild that died: they would get writes forever.
      const before = await aliasIndices();
      for (const stale of before.building.filter((i) => !before.read.includes(i))) {
        await client.indices.delete({ index: stale }, { ignore: [404] });
      }
      await client.indices.create({
        index,
        aliases: { [building]: {} },
        ...indexBody({ shards, replicas, loading: true }),
      });
      cached = undefined;
      let old: string[];
      const progress: RebuildProgress = { indexed: 0 };
      try {
        await sleep(cacheMs); // writers elsewhere now include the new index
        const inFlight: Promise<void>[] = [];
        const send = async (docs: IndexedDocument[]): Promise<void> => {
          if (await bulkWrite(docs, [index]))
            throw new Error(`index ${index} was deleted during the rebuild`);
          progress.indexed += docs.length;
          onProgress?.({ ...progress });
        };
        const schedule = async (docs: IndexedDocument[]): Promise<void> => {
          const p = send(docs);
          p.catch(() => undefined); // awaited below; keeps a failure from being reported as unhandled
          inFlight.push(p);
          if (inFlight.length >= bulkConcurrency) await inFlight.shift();
        };
        let pending: IndexedDocument[] = [];
        for await (const batch of batches) {
          pending = pending.concat(batch);
          while (pending.length >= bulkSize) await schedule(pending.splice(0, bulkSize));
        }
        if (pending.length > 0) await schedule(pending);
        await Promise.all(inFlight);
        await client.indices.putSettings({
          index,
          settings: { index: { refresh_interval: '1s', number_of_replicas: replicas } },
        });
        await client.cluster.health({ index, wait_for_status: 'yellow', timeout: '60s' });
        await client.indices.refresh({ index });
        old = (await aliasIndices()).read;
        await client.indices.updateAliases({
          actions: [
            ...old.map((i) => ({ remove: { index: i, alias } })),
            { add: { index, alias } },
            { remove: { index, alias: building } },
          ],
        });
      } catch (e) {
        await client.indices.delete({ index }, { ignore: [404] });
        cached = undefined;
        throw e;
      }
      cached = undefined;
      await sleep(cacheMs); // let searches and writes that resolved the old index finish
      if (old.length > 0) await client.indices.delete({ index: old }, { ignore: [404] });
      return progress;
    },

    async refresh() {
      await withIndex(() => client.indices.refresh({ index: alias }));
    },

    async ready() {
      if (!(await pingElasticsearch(client)))
        throw new Error('Elasticsearch is not reachable or its cluster is red');
    },

    async close() {
      // The client was passed in: its creator closes it.
    },
  };
}
