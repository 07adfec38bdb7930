/**
 * Product writes inside the caller's transaction: lock the rows, decide each write (domain.ts),
 * upsert what changed in one statement and emit one created/updated event per changed product
 * through the outbox. Used by the single-product routes and by the bulk import alike.
 */
import type { Pool } from 'pg';
import { productCreated, productUpdated, type TuoiCloudEvent } from '../../events';
import { type Tx } from '../shared/db';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../shared/errors';
import { buildEvent, emit } from '../shared/eventing/outbox';
import { createLogger } from '../shared/log';
import type { CachedProduct, ProductCache } from './cache';
import { planWrite, toSnapshot, type ProductFields, type WriteMode } from './domain';
import type { CatalogStore, ProductWithPath } from './store';

/** What writers need. */
export interface WriteDeps {
  pool: Pool;
  schema: string;
  store: CatalogStore;
  cache: ProductCache;
  now(): Date;
}

/** What one write did. */
export interface WriteResult {
  outcome: 'created' | 'updated' | 'unchanged';
  product: ProductWithPath;
}

const log = createLogger('catalog-writes');

/** The cache entry (and view source) of a stored product. */
export function toCached(p: ProductWithPath): CachedProduct {
  return { product: toSnapshot(p, p.category_path), in_stock: p.in_stock, expires_soon: p.expires_soon };
}

/** The category ids among `ids` that do not exist. */
export async function missingCategories(
  db: Pick<Pool, 'query'>,
  store: CatalogStore,
  ids: string[],
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const found = await store.existingCategories(db, unique);
  return new Set(unique.filter((id) => !found.has(id)));
}

/** The field error of an unknown category. */
export function unknownCategory(id: string): FieldError {
  return { field: '/category', code: 'exists', message: `no category ${JSON.stringify(id)}` };
}

/** Throws a 400 on `/category` when the category does not exist. */
export async function requireCategory(
  db: Pick<Pool, 'query'>,
  store: CatalogStore,
  id: string,
): Promise<void> {
  if ((await missingCategories(db, store, [id])).size > 0)
    throw new ValidationError('The product is not valid', [unknownCategory(id)]);
}

/**
 * Applies writes of distinct SKUs in `tx`. `locked` are rows the caller already locked (all of
 * them, when given). A create of a live SKU is a 409, a replace of a missing one a 404.
 */
export async function writeProducts(
  tx: Tx,
  deps: WriteDeps,
  writes: ProductFields[],
  mode: WriteMode,
  opts: { locked?: Map<string, ProductWithPath>; traceparent?: string } = {},
): Promise<WriteResult[]> {
  const locked =
    opts.locked ??
    (await deps.store.lockProducts(
      tx,
      writes.map((w) => w.sku),
    ));
  const now = deps.now();
  const results = new Map<string, WriteResult>();
  const changed: Parameters<CatalogStore['upsertProducts']>[1] = [];
  for (const fields of writes) {
    const existing = locked.get(fields.sku);
    const plan = planWrite(existing, fields, mode);
    switch (plan.kind) {
      case 'conflict':
        throw new ConflictError(`Product ${fields.sku} already exists`, { sku: fields.sku });
      case 'missing':
        throw new NotFoundError(`No product ${fields.sku}`);
      case 'unchanged':
        results.set(fields.sku, { outcome: 'unchanged', product: existing! });
        break;
      default: {
        const created = plan.kind === 'create';
        const createdAt = created || !existing ? now : existing.created_at;
        changed.push({ ...fields, version: plan.version, created_at: createdAt, updated_at: now });
        results.set(fields.sku, { outcome: created ? 'created' : 'updated', product: existing! });
      }
    }
  }
  const written = await deps.store.upsertProducts(tx, changed);
  if (written.length !== changed.length)
    throw new ConflictError('A product was created concurrently; read it and retry', {
      skus: changed.map((c) => c.sku).filter((sku) => !written.some((w) => w.sku === sku)),
    });
  const events: TuoiCloudEvent[] = [];
  for (const p of written) {
    const result = results.get(p.sku)!;
    result.product = p;
    const contract = result.outcome === 'created' ? productCreated : productUpdated;
    events.push(buildEvent(contract, toSnapshot(p, p.category_path), { traceparent: opts.traceparent }));
  }
  await emit(tx, deps.schema, events);
  return writes.map((w) => results.get(w.sku)!);
}

/**
 * Deletes cache entries right after a commit. Failures are logged, not thrown: the write is
 * committed, and the product events' consumer deletes the same keys again (events.ts).
 */
export async function invalidateAfterCommit(cache: ProductCache, skus: string[]): Promise<void> {
  for (let i = 0; i < skus.length; i += 100)
    await Promise.all(
      skus
        .slice(i, i + 100)
        .map((sku) =>
          cache.del(sku).catch((err: unknown) => log.warn('cache invalidation failed', { err, sku })),
        ),
    );
}
