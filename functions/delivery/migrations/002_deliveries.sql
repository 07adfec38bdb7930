-- Where a zone's trips start: the serving store's address as carriers need it (name, phone,
-- street, ward, province, geo). Without it only the store's own riders can take the zone's trips.
ALTER TABLE {{schema}}.zones ADD COLUMN origin jsonb;

-- Deliveries and pickups of orders, the log of every carrier status heard (applied or not), and
-- the inbox that makes a repeated webhook a no-op.

CREATE TABLE {{schema}}.deliveries (
  id               text COLLATE "C" PRIMARY KEY,
  order_id         text NOT NULL,
  customer_id      text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('delivery', 'pickup')),
  location         text COLLATE "C" NOT NULL,
  zone             text COLLATE "C",
  -- The booked slot hold (delivery window or pickup window).
  hold_id          text COLLATE "C" NOT NULL,
  request_hash     text NOT NULL,
  -- The trip: where to, what, and the cash to collect.
  destination      jsonb,
  parcel           jsonb NOT NULL,
  cod_vnd          bigint NOT NULL CHECK (cod_vnd >= 0),
  -- booking → pending … (carrier statuses); pickups: pending → ready → collected.
  status           text NOT NULL,
  status_at        timestamptz NOT NULL,
  carrier          text,
  service          text,
  carrier_ref      text,
  fee_vnd          bigint CHECK (fee_vnd >= 0),
  tracking_url     text,
  eta_at           timestamptz,
  driver           jsonb,
  fallbacks        jsonb NOT NULL DEFAULT '[]',
  -- While set and in the future, one caller is booking a carrier for it.
  claim_until      timestamptz,
  cod_collected_vnd bigint CHECK (cod_collected_vnd >= 0),
  -- Pickups: the code's hash (never the code), wrong tries, who handed it over.
  pickup_code_hash text,
  code_attempts    integer NOT NULL DEFAULT 0,
  collected_by     text,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, kind)
);
CREATE UNIQUE INDEX deliveries_carrier_ref ON {{schema}}.deliveries (carrier, carrier_ref) WHERE carrier_ref IS NOT NULL;

-- Every status a carrier (or staff, for the own fleet) reported, with what we did with it.
CREATE TABLE {{schema}}.delivery_log (
  id           bigserial PRIMARY KEY,
  delivery_id  text COLLATE "C" NOT NULL REFERENCES {{schema}}.deliveries (id),
  source       text NOT NULL,
  raw_status   text NOT NULL,
  status       text,
  at           timestamptz NOT NULL,
  -- applied, or why not: same, stale, backwards, terminal, unknown_status (flagged for staff).
  outcome      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_log_delivery ON {{schema}}.delivery_log (delivery_id, id);
CREATE INDEX delivery_log_flagged ON {{schema}}.delivery_log (received_at) WHERE outcome = 'unknown_status';

-- Carrier webhooks seen: none of the carriers sends an event id, so (carrier, their id, status, time) is the key.
CREATE TABLE {{schema}}.carrier_inbox (
  carrier      text NOT NULL,
  carrier_ref  text NOT NULL,
  raw_status   text NOT NULL,
  at           timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (carrier, carrier_ref, raw_status, at)
);
