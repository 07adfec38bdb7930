/**
 * What the catalog's HTTP responses look like: product cards, the full product, the category tree,
 * each localised (`name` in the request's language beside both names), plus strong entity tags.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { DEFAULT_TAX_CATEGORY, literals, ProductSnapshot, TAX_CATEGORIES } from '../../events';
import type { CachedProduct } from './cache';
import type { Category } from './store';
import type { CardRow, PromotedRow } from './store-listing';

type Lang = 'en' | 'vi';
const pick = (lang: Lang, en: string, vi: string) => (lang === 'vi' ? vi : en);

/** A product in a listing. */
export interface ProductCard {
  sku: string;
  name: string;
  name_en: string;
  name_vi: string;
  brand: string;
  category: { id: string; name: string };
  price_vnd: number;
  price_per_kg_vnd: number | null;
  unit: string;
  size: number;
  sold_by: string;
  image_url: string | null;
  dietary: string[];
  in_stock: boolean;
  expires_soon: boolean;
}

/** The card of a listed row. */
export function toCard(r: CardRow, lang: Lang): ProductCard {
  return {
    sku: r.sku,
    name: pick(lang, r.name_en, r.name_vi),
    name_en: r.name_en,
    name_vi: r.name_vi,
    brand: r.brand,
    category: { id: r.category_id, name: pick(lang, r.category_name_en, r.category_name_vi) },
    price_vnd: r.price_vnd,
    price_per_kg_vnd: r.price_per_kg_vnd,
    unit: r.unit,
    size: r.size,
    sold_by: r.sold_by,
    image_url: r.image_url,
    dietary: r.dietary,
    in_stock: r.in_stock,
    expires_soon: r.expires_soon,
  };
}

/** A promotion's badge on a card: its label in the request's language beside both labels. */
export interface PromotionBadge {
  id: string;
  label: string;
  label_en: string;
  label_vi: string;
  kind: string;
}

/** A product on promotion: its card plus the badges of the live promotions covering it. */
export interface PromotedCard extends ProductCard {
  promotions: PromotionBadge[];
}

/** The card of a promoted row, badges in the row's order (most recently started first). */
export function toPromotedCard(r: PromotedRow, lang: Lang): PromotedCard {
  return {
    ...toCard(r, lang),
    promotions: r.promotions.map((p) => ({
      id: p.id,
      label: pick(lang, p.label_en, p.label_vi),
      label_en: p.label_en,
      label_vi: p.label_vi,
      kind: p.kind,
    })),
  };
}

/** The full product: every snapshot field, localised name/description/category, stock flags. */
export function toProductView(c: CachedProduct, lang: Lang) {
  const p = c.product;
  const leaf = p.category_path[p.category_path.length - 1]!;
  return {
    ...p,
    // Entries cached before the column existed lack it; every such product then had the default.
    tax_category: p.tax_category ?? DEFAULT_TAX_CATEGORY,
    name: pick(lang, p.name_en, p.name_vi),
    description: pick(lang, p.description_en, p.description_vi),
    category_id: leaf.id,
    category_name: pick(lang, leaf.name_en, leaf.name_vi),
    category_path: p.category_path.map((cat) => ({ ...cat, name: pick(lang, cat.name_en, cat.name_vi) })),
    in_stock: c.in_stock,
    expires_soon: c.expires_soon,
  };
}

/** One node of the category tree. */
export interface CategoryNode {
  id: string;
  name: string;
  name_en: string;
  name_vi: string;
  /** Active products in this category and all below it. */
  product_count: number;
  children: CategoryNode[];
}

/** Nests categories (given parents first) and sums product counts up the tree. */
export function toCategoryTree(
  categories: Category[],
  counts: Map<string, number>,
  lang: Lang,
): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  const roots: CategoryNode[] = [];
  for (const c of categories) {
    const node: CategoryNode = {
      id: c.id,
      name: pick(lang, c.name_en, c.name_vi),
      name_en: c.name_en,
      name_vi: c.name_vi,
      product_count: 0,
      children: [],
    };
    nodes.set(c.id, node);
    const parent = c.parent_id === null ? undefined : nodes.get(c.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  for (const c of categories) {
    const n = counts.get(c.id) ?? 0;
    for (const id of c.path) {
      const node = nodes.get(id);
      if (node) node.product_count += n;
    }
  }
  return roots;
}

/** A strong entity tag of a JSON body: equal bodies, equal tags. */
export function bodyEtag(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
}

const Localised = {
  id: Type.String(),
  name: Type.String({ description: "In the request's language" }),
  name_en: Type.String(),
  name_vi: Type.String(),
};

/** `ProductCard` as the API documents it. */
export const ProductCardView = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  name_en: Type.String(),
  name_vi: Type.String(),
  brand: Type.String(),
  category: Type.Object({ id: Type.String(), name: Type.String() }),
  price_vnd: Type.Integer(),
  price_per_kg_vnd: Type.Union([Type.Integer(), Type.Null()]),
  unit: Type.String(),
  size: Type.Number(),
  sold_by: Type.Union([Type.Literal('piece'), Type.Literal('weight')]),
  image_url: Type.Union([Type.String(), Type.Null()]),
  dietary: Type.Array(Type.String()),
  in_stock: Type.Boolean(),
  expires_soon: Type.Boolean(),
});

/** A card with its units sold in the last seven days (`GET /products/popular`). */
export const PopularCardView = Type.Composite([
  ProductCardView,
  Type.Object({ units_sold_7d: Type.Integer() }),
]);

/** `PromotedCard` as the API documents it. */
export const PromotedCardView = Type.Composite([
  ProductCardView,
  Type.Object({
    promotions: Type.Array(
      Type.Object({
        id: Type.String(),
        label: Type.String(),
        label_en: Type.String(),
        label_vi: Type.String(),
        kind: Type.String(),
      }),
    ),
  }),
]);

/** The published product (`toSnapshot`), open to new fields. */
export const ProductSnapshotView = Type.Object({
  ...ProductSnapshot.properties,
  category_path: Type.Array(
    Type.Object({ id: Type.String(), name_en: Type.String(), name_vi: Type.String() }),
  ),
});

/** `toProductView` as the API documents it: the snapshot plus localised fields and stock flags. */
export const ProductView = Type.Object({
  ...ProductSnapshot.properties,
  tax_category: literals(TAX_CATEGORIES),
  name: Type.String(),
  description: Type.String(),
  category_id: Type.String(),
  category_name: Type.String(),
  category_path: Type.Array(Type.Object(Localised)),
  in_stock: Type.Boolean(),
  expires_soon: Type.Boolean(),
});

/** `CategoryNode` as the API documents it; `children` are nodes of the same shape. */
export const CategoryNodeView = Type.Object({
  ...Localised,
  product_count: Type.Integer({ minimum: 0 }),
  children: Type.Array(Type.Object({}), { description: 'Nodes of the same shape' }),
});
