/**
 * Full reindex: reconciles `search.documents` with the catalog (read page by page through the
 * catalog's `GET /products/export`, never its tables), tombstones what the catalog no longer has,
 * then rebuilds the engine's index from the documents. Searches keep answering throughout, and
 * events indexed meanwhile win over the snapshot by version/revision.
 */
import type { Pool } from 'pg';
import type { ProductSnapshot } from '../../events';
import { withTransaction } from '../shared/db';
import { toSearchDocument } from './domain';
import type { SearchEngine } from './ports';
import type { DocumentStore } from './store';

/** One page of the catalog export. */
export interface ExportPage {
  items: { product: ProductSnapshot; units_sold_7d: number }[];
  next_after: string | null;
}

/** Reads one page of the catalog export after a SKU. */
export type ExportReader = (after: string | null) => Promise<ExportPage>;

/** Reads the export of a catalog function over HTTP with the staff token. */
export function httpExportReader(
  catalogUrl: string,
  token: () => Promise<string>,
  pageSize = 2000,
): ExportReader {
  return async (after) => {
    const url = new URL('/products/export', catalogUrl);
    url.searchParams.set('limit', String(pageSize));
    if (after) url.searchParams.set('after', after);
    const res = await fetch(url, { headers: { authorization: `Bearer ${await token()}` } });
    if (!res.ok) throw new Error(`catalog export answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ExportPage;
  };
}

/** Progress of a reindex: documents reconciled from the catalog, then indexed by the engine. */
export interface ReindexReport {
  reconciled: number;
  tombstoned: number;
  indexed: number;
  ms: { reconcile: number; rebuild: number };
}

/** Runs a full reindex; `progress` is called after every page and batch. */
export async function reindex(opts: {
  pool: Pool;
  store: DocumentStore;
  engine: SearchEngine;
  read: ExportReader;
  progress?: (phase: 'reconcile' | 'rebuild', done: number) => void;
}): Promise<ReindexReport> {
  const { pool, store, engine } = opts;
  const started = Date.now();
  const watermark = await store.nextRevision(pool);
  let reconciled = 0;
  // The next page is fetched while this one is written: the catalog's export and our upsert overlap.
  let next: Promise<ExportPage> | null = opts.read(null);
  while (next) {
    const page: ExportPage = await next;
    next = page.next_after ? opts.read(page.next_after) : null;
    next?.catch(() => {}); // surfaced by the await of the next turn
    const items = page.items.map((i) => ({
      product: i.product,
      doc: toSearchDocument(i.product, i.units_sold_7d),
      popularity: i.units_sold_7d,
    }));
    // Same version rewritten too (popularity, a changed category name); newer event versions win.
    await withTransaction(pool, (tx) => store.upsertProducts(tx, items, { replaceEqual: true }));
    reconciled += items.length;
    opts.progress?.('reconcile', reconciled);
  }
  const gone = await withTransaction(pool, (tx) => store.tombstoneOlderThan(tx, watermark));
  const reconcileMs = Date.now() - started;
  const rebuilt = await engine.rebuild(store.batches(pool), (p) => opts.progress?.('rebuild', p.indexed));
  await engine.refresh();
  return {
    reconciled,
    tombstoned: gone.length,
    indexed: rebuilt.indexed,
    ms: { reconcile: reconcileMs, rebuild: Date.now() - started - reconcileMs },
  };
}
