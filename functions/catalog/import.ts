/**
 * `POST /products/import` (staff): up to 5,000 products as CSV (columns of csv.ts) or JSON (an array,
 * or `{ "products": [...] }`). Idempotent by SKU: new → created, identical → unchanged (no event,
 * no version), different → updated. All-or-nothing by default (any bad row → 400 with the per-row
 * report, nothing written); `?partial=true` applies the valid rows and reports the rest. The
 * category check and the writes, in batches, are one unit of work (one transaction, the events in
 * its outbox).
 */
import { Type, type Static } from '@sinclair/typebox';
import { schemaIssues } from '../../events/check';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { MalformedRequestError, ValidationError, toProblem, type FieldError } from '../shared/errors';
import { parseJsonBody, type HttpRequest, type HttpResponse, type Route } from '../shared/http';
import { parseCsv, productRowFromCsv } from './csv';
import { normalizeWrite, type ProductFields } from './domain';
import { ImportQueryDoc, QueryReader } from './params';
import { ProductWrite } from './write-schema';
import {
  commitWrite,
  missingCategories,
  refusalError,
  unknownCategory,
  writeProducts,
  type WriteDeps,
} from './writes';

/** Most rows in one import. */
export const MAX_IMPORT_ROWS = 5_000;
/** Rows per upsert statement. */
export const IMPORT_BATCH = 1_000;

/** One rejected row: its 1-based number, the CSV line it starts on, its SKU if readable. */
export interface RowError {
  row: number;
  line?: number;
  sku?: string;
  errors: FieldError[];
}

/** What an import did. */
export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: RowError[];
}

const FieldErrorView = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
/** `ImportReport` as the API documents it. */
const ImportReportView = Type.Object({
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer({ minimum: 1 }),
      line: Type.Optional(Type.Integer({ minimum: 1 })),
      sku: Type.Optional(Type.String()),
      errors: Type.Array(FieldErrorView),
    }),
  ),
});

interface RawRow {
  row: number;
  line?: number;
  value: unknown;
}

const tooMany = () =>
  new ValidationError(`An import holds at most ${MAX_IMPORT_ROWS} products`, [
    { field: '/', code: 'maxItems', message: `at most ${MAX_IMPORT_ROWS} rows; split the file` },
  ]);

/** Reads the body into numbered raw rows (structural problems are a 400 for the whole file). */
export function readImportBody(headers: Record<string, string | undefined>, body: Buffer): RawRow[] {
  const type = headers['content-type'] ?? '';
  if (/^text\/csv\s*(;|$)/i.test(type)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new MalformedRequestError('The CSV is not valid UTF-8');
    }
    const parsed = parseCsv(text, { maxRows: MAX_IMPORT_ROWS });
    if (!parsed.ok) {
      if (parsed.error.message.startsWith('More than')) throw tooMany();
      throw new ValidationError(
        `The CSV cannot be read: line ${parsed.error.line}: ${parsed.error.message}`,
        [{ field: '/', code: 'csv', message: `line ${parsed.error.line}: ${parsed.error.message}` }],
      );
    }
    return parsed.rows.map((r, i) => {
      const value = productRowFromCsv(r.values);
      // An empty price is how a CSV leaves out the derived price of a weighted item.
      if (value.price_vnd === '') delete value.price_vnd;
      return { row: i + 1, line: r.line, value };
    });
  }
  const json = parseJsonBody(headers, body);
  const list =
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    Object.keys(json).join() === 'products'
      ? (json as { products: unknown }).products
      : json;
  if (!Array.isArray(list))
    throw new ValidationError('Send an array of products or { "products": [...] }', [
      { field: '/', code: 'type:array', message: 'an array of product writes, or { "products": [...] }' },
    ]);
  if (list.length > MAX_IMPORT_ROWS) throw tooMany();
  return list.map((value, i) => ({ row: i + 1, value }));
}

/** Validates every row; returns the valid writes and a report entry per rejected row. */
export function checkRows(rows: RawRow[]): { valid: ProductFields[]; errors: RowError[] } {
  const valid: ProductFields[] = [];
  const errors: RowError[] = [];
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const sku = (r.value as { sku?: unknown } | null)?.sku;
    const entry = (errs: FieldError[]): RowError => ({
      row: r.row,
      ...(r.line !== undefined ? { line: r.line } : {}),
      ...(typeof sku === 'string' && sku !== '' ? { sku } : {}),
      errors: errs,
    });
    if (typeof sku === 'string') {
      const first = firstRow.get(sku);
      if (first !== undefined) {
        errors.push(
          entry([{ field: '/sku', code: 'duplicate', message: `SKU ${sku} is also on row ${first}` }]),
        );
        continue;
      }
      firstRow.set(sku, r.row);
    }
    const issues = schemaIssues(ProductWrite, r.value);
    if (issues.length > 0) {
      errors.push(entry(issues));
      continue;
    }
    const input = r.value as Static<typeof ProductWrite>;
    const normalized = normalizeWrite(input.sku, input);
    if (!normalized.ok) errors.push(entry(normalized.errors));
    else valid.push(normalized.fields);
  }
  return { valid, errors };
}

/** The 400 of an all-or-nothing import with bad rows: the problem document plus the report. */
function rejected(req: HttpRequest<unknown, unknown>, report: ImportReport): HttpResponse {
  const fields = report.errors.flatMap((e) =>
    e.errors.map((f) => ({ ...f, field: `/rows/${e.row}${f.field === '/' ? '' : f.field}` })),
  );
  const err = new ValidationError(`${report.failed} row(s) are not valid; nothing was imported`, fields);
  return {
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
    body: { ...toProblem(err, req.lang, req.path), report },
  };
}

/** The import route. */
export function importRoute(deps: WriteDeps, check: Verifier): Route {
  return guarded(
    check,
    { scope: 'catalog:write' },
    {
      method: 'POST',
      path: '/products/import',
      doc: {
        summary: 'Create or update up to 5,000 products from CSV or JSON',
        description:
          'Idempotent by SKU: new rows are created, identical ones left unchanged, different ones updated. ' +
          'All or nothing unless partial=true: any bad row is a 400 whose problem document carries the ' +
          'per-row `report`, and nothing is written; with partial=true the valid rows are applied and the ' +
          'rest reported.',
        responses: {
          200: { description: 'What the import did, row errors included', body: ImportReportView },
        },
        problems: [409],
        query: ImportQueryDoc,
        requestBody: {
          contentTypes: ['text/csv', 'application/json'],
          description:
            'CSV with the import columns (csv.ts), or a JSON array of product writes, or { "products": [...] }',
          schema: Type.Union([
            Type.Array(ProductWrite, { maxItems: MAX_IMPORT_ROWS }),
            Type.Object({ products: Type.Array(ProductWrite, { maxItems: MAX_IMPORT_ROWS }) }),
          ]),
          required: true,
        },
      },
      async handle(req) {
        const r = new QueryReader(req.query as Record<string, string>, ['partial']);
        const partial = r.bool('partial') ?? false;
        r.done();
        const rows = readImportBody(req.headers, req.rawBody);
        const { valid, errors } = checkRows(rows);
        const rowOf = new Map<unknown, RawRow>();
        for (const x of rows) {
          const sku = (x.value as { sku?: unknown } | null)?.sku;
          if (!rowOf.has(sku)) rowOf.set(sku, x);
        }
        const changed: string[] = [];
        const report = await commitWrite(
          deps,
          () => changed,
          async (work): Promise<ImportReport> => {
            const missing = await missingCategories(
              work.tx,
              deps.store,
              valid.map((v) => v.category_id),
            );
            const writes = valid.filter((v) => {
              if (!missing.has(v.category_id)) return true;
              const raw = rowOf.get(v.sku)!;
              errors.push({
                row: raw.row,
                ...(raw.line !== undefined ? { line: raw.line } : {}),
                sku: v.sku,
                errors: [unknownCategory(v.category_id)],
              });
              return false;
            });
            errors.sort((a, b) => a.row - b.row);
            // One global lock order (by SKU) across batches, so concurrent imports cannot deadlock.
            writes.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
            const counts: ImportReport = {
              created: 0,
              updated: 0,
              unchanged: 0,
              failed: errors.length,
              errors,
            };
            if (errors.length > 0 && !partial) return counts;
            for (let i = 0; i < writes.length; i += IMPORT_BATCH) {
              const batch = writes.slice(i, i + IMPORT_BATCH);
              const outcome = await writeProducts(work, deps, batch, 'upsert', {
                traceparent: req.traceparent,
              });
              // An upsert is never refused; were it, the throw rolls back the batches before it.
              if (outcome.refused) throw refusalError(outcome);
              for (const res of outcome.results) {
                counts[res.outcome]++;
                if (res.outcome !== 'unchanged') changed.push(res.product.sku);
              }
            }
            return counts;
          },
        );
        if (report.errors.length > 0 && !partial) return rejected(req, report);
        return { status: 200, headers: { 'cache-control': 'no-store' }, body: report };
      },
    },
  );
}
