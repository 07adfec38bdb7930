/**
 * Staff writes of single products (access tokens with catalog:write): create, full replace, JSON
 * merge patch and soft delete, each one unit of work (its transaction and its event in the outbox),
 * optional If-Match (412 on mismatch), and the cache entry deleted after the commit. Refusals come
 * back from the unit as results and become problem responses here.
 */
import { Type } from '@sinclair/typebox';
import { productDeleted, SKU_PATTERN } from '../../events';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ValidationError } from '../shared/errors';
import { buildEvent } from '../shared/eventing/outbox';
import { parseJsonBody, type HttpRequest, type HttpResponse, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import { mergePatch, normalizeWrite, productEtag, toWritable, type ProductFields } from './domain';
import { LangOnlyQuery, QueryReader } from './params';
import { ProductView, toProductView } from './views';
import { ProductReplace, ProductWrite } from './write-schema';
import {
  checkCategory,
  commitWrite,
  lockLive,
  refusalError,
  toCached,
  writeProducts,
  type WriteDeps,
  type WriteOutcome,
  type WriteRefusal,
  type WriteResult,
} from './writes';

const SkuParam = Type.Object({ sku: Type.String({ pattern: SKU_PATTERN }) });
const WRITTEN_HEADERS = { etag: 'The new version of the product, for If-Match' };
const IF_MATCH = 'If-Match (optional) takes the ETag of GET /products/{sku}; a stale one is a 412.';

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

/** The one product a write answers with, or its refusal as the taxonomy's error. */
function single(outcome: WriteOutcome): WriteResult {
  if (outcome.refused) throw refusalError(outcome);
  return outcome.results[0]!;
}

/** Staff write routes; `check` guards every one of them before the body is read. */
export function writeRoutes(deps: WriteDeps, check: Verifier): Route[] {
  const one = (sku: string) => () => [sku];
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
        doc: {
          query: LangOnlyQuery,
          summary: 'Create a product',
          description: 'An unknown category is a 400; a live product with the SKU is a 409.',
          responses: {
            201: {
              description: 'Created: the full product',
              headers: { ...WRITTEN_HEADERS, location: 'The product: `/products/{sku}`' },
              body: ProductView,
            },
          },
          problems: [409],
        },
        async handle(req) {
          new QueryReader(req.query as Record<string, string>, []).done();
          const input = req.body as ProductWrite;
          const fields = fieldsOf(input.sku, input);
          const outcome = await commitWrite(deps, one(fields.sku), async (work) => {
            const unknown = await checkCategory(work.tx, deps.store, fields.category_id);
            if (unknown) return unknown;
            return writeProducts(work, deps, [fields], 'create', { traceparent: req.traceparent });
          });
          return written(req, single(outcome), 201);
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
        doc: {
          query: LangOnlyQuery,
          summary: 'Replace a product',
          description:
            'Every writable field; optional fields left out take their defaults. A body sku must equal ' +
            "the path's. " +
            IF_MATCH,
          responses: {
            200: { description: 'The product after the write', headers: WRITTEN_HEADERS, body: ProductView },
          },
          problems: [404, 409, 412],
          ifMatch: true,
        },
        async handle(req) {
          const sku = skuOf(req);
          const input = req.body as ProductReplace;
          sameSku(input, sku);
          const fields = fieldsOf(sku, input);
          const outcome = await commitWrite(deps, one(sku), async (work) => {
            const unknown = await checkCategory(work.tx, deps.store, fields.category_id);
            if (unknown) return unknown;
            const live = await lockLive(work.tx, deps.store, sku, req.headers['if-match']);
            if (live.refused) return live;
            return writeProducts(work, deps, [fields], 'replace', {
              locked: new Map([[sku, live.current]]),
              traceparent: req.traceparent,
            });
          });
          return written(req, single(outcome), 200);
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
        doc: {
          query: LangOnlyQuery,
          summary: 'Change some fields of a product (JSON merge patch)',
          description:
            'The merged product must be a valid replace (null removes an optional field). ' + IF_MATCH,
          responses: {
            200: { description: 'The product after the write', headers: WRITTEN_HEADERS, body: ProductView },
          },
          problems: [404, 409, 412],
          requestBody: {
            contentTypes: ['application/merge-patch+json', 'application/json'],
            description: 'A JSON object of the fields to change (RFC 7396)',
            schema: Type.Object({}),
            required: true,
          },
          ifMatch: true,
        },
        async handle(req) {
          const sku = skuOf(req);
          const patch = parseJsonBody(req.headers, req.rawBody);
          if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
            throw new ValidationError('A merge patch is a JSON object', [
              { field: '/', code: 'type:object', message: 'send a JSON object of the fields to change' },
            ]);
          const outcome = await commitWrite(deps, one(sku), async (work) => {
            const live = await lockLive(work.tx, deps.store, sku, req.headers['if-match']);
            if (live.refused) return live;
            const input = validate(ProductReplace, mergePatch(toWritable(live.current), patch));
            sameSku(input, sku);
            const fields = fieldsOf(sku, input);
            const unknown = await checkCategory(work.tx, deps.store, fields.category_id);
            if (unknown) return unknown;
            return writeProducts(work, deps, [fields], 'replace', {
              locked: new Map([[sku, live.current]]),
              traceparent: req.traceparent,
            });
          });
          return written(req, single(outcome), 200);
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
        doc: {
          query: LangOnlyQuery,
          summary: 'Delete a product',
          description: 'A soft delete: the SKU can be created again. ' + IF_MATCH,
          responses: { 204: { description: 'Deleted', empty: true } },
          problems: [404, 412],
          ifMatch: true,
        },
        async handle(req) {
          const sku = skuOf(req);
          const refusal = await commitWrite(
            deps,
            one(sku),
            async ({ tx, emit }): Promise<WriteRefusal | undefined> => {
              const live = await lockLive(tx, deps.store, sku, req.headers['if-match']);
              if (live.refused) return live;
              const at = deps.now();
              const version = await deps.store.softDelete(tx, sku, at);
              if (version === undefined) return { refused: 'missing', sku };
              const data = { sku, version, deleted_at: at.toISOString() };
              emit(buildEvent(productDeleted, data, { traceparent: req.traceparent }));
              return undefined;
            },
          );
          if (refusal) throw refusalError(refusal);
          return { status: 204, headers: { 'cache-control': 'no-store' } };
        },
      },
    ),
  ];
}
