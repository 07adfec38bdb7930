/**
 * The Elasticsearch search engine. Searches read the alias `<alias>` (one concrete index
 * `<alias>-<n>`); a rebuild loads a new index behind `<alias>-building` and swaps the read alias
 * atomically. Documents are versioned by their revision (`external_gte`), so writes may arrive
 * late, twice or out of order and every index ends at each document's highest revision.
 *
 * Writes go through the alias names (`require_alias`), never to concrete index names: a write
 * that races with a rebuild deleting the old index then cannot auto-create a stray index.
 */
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { pingElasticsearch } from '../../shared/clients/elasticsearch';
import type {
  IndexedDocument,
  RebuildProgress,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  Suggestion,
} from '../ports';
import {
  buildAggs,
  buildDidYouMean,
  buildQuery,
  buildSort,
  buildTextQuery,
  buildTypeaheadQuery,
  indexBody,
  matchedExactly,
  PROMOTIONS_MAPPING,
  queryWords,
  readDidYouMean,
  readFacets,
  STORED_ONLY,
  toSource,
  type StoredDocument,
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
   * How long writers cache whether a rebuild is running (default 1000 ms). A rebuild waits this
   * long after attaching the building alias before it reads batches, so writers in every process
   * reach the new index by then, and again after the swap before deleting the old index.
   */
  aliasCacheMs?: number;
  /**
   * The longest a search or typeahead query may take (no retry); past it the request fails as a
   * timeout, which the function answers with a 503 and Retry-After. Writes keep the client's own.
   */
  searchTimeoutMs?: number;
}

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

/** Creates the Elasticsearch engine over `opts.alias` (see the module comment). */
export function createElasticsearchEngine(opts: ElasticsearchEngineOptions): SearchEngine {
  const { client } = opts;
  const alias = opts.alias ?? 'tuoi-products';
  const reads = opts.searchTimeoutMs ? { requestTimeout: opts.searchTimeoutMs, maxRetries: 0 } : {};
  const building = `${alias}-building`;
  const { shards = 1, replicas = 0, bulkSize = 2000, bulkConcurrency = 2, aliasCacheMs = 1000 } = opts;
  let cached: { at: number; targets: Promise<string[]> } | undefined;
  let mappingChecked = false;

  /** Concrete indices behind the read alias and behind the building alias. */
  async function aliasIndices(): Promise<{ read: string[]; building: string[] }> {
    const res = await client.indices.getAlias({ name: [alias, building] }, { ignore: [404] });
    const out = { read: [] as string[], building: [] as string[] };
    for (const [index, value] of Object.entries(res)) {
      const aliases = (value as { aliases?: Record<string, unknown> }).aliases; // a 404 adds error/status keys
      if (aliases?.[alias] !== undefined) out.read.push(index);
      if (aliases?.[building] !== undefined) out.building.push(index);
    }
    return out;
  }

  /** Creates the first index with the read alias in one request; a concurrent creator winning is fine. */
  async function createInitialIndex(): Promise<void> {
    const body = indexBody({ shards, replicas, loading: false });
    try {
      await client.indices.create({ index: `${alias}-0`, aliases: { [alias]: {} }, ...body });
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

  /** The aliases a write must go through: the read alias, and the building one during a rebuild. */
  function writeTargets(): Promise<string[]> {
    if (cached === undefined || Date.now() - cached.at >= aliasCacheMs) {
      const entry = {
        at: Date.now(),
        targets: (async () => {
          let found = await aliasIndices();
          if (found.read.length === 0) {
            await createInitialIndex();
            found = await aliasIndices();
          }
          const targets = found.building.length > 0 ? [alias, building] : [alias];
          if (!mappingChecked) {
            // An index created before promotions existed gains the field (adding one is allowed).
            await client.indices.putMapping({
              index: targets,
              properties: { promotions: PROMOTIONS_MAPPING },
            });
            mappingChecked = true;
          }
          return targets;
        })(),
      };
      entry.targets.catch(() => cached === entry && (cached = undefined));
      cached = entry;
    }
    return cached.targets;
  }

  /**
   * One bulk request through aliases. Version conflicts (an older revision arriving late) and a
   * missing `optional` alias (a rebuild that just ended) are fine; returns false when another
   * alias was missing; any other failure throws.
   */
  async function bulkWrite(docs: IndexedDocument[], targets: string[], optional?: string): Promise<boolean> {
    const operations = docs.flatMap((doc) =>
      targets.flatMap((index): (estypes.BulkOperationContainer | StoredDocument)[] => [
        { index: { _index: index, _id: doc.sku, version: doc.revision, version_type: 'external_gte' } },
        toSource(doc),
      ]),
    );
    const res = await client.bulk({ operations, require_alias: true });
    if (!res.errors) return true;
    let written = true;
    const failures: string[] = [];
    for (const r of res.items.map((item) => item.index)) {
      if (r?.error === undefined || r.status === 409) continue;
      if (r.error.type !== 'index_not_found_exception')
        failures.push(`${r._id ?? '?'}: ${r.error.type}: ${r.error.reason ?? ''}`);
      else if (r._index !== optional) written = false;
    }
    if (failures.length > 0) {
      throw new Error(
        `Elasticsearch rejected ${failures.length} document(s) in ${alias}, first ${failures[0]}`,
      );
    }
    return written;
  }

  /** Loads every batch into the building alias, `bulkConcurrency` bulk requests at a time. */
  async function load(
    batches: AsyncIterable<IndexedDocument[]>,
    onProgress: ((p: RebuildProgress) => void) | undefined,
  ): Promise<RebuildProgress> {
    const progress: RebuildProgress = { indexed: 0 };
    const inFlight: Promise<void>[] = [];
    const send = async (docs: IndexedDocument[]): Promise<void> => {
      if (!(await bulkWrite(docs, [building]))) throw new Error(`${building} vanished during the rebuild`);
      progress.indexed += docs.length;
      onProgress?.({ ...progress });
    };
    const schedule = async (docs: IndexedDocument[]): Promise<void> => {
      const p = send(docs);
      p.catch(() => undefined); // awaited below: keeps an early failure from counting as unhandled
      inFlight.push(p);
      if (inFlight.length >= bulkConcurrency) await inFlight.shift();
    };
    try {
      let pending: IndexedDocument[] = [];
      for await (const batch of batches) {
        pending = pending.concat(batch);
        while (pending.length >= bulkSize) await schedule(pending.splice(0, bulkSize));
      }
      if (pending.length > 0) await schedule(pending);
      for (const p of inFlight) await p;
      return progress;
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /** A corrected query; with no hits at all, only one that finds something under the same filters. */
  async function didYouMean(query: SearchQuery, total: number): Promise<string | undefined> {
    const words = queryWords(query.text);
    const res = await client.search({ index: alias, size: 0, suggest: buildDidYouMean(words) }, reads);
    const corrected = readDidYouMean(words, res.suggest);
    if (corrected === undefined || total > 0) return corrected;
    const check = await client.count({ index: alias, query: buildQuery(corrected, query.filters) }, reads);
    return check.count > 0 ? corrected : undefined;
  }

  return {
    name: 'elasticsearch',

    async search(query) {
      const browse = buildTextQuery(query.text) === undefined;
      const res = await withIndex(() =>
        client.search<SearchDocument, Record<string, estypes.AggregationsAggregate>>(
          {
            index: alias,
            query: buildQuery(query.text, query.filters),
            sort: buildSort(query, browse),
            from: query.offset,
            size: query.limit,
            aggs: buildAggs(),
            track_total_hits: true,
            track_scores: !browse,
            _source: { excludes: STORED_ONLY },
          },
          reads,
        ),
      );
      const hits = res.hits.hits;
      const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
      const words = queryWords(query.text).length;
      const exact = hits.some((h) => matchedExactly(h.matched_queries as string[] | undefined, words));
      const fuzzyOnly = hits.length > 0 && !exact; // the best hits matched some word only with typos
      const suggestion =
        !browse && words > 0 && (total === 0 || fuzzyOnly) ? await didYouMean(query, total) : undefined;
      return {
        hits: hits.flatMap((h) =>
          // A document indexed before promotions existed has none.
          h._source
            ? [{ doc: { ...h._source, promotions: h._source.promotions ?? [] }, score: h._score ?? 0 }]
            : [],
        ),
        total,
        facets: readFacets(res.aggregations),
        ...(suggestion !== undefined ? { suggestion } : {}),
      };
    },

    async suggest(prefix, limit) {
      const query = buildTypeaheadQuery(prefix);
      if (query === undefined || limit <= 0) return [];
      const res = await withIndex(() =>
        client.search<Suggestion>(
          {
            index: alias,
            query,
            size: limit,
            sort: [{ _score: { order: 'desc' } }, { popularity: 'desc' }, { sku: 'asc' }],
            _source: ['sku', 'name_en', 'name_vi', 'category_id'],
          },
          reads,
        ),
      );
      return res.hits.hits.flatMap((h) => (h._source ? [h._source] : []));
    },

    async index(docs) {
      for (const chunk of chunks(docs, bulkSize)) {
        if (await bulkWrite(chunk, await writeTargets(), building)) continue;
        cached = undefined; // the read alias vanished: resolve (and create) it again, once
        if (!(await bulkWrite(chunk, await writeTargets(), building)))
          throw new Error(`alias ${alias} is missing`);
      }
    },

    async rebuild(batches, onProgress) {
      const index = `${alias}-${Date.now()}`;
      // An index left behind the building alias by a rebuild that died would get writes forever.
      const before = await aliasIndices();
      const stale = before.building.filter((i) => !before.read.includes(i));
      if (stale.length > 0) await client.indices.delete({ index: stale }, { ignore: [404] });
      await client.indices.create({
        index,
        aliases: { [building]: {} },
        ...indexBody({ shards, replicas, loading: true }),
      });
      cached = undefined;
      let old: string[];
      let progress: RebuildProgress;
      try {
        await sleep(aliasCacheMs); // every writer now writes through the building alias too
        progress = await load(batches, onProgress);
        const settings = { index: { refresh_interval: '1s', number_of_replicas: replicas } };
        await client.indices.putSettings({ index, settings });
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
        throw e;
      } finally {
        cached = undefined;
      }
      await sleep(aliasCacheMs); // searches that resolved the old index finish first
      if (old.length > 0) await client.indices.delete({ index: old }, { ignore: [404] });
      return progress;
    },

    async refresh() {
      await withIndex(() => client.indices.refresh({ index: alias }));
    },

    async ready() {
      if (!(await pingElasticsearch(client)))
        throw new Error('Elasticsearch is unreachable or its cluster is red');
    },

    async close() {
      // The client was passed in: its creator closes it.
    },
  };
}
