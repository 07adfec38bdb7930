import { Client } from '@elastic/elasticsearch';

/** Options for {@link createElasticsearch}. */
export interface ElasticsearchOptions {
  /** Node URL, e.g. `http://127.0.0.1:59200` (see `ELASTICSEARCH_URL` in infra/services.env). */
  url: string;
  /** Per-request timeout in milliseconds (default 30000). */
  requestTimeoutMs?: number;
}

/** Creates an Elasticsearch 8 client for one node. No request is sent until first use. */
export function createElasticsearch(opts: ElasticsearchOptions): Client {
  return new Client({
    node: opts.url,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    maxRetries: 2,
  });
}

/**
 * Resolves `true` when the cluster answers a health request with status green or yellow,
 * `false` when it is red, unreachable or errors. Never rejects.
 *
 * Uses `_cluster/health` rather than `client.ping()` (`HEAD /`): the test distribution in
 * infra/ has no `rest-root` module, so `/` answers 405 there.
 */
export async function pingElasticsearch(client: Client): Promise<boolean> {
  try {
    const health = await client.cluster.health({ timeout: '2s' }, { requestTimeout: 5000, maxRetries: 0 });
    return health.status === 'green' || health.status === 'yellow';
  } catch {
    return false;
  }
}
