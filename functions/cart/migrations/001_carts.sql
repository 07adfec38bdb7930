-- Carts (the PostgreSQL store; Redis holds them in a cluster): each cart is one JSON document
-- replaced whole under a compare-and-set on `version`, with the fields the queries need mirrored
-- into columns on every write. Plus the claim on each customer's one active cart.
-- Ids use the "C" collation (byte order), so paging and lock order are the same on every server.

CREATE TABLE {{schema}}.carts (
  id                text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  version           integer NOT NULL CHECK (version >= 0),
  -- The Cart (functions/cart/model.ts) as written; `version` here is the authority.
  doc               jsonb   NOT NULL,
  -- Mirrored from the document.
  status            text    NOT NULL CHECK (status IN ('active', 'merging', 'merged', 'checked_out')),
  owner_kind        text    NOT NULL CHECK (owner_kind IN ('guest', 'customer')),
  customer_id       text COLLATE "C",
  updated_at        timestamptz NOT NULL,
  lines_touched_at  timestamptz,
  abandoned_at      timestamptz,
  CHECK ((owner_kind = 'customer') = (customer_id IS NOT NULL))
);

-- The abandoned-cart scan (idleSince): active customer carts with lines not reported since they
-- were last touched, oldest first. Queries must repeat this predicate word for word to use the index.
CREATE INDEX carts_idle ON {{schema}}.carts (lines_touched_at, id)
  WHERE status = 'active' AND owner_kind = 'customer' AND lines_touched_at IS NOT NULL
    AND (abandoned_at IS NULL OR abandoned_at < lines_touched_at);

-- The guest purge (purgeGuests): guest carts by last write.
CREATE INDEX carts_guest_updated ON {{schema}}.carts (updated_at) WHERE owner_kind = 'guest';

-- A customer's one active cart. The primary key makes the claim atomic; no foreign key, so a
-- cart may be claimed before it is inserted (claim first, then create the cart that won).
CREATE TABLE {{schema}}.customer_carts (
  customer_id  text COLLATE "C" PRIMARY KEY,
  cart_id      text COLLATE "C" NOT NULL
);
