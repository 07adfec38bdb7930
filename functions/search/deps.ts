/** The only wiring of the search function: typed config → pool, engine, store → handlers. */
import { baseConfigSpec, int, oneOf, parseConfig, str, url } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { createEventConsumer } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import type { FunctionInstance } from '../shared/runtime';
import { createElasticsearchEngine } from './engines/elasticsearch';
import { createPostgresEngine } from './engines/postgres';
import { categoryCache, indexerHandlers, searchRoutes } from './handler';
import type { SearchEngine } from './ports';
import { pollingResultCache } from './cache-poller';
import { promotionStore } from './promotion-store';
import { documentStore } from './store';
import type { Pool } from 'pg';

/** Schema owned by the search function (see the registry). */
export const SCHEMA = 'search';

/** Configuration of the search engine (the function and the reindex tool read it). */
export const searchEngineConfigSpec = {
  SEARCH_ENGINE: oneOf(['postgres', 'elasticsearch'] as const, 'postgres'),
  ELASTICSEARCH_URL: url(['http:', 'https:'], 'http://127.0.0.1:9200'),
  SEARCH_INDEX_ALIAS: str('tuoi-products'),
  /** Replica shards of a new index (0 on one node; 1 or more on a cluster, so a node can drain). */
  SEARCH_INDEX_REPLICAS: int({ fallback: 0, min: 0, max: 5 }),
  /**
   * The longest one search may run: PostgreSQL's statement_timeout on the query pool, the request
   * timeout of Elasticsearch searches. Past it the answer is a 503 with Retry-After, at once.
   */
  SEARCH_TIMEOUT_MS: int({ fallback: 2_000, min: 50, max: 60_000 }),
};

/** Configuration of the search function. */
export const searchConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  ...searchEngineConfigSpec,
  /** Answers kept per instance while the index is unchanged; 0 turns the result cache off. */
  SEARCH_CACHE_ENTRIES: int({ fallback: 5_000, min: 0, max: 1_000_000 }),
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
};

/** How often an instance reads the index's change mark (writes made by other instances). */
/** Builds the configured engine (Elasticsearch needs ELASTICSEARCH_URL). */
export function createEngine(
  config: {
    SEARCH_ENGINE: 'postgres' | 'elasticsearch';
    ELASTICSEARCH_URL: string;
    SEARCH_INDEX_ALIAS: string;
    SEARCH_INDEX_REPLICAS?: number;
    SEARCH_TIMEOUT_MS?: number;
    DATABASE_URL?: string;
    DB_POOL_SIZE?: number;
  },
  pool: Pool,
): { engine: SearchEngine; close(): Promise<void> } {
  if (config.SEARCH_ENGINE === 'postgres') {
    // Queries run on their own pool, whose statements time out; the indexer's writes do not.
    const queries =
      config.SEARCH_TIMEOUT_MS && config.DATABASE_URL
        ? createPool(
            config.DATABASE_URL,
            { max: config.DB_POOL_SIZE ?? 10, statement_timeout: config.SEARCH_TIMEOUT_MS },
            'search-queries',
          )
        : undefined;
    return {
      engine: createPostgresEngine({ pool: queries ?? pool, schema: SCHEMA }),
      close: async () => void (await queries?.end()),
    };
  }
  const client = createElasticsearch({ url: config.ELASTICSEARCH_URL });
  return {
    engine: createElasticsearchEngine({
      client,
      alias: config.SEARCH_INDEX_ALIAS,
      replicas: config.SEARCH_INDEX_REPLICAS ?? 0,
      searchTimeoutMs: config.SEARCH_TIMEOUT_MS,
    }),
    close: () => client.close(),
  };
}

/** Builds the search function from the environment; throws ConfigError naming bad variables. */
export function createSearch(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(searchConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const { engine, close } = createEngine(config, pool);
  const store = documentStore(SCHEMA);
  const { results, stop } = pollingResultCache(pool, store, config.SEARCH_CACHE_ENTRIES);
  const promotions = promotionStore(SCHEMA);
  const deps = { pool, store, promotions, engine, results, categories: categoryCache(pool, store) };
  return {
    routes: searchRoutes(deps),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: indexerHandlers(deps),
      afterCommit: () => results.changed(),
    }),
    ready: async () => {
      await pingDatabase(pool);
      await engine.ready();
    },
    close: async () => {
      stop();
      await close();
      await pool.end();
    },
  };
}
