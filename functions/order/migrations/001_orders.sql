-- Orders and their checkout sagas. An order row holds what the customer bought as it was when
-- they checked out (lines with names, the frozen price, the delivery address), its lifecycle
-- status, and its saga's state (saga.ts); every input the saga applied is appended to saga_log
-- with the commands it sent. Money is integer đồng.

CREATE TABLE {{schema}}.orders (
  id               text COLLATE "C" PRIMARY KEY,
  customer_id      text NOT NULL,
  cart_id          text NOT NULL,
  -- The checkout's Idempotency-Key and a hash of its request: the same key replays the order.
  idempotency_key  text NOT NULL,
  request_hash     text NOT NULL,
  lang             text NOT NULL CHECK (lang IN ('en', 'vi')),
  status           text NOT NULL CHECK (status IN ('placed', 'awaiting_payment', 'confirmed', 'picking', 'packed',
                     'out_for_delivery', 'ready_for_pickup', 'delivered', 'collected', 'completed', 'cancelled',
                     'refunded', 'partially_refunded')),
  location         text NOT NULL,
  -- {kind, slot, hold_id, window: {starts_at, ends_at, fee_vnd}, address?}
  fulfilment       jsonb NOT NULL,
  -- [{sku, name: {en, vi}, sold_by, qty?, grams?, substitution}]
  lines            jsonb NOT NULL,
  coupons          text[] NOT NULL DEFAULT '{}',
  rail             text NOT NULL CHECK (rail IN ('momo', 'vnpay', 'stripe', 'cod')),
  payment_id       text NOT NULL,
  -- The frozen price (promotions' answer) and what the payment holds (total + weighed margin).
  quote            jsonb,
  total_vnd        bigint CHECK (total_vnd >= 0),
  authorised_vnd   bigint CHECK (authorised_vnd >= 0),
  redemption_ids   text[] NOT NULL DEFAULT '{}',
  next_action      text CHECK (next_action IN ('redirect', 'client_secret', 'none')),
  redirect_url     text,
  reason           jsonb,
  refund_vnd       bigint NOT NULL DEFAULT 0 CHECK (refund_vnd >= 0),
  saga             jsonb NOT NULL,
  -- When the saga next needs the clock (a leg's deadline, the payment window); null when settled.
  next_check_at    timestamptz,
  settled          boolean NOT NULL DEFAULT false,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  confirmed_at     timestamptz,
  cancelled_at     timestamptz
);
CREATE UNIQUE INDEX orders_checkout_key ON {{schema}}.orders (customer_id, idempotency_key);
-- One live order per cart: a second checkout of a cart being checked out is refused.
CREATE UNIQUE INDEX orders_live_cart ON {{schema}}.orders (cart_id) WHERE status <> 'cancelled';
CREATE INDEX orders_customer ON {{schema}}.orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_status ON {{schema}}.orders (status, created_at DESC, id DESC);
CREATE INDEX orders_due ON {{schema}}.orders (next_check_at) WHERE next_check_at IS NOT NULL;

-- The durable saga log: every input applied, in order, with the phase it left and what it sent.
CREATE TABLE {{schema}}.saga_log (
  order_id   text COLLATE "C" NOT NULL REFERENCES {{schema}}.orders (id),
  seq        integer NOT NULL,
  input      jsonb NOT NULL,
  phase      text NOT NULL,
  sent       jsonb NOT NULL,
  at         timestamptz NOT NULL,
  PRIMARY KEY (order_id, seq)
);
