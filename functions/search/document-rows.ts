/**
 * Rows of `search.documents` as engine documents: the stored document with the columns the store
 * keeps beside it (availability, popularity, promotions, revision, tombstone).
 */
import type { IndexedDocument, SearchDocument } from './ports';
import type { DocPromotion } from './promotions';

/** A row of `search.documents` as the store reads it back. */
export interface DocumentRow {
  sku: string;
  version: number;
  revision: string;
  deleted: boolean;
  in_stock: boolean;
  expires_soon: boolean;
  popularity: number;
  promotions: DocPromotion[];
  doc: SearchDocument | null;
}

/** A stored row as an engine document. */
export function toIndexed(row: DocumentRow): IndexedDocument {
  const base = row.doc ?? tombstoneDoc(row.sku, row.version);
  return {
    ...base,
    version: row.version,
    in_stock: row.in_stock,
    expires_soon: row.expires_soon,
    popularity: row.popularity,
    promotions: row.promotions,
    revision: Number(row.revision),
    deleted: row.deleted,
  };
}

function tombstoneDoc(sku: string, version: number): SearchDocument {
  return {
    sku,
    name_en: '',
    name_vi: '',
    description_en: '',
    description_vi: '',
    brand: '',
    category_id: '',
    category_ids: [],
    category_names_en: [],
    category_names_vi: [],
    price_vnd: 0,
    unit: 'piece',
    size: 1,
    sold_by: 'piece',
    dietary: [],
    tags: [],
    is_perishable: false,
    image_url: null,
    in_stock: false,
    expires_soon: false,
    promotions: [],
    popularity: 0,
    created_at: new Date(0).toISOString(),
    version,
  };
}

const COLUMNS = [
  'sku',
  'version',
  'revision',
  'deleted',
  'in_stock',
  'expires_soon',
  'popularity',
  'promotions',
  'doc',
];

/** The column list a `DocumentRow` is read from, each column prefixed with `prefix` (a table alias). */
export function returning(prefix = ''): string {
  return COLUMNS.map((c) => `${prefix}${c}`).join(', ');
}
