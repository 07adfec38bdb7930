/**
 * The VAT category of a seed product, from its place in the category tree (PROVIDERS.md §5): fresh
 * produce, meat, seafood and eggs are VAT5; beer, wine and spirits (special consumption tax) are
 * VAT10_EXCLUDED; everything else (packaged food, drinks, household goods) is VAT10_REDUCIBLE. The
 * seed has no tobacco and nothing exempt. Frozen, dried and processed meat, fish and vegetables stay
 * at the default: whether the 2024 VAT law keeps frozen goods at 5 % was not checked.
 */
import type { TaxCategory } from '../../events/catalog/product.v1';
import { pathTo, type SeedCategory } from './categories';

/** The categories (with everything below them) that are not VAT10_REDUCIBLE. */
export const TAX_BY_CATEGORY: Readonly<Record<string, TaxCategory>> = {
  'rau-cu-qua': 'VAT5', // fresh vegetables, herbs, fruit, also washed and cut
  thit: 'VAT5', // fresh pork, beef, chicken, duck
  'hai-san': 'VAT5', // fresh fish, prawns, squid, crab, shellfish
  trung: 'VAT5', // eggs
  'bia-ruou': 'VAT10_EXCLUDED', // beer, craft beer, wine, spirits, cider
};

/** The tax category of a product filed under `leaf`: the nearest listed ancestor's, else VAT10_REDUCIBLE. */
export function taxCategoryOf(leaf: string, all?: readonly SeedCategory[]): TaxCategory {
  const path = pathTo(leaf, all);
  for (let i = path.length - 1; i >= 0; i--) {
    const listed = TAX_BY_CATEGORY[path[i]!.id];
    if (listed) return listed;
  }
  return 'VAT10_REDUCIBLE';
}
