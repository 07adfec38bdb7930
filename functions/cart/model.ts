/**
 * The cart as it is stored: plain data, the same in Redis and in PostgreSQL. Every write replaces
 * the whole document under a compare-and-set on `version`, so no update is ever lost.
 */

/** What the picker does when a line is short: a similar item, one of the customer's picks, or nothing (refund). */
export type Substitution = { mode: 'best_match' } | { mode: 'specific'; skus: string[] } | { mode: 'none' };

/** One line: pieces, or grams for an item sold by weight. */
export interface CartLine {
  sku: string;
  /** Pieces (items sold by the piece). */
  qty?: number;
  /** Grams (items sold by weight), a multiple of the weight step. */
  grams?: number;
  /** For the picker. */
  note?: string;
  /** Unset: the customer's default (their profile), else best match. */
  substitution?: Substitution;
  /** The list price when the line was added (per item, or per kg by weight): read flags a change. */
  price_at_add_vnd: number;
  added_at: string;
  updated_at: string;
}

/** Where the order goes: delivered to a zone (served by a location), or picked up at a store. */
export type Fulfilment =
  | { kind: 'delivery'; zone: string; location: string; address_id?: string }
  | { kind: 'pickup'; location: string };

/** Who a cart belongs to: a guest holding its token (stored hashed), or a signed-in customer. */
export type Owner = { kind: 'guest'; token_hash: string } | { kind: 'customer'; customer_id: string };

/**
 * A cart. `merging`: a guest cart being merged into `merged_into` (no more writes); `merged`: done;
 * `checked_out`: an order was placed from it.
 */
export interface Cart {
  id: string;
  version: number;
  status: 'active' | 'merging' | 'merged' | 'checked_out';
  owner: Owner;
  /** In the order they were first added. */
  lines: CartLine[];
  /** Coupon codes, upper-case, in the order entered. */
  coupons: string[];
  fulfilment?: Fulfilment;
  /** Guest carts merged into this one: a merge repeated finds itself here and adds nothing. */
  merged_from: string[];
  merged_into?: string;
  created_at: string;
  updated_at: string;
  /** Last change to the lines (what "abandoned" counts from); unset while there are none. */
  lines_touched_at?: string;
  /** When cart.abandoned went out for the lines as they were at `lines_touched_at`. */
  abandoned_at?: string;
}
