-- Promotions: the products it prices (projected from catalog events), lots near expiry (from
-- inventory's stock.expiring), promotion definitions, coupon codes, usage counters, coupon
-- redemptions (reserve → commit → release, with a TTL) and the VAT rate table.
-- Money is integer đồng. Ids use the "C" collation (byte order) so lock order is the same everywhere.

-- Products as the catalog publishes them (version-guarded; deleted and inactive ones kept inactive).
CREATE TABLE {{schema}}.products (
  sku               text COLLATE "C" PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$'),
  sold_by           text    NOT NULL CHECK (sold_by IN ('piece', 'weight')),
  -- VAT-inclusive: per item, or per kg for weighted items (price_per_kg_vnd).
  price_vnd         bigint  NOT NULL CHECK (price_vnd >= 0),
  price_per_kg_vnd  bigint  CHECK (price_per_kg_vnd > 0),
  nominal_weight_g  integer CHECK (nominal_weight_g > 0),
  category_path     text[]  NOT NULL,
  brand             text    NOT NULL,
  tax_category      text    NOT NULL,
  is_perishable     boolean NOT NULL,
  active            boolean NOT NULL,
  version           integer NOT NULL
);

-- Lots expiring soon, one row per lot; quantity 0 means withdrawn (sold, written off).
-- `noticed_at` orders notices: an older one never overwrites a newer one.
CREATE TABLE {{schema}}.expiring_lots (
  lot_id      text COLLATE "C" PRIMARY KEY,
  sku         text COLLATE "C" NOT NULL,
  location    text COLLATE "C" NOT NULL,
  expires_on  date    NOT NULL,
  quantity    integer NOT NULL CHECK (quantity >= 0),
  noticed_at  timestamptz NOT NULL
);
CREATE INDEX expiring_lots_sku ON {{schema}}.expiring_lots (location, sku) WHERE quantity > 0;

CREATE TABLE {{schema}}.promotions (
  id                 text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$'),
  -- The definition as the API reads and writes it (validated before it is stored).
  definition         jsonb   NOT NULL,
  status             text    NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'ended')),
  requires_coupon    boolean NOT NULL,
  starts_at          timestamptz,
  ends_at            timestamptz,
  global_limit       integer CHECK (global_limit >= 1),
  per_customer_limit integer CHECK (per_customer_limit >= 1),
  -- Uses held or committed; the limit holds whatever the code does.
  used               integer NOT NULL DEFAULT 0
                     CHECK (used >= 0 AND (global_limit IS NULL OR used <= global_limit)),
  -- Whether promotion.activated went out without a promotion.ended after it.
  announced          boolean NOT NULL DEFAULT false,
  version            integer NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  updated_by         text    NOT NULL,
  CHECK (ends_at IS NULL OR starts_at IS NULL OR starts_at < ends_at)
);
-- The scheduler's scan: promotions whose live state may have changed.
CREATE INDEX promotions_schedule ON {{schema}}.promotions (status, announced);

CREATE TABLE {{schema}}.coupons (
  code          text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$'),
  promotion_id  text COLLATE "C" NOT NULL REFERENCES {{schema}}.promotions (id) ON DELETE CASCADE,
  -- NULL: as many uses as the promotion's limits allow; 1 for generated single-use codes.
  max_uses      integer CHECK (max_uses >= 1),
  uses          integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
  batch_id      text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX coupons_promotion ON {{schema}}.coupons (promotion_id, code);

-- Uses per customer account (never by email): held or committed.
CREATE TABLE {{schema}}.customer_usage (
  promotion_id  text COLLATE "C" NOT NULL REFERENCES {{schema}}.promotions (id) ON DELETE CASCADE,
  customer_id   text COLLATE "C" NOT NULL,
  uses          integer NOT NULL CHECK (uses >= 0),
  PRIMARY KEY (promotion_id, customer_id)
);

CREATE TABLE {{schema}}.redemptions (
  id            text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  promotion_id  text COLLATE "C" NOT NULL REFERENCES {{schema}}.promotions (id) ON DELETE CASCADE,
  code          text COLLATE "C",
  customer_id   text COLLATE "C" NOT NULL,
  order_id      text,
  state         text NOT NULL CHECK (state IN ('reserved', 'committed', 'released', 'expired')),
  request_hash  text NOT NULL,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL,
  settled_at    timestamptz,
  actor         text NOT NULL
);
-- The sweeper's queue: held redemptions by expiry.
CREATE INDEX redemptions_due ON {{schema}}.redemptions (expires_at) WHERE state = 'reserved';

-- VAT rates per tax category, effective-dated in Vietnam calendar dates (both ends inclusive).
CREATE TABLE {{schema}}.vat_rates (
  category     text    NOT NULL CHECK (category ~ '^[A-Z][A-Z0-9_]{0,31}$'),
  rate_bp      integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  valid_from   date,
  valid_until  date,
  exempt       boolean NOT NULL DEFAULT false,
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until)
);
-- One row: who last changed the table and its version (for If-Match).
CREATE TABLE {{schema}}.vat_table (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  version     integer NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);
-- The rates of PROVIDERS.md §5 (Decree 174/2025/NĐ-CP: 8 % on 10 %-rate goods until 31 Dec 2026).
INSERT INTO {{schema}}.vat_rates (category, rate_bp, valid_from, valid_until, exempt) VALUES
  ('VAT5', 500, NULL, NULL, false),
  ('VAT10_REDUCIBLE', 800, '2025-07-01', '2026-12-31', false),
  ('VAT10_REDUCIBLE', 1000, '2027-01-01', NULL, false),
  ('VAT10_EXCLUDED', 1000, NULL, NULL, false),
  ('EXEMPT', 0, NULL, NULL, true);
INSERT INTO {{schema}}.vat_table (version, updated_at, updated_by) VALUES (1, now(), 'migration');
