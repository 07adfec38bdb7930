/** Builders for the pricing engine's tests and benchmark: terse carts and promotions. */
import type { CartLine, Promotion } from './model';

/** A piece line: `qty` × `unitPrice`, reducible-VAT groceries unless overridden. */
export function piece(key: string, unitPrice: number, qty: number, extra: Partial<CartLine> = {}): CartLine {
  return {
    key,
    sku: key,
    soldBy: 'piece',
    qty,
    unitPrice,
    categoryPath: ['food'],
    taxCategory: 'VAT10_REDUCIBLE',
    ...extra,
  } as CartLine;
}

/** A weighted line at `pricePerKg`: `qty` pieces of `nominalGrams`, optionally picked at `pickedGrams`. */
export function weighed(
  key: string,
  pricePerKg: number,
  qty: number,
  nominalGrams: number,
  pickedGrams?: number,
  extra: Partial<CartLine> = {},
): CartLine {
  return {
    key,
    sku: key,
    soldBy: 'weight',
    qty,
    nominalGrams,
    ...(pickedGrams === undefined ? {} : { pickedGrams }),
    unitPrice: pricePerKg,
    categoryPath: ['food', 'fresh'],
    taxCategory: 'VAT5',
    ...extra,
  } as CartLine;
}

/** An active automatic promotion on the whole order unless overridden. */
export function promo(id: string, action: Promotion['action'], extra: Partial<Promotion> = {}): Promotion {
  return {
    id,
    label: { en: `Promotion ${id}`, vi: `Khuyến mãi ${id}` },
    status: 'active',
    target: { kind: 'order' },
    action,
    priority: 0,
    ...extra,
  };
}
