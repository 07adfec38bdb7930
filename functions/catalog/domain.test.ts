import { schemaIssues } from '../../events/check';
import {
  derivedPrice,
  ifMatchHolds,
  ifNoneMatchHits,
  mergePatch,
  normalizeWrite,
  planWrite,
  productEtag,
  sameFields,
  toSnapshot,
  toWritable,
  type ProductFields,
  type StoredProduct,
} from './domain';
import { ProductReplace, ProductWrite } from './write-schema';
import { ProductSnapshot } from '../../events';

const piece: ProductWrite = {
  sku: 'TU-000001',
  name_en: ' Fresh milk ',
  name_vi: 'Sữa tươi'.normalize('NFD'),
  category: 'sua-tuoi',
  brand: 'Vinamilk',
  unit: 'ml',
  size: 1000,
  sold_by: 'piece',
  price_vnd: 35_000,
  is_perishable: true,
  shelf_life_days: 10,
};
const weight: ProductWrite = {
  sku: 'TU-000002',
  name_en: 'Pork belly',
  name_vi: 'Ba chỉ heo',
  category: 'thit-heo',
  brand: 'CP',
  unit: 'g',
  size: 500,
  sold_by: 'weight',
  price_per_kg_vnd: 185_000,
  nominal_weight_g: 333,
  is_perishable: true,
  shelf_life_days: 3,
};
const fieldsOf = (w: ProductWrite): ProductFields => {
  const n = normalizeWrite(w.sku, w);
  if (!n.ok) throw new Error(JSON.stringify(n.errors));
  return n.fields;
};
const stored = (w: ProductWrite, extra: Partial<StoredProduct> = {}): StoredProduct => ({
  ...fieldsOf(w),
  version: 3,
  created_at: new Date('2026-01-01T00:00:00Z'),
  updated_at: new Date('2026-01-02T00:00:00Z'),
  deleted_at: null,
  in_stock: true,
  expires_soon: false,
  ...extra,
});

describe('derivedPrice', () => {
  it.each([
    [180_000, 500, 90_000],
    [185_000, 333, 61_605],
    [99_999, 1, 100], // 99.999 rounds up
    [1, 499, 0], // 0.499 rounds down
    [1, 500, 1], // half rounds up
  ])('%i/kg × %i g = %i', (perKg, grams, price) => {
    expect(derivedPrice(perKg, grams)).toBe(price);
  });
});

describe('normalizeWrite', () => {
  it('fills defaults, trims and NFC-normalises text, derives a weighted price', () => {
    expect(fieldsOf(piece)).toMatchObject({
      name_en: 'Fresh milk',
      name_vi: 'Sữa tươi'.normalize('NFC'),
      description_en: '',
      manufacturer: '',
      category_id: 'sua-tuoi',
      dietary: [],
      tags: [],
      image_urls: [],
      status: 'active',
      tax_category: 'VAT10_REDUCIBLE',
      price_per_kg_vnd: null,
    });
    expect(fieldsOf({ ...weight, tax_category: 'VAT5' }).tax_category).toBe('VAT5');
    expect(fieldsOf(weight)).toMatchObject({
      price_vnd: 61_605,
      price_per_kg_vnd: 185_000,
      nominal_weight_g: 333,
    });
    expect(fieldsOf({ ...weight, price_vnd: 61_605 }).price_vnd).toBe(61_605);
  });

  it.each<[string, Partial<ProductWrite>, string[]]>([
    ['weighted in pieces', { ...weight, unit: 'piece' }, ['/unit']],
    ['weighted in litres', { ...weight, unit: 'l' }, ['/unit']],
    ['weighted without per-kg price', { ...weight, price_per_kg_vnd: null }, ['/price_per_kg_vnd']],
    ['weighted without weight', { ...weight, nominal_weight_g: undefined }, ['/nominal_weight_g']],
    [
      'weighted without either',
      { ...weight, price_per_kg_vnd: undefined, nominal_weight_g: null },
      ['/price_per_kg_vnd', '/nominal_weight_g'],
    ],
    ['weighted with a price off by one', { ...weight, price_vnd: 61_606 }, ['/price_vnd']],
    [
      'weighted beyond the price ceiling',
      { ...weight, price_per_kg_vnd: 1_000_000_000, nominal_weight_g: 5000 },
      ['/price_vnd'],
    ],
    ['piece with a per-kg price', { ...piece, price_per_kg_vnd: 10_000 }, ['/price_per_kg_vnd']],
    ['piece with a weight', { ...piece, nominal_weight_g: 100 }, ['/nominal_weight_g']],
    ['piece without a price', { ...piece, price_vnd: undefined }, ['/price_vnd']],
    ['perishable without shelf life', { ...piece, shelf_life_days: undefined }, ['/shelf_life_days']],
    ['perishable with shelf life 0', { ...piece, shelf_life_days: 0 }, ['/shelf_life_days']],
    [
      'blank names and brand',
      { ...piece, name_en: ' ', name_vi: '\t', brand: '  ' },
      ['/name_en', '/name_vi', '/brand'],
    ],
  ])('rejects %s', (_name, input, fields) => {
    const result = normalizeWrite('TU-000009', input as ProductWrite);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(fields);
  });

  it.each<[string, Partial<ProductWrite>]>([
    ['not perishable, no shelf life', { ...piece, is_perishable: false, shelf_life_days: undefined }],
    ['not perishable with a shelf life', { ...piece, is_perishable: false, shelf_life_days: 730 }],
    ['a free product', { ...piece, price_vnd: 0 }],
    ['weighted in kg', { ...weight, unit: 'kg', size: 1 }],
  ])('accepts %s', (_name, input) => {
    expect(normalizeWrite('TU-000009', input as ProductWrite).ok).toBe(true);
  });
});

describe('write schema', () => {
  it.each<[string, unknown, string]>([
    ['unknown field', { ...piece, colour: 'red' }, '/colour'],
    ['bad SKU', { ...piece, sku: 'tu 1' }, '/sku'],
    ['negative price', { ...piece, price_vnd: -1 }, '/price_vnd'],
    ['price above 1e9', { ...piece, price_vnd: 1_000_000_001 }, '/price_vnd'],
    ['unknown dietary', { ...piece, dietary: ['paleo'] }, '/dietary/0'],
    ['duplicate tags', { ...piece, tags: ['a', 'a'] }, '/tags'],
    ['tag with spaces', { ...piece, tags: ['khuyen mai'] }, '/tags/0'],
    ['data: image', { ...piece, image_urls: ['data:image/png;base64,AAAA'] }, '/image_urls/0'],
    ['control character in a name', { ...piece, name_en: 'milk\u0000' }, '/name_en'],
    ['size 0', { ...piece, size: 0 }, '/size'],
    ['unknown status', { ...piece, status: 'archived' }, '/status'],
    ['unknown tax category', { ...piece, tax_category: 'VAT8' }, '/tax_category'],
    ['lower-case tax category', { ...piece, tax_category: 'vat5' }, '/tax_category'],
    ['null tax category', { ...piece, tax_category: null }, '/tax_category'],
  ])('reports %s', (_name, value, field) => {
    expect(schemaIssues(ProductWrite, value).map((i) => i.field)).toContain(field);
  });

  it('PUT bodies may leave the SKU out', () => {
    const { sku: _sku, ...rest } = piece;
    expect(schemaIssues(ProductReplace, rest)).toEqual([]);
    expect(schemaIssues(ProductWrite, rest).map((i) => i.field)).toContain('/sku');
  });
});

describe('planWrite', () => {
  const live = stored(piece);
  const deleted = stored(piece, { deleted_at: new Date(), version: 7 });
  const same = fieldsOf(piece);
  const changed = { ...same, price_vnd: 36_000 };
  it.each<[string, StoredProduct | undefined, ProductFields, 'create' | 'replace' | 'upsert', unknown]>([
    ['create new', undefined, same, 'create', { kind: 'create', version: 1 }],
    ['create over deleted', deleted, same, 'create', { kind: 'create', version: 8 }],
    ['create over live', live, same, 'create', { kind: 'conflict' }],
    ['replace missing', undefined, same, 'replace', { kind: 'missing' }],
    ['replace deleted', deleted, same, 'replace', { kind: 'missing' }],
    ['replace with the same', live, same, 'replace', { kind: 'unchanged' }],
    ['replace with a change', live, changed, 'replace', { kind: 'update', version: 4 }],
    ['upsert new', undefined, same, 'upsert', { kind: 'create', version: 1 }],
    ['upsert deleted', deleted, same, 'upsert', { kind: 'create', version: 8 }],
    ['upsert same', live, same, 'upsert', { kind: 'unchanged' }],
    ['upsert changed', live, changed, 'upsert', { kind: 'update', version: 4 }],
  ])('%s', (_name, existing, next, mode, plan) => {
    expect(planWrite(existing, next, mode)).toEqual(plan);
  });
});

describe('sameFields', () => {
  const a = fieldsOf({ ...piece, tags: ['a', 'b'], dietary: ['vegan'] });
  it.each<[string, Partial<ProductFields>, boolean]>([
    ['identical', {}, true],
    ['another price', { price_vnd: 1 }, false],
    ['tags reordered', { tags: ['b', 'a'] }, false],
    ['a tag more', { tags: ['a', 'b', 'c'] }, false],
    ['null vs value', { shelf_life_days: null }, false],
    ['another status', { status: 'draft' }, false],
    ['another tax category', { tax_category: 'VAT5' }, false],
  ])('%s → %s', (_name, change, equal) => {
    expect(sameFields(a, { ...a, ...change })).toBe(equal);
  });
});

describe('merge patch and the writable form', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['replaces a member', { a: 1, b: 2 }, { a: 3 }, { a: 3, b: 2 }],
    ['null removes', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['arrays replace', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['nested objects merge', { a: { x: 1, y: 2 } }, { a: { y: null, z: 3 } }, { a: { x: 1, z: 3 } }],
    ['a non-object patch replaces', { a: 1 }, [1], [1]],
    ['an empty patch keeps all', { a: 1 }, {}, { a: 1 }],
  ])('%s (RFC 7386)', (_name, target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it.each([
    ['piece', piece],
    ['weighted', weight],
    ['VAT5', { ...weight, tax_category: 'VAT5' } as ProductWrite],
    ['VAT10_EXCLUDED', { ...piece, tax_category: 'VAT10_EXCLUDED' } as ProductWrite],
  ])('the writable form of a stored %s product validates and round-trips', (_name, write) => {
    const f = fieldsOf(write);
    const writable = toWritable(f);
    expect(schemaIssues(ProductWrite, writable)).toEqual([]);
    expect(fieldsOf(writable as ProductWrite)).toEqual(f);
  });

  it('keeps the tax category through a patch that does not name it', () => {
    const f = fieldsOf({ ...weight, tax_category: 'VAT5' });
    const patched = mergePatch(toWritable(f), { price_per_kg_vnd: 200_000 }) as ProductWrite;
    expect(fieldsOf(patched).tax_category).toBe('VAT5');
  });

  it('leaves the derived price out, so a patched per-kg price derives a new one', () => {
    const f = fieldsOf(weight);
    const patched = mergePatch(toWritable(f), { price_per_kg_vnd: 200_000 }) as ProductWrite;
    expect(fieldsOf(patched).price_vnd).toBe(66_600);
  });
});

describe('snapshot', () => {
  it('is valid against the product contract', () => {
    const path = [
      { id: 'thit-ca', name_en: 'Meat & Fish', name_vi: 'Thịt & cá' },
      { id: 'thit-heo', name_en: 'Pork', name_vi: 'Thịt heo' },
    ];
    const snapshot = toSnapshot(stored({ ...weight, tax_category: 'VAT5' }), path);
    expect(schemaIssues(ProductSnapshot, snapshot)).toEqual([]);
    expect(snapshot).toMatchObject({
      tax_category: 'VAT5',
      version: 3,
      created_at: '2026-01-01T00:00:00.000Z',
      category_path: path,
    });
    expect(toSnapshot(stored(piece), path).tax_category).toBe('VAT10_REDUCIBLE');
  });
});

describe('entity tags', () => {
  const tag = productEtag('TU-000001', 4, 'vi', { in_stock: false, expires_soon: true });
  it('name SKU, version, language and flags', () => {
    expect(tag).toBe('"TU-000001-4-vi-s0e1"');
  });

  it.each<[string, string, boolean]>([
    ['the same tag', tag, true],
    ['another language and flags, same version', '"TU-000001-4-en-s1e0"', true],
    ['a weak tag of the version', `W/${tag}`, true],
    ['one of a list', `"x", ${tag}`, true],
    ['any', '*', true],
    ['an older version', '"TU-000001-3-vi-s0e1"', false],
    ['a tag of the same version in another shape', '"TU-000001-4-X"', true],
    ['another SKU', '"TU-000002-4-vi-s0e1"', false],
    ['a longer SKU sharing the prefix', '"TU-000001-1-4-vi-s0e1"', false],
    ['garbage', 'nonsense', false],
    ['empty', '', false],
  ])('If-Match with %s → %s', (_name, header, holds) => {
    expect(ifMatchHolds(header, 'TU-000001', 4)).toBe(holds);
  });

  it.each<[string, string | undefined, boolean]>([
    ['absent', undefined, false],
    ['the tag', tag, true],
    ['its weak form', `W/${tag}`, true],
    ['a list holding it', `"a", ${tag}`, true],
    ['*', '*', true],
    ['another tag', '"TU-000001-4-en-s0e1"', false],
  ])('If-None-Match %s → %s', (_name, header, hit) => {
    expect(ifNoneMatchHits(header, tag)).toBe(hit);
  });
});
