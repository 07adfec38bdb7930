import { progressBar, spreadSales } from './seed';
import type { Category } from './store';
import { shortLived } from './routes-read';
import { bodyEtag, toCategoryTree } from './views';

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

describe('seed helpers', () => {
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
