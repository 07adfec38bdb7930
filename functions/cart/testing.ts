/** Builders for the cart's tests: products, carts and lines. */
import type { Cart, CartLine } from './model';
import type { ProductInfo } from './ports';

/** A product on sale, by the piece unless `sold_by` says otherwise. */
export function productInfo(sku: string, extra: Partial<ProductInfo> = {}): ProductInfo {
  return {
    sku,
    name_en: `Product ${sku}`,
    name_vi: `Sản phẩm ${sku}`,
    image_url: null,
    sold_by: 'piece',
    price_vnd: 10_000,
    price_per_kg_vnd: null,
    nominal_weight_g: null,
    status: 'active',
    ...extra,
  };
}

/** An empty active guest cart. */
export function emptyCart(id = 'cart-1', extra: Partial<Cart> = {}): Cart {
  return {
    id,
    version: 1,
    status: 'active',
    owner: { kind: 'guest', token_hash: 'h' },
    lines: [],
    coupons: [],
    merged_from: [],
    created_at: '2026-12-07T00:00:00.000Z',
    updated_at: '2026-12-07T00:00:00.000Z',
    ...extra,
  };
}

/** A line of `qty` pieces. */
export function line(sku: string, qty: number, extra: Partial<CartLine> = {}): CartLine {
  return {
    sku,
    qty,
    price_at_add_vnd: 10_000,
    added_at: '2026-12-07T00:00:00.000Z',
    updated_at: '2026-12-07T00:00:00.000Z',
    ...extra,
  };
}
