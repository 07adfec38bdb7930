import { TAX_CATEGORIES } from '../../events/catalog/product.v1';
import { categories, leafIds } from './categories';
import { generateCatalog } from './generate';
import { TAX_BY_CATEGORY, taxCategoryOf } from './tax';

describe('taxCategoryOf', () => {
  it.each([
    ['rau-la', 'VAT5'],
    ['trai-cay-cat-san', 'VAT5'],
    ['thit-heo', 'VAT5'],
    ['ca-tuoi', 'VAT5'],
    ['ngheu-so-oc', 'VAT5'],
    ['trung-ga', 'VAT5'],
    ['gio-cha', 'VAT10_REDUCIBLE'], // processed meat
    ['thit-dong-lanh', 'VAT10_REDUCIBLE'], // frozen: left at the default (see tax.ts)
    ['nuoc-suoi', 'VAT10_REDUCIBLE'], // bottled water is not "clean water"
    ['sua-tuoi', 'VAT10_REDUCIBLE'],
    ['nuoc-giat', 'VAT10_REDUCIBLE'],
    ['bia', 'VAT10_EXCLUDED'],
    ['ruou-vang', 'VAT10_EXCLUDED'],
    ['ruou-manh', 'VAT10_EXCLUDED'],
    ['ruou-trai-cay', 'VAT10_EXCLUDED'],
  ])('%s → %s', (leaf, expected) => {
    expect(taxCategoryOf(leaf)).toBe(expected);
  });

  it('names only categories of the tree and categories of the contract', () => {
    const ids = new Set(categories.map((c) => c.id));
    for (const [id, tax] of Object.entries(TAX_BY_CATEGORY)) {
      expect(ids.has(id)).toBe(true);
      expect(TAX_CATEGORIES).toContain(tax);
    }
  });

  it('gives every leaf a category; an unknown id gets the default', () => {
    for (const leaf of leafIds) expect(TAX_CATEGORIES).toContain(taxCategoryOf(leaf));
    expect(taxCategoryOf('khong-co')).toBe('VAT10_REDUCIBLE');
  });
});

describe('generated products', () => {
  it('carry the tax category of their leaf, with all three used categories present', () => {
    const { products } = generateCatalog({ count: 3_000 });
    for (const p of products) expect(p.tax_category).toBe(taxCategoryOf(p.category));
    const used = new Set(products.map((p) => p.tax_category));
    expect([...used].sort()).toEqual(['VAT10_EXCLUDED', 'VAT10_REDUCIBLE', 'VAT5']);
  });
});
