/**
 * The public answers of search as the API documents them (the bodies `toHitView`, `toFacetsView`
 * and the suggest route build). Open to new fields: clients must tolerate them.
 */
import { Type } from '@sinclair/typebox';

const Instant = Type.String({ format: 'date-time' });
const Bucket = Type.Object({ value: Type.String(), count: Type.Integer({ minimum: 0 }) });

/** One result card (`toHitView`): live promotions only, labels in both languages. */
export const HitView = Type.Object({
  sku: Type.String(),
  name: Type.String({ description: "In the request's language" }),
  name_en: Type.String(),
  name_vi: Type.String(),
  brand: Type.String(),
  category_id: Type.String(),
  price_vnd: Type.Integer(),
  unit: Type.String(),
  size: Type.Number(),
  sold_by: Type.Union([Type.Literal('piece'), Type.Literal('weight')]),
  image_url: Type.Union([Type.String(), Type.Null()]),
  in_stock: Type.Boolean(),
  badges: Type.Array(Type.String()),
  on_promotion: Type.Boolean(),
  promotions: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      label_en: Type.String(),
      label_vi: Type.String(),
      kind: Type.String(),
      starts_at: Type.Union([Instant, Type.Null()]),
      ends_at: Type.Union([Instant, Type.Null()]),
    }),
  ),
  score: Type.Number(),
});

/** Facet counts over every match (`toFacetsView`); `to` is null on the last price bucket. */
export const FacetsView = Type.Object({
  category: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), count: Type.Integer() })),
  dietary: Type.Array(Bucket),
  brand: Type.Array(Bucket),
  price: Type.Array(
    Type.Object({
      from: Type.Integer(),
      to: Type.Union([Type.Integer(), Type.Null()]),
      count: Type.Integer({ minimum: 0 }),
    }),
  ),
});

/** The body of `GET /search`. */
export const SearchResultView = Type.Object({
  q: Type.String({ description: 'The query text as searched (normalised)' }),
  total: Type.Integer({ minimum: 0 }),
  hits: Type.Array(HitView),
  facets: FacetsView,
  did_you_mean: Type.Optional(Type.String()),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  engine: Type.Union([Type.Literal('postgres'), Type.Literal('elasticsearch')]),
  took_ms: Type.Number(),
});

/** The body of `GET /search/suggest`. */
export const SuggestView = Type.Object({
  q: Type.String(),
  suggestions: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      name_en: Type.String(),
      name_vi: Type.String(),
      category_id: Type.String(),
    }),
  ),
});
