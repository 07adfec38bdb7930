/** The only wiring of the search function: typed config → pool, engine, store → handlers. */
import { baseConfigSpec, oneOf, parseConfig, str, url } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createElasticsearch } from '../shared/clients/elasticsearch';
import { createEventConsumer } from '../shared/eventing/consumer';
import type { FunctionInstance } from '../shared/runtime';
import { createElasticsearchEngine } from './engines/elasticsearch';
import { createPostgresEngine } from './engines/postgres';
import { categoryCache, indexerHandlers, searchRoutes } from './handler';
import type { SearchEngine } from './ports';
import { documentStore } from './store';
import type { Pool } from 'pg';

/** Schema owned by the search function (see the registry). */
export const SCHEMA = 'search';

/** Configuration of the search function. */
export const searchConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  SEARCH_ENGINE: oneOf(['postgres', 'elasticsearch'] as const, 'postgres'),
  ELASTICSEARCH_URL: url(['http:', 'https:'], 'http://127.0.0.1:9200'),
  SEARCH_INDEX_ALIAS: str('tuoi-products'),
};

/** Builds the configured engine (Elasticsearch needs ELASTICSEARCH_URL). */
export function createEngine(
  config: {
    SEARCH_ENGINE: 'postgres' | 'elasticsearch';
    ELASTICSEARCH_URL: string;
    SEARCH_INDEX_ALIAS: string;
  },
  pool: Pool,
): { engine: SearchEngine; close(): Promise<void> } {
  if (config.SEARCH_ENGINE === 'postgres')
    return { engine: createPostgresEngine({ pool, schema: SCHEMA }), close: async () => {} };
  const client = createElasticsearch({ url: config.ELASTICSEARCH_URL });
  return {
    engine: createElasticsearchEngine({ client, alias: config.SEARCH_INDEX_ALIAS }),
    close: () => client.close(),
  };
}

/** Builds the search function from the environment; throws ConfigError naming bad variables. */
export function createSearch(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(searchConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const { engine, close } = createEngine(config, pool);
  const store = documentStore(SCHEMA);
  const deps = { pool, store, engine, categories: categoryCache(pool, store) };
  return {
    routes: searchRoutes(deps),
    events: createEventConsumer({ pool, schema: SCHEMA, handlers: indexerHandlers(deps) }),
    ready: async () => {
      await pingDatabase(pool);
      await engine.ready();
    },
    close: async () => {
      await close();
      await pool.end();
    },
  };
}
