/**
 * Staff writes of single products (access tokens with catalog:write):
 * create, full replace, JSON merge patch and soft delete, each in one transaction with its event in
 * the outbox, optional If-Match (412 on mismatch), and the cache entry deleted after the commit.
 */
import { Type } from '@sinclair/typebox';
import { productDeleted, SKU_PATTERN } from '../../events';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { withTransaction, type Tx } from '../shared/db';
import { NotFoundError, PreconditionFailedError, ValidationError } from '../shared/errors';
import { buildEvent, emit } from '../shared/eventing/outbox';
import { parseJsonBody, type HttpRequest, type HttpResponse, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import {
  ifMatchHolds,
  mergePatch,
  normalizeWrite,
  productEtag,
  toWritable,
  type ProductFields,
} from './domain';
import { QueryReader } from './params';
import type { ProductWithPath } from './store';
import { toProductView } from './views';
import { ProductReplace, ProductWrite } from './write-schema';
import {
  invalidateAfterCommit,
  requireCategory,
  toCached,
  writeProducts,
  type WriteDeps,
  type WriteResult,
} from './writes';

const SkuParam = Type.Object({ sku: Type.String({ pattern: SKU_PATTERN }) });

/** Validates a write body and applies the cross-field rules; 400 with every field error. */
function fieldsOf(sku: string, input: ProductReplace | ProductWrite): ProductFields {
  const normalized = normalizeWrite(sku, input);
  if (!normalized.ok) throw new ValidationError('The product is not valid', normalized.errors);
  return normalized.fields;
}

/** Checks the body's SKU (optional on PUT and PATCH) against the path's. */
function sameSku(body: { sku?: string }, sku: string): void {
  if (body.sku !== undefined && body.sku !== sku)
    throw new ValidationError('The product is not valid', [
      { field: '/sku', code: 'const', message: `must be ${sku} (the SKU in the path) or left out` },
    ]);
}

/** Locks a live product and checks If-Match against it. */
async function lockLive(
  tx: Tx,
  deps: WriteDeps,
  req: HttpRequest<unknown, unknown>,
  sku: string,
): Promise<ProductWithPath> {
  const locked = await deps.store.lockProducts(tx, [sku]);
  const current = locked.get(sku);
  if (!current || current.deleted_at !== null) throw new NotFoundError(`No product ${sku}`);
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && !ifMatchHolds(ifMatch, sku, current.version))
    throw new PreconditionFailedError(`Product ${sku} is at version ${current.version}; read it again`, {
      version: current.version,
    });
  return current;
}

/** The response of a write: the full product in the request's language with its tag. */
function written(req: HttpRequest<unknown, unknown>, result: WriteResult, status: number): HttpResponse {
  const cached = toCached(result.product);
  const headers: Record<string, string> = {
    etag: productEtag(result.product.sku, result.product.version, req.lang, cached),
    'cache-control': 'no-store',
  };
  if (status === 201) headers.location = `/products/${encodeURIComponent(result.product.sku)}`;
  return { status, headers, body: toProductView(cached, req.lang) };
}

/** Staff write routes; `check` guards every one of them before the body is read. */
export function writeRoutes(deps: WriteDeps, check: Verifier): Route[] {
  const commit = async <T>(skus: string[], fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const out = await withTransaction(deps.pool, fn);
    await invalidateAfterCommit(deps.cache, skus);
    return out;
  };
  const skuOf = (req: HttpRequest<unknown, unknown>) => {
    new QueryReader(req.query as Record<string, string>, []).done();
    return validate(SkuParam, req.params, 'path').sku;
  };

  return [
    guarded(
      check,
      { scope: 'catalog:write' },
      {
        method: 'POST',
        path: '/products',
        body: ProductWrite,
        async handle(req) {
          new QueryReader(req.query as Record<string, string>, []).done();
          const input = req.body as ProductWrite;
          const fields = fieldsOf(input.sku, input);
          await requireCategory(deps.pool, deps.store, fields.category_id);
          const [result] = await commit([fields.sku], (tx) =>
            writeProducts(tx, deps, [fields], 'create', { traceparent: req.traceparent }),
          );
          return written(req, result!, 201);
        },
      },
    ),
    guarded(
      check,
      { scope: 'catalog:write' },
      {
        method: 'PUT',
        path: '/products/:sku',
        params: SkuParam,
        body: ProductReplace,
        async handle(req) {
          const sku = skuOf(req);
          const input = req.body as ProductReplace;
          sameSku(input, sku);
          const fields = fieldsOf(sku, input);
          await requireCategory(deps.pool, deps.store, fields.category_id);
          const [result] = await commit([sku], async (tx) => {
            const current = await lockLive(tx, deps, req, sku);
            return writeProducts(tx, deps, [fields], 'replace', {
              locked: new Map([[sku, current]]),
              traceparent: req.traceparent,
            });
          });
          return written(req, result!, 200);
        },
      },
    ),
    guarded(
      check,
      { scope: 'catalog:write' },
      {
        method: 'PATCH',
        path: '/products/:sku',
        // A merge patch: its fields are checked after merging with the stored product.
        params: SkuParam,
        async handle(req) {
          const sku = skuOf(req);
          const patch = parseJsonBody(req.headers, req.rawBody);
          if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
            throw new ValidationError('A merge patch is a JSON object', [
              { field: '/', code: 'type:object', message: 'send a JSON object of the fields to change' },
            ]);
          const [result] = await commit([sku], async (tx) => {
            const current = await lockLive(tx, deps, req, sku);
            const input = validate(ProductReplace, mergePatch(toWritable(current), patch));
            sameSku(input, sku);
            const fields = fieldsOf(sku, input);
            await requireCategory(tx, deps.store, fields.category_id);
            return writeProducts(tx, deps, [fields], 'replace', {
              locked: new Map([[sku, current]]),
              traceparent: req.traceparent,
            });
          });
          return written(req, result!, 200);
        },
      },
    ),
    guarded(
      check,
      { scope: 'catalog:write' },
      {
        method: 'DELETE',
        path: '/products/:sku',
        params: SkuParam,
        async handle(req) {
          const sku = skuOf(req);
          await commit([sku], async (tx) => {
            await lockLive(tx, deps, req, sku);
            const at = deps.now();
            const version = await deps.store.softDelete(tx, sku, at);
            if (version === undefined) throw new NotFoundError(`No product ${sku}`);
            const data = { sku, version, deleted_at: at.toISOString() };
            await emit(tx, deps.schema, [buildEvent(productDeleted, data, { traceparent: req.traceparent })]);
          });
          return { status: 204, headers: { 'cache-control': 'no-store' } };
        },
      },
    ),
  ];
}
