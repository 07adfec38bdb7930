-- Inventory: locations, the SKUs it counts, lots with expiry, reservations with their per-lot
-- allocations, and the movement ledger every quantity can be recomputed from.
-- Quantities are integers in the SKU's counting unit: pieces, or grams for items sold by weight.
-- Ids use the "C" collation (byte order), so lock order and paging are the same on every server.

-- The shop's calendar day (Vietnam, UTC+7): a lot is expired once its expiry date is past.
CREATE FUNCTION {{schema}}.today() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date $$;

CREATE TABLE {{schema}}.locations (
  id       text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$'),
  kind     text NOT NULL CHECK (kind IN ('store', 'warehouse')),
  name_en  text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
  name_vi  text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 80),
  -- The delivery zone it serves (delivery slots are per zone).
  zone     text NOT NULL CHECK (zone ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$')
);

-- SKUs inventory counts, projected from catalog product events (version-guarded).
CREATE TABLE {{schema}}.skus (
  sku            text COLLATE "C" PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$'),
  sold_by        text    NOT NULL CHECK (sold_by IN ('piece', 'weight')),
  is_perishable  boolean NOT NULL,
  active         boolean NOT NULL,
  -- stock.low is emitted when availability at a location falls below this (units or grams).
  low_threshold  integer NOT NULL CHECK (low_threshold >= 1),
  version        integer NOT NULL
);

CREATE TABLE {{schema}}.lots (
  id           text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  sku          text COLLATE "C" NOT NULL REFERENCES {{schema}}.skus (sku),
  location     text COLLATE "C" NOT NULL REFERENCES {{schema}}.locations (id),
  received_qty integer NOT NULL CHECK (received_qty > 0),
  -- Physically there (expired or not); held is what reservations have allocated from it.
  -- held <= on_hand is the no-oversell invariant, enforced here whatever the code does.
  on_hand      integer NOT NULL CHECK (on_hand >= 0),
  held         integer NOT NULL DEFAULT 0 CHECK (held >= 0 AND held <= on_hand),
  expires_on   date,
  received_at  timestamptz NOT NULL,
  -- The last shop day a stock.expiring notice went out for this lot.
  expiring_noticed_on date
);
-- FEFO: earliest expiry first (no expiry last), then first received.
CREATE INDEX lots_fefo ON {{schema}}.lots (sku, location, expires_on NULLS LAST, received_at, id)
  WHERE on_hand > 0;
CREATE INDEX lots_expiring ON {{schema}}.lots (expires_on) WHERE on_hand > 0 AND expires_on IS NOT NULL;

-- Per (sku, location): the sequence of stock.changed events and whether stock.low is raised.
CREATE TABLE {{schema}}.stock_state (
  sku      text COLLATE "C" NOT NULL,
  location text COLLATE "C" NOT NULL,
  sequence bigint  NOT NULL,
  low      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (sku, location)
);

CREATE TABLE {{schema}}.reservations (
  id            text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  owner         text NOT NULL CHECK (length(owner) BETWEEN 1 AND 128),
  location      text COLLATE "C" NOT NULL REFERENCES {{schema}}.locations (id),
  status        text NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
  -- The request as received (sha-256 of its canonical form): a reused id with another request is a conflict.
  request_hash  text NOT NULL,
  -- [{sku, qty, held}]: asked and held per line (held < qty only with allow_partial).
  lines         jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  closed_at     timestamptz,
  correlation_id text
);
CREATE INDEX reservations_due ON {{schema}}.reservations (expires_at) WHERE status = 'held';

CREATE TABLE {{schema}}.allocations (
  reservation_id text COLLATE "C" NOT NULL REFERENCES {{schema}}.reservations (id),
  lot_id         text COLLATE "C" NOT NULL REFERENCES {{schema}}.lots (id),
  sku            text COLLATE "C" NOT NULL,
  qty            integer NOT NULL CHECK (qty > 0),
  PRIMARY KEY (reservation_id, lot_id)
);

-- The ledger: every change of a lot's on_hand or held, with why, who and for what. Summing it per
-- lot gives the lot's quantities (a test replays it).
CREATE TABLE {{schema}}.movements (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  lot_id         text COLLATE "C" NOT NULL REFERENCES {{schema}}.lots (id),
  sku            text COLLATE "C" NOT NULL,
  location       text COLLATE "C" NOT NULL,
  on_hand_delta  integer NOT NULL,
  held_delta     integer NOT NULL,
  reason         text NOT NULL CHECK (reason IN ('receive', 'count', 'damage', 'expiry',
                                                 'reserve', 'commit', 'release', 'expire')),
  actor          text NOT NULL,
  reservation_id text COLLATE "C",
  operation_id   text COLLATE "C",
  correlation_id text,
  note           text
);
CREATE INDEX movements_lot ON {{schema}}.movements (lot_id, id);

-- Idempotency of staff operations (receive, adjust): the first answer, replayed for the same id.
CREATE TABLE {{schema}}.operations (
  id           text COLLATE "C" PRIMARY KEY,
  kind         text NOT NULL,
  request_hash text NOT NULL,
  response     jsonb NOT NULL,
  at           timestamptz NOT NULL DEFAULT now()
);
