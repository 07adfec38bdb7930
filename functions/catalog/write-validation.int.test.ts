/**
 * Rejected staff writes against real PostgreSQL: a missing or wrong token, and a table of bad
 * input (schema, weighted-item and perishable rules, SQL-looking strings, unknown SKUs), each
 * answered 4xx with field errors and with nothing written (rows and outbox counted before/after).
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import {
  addTestCategories,
  counts,
  productBody,
  startCatalog,
  weightedBody,
  type RunningCatalog,
} from './testing';

let db: TestDatabase;
let catalog: RunningCatalog;
beforeAll(async () => {
  db = await freshDatabase();
  await addTestCategories(db.pool);
  catalog = await startCatalog(db.url);
  const res = await catalog.call('POST', '/products', { json: productBody('TU-100001'), staff: true });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await catalog.close();
  await db.drop();
});

describe('auth', () => {
  it.each([
    ['POST', '/products'],
    ['PUT', '/products/TU-100001'],
    ['PATCH', '/products/TU-100001'],
    ['DELETE', '/products/TU-100001'],
    ['POST', '/products/import'],
    ['GET', '/products/export'],
  ])(
    '%s %s without or with a wrong token → 401 with a Bearer challenge, nothing written',
    async (method, path) => {
      const before = await counts(db.pool);
      for (const authorization of [
        undefined,
        'Bearer wrong-token-wrong-token',
        'Basic dXNlcjpwYXNz',
        'Bearer',
      ]) {
        const res = await catalog.call(method, path, {
          json:
            method === 'GET' || method === 'DELETE' ? undefined : productBody('TU-100001', { price_vnd: -1 }),
          headers: authorization ? { authorization } : {},
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
      expect(await counts(db.pool)).toEqual(before);
    },
  );
});

describe('bad input: 4xx with field errors and nothing written', () => {
  const injection = `'; DROP TABLE catalog.products; --`;
  const cases: [string, string, string, unknown, number, string | undefined][] = [
    ['unknown field', 'POST', '/products', productBody('TU-300001', { admin: true }), 400, '/admin'],
    ['unknown query parameter', 'POST', '/products?dry_run=true', productBody('TU-300001'), 400, '/dry_run'],
    [
      'unknown query parameter on PATCH',
      'PATCH',
      '/products/TU-100001?force=1',
      { price_vnd: 1 },
      400,
      '/force',
    ],
    ['lower-case SKU', 'POST', '/products', productBody('tu-300001'), 400, '/sku'],
    ['SQL in the SKU', 'POST', '/products', productBody(injection), 400, '/sku'],
    [
      'SQL in the category',
      'POST',
      '/products',
      productBody('TU-300001', { category: injection }),
      400,
      '/category',
    ],
    [
      'unknown category',
      'POST',
      '/products',
      productBody('TU-300001', { category: 'khong-co' }),
      400,
      '/category',
    ],
    ['negative price', 'POST', '/products', productBody('TU-300001', { price_vnd: -1 }), 400, '/price_vnd'],
    ['absurd price', 'POST', '/products', productBody('TU-300001', { price_vnd: 1e12 }), 400, '/price_vnd'],
    [
      'fractional price',
      'POST',
      '/products',
      productBody('TU-300001', { price_vnd: 1.5 }),
      400,
      '/price_vnd',
    ],
    [
      'price as text',
      'POST',
      '/products',
      productBody('TU-300001', { price_vnd: '35000' }),
      400,
      '/price_vnd',
    ],
    [
      'unknown dietary',
      'POST',
      '/products',
      productBody('TU-300001', { dietary: ['keto'] }),
      400,
      '/dietary/0',
    ],
    ['bad tag', 'POST', '/products', productBody('TU-300001', { tags: ['Khuyến Mãi'] }), 400, '/tags/0'],
    [
      'script image url',
      'POST',
      '/products',
      productBody('TU-300001', { image_urls: ['javascript:alert(1)'] }),
      400,
      '/image_urls/0',
    ],
    ['empty name', 'POST', '/products', productBody('TU-300001', { name_vi: '   ' }), 400, '/name_vi'],
    [
      'name too long',
      'POST',
      '/products',
      productBody('TU-300001', { name_en: 'x'.repeat(201) }),
      400,
      '/name_en',
    ],
    ['weighted in pieces', 'POST', '/products', weightedBody('TU-300001', { unit: 'piece' }), 400, '/unit'],
    [
      'weighted without price per kg',
      'POST',
      '/products',
      weightedBody('TU-300001', { price_per_kg_vnd: null }),
      400,
      '/price_per_kg_vnd',
    ],
    [
      'weighted without weight',
      'POST',
      '/products',
      weightedBody('TU-300001', { nominal_weight_g: undefined }),
      400,
      '/nominal_weight_g',
    ],
    [
      'weighted with a wrong price',
      'POST',
      '/products',
      weightedBody('TU-300001', { price_vnd: 90_001 }),
      400,
      '/price_vnd',
    ],
    [
      'piece with a price per kg',
      'POST',
      '/products',
      productBody('TU-300001', { price_per_kg_vnd: 1000 }),
      400,
      '/price_per_kg_vnd',
    ],
    [
      'piece without a price',
      'POST',
      '/products',
      productBody('TU-300001', { price_vnd: undefined }),
      400,
      '/price_vnd',
    ],
    [
      'perishable without shelf life',
      'POST',
      '/products',
      productBody('TU-300001', { shelf_life_days: 0 }),
      400,
      '/shelf_life_days',
    ],
    [
      'unknown tax category',
      'POST',
      '/products',
      productBody('TU-300001', { tax_category: 'VAT8' }),
      400,
      '/tax_category',
    ],
    [
      'tax category as a rate',
      'POST',
      '/products',
      productBody('TU-300001', { tax_category: 10 }),
      400,
      '/tax_category',
    ],
    [
      'PUT with a lower-case tax category',
      'PUT',
      '/products/TU-100001',
      productBody('TU-100001', { tax_category: 'vat5' }),
      400,
      '/tax_category',
    ],
    [
      'PATCH with an unknown tax category',
      'PATCH',
      '/products/TU-100001',
      { tax_category: 'EXEMPTED' },
      400,
      '/tax_category',
    ],
    ['array body', 'POST', '/products', [productBody('TU-300001')], 400, '/'],
    ['PUT with another SKU in the body', 'PUT', '/products/TU-100001', productBody('TU-100009'), 400, '/sku'],
    ['PUT on a bad SKU', 'PUT', '/products/abc', productBody('TU-100001'), 400, '/sku'],
    ['PUT on an unknown SKU', 'PUT', '/products/TU-999999', productBody('TU-999999'), 404, undefined],
    ['PATCH with a non-object', 'PATCH', '/products/TU-100001', [1], 400, '/'],
    ['PATCH removing a required field', 'PATCH', '/products/TU-100001', { brand: null }, 400, '/brand'],
    ['PATCH with an unknown field', 'PATCH', '/products/TU-100001', { colour: 'red' }, 400, '/colour'],
    ['PATCH with SQL in a field', 'PATCH', '/products/TU-100001', { unit: injection }, 400, '/unit'],
    ['DELETE on a bad SKU', 'DELETE', `/products/${encodeURIComponent(injection)}`, undefined, 400, '/sku'],
  ];
  it.each(cases)('%s (%s %s)', async (_name, method, path, json, status, field) => {
    const before = await counts(db.pool);
    const res = await catalog.call(method, path, { json, staff: true });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { errors?: { field: string }[] };
    if (field) expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await counts(db.pool)).toEqual(before);
  });

  it.each([
    ['malformed JSON', { 'content-type': 'application/json' }, '{"sku": ', 400],
    ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'sku=TU-1', 415],
  ])('%s', async (_name, headers, body, status) => {
    const before = await counts(db.pool);
    const res = await catalog.call('POST', '/products', { headers, body, staff: true });
    expect(res.status).toBe(status);
    expect(await counts(db.pool)).toEqual(before);
  });

  it('the products table is still there', async () => {
    expect(
      (await db.pool.query(`SELECT count(*)::int AS n FROM catalog.products`)).rows[0].n,
    ).toBeGreaterThan(0);
  });
});
