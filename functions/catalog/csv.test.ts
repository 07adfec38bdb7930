import { parseCsv, productRowFromCsv, type CsvRow } from './csv';

const rows = (...r: [number, Record<string, string>][]): CsvRow[] =>
  r.map(([line, values]) => ({ line, values }));

describe('parseCsv', () => {
  it.each<[string, string, string[], CsvRow[]]>([
    [
      'LF line ends',
      'sku,price\nTU-1,100\nTU-2,200',
      ['sku', 'price'],
      rows([2, { sku: 'TU-1', price: '100' }], [3, { sku: 'TU-2', price: '200' }]),
    ],
    [
      'CRLF line ends',
      'sku,price\r\nTU-1,100\r\nTU-2,200\r\n',
      ['sku', 'price'],
      rows([2, { sku: 'TU-1', price: '100' }], [3, { sku: 'TU-2', price: '200' }]),
    ],
    ['lone CR line ends', 'a,b\r1,2\r', ['a', 'b'], rows([2, { a: '1', b: '2' }])],
    [
      'a UTF-8 BOM',
      '\uFEFFsku,brand\nTU-1,Vinamilk\n',
      ['sku', 'brand'],
      rows([2, { sku: 'TU-1', brand: 'Vinamilk' }]),
    ],
    ['trailing empty lines', 'a,b\n1,2\n\n\r\n', ['a', 'b'], rows([2, { a: '1', b: '2' }])],
    ['only a header', 'a,b\n', ['a', 'b'], []],
    [
      'a trimmed, lower-cased header',
      ' SKU , Name_VI\nTU-1, x ',
      ['sku', 'name_vi'],
      rows([2, { sku: 'TU-1', name_vi: ' x ' }]),
    ],
    [
      'empty fields and a trailing comma',
      'a,b,c\n,,\n1,,',
      ['a', 'b', 'c'],
      rows([2, { a: '', b: '', c: '' }], [3, { a: '1', b: '', c: '' }]),
    ],
    ['quoted commas', 'a,b\n"Gạo ST25, 5 kg",2', ['a', 'b'], rows([2, { a: 'Gạo ST25, 5 kg', b: '2' }])],
    [
      'escaped quotes',
      'a,b\n"Bánh ""Chocopie""",""""',
      ['a', 'b'],
      rows([2, { a: 'Bánh "Chocopie"', b: '"' }]),
    ],
    ['an empty quoted field', 'a,b\n"",x', ['a', 'b'], rows([2, { a: '', b: 'x' }])],
    [
      'a bare quote inside an unquoted field',
      'a,b\n12" pizza,x',
      ['a', 'b'],
      rows([2, { a: '12" pizza', b: 'x' }]),
    ],
    [
      'embedded newlines (lines count physically)',
      'a,b\n"dòng 1\ndòng 2\r\ndòng 3",x\ny,z\n',
      ['a', 'b'],
      rows([2, { a: 'dòng 1\ndòng 2\r\ndòng 3', b: 'x' }], [5, { a: 'y', b: 'z' }]),
    ],
    ['a quoted last field at the end', 'a,b\n1,"x"', ['a', 'b'], rows([2, { a: '1', b: 'x' }])],
    [
      'a quoted field before CRLF, then a lone CR inside quotes',
      'a,b\r\n"x",1\r\n"p\rq",2\r\nlast,3',
      ['a', 'b'],
      rows([2, { a: 'x', b: '1' }], [3, { a: 'p\rq', b: '2' }], [5, { a: 'last', b: '3' }]),
    ],
    [
      'a quoted header',
      '"sku","name, en"\nTU-1,x',
      ['sku', 'name, en'],
      rows([2, { sku: 'TU-1', 'name, en': 'x' }]),
    ],
    [
      'Vietnamese NFD input, normalised to NFC',
      'TÊN\nRau muống Đà Lạt'.normalize('NFD'),
      ['tên'],
      rows([2, { tên: 'Rau muống Đà Lạt' }]),
    ],
  ])('parses %s', (_name, text, header, expected) => {
    expect(parseCsv(text)).toEqual({ ok: true, header, rows: expected });
  });

  it('produces NFC strings from NFD input', () => {
    const result = parseCsv('name_vi\nNước mắm Phú Quốc\n'.normalize('NFD'));
    if (!result.ok) throw new Error(result.error.message);
    const value = result.rows[0]!.values.name_vi!;
    expect(value).toBe('Nước mắm Phú Quốc'.normalize('NFC'));
    expect(value.length).toBe(17);
  });

  it('keeps a "__proto__" column as an own value', () => {
    const result = parseCsv('sku,__proto__\nTU-1,x\n');
    if (!result.ok) throw new Error(result.error.message);
    const values = result.rows[0]!.values;
    expect(Object.keys(values)).toEqual(['sku', '__proto__']);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it.each<[string, string, { maxRows?: number; maxFieldLength?: number }, number, RegExp]>([
    ['an empty file', '', {}, 1, /empty/],
    ['a file with only a BOM and line ends', '\uFEFF\r\n\n', {}, 1, /empty/],
    ['an empty header name', 'sku,,price\n', {}, 1, /column 2 has no name/],
    ['a blank header name', 'sku, \n', {}, 1, /column 2 has no name/],
    ['a duplicate header name', 'sku,Price,PRICE \n', {}, 1, /"price" appears more than once/],
    ['a row with too few fields', 'a,b\n1,2\n3\n', {}, 3, /Expected 2 fields .*found 1/],
    ['a row with too many fields', 'a,b\n1,2,3\n', {}, 2, /Expected 2 fields .*found 3/],
    ['a blank line in the middle', 'a,b\n1,2\n\n3,4\n', {}, 3, /found 1/],
    ['a ragged row after a multi-line field', 'a,b\n"x\ny",1\n2\n', {}, 4, /found 1/],
    [
      'an unterminated quote',
      'a,b\n1,2\n3,"Sữa tươi\n4,5\n',
      {},
      3,
      /Unterminated quoted field \(opened on line 3\)/,
    ],
    [
      'an unterminated quote in a multi-line record',
      'a,b\n"x\ny","z\n',
      {},
      2,
      /Unterminated quoted field \(opened on line 3\)/,
    ],
    ['an unterminated quoted header', '"a,b\n', {}, 1, /Unterminated/],
    ['text after a closing quote', 'a,b\n"x"y,1\n', {}, 2, /after a closing quote/],
    ['too many rows', 'a\n1\n2\n3\n', { maxRows: 2 }, 4, /More than 2 data rows/],
    ['a field too long', 'a,b\n1,12345\n', { maxFieldLength: 4 }, 2, /Field 2 is longer than 4/],
    ['a quoted field too long', 'a\n"12\n345"\n', { maxFieldLength: 4 }, 2, /Field 1 is longer than 4/],
    ['a header too long', 'abcde\n', { maxFieldLength: 4 }, 1, /longer than 4/],
  ])('rejects %s', (_name, text, opts, line, message) => {
    const result = parseCsv(text, opts);
    expect(result).toMatchObject({ ok: false, error: { line } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it('accepts exactly maxRows rows and fields of exactly maxFieldLength', () => {
    expect(parseCsv('a\n1234\n5678\n', { maxRows: 2, maxFieldLength: 4 }).ok).toBe(true);
  });

  it('parses a 100,000-row import completely', () => {
    const header = 'sku,name_en,name_vi,description_vi,price_vnd,tags';
    const line = (i: number) =>
      `TU-${i},Water Spinach ${i},Rau muống ${i},"Rau sạch, giòn ""ngon""",${18000 + i},rau-sach|vietgap`;
    const text = [header, ...Array.from({ length: 100_000 }, (_, i) => line(i))].join('\r\n');
    const result = parseCsv(text, { maxRows: 100_000 });
    expect(result.ok && result.rows.length).toBe(100_000);
    expect(result.ok && result.rows[99_999]).toMatchObject({ line: 100_001, values: { sku: 'TU-99999' } });
  });
});

describe('productRowFromCsv', () => {
  it('maps a complete row', () => {
    expect(
      productRowFromCsv({
        sku: ' TU-004217 ',
        name_en: 'Dalat GAP Water Spinach 500 g',
        name_vi: 'Rau muống Đà Lạt GAP 500 g',
        description_en: 'Crisp, VietGAP-certified.',
        description_vi: 'Giòn, đạt chuẩn VietGAP.',
        category: 'rau-la',
        brand: 'Đà Lạt GAP',
        manufacturer: 'HTX Đà Lạt GAP',
        unit: 'g',
        size: '500',
        sold_by: 'piece',
        price_vnd: '18500',
        price_per_kg_vnd: '',
        nominal_weight_g: '',
        dietary: 'vegan | vegetarian|',
        tags: 'rau-sach|vietgap',
        is_perishable: 'Yes',
        shelf_life_days: '4',
        tax_category: ' VAT5 ',
        image_urls: 'https://cdn.tuoi.io/a.jpg',
        status: 'draft',
      }),
    ).toEqual({
      sku: 'TU-004217',
      name_en: 'Dalat GAP Water Spinach 500 g',
      name_vi: 'Rau muống Đà Lạt GAP 500 g',
      description_en: 'Crisp, VietGAP-certified.',
      description_vi: 'Giòn, đạt chuẩn VietGAP.',
      category: 'rau-la',
      brand: 'Đà Lạt GAP',
      manufacturer: 'HTX Đà Lạt GAP',
      unit: 'g',
      size: 500,
      sold_by: 'piece',
      price_vnd: 18500,
      dietary: ['vegan', 'vegetarian'],
      tags: ['rau-sach', 'vietgap'],
      is_perishable: true,
      shelf_life_days: 4,
      tax_category: 'VAT5',
      image_urls: ['https://cdn.tuoi.io/a.jpg'],
      status: 'draft',
    });
  });

  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    [
      'a weighted item',
      { sold_by: 'weight', unit: 'kg', size: '0.5', price_per_kg_vnd: '189000', nominal_weight_g: '500' },
      { sold_by: 'weight', unit: 'kg', size: 0.5, price_per_kg_vnd: 189000, nominal_weight_g: 500 },
    ],
    ['a decimal size', { size: '1.5' }, { size: 1.5 }],
    ['a negative price (for validation to reject)', { price_vnd: '-100' }, { price_vnd: -100 }],
    ['a price with a unit', { price_vnd: '35k' }, { price_vnd: '35k' }],
    ['a price in exponent notation', { price_vnd: '1e5' }, { price_vnd: '1e5' }],
    ['a price with a Vietnamese thousands separator', { price_vnd: '35.000' }, { price_vnd: '35.000' }],
    ['a decimal price', { price_vnd: '1.5' }, { price_vnd: '1.5' }],
    ['an empty price (required)', { price_vnd: '' }, { price_vnd: '' }],
    ['a size with a unit', { size: '500g' }, { size: '500g' }],
    ['a size with a decimal comma', { size: '1,5' }, { size: '1,5' }],
    ['a size without leading digit', { size: '.5' }, { size: '.5' }],
    ['a bad optional number', { shelf_life_days: 'ba ngày' }, { shelf_life_days: 'ba ngày' }],
    [
      'empty optional columns',
      {
        description_en: '',
        description_vi: ' ',
        manufacturer: '',
        price_per_kg_vnd: '',
        nominal_weight_g: '',
        shelf_life_days: '',
        status: '',
        tax_category: ' ',
      },
      {},
    ],
    ['an unknown tax category (kept)', { tax_category: 'VAT8' }, { tax_category: 'VAT8' }],
    ...(['true', 'TRUE', '1', 'yes', 'Yes'] as const).map(
      (v): [string, Record<string, string>, Record<string, unknown>] => [
        `boolean "${v}"`,
        { is_perishable: v },
        { is_perishable: true },
      ],
    ),
    ...(['false', 'False', '0', 'no', 'NO'] as const).map(
      (v): [string, Record<string, string>, Record<string, unknown>] => [
        `boolean "${v}"`,
        { is_perishable: v },
        { is_perishable: false },
      ],
    ),
    ['a non-boolean', { is_perishable: 'có' }, { is_perishable: 'có' }],
    ['an empty boolean (required)', { is_perishable: '' }, { is_perishable: '' }],
    ['empty lists', { dietary: '', tags: ' ', image_urls: '|' }, { dietary: [], tags: [], image_urls: [] }],
    ['lists with blanks and padding', { tags: ' a || b |c ' }, { tags: ['a', 'b', 'c'] }],
    ['an unknown dietary value (kept)', { dietary: 'vegan|keto' }, { dietary: ['vegan', 'keto'] }],
    ['an empty required string', { name_en: '' }, { name_en: '' }],
    [
      'unknown columns, kept as they are',
      { sku: 'TU-1', origin: ' Lâm Đồng ', note: '' },
      { sku: 'TU-1', origin: ' Lâm Đồng ', note: '' },
    ],
    ['missing columns', {}, {}],
  ])('maps %s', (_name, values, expected) => {
    expect(productRowFromCsv(values)).toEqual(expected);
  });

  it('keeps an unknown "__proto__" column as an own field', () => {
    const parsed = parseCsv('sku,__proto__\nTU-1,x\n');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const row = productRowFromCsv(parsed.rows[0]!.values);
    expect(Object.keys(row)).toEqual(['sku', '__proto__']);
    expect(JSON.stringify(row)).toBe('{"sku":"TU-1","__proto__":"x"}');
  });

  it('maps a parsed CSV end to end', () => {
    const text =
      'SKU,Name_VI,Price_VND,Dietary,Is_Perishable\r\n' +
      'TU-010388-W,"Thịt ba rọi heo (khoảng 500 g)",94500,gluten-free,1\r\n';
    const parsed = parseCsv(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.rows.map((r) => productRowFromCsv(r.values))).toEqual([
      {
        sku: 'TU-010388-W',
        name_vi: 'Thịt ba rọi heo (khoảng 500 g)',
        price_vnd: 94500,
        dietary: ['gluten-free'],
        is_perishable: true,
      },
    ]);
  });
});
