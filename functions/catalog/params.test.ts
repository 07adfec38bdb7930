import { encodeCursor } from './cursor';
import { parseExportQuery, parseListQuery } from './params';

describe('parseListQuery', () => {
  it('defaults: relevance, 24 per page, no filters', () => {
    expect(parseListQuery({}, 'en')).toMatchObject({
      sort: 'relevance',
      limit: 24,
      lang: 'en',
      filters: { dietary: [], tags: [], brand: [] },
    });
  });

  it('reads every filter; lists are sets (trimmed, de-duplicated, sorted)', () => {
    const q = parseListQuery(
      {
        category: 'rau-la',
        dietary: 'vegan, organic,vegan,',
        tags: 'local,promoted',
        brand: 'Vinamilk,TH true MILK',
        is_perishable: 'true',
        in_stock: 'false',
        expires_soon: 'true',
        price_min: '0',
        price_max: '1000000000',
        sort: 'price_desc',
        limit: '100',
        lang: 'vi',
      },
      'vi',
    );
    expect(q.filters).toEqual({
      category: 'rau-la',
      dietary: ['organic', 'vegan'],
      tags: ['local', 'promoted'],
      brand: ['TH true MILK', 'Vinamilk'],
      is_perishable: true,
      in_stock: false,
      expires_soon: true,
      price_min: 0,
      price_max: 1_000_000_000,
    });
    expect(q).toMatchObject({ sort: 'price_desc', limit: 100 });
  });

  it('the same filters in another order give the same fingerprint', () => {
    const a = parseListQuery({ dietary: 'vegan,organic', tags: 'b,a' }, 'en').fingerprint;
    expect(parseListQuery({ tags: 'a,b', dietary: 'organic,vegan' }, 'en').fingerprint).toBe(a);
    expect(parseListQuery({ tags: 'a,b', dietary: 'organic,vegan', limit: '5' }, 'en').fingerprint).toBe(a);
  });

  it.each<[Record<string, string>, string[]]>([
    [{ q: 'rau' }, ['/q']],
    [{ category: 'Rau Lá' }, ['/category']],
    [{ dietary: 'vegan,keto' }, ['/dietary']],
    [{ tags: 'a b' }, ['/tags']],
    [{ brand: 'x'.repeat(81) }, ['/brand']],
    [{ price_min: '-1' }, ['/price_min']],
    [{ price_min: '1e3' }, ['/price_min']],
    [{ price_max: '1000000001' }, ['/price_max']],
    [{ price_min: '5', price_max: '4' }, ['/price_min']],
    [{ in_stock: 'TRUE' }, ['/in_stock']],
    [{ sort: 'rating' }, ['/sort']],
    [{ limit: '0' }, ['/limit']],
    [{ limit: '24.5' }, ['/limit']],
    [{ lang: 'fr' }, ['/lang']],
    [{ colour: 'red', size: 'xl', limit: '0' }, ['/colour', '/size', '/limit']],
  ])('%j → 400 on %j', (raw, fields) => {
    try {
      parseListQuery(raw, 'en');
      throw new Error('accepted');
    } catch (err) {
      expect((err as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(fields);
    }
  });

  it('binds a cursor to its query', () => {
    const q = parseListQuery({ sort: 'price' }, 'en');
    const cursor = encodeCursor({ key: '35000', sku: 'TU-000001' }, q.fingerprint);
    expect(parseListQuery({ sort: 'price', cursor, limit: '5' }, 'en').after).toEqual({
      key: '35000',
      sku: 'TU-000001',
    });
    expect(() => parseListQuery({ sort: 'price_desc', cursor }, 'en')).toThrow('not valid for this query');
  });
});

describe('parseExportQuery', () => {
  it.each<[Record<string, string>, unknown]>([
    [{}, { limit: 500 }],
    [
      { after: 'TU-000010', limit: '2000' },
      { after: 'TU-000010', limit: 2000 },
    ],
  ])('%j', (raw, parsed) => {
    expect(parseExportQuery(raw)).toEqual(parsed);
  });

  it.each<Record<string, string>>([{ limit: '2001' }, { after: 'x' }, { cursor: 'a' }])('%j → 400', (raw) => {
    expect(() => parseExportQuery(raw)).toThrow('not valid');
  });
});
