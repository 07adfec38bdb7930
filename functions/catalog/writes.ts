/**
 * Product writes inside the caller's unit of work (shared/unit-of-work.ts): lock the rows, decide
 * each write (domain.ts `planWrite`), upsert what changed in one statement and emit one
 * created/updated event per changed product through the unit's outbox. Used by the single-product
 * routes and the bulk import alike. Expected refusals (a create of a live SKU, a missing product, a
 * stale If-Match, an unknown category) are returned as results; `refusalError` maps them to the
 * error taxonomy once, at the HTTP edge.
 */
import { productCreated, productUpdated } from '../../events';
import type { Queryable, Tx } from '../shared/db';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type AppError,
  type FieldError,
} from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { createLogger } from '../shared/log';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import type { CachedProduct, ProductCache } from './cache';
import { ifMatchHolds, planWrite, toSnapshot, type ProductFields, type WriteMode } from './domain';
import type { CatalogStore, ProductWithPath } from './store';

/** What writers need. */
export interface WriteDeps {
  /** Runs one write use case in its own transaction, its events through the catalog's outbox. */
  work: UnitOfWork;
  store: CatalogStore;
  cache: ProductCache;
  now(): Date;
}

/** What one write did. */
export interface WriteResult {
  outcome: 'created' | 'updated' | 'unchanged';
  product: ProductWithPath;
}

/** Why a write changed nothing: an expected outcome, answered as 409, 404, 412 or 400. */
export type WriteRefusal =
  | { refused: 'exists'; sku: string }
  | { refused: 'missing'; sku: string }
  | { refused: 'stale'; sku: string; version: number }
  | { refused: 'unknown-category'; category: string };

/** The results of a batch of writes, or the refusal that stopped it before anything was written. */
export type WriteOutcome = { refused?: undefined; results: WriteResult[] } | WriteRefusal;

const log = createLogger('catalog-writes');

/** The error of a refusal, for the HTTP edge (the one place outcomes become status codes). */
export function refusalError(r: WriteRefusal): AppError {
  switch (r.refused) {
    case 'exists':
      return new ConflictError(`Product ${r.sku} already exists`, { sku: r.sku });
    case 'missing':
      return new NotFoundError(`No product ${r.sku}`);
    case 'stale':
      return new PreconditionFailedError(`Product ${r.sku} is at version ${r.version}; read it again`, {
        version: r.version,
      });
    case 'unknown-category':
      return new ValidationError('The product is not valid', [unknownCategory(r.category)]);
  }
}

/** The cache entry (and view source) of a stored product. */
export function toCached(p: ProductWithPath): CachedProduct {
  return { product: toSnapshot(p, p.category_path), in_stock: p.in_stock, expires_soon: p.expires_soon };
}

/** The category ids among `ids` that do not exist. */
export async function missingCategories(
  db: Queryable,
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

/** The refusal of an unknown category, if `id` does not exist. */
export async function checkCategory(
  db: Queryable,
  store: CatalogStore,
  id: string,
): Promise<WriteRefusal | undefined> {
  if ((await missingCategories(db, store, [id])).size > 0)
    return { refused: 'unknown-category', category: id };
  return undefined;
}

/** Locks a live product and checks an If-Match header against it. */
export async function lockLive(
  tx: Tx,
  store: CatalogStore,
  sku: string,
  ifMatch: string | undefined,
): Promise<{ refused?: undefined; current: ProductWithPath } | WriteRefusal> {
  const current = (await store.lockProducts(tx, [sku])).get(sku);
  if (!current || current.deleted_at !== null) return { refused: 'missing', sku };
  if (ifMatch !== undefined && !ifMatchHolds(ifMatch, sku, current.version))
    return { refused: 'stale', sku, version: current.version };
  return { current };
}

/**
 * Applies writes of distinct SKUs in the unit of work `work`. `locked` are rows the caller already
 * locked (all of them, when given). A create of a live SKU or a replace of a missing one is refused
 * before anything is written. Rows created by a concurrent writer between the lock and the upsert
 * are a thrown 409: the unit must roll back the rows it already upserted, and a retry reads them.
 */
export async function writeProducts(
  work: Work,
  deps: Pick<WriteDeps, 'store' | 'now'>,
  writes: ProductFields[],
  mode: WriteMode,
  opts: { locked?: Map<string, ProductWithPath>; traceparent?: string } = {},
): Promise<WriteOutcome> {
  const locked =
    opts.locked ??
    (await deps.store.lockProducts(
      work.tx,
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
        return { refused: 'exists', sku: fields.sku };
      case 'missing':
        return { refused: 'missing', sku: fields.sku };
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
  const written = await deps.store.upsertProducts(work.tx, changed);
  if (written.length !== changed.length)
    throw new ConflictError('A product was created concurrently; read it and retry', {
      skus: changed.map((c) => c.sku).filter((sku) => !written.some((w) => w.sku === sku)),
    });
  for (const p of written) {
    const result = results.get(p.sku)!;
    result.product = p;
    const contract = result.outcome === 'created' ? productCreated : productUpdated;
    work.emit(buildEvent(contract, toSnapshot(p, p.category_path), { traceparent: opts.traceparent }));
  }
  return { results: writes.map((w) => results.get(w.sku)!) };
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

/**
 * Runs a write use case as one unit of work, then deletes the cache entries of the SKUs `changed`
 * names. The deletes are awaited before the answer (an `afterCommit` hook is not awaited), so a
 * client that reads right after its write misses the cache.
 */
export async function commitWrite<T>(
  deps: Pick<WriteDeps, 'work' | 'cache'>,
  changed: (result: T) => string[],
  fn: (work: Work) => Promise<T>,
): Promise<T> {
  const result = await deps.work(fn);
  await invalidateAfterCommit(deps.cache, changed(result));
  return result;
}
