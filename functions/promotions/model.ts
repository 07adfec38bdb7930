/**
 * The pricing engine's plain data: the cart as priced (lines with list prices, categories and tax
 * categories already resolved by the caller), the promotions, and the quote it returns.
 */
import type { Vnd } from './money';
import type { TaxCategory, VatPart } from './vat';

/** A text in both of Tươi's languages. */
export interface Bilingual {
  en: string;
  vi: string;
}

/** A line sold by the piece: `qty` whole units at `unitPrice` đồng each (VAT-inclusive). */
export interface PieceQuantity {
  soldBy: 'piece';
  qty: number;
}

/**
 * A line sold by weight at `unitPrice` đồng per kg: priced from `pickedGrams` once picked, else
 * estimated from `qty` pieces of `nominalGrams` each.
 */
export interface WeightQuantity {
  soldBy: 'weight';
  qty: number;
  nominalGrams: number;
  pickedGrams?: number;
}

/** One cart line as the engine prices it. `key` is unique in the cart and orders every tie. */
export type CartLine = (PieceQuantity | WeightQuantity) & {
  key: string;
  sku: string;
  /** VAT-inclusive list price: per unit, or per kg for weighted lines. */
  unitPrice: Vnd;
  /** Category ids from the root to the product's own category (descendants match ancestors). */
  categoryPath: readonly string[];
  brand?: string;
  taxCategory: TaxCategory;
};

/** Who is buying, as far as promotions care. Limits count by account id, never by email. */
export interface Customer {
  id?: string;
  firstOrder?: boolean;
  staff?: boolean;
  dietary?: readonly string[];
}

/** Units of a SKU in one lot at a location, expiring on a Vietnam date (from `stock.expiring`). */
export interface ExpiringLot {
  sku: string;
  location: string;
  qty: number;
  expiresOn: string;
}

/** How often each promotion was already used, read by the caller (usage is input data). */
export interface Usage {
  byCustomer?: Readonly<Record<string, number>>;
  global?: Readonly<Record<string, number>>;
}

/** Everything a quote needs. */
export interface Cart {
  lines: readonly CartLine[];
  customer?: Customer;
  couponCodes?: readonly string[];
  deliveryFee?: Vnd;
  /** Tax category of the delivery fee (a service: reducible 10 % by default). */
  deliveryTaxCategory?: TaxCategory;
  /** The location the cart is served from (near-expiry lots must be there). */
  location?: string;
  lots?: readonly ExpiringLot[];
  usage?: Usage;
}

/** What a promotion applies to. */
export type Target =
  | { kind: 'skus'; skus: readonly string[] }
  | { kind: 'categories'; categories: readonly string[] }
  | { kind: 'brands'; brands: readonly string[] }
  | { kind: 'order' }
  | { kind: 'delivery' };

/** One threshold of a tiered promotion: from `min` units (or grams), a unit price or a percentage. */
export interface Tier {
  min: number;
  unitPrice?: Vnd;
  percent?: number;
}

/** The discount a promotion gives (its kind). */
export type Action =
  | { kind: 'percentage'; percent: number }
  /** `each`: per unit (per line for weighted lines); `across`: once, split over the target. */
  | { kind: 'amountOff'; amount: Vnd; allocation: 'each' | 'across' }
  | { kind: 'fixedPrice'; unitPrice: Vnd }
  /** Buy `buy` units of the target, get `get` units of `getTarget` (or the target) `percent` off. */
  | {
      kind: 'buyXGetY';
      buy: number;
      get: number;
      percent: number;
      getTarget?: Target;
      maxApplications?: number;
    }
  | { kind: 'tiered'; measure: 'quantity' | 'grams'; tiers: readonly Tier[] }
  | { kind: 'delivery'; percent?: number; amount?: Vnd }
  /** Units in lots expiring within `withinDays`: the smallest `daysLeft` ≥ actual days left wins. */
  | { kind: 'nearExpiry'; withinDays: number; schedule: readonly { daysLeft: number; percent: number }[] };

/** Conditions a cart must meet; amounts are on list prices before any discount. */
export interface Conditions {
  minOrderValue?: Vnd;
  /** Units among the targeted lines (a weighted line counts its pieces). */
  minQuantity?: number;
  firstOrder?: boolean;
  staff?: boolean;
  /** Any one of these dietary preferences. */
  dietary?: readonly string[];
}

/** A promotion as the engine reads it. */
export interface Promotion {
  id: string;
  label: Bilingual;
  status: 'draft' | 'active' | 'paused' | 'ended';
  /** Coupon code; without one the promotion is automatic. */
  code?: string;
  /** ISO instants (written with +07:00 for Vietnam time). */
  startsAt?: string;
  endsAt?: string;
  target: Target;
  action: Action;
  conditions?: Conditions;
  perCustomerLimit?: number;
  globalLimit?: number;
  /** Higher first; ties by id. */
  priority: number;
  exclusive?: boolean;
  stackGroup?: string;
}

/** One promotion's discount on one line (or on the delivery fee). */
export interface Adjustment {
  promotionId: string;
  amount: Vnd;
  label: Bilingual;
}

/** A priced line: `total = listAmount − discount`, never below 0. */
export interface PricedLine {
  key: string;
  sku: string;
  soldBy: 'piece' | 'weight';
  qty: number;
  /** Weighted lines: the grams priced, and whether they are an estimate (not yet picked). */
  grams?: number;
  estimated?: boolean;
  unitPrice: Vnd;
  listAmount: Vnd;
  adjustments: Adjustment[];
  discount: Vnd;
  total: Vnd;
  vatRate: string;
  vat: Vnd;
}

/** Why a promotion was not applied. */
export interface Reason {
  code: string;
  en: string;
  vi: string;
}

/** The quote's totals: `total = subtotal − discount + deliveryFee − deliveryDiscount`. */
export interface Totals {
  subtotal: Vnd;
  discount: Vnd;
  deliveryFee: Vnd;
  deliveryDiscount: Vnd;
  vat: Vnd;
  total: Vnd;
}

/** The result of pricing a cart. */
export interface Quote {
  lines: PricedLine[];
  delivery: { fee: Vnd; adjustments: Adjustment[]; discount: Vnd; total: Vnd; vatRate: string; vat: Vnd };
  vat: VatPart[];
  totals: Totals;
  applied: { promotionId: string; label: Bilingual; amount: Vnd }[];
  notApplied: { promotionId: string; reason: Reason }[];
}
