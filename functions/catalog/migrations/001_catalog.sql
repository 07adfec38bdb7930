-- The catalog: categories and products (the system of record for product data), the inventory
-- projections behind the in_stock / expires_soon flags, and daily sales behind "popular".
-- SKUs, category ids and sort keys use the "C" collation: byte order, the same on every server,
-- which keyset cursors and `?after=` paging rely on.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- Lower-case, accents removed (đ → d). IMMUTABLE so it can feed generated columns and indexes.
CREATE FUNCTION {{schema}}.fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- The shop's calendar day (Vietnam), for the sales window and "expires soon".
CREATE FUNCTION {{schema}}.today() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date $$;

CREATE TABLE {{schema}}.categories (
  id        text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$'),
  parent_id text COLLATE "C" REFERENCES {{schema}}.categories (id),
  name_en   text    NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
  name_vi   text    NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 80),
  position  integer NOT NULL DEFAULT 0,
  -- Ancestor ids from the root down to this category itself.
  path      text[]  NOT NULL CHECK (cardinality(path) BETWEEN 1 AND 8 AND path[cardinality(path)] = id)
);
CREATE INDEX categories_children ON {{schema}}.categories (parent_id, position, id);
CREATE INDEX categories_path ON {{schema}}.categories USING gin (path);

CREATE TABLE {{schema}}.products (
  sku              text COLLATE "C" PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$'),
  name_en          text             NOT NULL,
  name_vi          text             NOT NULL,
  description_en   text             NOT NULL DEFAULT '',
  description_vi   text             NOT NULL DEFAULT '',
  category_id      text COLLATE "C" NOT NULL REFERENCES {{schema}}.categories (id),
  brand            text             NOT NULL,
  manufacturer     text             NOT NULL DEFAULT '',
  unit             text             NOT NULL CHECK (unit IN ('kg', 'g', 'l', 'ml', 'piece', 'pack')),
  size             double precision NOT NULL CHECK (size > 0),
  sold_by          text             NOT NULL CHECK (sold_by IN ('piece', 'weight')),
  price_vnd        integer          NOT NULL CHECK (price_vnd BETWEEN 0 AND 1000000000),
  price_per_kg_vnd integer          CHECK (price_per_kg_vnd BETWEEN 1 AND 1000000000),
  nominal_weight_g integer          CHECK (nominal_weight_g BETWEEN 1 AND 100000),
  dietary          text[]           NOT NULL DEFAULT '{}',
  tags             text[]           NOT NULL DEFAULT '{}',
  is_perishable    boolean          NOT NULL,
  shelf_life_days  integer          CHECK (shelf_life_days BETWEEN 0 AND 3650),
  image_urls       text[]           NOT NULL DEFAULT '{}',
  status           text             NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draft', 'discontinued')),
  created_at       timestamptz      NOT NULL,
  updated_at       timestamptz      NOT NULL,
  deleted_at       timestamptz,
  -- +1 on every change, delete included; never for the projections below.
  version          integer          NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- Projections of inventory events (events.ts) and of sales (daily refresh).
  in_stock         boolean          NOT NULL DEFAULT true,
  expires_soon     boolean          NOT NULL DEFAULT false,
  units_sold_7d    integer          NOT NULL DEFAULT 0,
  name_sort_en     text COLLATE "C" GENERATED ALWAYS AS ({{schema}}.fold(name_en)) STORED,
  name_sort_vi     text COLLATE "C" GENERATED ALWAYS AS ({{schema}}.fold(name_vi)) STORED,
  brand_folded     text             GENERATED ALWAYS AS ({{schema}}.fold(brand)) STORED
);
-- Listings only ever read live products (active, not deleted): every listing index is partial on that.
CREATE INDEX products_popular ON {{schema}}.products (units_sold_7d DESC, sku DESC)
  WHERE status = 'active' AND deleted_at IS NULL;
-- Scanned forwards for `price`, backwards for `price_desc`.
CREATE INDEX products_price ON {{schema}}.products (price_vnd, sku) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_name_en ON {{schema}}.products (name_sort_en, sku) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_name_vi ON {{schema}}.products (name_sort_vi, sku) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_newest ON {{schema}}.products (created_at DESC, sku DESC)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_category ON {{schema}}.products (category_id, units_sold_7d DESC, sku DESC)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_dietary ON {{schema}}.products USING gin (dietary) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_tags ON {{schema}}.products USING gin (tags) WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX products_brand ON {{schema}}.products (brand_folded) WHERE status = 'active' AND deleted_at IS NULL;
-- Boolean filters: index the selective side (few products expire soon or are out of stock).
CREATE INDEX products_perishable ON {{schema}}.products (units_sold_7d DESC, sku DESC)
  WHERE status = 'active' AND deleted_at IS NULL AND is_perishable;
CREATE INDEX products_expires_soon ON {{schema}}.products (sku) WHERE expires_soon;
CREATE INDEX products_out_of_stock ON {{schema}}.products (sku) WHERE NOT in_stock;
CREATE INDEX products_promoted ON {{schema}}.products (updated_at DESC, sku DESC)
  WHERE status = 'active' AND deleted_at IS NULL AND tags @> '{promoted}';

-- Availability per (sku, location) from io.tuoi.inventory.stock.changed.v1 (highest sequence wins).
CREATE TABLE {{schema}}.stock_levels (
  sku       text COLLATE "C" NOT NULL,
  location  text             NOT NULL,
  available integer          NOT NULL,
  sequence  bigint           NOT NULL,
  PRIMARY KEY (sku, location)
);

-- Lots about to expire from io.tuoi.inventory.stock.expiring.v1 (latest `at` wins; quantity 0 withdraws).
CREATE TABLE {{schema}}.expiring_lots (
  sku        text COLLATE "C" NOT NULL,
  location   text             NOT NULL,
  lot_id     text             NOT NULL,
  expires_on date             NOT NULL,
  quantity   integer          NOT NULL,
  at         timestamptz      NOT NULL,
  PRIMARY KEY (sku, location, lot_id)
);
CREATE INDEX expiring_lots_window ON {{schema}}.expiring_lots (expires_on, sku) WHERE quantity > 0;

-- Units sold per SKU and shop day (order events once the order function exists; the dev seed).
CREATE TABLE {{schema}}.sales_daily (
  sku   text COLLATE "C" NOT NULL,
  day   date             NOT NULL,
  units integer          NOT NULL CHECK (units >= 0),
  PRIMARY KEY (sku, day)
);
CREATE INDEX sales_daily_day ON {{schema}}.sales_daily (day, sku) INCLUDE (units);

-- The shop day on which time-dependent projections (units_sold_7d, expires_soon) were last refreshed.
CREATE TABLE {{schema}}.daily_refresh (
  job     text PRIMARY KEY,
  done_on date NOT NULL
);
