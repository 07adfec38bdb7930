-- Restocks: units of a committed reservation put back on the shelf (an order cancelled after it was
-- confirmed, a delivery returned to the store), once per (reservation, restock id). A restock
-- records what was asked and what was actually put back, per SKU and per lot: a redelivered
-- command replays it, another request under the same id is a conflict, and the per-lot amounts cap
-- every later restock at what the reservation committed from each lot.

ALTER TABLE {{schema}}.movements DROP CONSTRAINT movements_reason_check;
ALTER TABLE {{schema}}.movements ADD CONSTRAINT movements_reason_check
  CHECK (reason IN ('receive', 'count', 'damage', 'expiry',
                    'reserve', 'commit', 'release', 'expire', 'restock'));

CREATE TABLE {{schema}}.restocks (
  reservation_id text COLLATE "C" NOT NULL REFERENCES {{schema}}.reservations (id),
  restock_id     text COLLATE "C" NOT NULL CHECK (restock_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  -- The request as received (sha-256 of its canonical lines): the same id with other lines is a conflict.
  request_hash   text NOT NULL,
  -- [{sku, qty}]: what the command asked to put back.
  lines          jsonb NOT NULL,
  -- [{sku, qty}]: what was put back per SKU (lines with 0 left out), the reply's `restocked`.
  restocked      jsonb NOT NULL,
  -- [{lot_id, sku, qty}]: what went back into each lot (a lot gets at most what was committed from it).
  lots           jsonb NOT NULL,
  actor          text NOT NULL,
  correlation_id text,
  at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reservation_id, restock_id)
);
