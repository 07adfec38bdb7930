/**
 * The search instance's background job: polls the index's change mark and feeds it to the result
 * cache, so cached answers live only until the index changes (a write made by another instance
 * included).
 */
import type { Pool } from 'pg';
import { createResultCache, type ResultCache } from './result-cache';
import type { DocumentStore } from './store';

const CHANGE_POLL_MS = 250;

/**
 * The result cache and its poller of the change mark. A change settles after 1.5 s (longer than
 * Elasticsearch's 1 s refresh and than an indexer transaction); until then answers live 250 ms.
 */
export function pollingResultCache(
  pool: Pool,
  store: DocumentStore,
  maxEntries: number,
): { results: ResultCache; stop(): void } {
  const results = createResultCache({ maxEntries, maxAgeMs: 60_000, settleMs: 1_500, unsettledTtlMs: 250 });
  if (maxEntries === 0) return { results, stop: () => {} };
  const poll = () =>
    store.changeMark(pool).then(
      (mark) => results.observe(mark),
      () => results.unknown(),
    );
  void poll();
  const timer = setInterval(poll, CHANGE_POLL_MS);
  timer.unref();
  return { results, stop: () => clearInterval(timer) };
}
