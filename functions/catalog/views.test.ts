import type { ProductSnapshot } from '../../events';
import { progressBar, seedRow, spreadSales, type SeedProduct } from './seed';
import type { Category } from './store';
import { shortLived } from './routes-read';
import type { PromotedRow } from './store-listing';
import { bodyEtag, toCategoryTree, toProductView, toPromotedCard } from './views';

const cat = (id: string, parent: string | null, path: string[]): Category => ({
  id,
  parent_id: parent,
  name_en: `${id} en`,
  name_vi: `${id} vi`,
  position: 0,
  path,
});

describe('toCategoryTree', () => {
  const categories = [
    cat('a', null, ['a']),
    cat('b', null, ['b']),
    cat('a1', 'a', ['a', 'a1']),
    cat('a2', 'a', ['a', 'a2']),
    cat('a1x', 'a1', ['a', 'a1', 'a1x']),
  ];
  it('nests and sums counts over descendants', () => {
    const tree = toCategoryTree(
      categories,
      new Map([
        ['a1x', 3],
        ['a2', 2],
        ['a', 1],
      ]),
      'vi',
    );
    expect(tree).toEqual([
      {
        id: 'a',
        name: 'a vi',
        name_en: 'a en',
        name_vi: 'a vi',
        product_count: 6,
        children: [
          expect.objectContaining({
            id: 'a1',
            product_count: 3,
            children: [expect.objectContaining({ id: 'a1x', product_count: 3, children: [] })],
          }),
          expect.objectContaining({ id: 'a2', product_count: 2 }),
        ],
      },
      expect.objectContaining({ id: 'b', name: 'b vi', product_count: 0, children: [] }),
    ]);
  });
});

describe('bodyEtag', () => {
  it('is strong, equal for equal bodies and different otherwise', () => {
    expect(bodyEtag({ a: 1 })).toMatch(/^"[\w-]{27}"$/);
    expect(bodyEtag({ a: 1 })).toBe(bodyEtag({ a: 1 }));
    expect(bodyEtag({ a: 2 })).not.toBe(bodyEtag({ a: 1 }));
  });
});

const snapshot: ProductSnapshot = {
  sku: 'TU-000001',
  name_en: 'Lager',
  name_vi: 'Bia',
  description_en: '',
  description_vi: '',
  category_path: [{ id: 'bia', name_en: 'Beer', name_vi: 'Bia' }],
  brand: 'Sabeco',
  manufacturer: '',
  unit: 'ml',
  size: 330,
  sold_by: 'piece',
  price_vnd: 16_000,
  price_per_kg_vnd: null,
  nominal_weight_g: null,
  dietary: [],
  tags: [],
  is_perishable: false,
  shelf_life_days: null,
  tax_category: 'VAT10_EXCLUDED',
  image_urls: [],
  status: 'active',
  created_at: '2026-11-22T00:00:00.000Z',
  updated_at: '2026-11-22T00:00:00.000Z',
  version: 1,
};

describe('toProductView', () => {
  it('shows the tax category; an entry cached before the field existed shows the default', () => {
    const flags = { in_stock: true, expires_soon: false };
    expect(toProductView({ product: snapshot, ...flags }, 'vi')).toMatchObject({
      tax_category: 'VAT10_EXCLUDED',
      name: 'Bia',
      category_id: 'bia',
    });
    const { tax_category: _t, ...old } = snapshot;
    expect(toProductView({ product: old, ...flags }, 'en').tax_category).toBe('VAT10_REDUCIBLE');
  });
});

describe('toPromotedCard', () => {
  it('is the card plus the badges in order, each labelled in the language', () => {
    const row = {
      sku: 'TU-000001',
      name_en: 'Lager',
      name_vi: 'Bia',
      brand: 'Sabeco',
      category_id: 'bia',
      category_name_en: 'Beer',
      category_name_vi: 'Bia',
      price_vnd: 16_000,
      price_per_kg_vnd: null,
      unit: 'ml',
      size: 330,
      sold_by: 'piece',
      image_url: null,
      dietary: [],
      in_stock: true,
      expires_soon: false,
      units_sold_7d: 3,
      sort_key: '',
      promotions: [
        { id: 'tet', label_en: '2 for 1', label_vi: 'Mua 1 tặng 1', kind: 'buy_x_get_y' },
        { id: 'bia-10', label_en: '10% off', label_vi: 'Giảm 10%', kind: 'percentage' },
      ],
    } satisfies PromotedRow;
    const card = toPromotedCard(row, 'vi');
    expect(card).toMatchObject({ sku: 'TU-000001', name: 'Bia', category: { id: 'bia', name: 'Bia' } });
    expect(card).not.toHaveProperty('units_sold_7d');
    expect(card.promotions).toEqual([
      {
        id: 'tet',
        label: 'Mua 1 tặng 1',
        label_en: '2 for 1',
        label_vi: 'Mua 1 tặng 1',
        kind: 'buy_x_get_y',
      },
      { id: 'bia-10', label: 'Giảm 10%', label_en: '10% off', label_vi: 'Giảm 10%', kind: 'percentage' },
    ]);
    expect(toPromotedCard(row, 'en').promotions.map((p) => p.label)).toEqual(['2 for 1', '10% off']);
  });
});

describe('seed helpers', () => {
  it('makes a row of a seed product, with the default tax category when it has none', () => {
    const { category_path: _p, created_at: _c, updated_at: _u, version: _v, ...fields } = snapshot;
    const product: SeedProduct = { ...fields, category: 'bia', created_days_ago: 2 };
    const now = Date.parse('2026-11-22T00:00:00Z');
    expect(seedRow(product, now)).toMatchObject({
      category_id: 'bia',
      tax_category: 'VAT10_EXCLUDED',
      version: 1,
      created_at: new Date('2026-11-20T00:00:00Z'),
    });
    const { tax_category: _t, ...untaxed } = product;
    expect(seedRow(untaxed, now).tax_category).toBe('VAT10_REDUCIBLE');
  });

  it.each([
    [0, 50_000, '\r[....................] 0/50000'],
    [20_000, 50_000, '\r[########............] 20000/50000'],
    [50_000, 50_000, '\r[####################] 50000/50000'],
  ])('progress %i/%i', (done, total, bar) => {
    expect(progressBar(done, total)).toBe(bar);
  });

  it('spreads 7-day totals over seven days, keeping every total', () => {
    const rows = spreadSales(
      new Map([
        ['A', 23],
        ['B', 3],
        ['C', 0],
      ]),
      '2026-11-22',
    );
    const sum = (sku: string) => rows.filter((r) => r.sku === sku).reduce((n, r) => n + r.units, 0);
    expect([sum('A'), sum('B'), sum('C')]).toEqual([23, 3, 0]);
    expect(new Set(rows.map((r) => r.day))).toEqual(
      new Set([
        '2026-11-22',
        '2026-11-21',
        '2026-11-20',
        '2026-11-19',
        '2026-11-18',
        '2026-11-17',
        '2026-11-16',
      ]),
    );
    expect(rows.filter((r) => r.sku === 'B')).toEqual([{ sku: 'B', day: '2026-11-22', units: 3 }]);
    expect(rows.every((r) => r.units > 0)).toBe(true);
  });
});

describe('shortLived', () => {
  it('shares one load within the TTL', async () => {
    let loads = 0;
    const get = shortLived(60_000, async () => ++loads);
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    const always = shortLived(0, async () => ++loads);
    expect([await always(), await always()]).toEqual([2, 3]);
  });

  it('forgets a failed load at once', async () => {
    let loads = 0;
    const get = shortLived(60_000, async () => {
      loads++;
      throw new Error('down');
    });
    await expect(get()).rejects.toThrow('down');
    await expect(get()).rejects.toThrow('down');
    expect(loads).toBe(2);
  });
});
