/**
 * The cart's ports: where carts are kept (Redis in a cluster, PostgreSQL in embedded mode; one
 * contract test suite runs against both servers), what it knows of products, and the functions it
 * asks for prices and stock.
 */
import type { Cart } from './model';

/** Cart storage. Every write is a compare-and-set on the stored version. */
export interface CartStore {
  /** Stores a new cart (its id is fresh); a guest cart expires after `guestTtlMs` without a write. */
  insert(cart: Cart): Promise<void>;
  get(id: string): Promise<Cart | undefined>;
  /**
   * Replaces the cart when the stored version is still `expected` (the new document carries
   * `expected + 1`); false when another write got there first, and nothing is written.
   */
  compareAndSet(cart: Cart, expected: number): Promise<boolean>;
  /**
   * The customer's one active cart: claims `cartId` for them unless they already have one, and
   * answers the id that holds the claim (theirs if it existed, else `cartId`). Atomic.
   */
  claimCustomerCart(customerId: string, cartId: string): Promise<string>;
  /** Frees the claim when `cartId` holds it (the cart was checked out); a new cart may take it. */
  releaseCustomerCart(customerId: string, cartId: string): Promise<void>;
  /**
   * Active customer carts with lines untouched since before `before` and not yet reported
   * abandoned, oldest first (guest carts never are: there is no one to tell).
   */
  idleSince(before: Date, limit: number): Promise<Cart[]>;
  /** Deletes guest carts idle since before `before` (a store with its own expiry may do nothing). */
  purgeGuests(before: Date): Promise<number>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** What the cart knows of a product (from catalog events). */
export interface ProductInfo {
  sku: string;
  name_en: string;
  name_vi: string;
  image_url: string | null;
  sold_by: 'piece' | 'weight';
  price_vnd: number;
  price_per_kg_vnd: number | null;
  nominal_weight_g: number | null;
  status: 'active' | 'draft' | 'discontinued' | 'deleted';
}
