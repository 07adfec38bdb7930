-- Promotions as the promotions function announces them (io.tuoi.promotions.promotion.*.v1), kept
-- to list promoted products (GET /products/promoted); store-promotions.ts writes it. One row per
-- promotion, version-guarded: an announcement applies only above the stored version, an `ended` at
-- or above it and leaves a tombstone (ended = true), so a late, lower announcement cannot bring
-- the promotion back. Schedules are kept, not applied: liveness is decided when a list is read.
CREATE TABLE {{schema}}.promotions (
  id          text COLLATE "C" PRIMARY KEY,
  version     integer     NOT NULL CHECK (version >= 1),
  ended       boolean     NOT NULL,
  label_en    text        NOT NULL,
  label_vi    text        NOT NULL,
  kind        text        NOT NULL,
  -- Needs a code: never shown as an automatic price.
  coupon      boolean     NOT NULL,
  target_kind text        NOT NULL CHECK (target_kind IN ('skus', 'categories', 'brands', 'order', 'delivery', '')),
  skus        text[]      NOT NULL DEFAULT '{}',
  categories  text[]      NOT NULL DEFAULT '{}',
  -- Folded as products.brand_folded is, so a brand matches whatever its case and accents.
  brands      text[]      NOT NULL DEFAULT '{}',
  starts_at   timestamptz,
  ends_at     timestamptz,
  -- When the promotion started: its starts_at, or the time it was first announced without one.
  started_at  timestamptz NOT NULL,
  -- The time of the event applied last.
  at          timestamptz NOT NULL
);
CREATE INDEX promotions_shown ON {{schema}}.promotions (started_at DESC, id)
  WHERE NOT ended AND NOT coupon AND target_kind IN ('skus', 'categories', 'brands');

-- The `promoted` tag no longer makes a product promoted (GET /products/promoted reads the table above).
DROP INDEX {{schema}}.products_promoted;
