/**
 * Staff writes against real PostgreSQL: every write emits exactly one contract-valid event in the
 * same transaction; no-ops emit nothing; duplicates are 409 and stale If-Match 412 (nothing
 * written); concurrent writers on one SKU lose nothing. Rejected input: write-validation.int.test.ts.
 */
import { checkEvent } from '../../events/check';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import {
  addTestCategories,
  counts,
  outboxEvents,
  outboxMark,
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
});
afterAll(async () => {
  await catalog.close();
  await db.drop();
});

type Json = Record<string, unknown>;
const create = async (body: Json) => catalog.call('POST', '/products', { json: body, staff: true });

/** Runs `fn` and returns the events it added to the outbox, each checked against the contract. */
async function eventsOf(fn: () => Promise<unknown>) {
  const mark = await outboxMark(db.pool);
  await fn();
  const events = await outboxEvents(db.pool, mark);
  for (const { outboxId: _id, ...event } of events) expect(checkEvent(event)).toMatchObject({ ok: true });
  return events;
}

describe('create', () => {
  it('answers 201 with the product, its location and tag, and emits one created event', async () => {
    let res!: Response;
    const events = await eventsOf(async () => {
      res = await create(productBody('TU-100001'));
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/products/TU-100001');
    expect(res.headers.get('etag')).toBe('"TU-100001-1-en-s1e0"');
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      sku: 'TU-100001',
      name: 'Fresh milk TU-100001',
      version: 1,
      status: 'active',
      category_name: 'Fresh Milk',
      category_path: [
        { id: 'sua-trung', name_en: 'Dairy & Eggs', name_vi: 'Sữa & trứng' },
        { id: 'sua-tuoi', name_en: 'Fresh Milk', name_vi: 'Sữa tươi' },
      ],
      in_stock: true,
      expires_soon: false,
      tax_category: 'VAT10_REDUCIBLE',
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'io.tuoi.catalog.product.created.v1',
      source: '/functions/catalog',
      subject: 'TU-100001',
      partitionkey: 'TU-100001',
      data: {
        sku: 'TU-100001',
        version: 1,
        price_vnd: 35_000,
        tax_category: 'VAT10_REDUCIBLE',
        category_path: [{ id: 'sua-trung' }, { id: 'sua-tuoi' }],
      },
    });
  });

  it('derives the price of a weighted item and answers in Vietnamese when asked', async () => {
    const res = await catalog.call('POST', '/products?lang=vi', {
      json: weightedBody('TU-100002'),
      staff: true,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-language')).toBe('vi');
    expect(await res.json()).toMatchObject({
      price_vnd: 90_000,
      price_per_kg_vnd: 180_000,
      nominal_weight_g: 500,
      name: 'Ba chỉ heo TU-100002',
      category_name: 'Thịt heo',
    });
  });

  it('answers 409 to a duplicate live SKU and writes nothing', async () => {
    const before = await counts(db.pool);
    const res = await create(productBody('TU-100001', { name_en: 'Other' }));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await counts(db.pool)).toEqual(before);
  });

  it('stores text that looks like SQL verbatim (parameters, never concatenation)', async () => {
    const name = `'; DROP TABLE catalog.products; --`;
    const res = await create(productBody('TU-100003', { name_en: name, brand: `Robert'); --` }));
    expect(res.status).toBe(201);
    const got = (await (await catalog.call('GET', '/products/TU-100003')).json()) as Json;
    expect(got).toMatchObject({ name_en: name, brand: `Robert'); --` });
  });
});

describe('replace, patch, delete', () => {
  beforeAll(async () => {
    expect((await create(productBody('TU-200001'))).status).toBe(201);
    expect((await create(weightedBody('TU-200002'))).status).toBe(201);
  });

  it('PUT replaces every writable field: version + 1, one updated event', async () => {
    let res!: Response;
    const events = await eventsOf(async () => {
      res = await catalog.call('PUT', '/products/TU-200001', {
        json: productBody('TU-200001', { price_vnd: 36_000, description_en: undefined, tags: [] }),
        staff: true,
      });
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, price_vnd: 36_000, description_en: '', tags: [] });
    expect(events.map((e) => [e.type, (e.data as Json).version])).toEqual([
      ['io.tuoi.catalog.product.updated.v1', 2],
    ]);
  });

  it('an update that changes nothing answers 200 with no new version and no event', async () => {
    const body = productBody('TU-200001', { price_vnd: 36_000, description_en: undefined, tags: [] });
    const { sku: _sku, ...withoutSku } = body;
    for (const json of [body, withoutSku]) {
      const events = await eventsOf(async () => {
        const res = await catalog.call('PUT', '/products/TU-200001', { json, staff: true });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ version: 2 });
      });
      expect(events).toEqual([]);
    }
    const patched = await eventsOf(async () => {
      const res = await catalog.call('PATCH', '/products/TU-200001', {
        json: { price_vnd: 36_000 },
        staff: true,
      });
      expect(await res.json()).toMatchObject({ version: 2 });
    });
    expect(patched).toEqual([]);
  });

  it('PATCH merges: null resets an optional field; a weighted price is derived again', async () => {
    const res = await catalog.call('PATCH', '/products/TU-200001', {
      json: { manufacturer: null, dietary: ['vegetarian', 'halal'] },
      headers: { 'content-type': 'application/merge-patch+json' },
      staff: true,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      version: 3,
      manufacturer: '',
      dietary: ['vegetarian', 'halal'],
    });
    const weighted = await catalog.call('PATCH', '/products/TU-200002', {
      json: { price_per_kg_vnd: 200_000 },
      staff: true,
    });
    expect(await weighted.json()).toMatchObject({
      version: 2,
      price_vnd: 100_000,
      price_per_kg_vnd: 200_000,
    });
  });

  it('If-Match: a stale tag is 412 and writes nothing; the current one (any language) or * passes', async () => {
    const before = await counts(db.pool);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await catalog.call(method, '/products/TU-200001', {
        json: method === 'PUT' ? productBody('TU-200001') : { price_vnd: 1 },
        headers: { 'if-match': '"TU-200001-1-en-s1e0"' },
        staff: true,
      });
      expect(res.status).toBe(412);
      expect(await res.json()).toMatchObject({
        type: 'https://tuoi.vn/problems/precondition-failed',
        version: 3,
      });
    }
    expect(await counts(db.pool)).toEqual(before);
    const current = (await catalog.call('GET', '/products/TU-200001?lang=vi')).headers.get('etag')!;
    expect(current).toBe('"TU-200001-3-vi-s1e0"');
    const ok = await catalog.call('PATCH', '/products/TU-200001', {
      json: { price_vnd: 37_000 },
      headers: { 'if-match': `W/"x", ${current}` },
      staff: true,
    });
    expect(ok.status).toBe(200);
    const star = await catalog.call('PATCH', '/products/TU-200001', {
      json: { price_vnd: 38_000 },
      headers: { 'if-match': '*' },
      staff: true,
    });
    expect(await star.json()).toMatchObject({ version: 5, price_vnd: 38_000 });
  });

  it('concurrent PATCHes on one SKU are all applied (row lock): version + n, n events', async () => {
    const before = (await (await catalog.call('GET', '/products/TU-200002')).json()) as Json;
    const patches = [
      { brand: 'CP' },
      { tags: ['bbq'] },
      { manufacturer: 'CP Vietnam' },
      { shelf_life_days: 4 },
    ];
    const events = await eventsOf(async () => {
      const results = await Promise.all(
        patches.map((json) => catalog.call('PATCH', '/products/TU-200002', { json, staff: true })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    });
    const after = (await (await catalog.call('GET', '/products/TU-200002')).json()) as Json;
    expect(after).toMatchObject({
      brand: 'CP',
      tags: ['bbq'],
      manufacturer: 'CP Vietnam',
      shelf_life_days: 4,
    });
    expect(after.version).toBe((before.version as number) + patches.length);
    expect(events.map((e) => (e.data as Json).version)).toEqual(
      patches.map((_, i) => (before.version as number) + i + 1),
    );
  });

  it('DELETE soft-deletes (204, one deleted event); the SKU can be created again with the next version', async () => {
    const version = ((await (await catalog.call('GET', '/products/TU-200001')).json()) as Json)
      .version as number;
    const deleted = await eventsOf(async () => {
      const res = await catalog.call('DELETE', '/products/TU-200001', { staff: true });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
    });
    expect(deleted).toMatchObject([
      { type: 'io.tuoi.catalog.product.deleted.v1', data: { sku: 'TU-200001', version: version + 1 } },
    ]);
    expect((await catalog.call('GET', '/products/TU-200001')).status).toBe(404);
    expect((await catalog.call('DELETE', '/products/TU-200001', { staff: true })).status).toBe(404);
    expect((await catalog.call('PATCH', '/products/TU-200001', { json: {}, staff: true })).status).toBe(404);
    const again = await eventsOf(async () => {
      const res = await create(productBody('TU-200001'));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ version: version + 2 });
    });
    expect(again).toMatchObject([
      { type: 'io.tuoi.catalog.product.created.v1', data: { version: version + 2 } },
    ]);
  });
});

describe('tax category', () => {
  const taxOf = async (sku: string) =>
    ((await (await catalog.call('GET', `/products/${sku}`)).json()) as Json).tax_category;
  const dataOf = (events: { data: unknown }[]) => events.map((e) => (e.data as Json).tax_category);

  it('round-trips through create, GET, PATCH and PUT, in every event', async () => {
    let res!: Response;
    const created = await eventsOf(async () => {
      res = await create(weightedBody('TU-400001', { tax_category: 'VAT5' }));
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ tax_category: 'VAT5', version: 1 });
    expect(dataOf(created)).toEqual(['VAT5']);
    expect(await taxOf('TU-400001')).toBe('VAT5');

    // A patch of another field keeps it; a patch of it is a change like any other.
    const other = await eventsOf(() =>
      catalog.call('PATCH', '/products/TU-400001', { json: { shelf_life_days: 2 }, staff: true }),
    );
    expect(dataOf(other)).toEqual(['VAT5']);
    const changed = await eventsOf(async () => {
      res = await catalog.call('PATCH', '/products/TU-400001', {
        json: { tax_category: 'VAT10_EXCLUDED' },
        staff: true,
      });
    });
    expect(await res.json()).toMatchObject({ tax_category: 'VAT10_EXCLUDED', version: 3 });
    expect(dataOf(changed)).toEqual(['VAT10_EXCLUDED']);
    expect(await taxOf('TU-400001')).toBe('VAT10_EXCLUDED');
    const same = await eventsOf(() =>
      catalog.call('PATCH', '/products/TU-400001', { json: { tax_category: 'VAT10_EXCLUDED' }, staff: true }),
    );
    expect(same).toEqual([]);

    // null in a merge patch and a PUT that leaves it out both mean the default, as for any optional field.
    const reset = await eventsOf(() =>
      catalog.call('PATCH', '/products/TU-400001', { json: { tax_category: null }, staff: true }),
    );
    expect(dataOf(reset)).toEqual(['VAT10_REDUCIBLE']);
    await catalog.call('PATCH', '/products/TU-400001', { json: { tax_category: 'EXEMPT' }, staff: true });
    const put = await eventsOf(async () => {
      res = await catalog.call('PUT', '/products/TU-400001', {
        json: weightedBody('TU-400001'),
        staff: true,
      });
    });
    expect(await res.json()).toMatchObject({ tax_category: 'VAT10_REDUCIBLE' });
    expect(dataOf(put)).toEqual(['VAT10_REDUCIBLE']);
  });

  it('the export carries it', async () => {
    await create(productBody('TU-400002', { tax_category: 'EXEMPT' }));
    const res = await catalog.call('GET', '/products/export?after=TU-400001&limit=1', { staff: true });
    const page = (await res.json()) as { items: { product: Json }[] };
    expect(page.items[0]!.product).toMatchObject({ sku: 'TU-400002', tax_category: 'EXEMPT' });
  });
});
