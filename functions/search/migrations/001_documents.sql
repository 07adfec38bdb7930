-- The canonical copy of every searchable product (fed by catalog and inventory events), which the
-- PostgreSQL engine searches directly and from which Elasticsearch is indexed by revision.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- Lower-case, accents removed (unaccent folds đ → d and every Vietnamese vowel). IMMUTABLE so it
-- can feed generated columns; the dictionary is named explicitly for that reason.
CREATE FUNCTION {{schema}}.fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE SEQUENCE {{schema}}.revisions;

CREATE TABLE {{schema}}.documents (
  sku            text        PRIMARY KEY,
  version        integer     NOT NULL,
  revision       bigint      NOT NULL,
  deleted        boolean     NOT NULL,
  name_en        text        NOT NULL DEFAULT '',
  name_vi        text        NOT NULL DEFAULT '',
  brand          text        NOT NULL DEFAULT '',
  category_id    text        NOT NULL DEFAULT '',
  category_ids   text[]      NOT NULL DEFAULT '{}',
  category_text  text        NOT NULL DEFAULT '',
  description    text        NOT NULL DEFAULT '',
  price_vnd      bigint      NOT NULL DEFAULT 0,
  dietary        text[]      NOT NULL DEFAULT '{}',
  tags           text[]      NOT NULL DEFAULT '{}',
  is_perishable  boolean     NOT NULL DEFAULT false,
  in_stock       boolean     NOT NULL DEFAULT true,
  expires_soon   boolean     NOT NULL DEFAULT false,
  popularity     integer     NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  doc            jsonb,
  -- Names (A), brand (B), category names (C): accented, as written (lower-cased).
  tsv_exact      tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', lower(name_vi || ' ' || name_en)), 'A') ||
    setweight(to_tsvector('simple', lower(brand)), 'B') ||
    setweight(to_tsvector('simple', lower(category_text)), 'C')) STORED,
  -- The same folded, plus descriptions (D).
  tsv_folded     tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', {{schema}}.fold(name_vi || ' ' || name_en)), 'A') ||
    setweight(to_tsvector('simple', {{schema}}.fold(brand)), 'B') ||
    setweight(to_tsvector('simple', {{schema}}.fold(category_text)), 'C') ||
    setweight(to_tsvector('simple', {{schema}}.fold(description)), 'D')) STORED,
  name_sort_en   text GENERATED ALWAYS AS (lower(name_en)) STORED,
  name_sort_vi   text GENERATED ALWAYS AS ({{schema}}.fold(name_vi)) STORED,
  brand_folded   text GENERATED ALWAYS AS ({{schema}}.fold(brand)) STORED
);
CREATE INDEX documents_tsv ON {{schema}}.documents USING gin (tsv_folded) WHERE NOT deleted;
CREATE INDEX documents_names_trgm ON {{schema}}.documents
  USING gin (({{schema}}.fold(name_vi || ' ' || name_en)) gin_trgm_ops) WHERE NOT deleted;
CREATE INDEX documents_categories ON {{schema}}.documents USING gin (category_ids) WHERE NOT deleted;
CREATE INDEX documents_dietary ON {{schema}}.documents USING gin (dietary) WHERE NOT deleted;
CREATE INDEX documents_tags ON {{schema}}.documents USING gin (tags) WHERE NOT deleted;
CREATE INDEX documents_price ON {{schema}}.documents (price_vnd, sku) WHERE NOT deleted;
CREATE INDEX documents_popular ON {{schema}}.documents (popularity DESC, sku) WHERE NOT deleted;
CREATE INDEX documents_newest ON {{schema}}.documents (created_at DESC, sku) WHERE NOT deleted;
CREATE INDEX documents_brand ON {{schema}}.documents (brand_folded) WHERE NOT deleted;
CREATE INDEX documents_revision ON {{schema}}.documents (revision);

-- Category names seen on products, for facet labels and validating the category filter.
CREATE TABLE {{schema}}.categories (
  id       text PRIMARY KEY,
  name_en  text NOT NULL,
  name_vi  text NOT NULL,
  parent_id text
);

-- Inventory projections: availability per (sku, location) and lots expiring soon.
CREATE TABLE {{schema}}.stock (
  sku       text    NOT NULL,
  location  text    NOT NULL,
  available integer NOT NULL,
  sequence  bigint  NOT NULL,
  PRIMARY KEY (sku, location)
);
CREATE TABLE {{schema}}.expiring_lots (
  sku        text    NOT NULL,
  location   text    NOT NULL,
  lot_id     text    NOT NULL,
  expires_on date    NOT NULL,
  quantity   integer NOT NULL,
  PRIMARY KEY (sku, location, lot_id)
);
