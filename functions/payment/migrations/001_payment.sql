-- Payments: one per order attempt on a rail, the amounts it has reached (held, captured,
-- refunded), every operation sent to a provider with its idempotency key (so a crash between the
-- call and its record is resumed with the same key), the money ledger, refunds, and the inbox of
-- provider notifications. Money is integer đồng.

CREATE TABLE {{schema}}.payments (
  id              text COLLATE "C" PRIMARY KEY,
  order_id        text COLLATE "C" NOT NULL,
  customer_id     text NOT NULL,
  rail            text NOT NULL CHECK (rail IN ('momo', 'vnpay', 'stripe', 'cod')),
  amount_vnd      bigint NOT NULL CHECK (amount_vnd > 0),
  -- The provider's stage (rail.ts RailStatus); the API's status is derived (domain.ts statusOf).
  stage           text NOT NULL CHECK (stage IN ('pending', 'requires_action', 'authorised', 'captured', 'voided', 'failed', 'expired')),
  authorised_vnd  bigint NOT NULL DEFAULT 0 CHECK (authorised_vnd >= 0),
  captured_vnd    bigint NOT NULL DEFAULT 0 CHECK (captured_vnd >= 0),
  refunded_vnd    bigint NOT NULL DEFAULT 0 CHECK (refunded_vnd >= 0 AND refunded_vnd <= captured_vnd),
  provider_ref    text,
  -- How the customer completes it: a provider page, a client secret (Stripe), or nothing (COD).
  next_action     jsonb,
  failure         jsonb,
  hold_expires_at timestamptz,
  return_url      text NOT NULL,
  request_hash    text NOT NULL,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX payments_order ON {{schema}}.payments (order_id, created_at);
CREATE INDEX payments_open ON {{schema}}.payments (updated_at) WHERE stage IN ('pending', 'requires_action', 'authorised');
CREATE UNIQUE INDEX payments_provider_ref ON {{schema}}.payments (rail, provider_ref) WHERE provider_ref IS NOT NULL;

-- Every provider call that moves money, recorded before it is sent: a crash after the call and
-- before its result is stored leaves `started`, and the reconciliation job sends it again with
-- the same key (the provider replays its first answer).
CREATE TABLE {{schema}}.operations (
  payment_id      text COLLATE "C" NOT NULL REFERENCES {{schema}}.payments (id),
  operation       text NOT NULL CHECK (operation IN ('authorise', 'capture', 'void', 'refund')),
  attempt         text NOT NULL,
  idempotency_key text NOT NULL,
  amount_vnd      bigint CHECK (amount_vnd > 0),
  state           text NOT NULL CHECK (state IN ('started', 'done', 'refused')),
  result          jsonb,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  PRIMARY KEY (payment_id, operation, attempt)
);
CREATE INDEX operations_started ON {{schema}}.operations (started_at) WHERE state = 'started';

-- The money ledger: every movement, never updated.
CREATE TABLE {{schema}}.ledger (
  id           bigserial PRIMARY KEY,
  payment_id   text COLLATE "C" NOT NULL REFERENCES {{schema}}.payments (id),
  kind         text NOT NULL CHECK (kind IN ('authorised', 'captured', 'released', 'refunded', 'voided', 'failed', 'expired')),
  amount_vnd   bigint NOT NULL CHECK (amount_vnd >= 0),
  source       text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX ledger_payment ON {{schema}}.ledger (payment_id, id);

CREATE TABLE {{schema}}.refunds (
  id            text COLLATE "C" PRIMARY KEY,
  payment_id    text COLLATE "C" NOT NULL REFERENCES {{schema}}.payments (id),
  amount_vnd    bigint NOT NULL CHECK (amount_vnd > 0),
  reason        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('started', 'succeeded', 'pending', 'failed')),
  provider_ref  text,
  request_hash  text NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX refunds_payment ON {{schema}}.refunds (payment_id);

-- Provider notifications seen, by the provider's event or transaction id.
CREATE TABLE {{schema}}.notifications (
  rail         text NOT NULL,
  event_id     text NOT NULL,
  payment_id   text,
  verdict      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rail, event_id)
);

-- Cash collected on delivery, as carriers report it (delivery.cod.collected): the daily cash
-- reconciliation per carrier sums what was expected against what riders collected.
CREATE TABLE {{schema}}.cod_collections (
  delivery_id   text COLLATE "C" PRIMARY KEY,
  order_id      text COLLATE "C" NOT NULL,
  payment_id    text COLLATE "C",
  carrier       text NOT NULL,
  amount_vnd    bigint NOT NULL CHECK (amount_vnd >= 0),
  expected_vnd  bigint NOT NULL CHECK (expected_vnd >= 0),
  collected_at  timestamptz NOT NULL,
  -- The Vietnam-time day it counts for.
  day           date NOT NULL
);
CREATE INDEX cod_collections_day ON {{schema}}.cod_collections (day, carrier);
