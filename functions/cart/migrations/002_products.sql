-- What the cart knows of products (from catalog events, version-guarded): whether a line may hold
-- a SKU, in which unit, at which list price, and the names a cart view shows.
CREATE TABLE {{schema}}.products (
  sku               text COLLATE "C" PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$'),
  name_en           text    NOT NULL,
  name_vi           text    NOT NULL,
  image_url         text,
  sold_by           text    NOT NULL CHECK (sold_by IN ('piece', 'weight')),
  price_vnd         bigint  NOT NULL CHECK (price_vnd >= 0),
  price_per_kg_vnd  bigint  CHECK (price_per_kg_vnd > 0),
  nominal_weight_g  integer CHECK (nominal_weight_g > 0),
  status            text    NOT NULL CHECK (status IN ('active', 'draft', 'discontinued', 'deleted')),
  version           integer NOT NULL
);

-- The pricing mark: moves with every product or promotion event consumed, so a quote cached under
-- an older mark is not reused.
CREATE TABLE {{schema}}.pricing_mark (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  mark  bigint  NOT NULL
);
INSERT INTO {{schema}}.pricing_mark (mark) VALUES (1);
