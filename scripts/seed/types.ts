/** Shapes of the seed vocabulary tables (see vocabulary.ts for how they are resolved). */
import type { DIETARY, UNITS } from '../../events/catalog/product.v1';
import type { CountryCode } from './brands';

/** A dietary label of the product contract. */
export type Dietary = (typeof DIETARY)[number];
/** A unit of the product contract. */
export type Unit = (typeof UNITS)[number];
/** How an item is kept; drives descriptions, shelf life and perishability. */
export type Storage = 'fresh' | 'chilled' | 'frozen' | 'ambient' | 'nonfood';

/** What choosing a variant option changes besides the name. */
export interface OptionExtra {
  /** Dietary labels the option adds (e.g. "hữu cơ" → organic). */
  diet?: readonly Dietary[];
  /** Price multiplier. */
  price?: number;
  /** Shelf life in days, replacing the item's. */
  shelf?: number;
  /** Storage, replacing the item's (e.g. pasteurised milk is chilled). */
  storage?: Storage;
  /** Country of origin, replacing the brand's. */
  origin?: CountryCode;
  /** The English words follow the item name ("Tuna in Oil") instead of preceding it. */
  after?: boolean;
}

/** One option of a variant group: [Vietnamese words, English words, effects]; "" words = plain. */
export type VariantOption = readonly [vi: string, en: string, extra?: OptionExtra];

/** A variant group: a key of VARIANT_GROUPS or the options written inline. */
export type Vary = string | readonly VariantOption[];

/** Facts shared by the items of a leaf category; an item may override any of them. */
export interface LeafDefaults {
  /** Brand names; "Owner|Label" files the product under Owner and prints Label in its name. */
  brands: readonly string[];
  /** Sizes like "500g", "1.5l", "180ml", "10pc"; a trailing "@hộp" sets the container word. */
  sizes: readonly string[];
  storage: Storage;
  /** Shelf life in days (food only). */
  shelf?: number;
  vary?: readonly Vary[];
  /** Dietary labels every product of the item carries. */
  diet?: readonly Dietary[];
  /** Dietary labels that are true of the item, carried by some brands' products. */
  may?: readonly Dietary[];
  /** Sold by weight: the price range is per kg, sizes are nominal weights. */
  byKg?: boolean;
  /** Multipack counts offered besides single items ("lốc 4", "thùng 24"). */
  packs?: readonly number[];
  /** Container word (Vietnamese) used in multipacks, e.g. "hộp". */
  pkg?: string;
  /** Counting word for "pc" sizes: [Vietnamese, English], e.g. ["quả", "eggs"]. */
  count?: readonly [string, string];
  /** How it is used: [Vietnamese clause, English clause]. */
  use?: readonly [string, string];
  tags?: readonly string[];
  /** The brand label follows the item name directly ("Bia Sài Gòn Special"). */
  brandFirst?: boolean;
  /** Country of origin, replacing the brand's. */
  origin?: CountryCode;
}

/** One base item: [name_vi, name_en, lowest price, highest price, overrides]. */
export type ItemRow = readonly [vi: string, en: string, lo: number, hi: number, over?: Partial<LeafDefaults>];

/** The items of one leaf category. */
export interface LeafSpec {
  leaf: string;
  d: LeafDefaults;
  items: readonly ItemRow[];
}
