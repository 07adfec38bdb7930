-- Notifications: what each event asks to tell a customer (intake), the notification log with one
-- row per (event, channel, recipient) — the unique key that makes a message go at most once however
-- often its event is delivered — the providers' receipts (deduplicated), customers' preferences,
-- and the orders projection that names the customer of an event carrying only an order id.

-- One row per (event, template): written in the consumer's transaction. Secrets (a verification or
-- reset token) are not in `data`: they are sealed (AES-256-GCM, seal.ts) and dropped once every
-- message of the row is settled.
CREATE TABLE {{schema}}.intake (
  event_id      text COLLATE "C" NOT NULL,
  template      text NOT NULL,
  event_type    text NOT NULL,
  -- The customer; NULL while an event that names only its order waits for order.placed.
  user_id       text COLLATE "C",
  order_id      text COLLATE "C",
  -- The event's language; NULL: the customer's profile language, read when the row is planned.
  lang          text CHECK (lang IN ('en', 'vi')),
  -- The address the event itself names (account messages: the email or phone being verified).
  to_address    text,
  to_channel    text CHECK (to_channel IN ('email', 'phone')),
  data          jsonb NOT NULL,
  sealed        bytea,
  -- A code or a substitute waiting for an answer goes ahead of everything else.
  urgent        boolean NOT NULL DEFAULT false,
  received_at   timestamptz NOT NULL,
  -- Not planned before this (a contact lookup that failed is tried again later).
  not_before    timestamptz,
  planned_at    timestamptz,
  PRIMARY KEY (event_id, template),
  CHECK (user_id IS NOT NULL OR order_id IS NOT NULL)
);
CREATE INDEX intake_unplanned ON {{schema}}.intake (urgent DESC, received_at) WHERE planned_at IS NULL;

-- The notification log: one message on one channel to one recipient (an email address, a phone
-- number, or the user id of an in-app feed).
CREATE TABLE {{schema}}.messages (
  id            uuid PRIMARY KEY,
  event_id      text COLLATE "C" NOT NULL,
  template      text NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'sms', 'inapp')),
  recipient     text NOT NULL,
  user_id       text COLLATE "C" NOT NULL,
  lang          text NOT NULL CHECK (lang IN ('en', 'vi')),
  -- pending: waiting for its time; sending: handed to the provider, answer not yet recorded;
  -- queued … failed: the provider's word (receipts); dead: retries exhausted, never sent.
  status        text NOT NULL CHECK (status IN ('pending', 'sending', 'queued', 'sent', 'delivered', 'bounced', 'failed', 'dead')),
  send_at       timestamptz NOT NULL,
  urgent        boolean NOT NULL DEFAULT false,
  held          boolean NOT NULL DEFAULT false,
  attempts      integer NOT NULL DEFAULT 0,
  provider      text,
  provider_id   text,
  sms_segments  integer,
  sms_unaccented boolean,
  last_error    text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  UNIQUE (event_id, channel, recipient)
);
CREATE INDEX messages_due ON {{schema}}.messages (urgent DESC, send_at) WHERE status = 'pending';
CREATE INDEX messages_sending ON {{schema}}.messages (updated_at) WHERE status = 'sending';
CREATE INDEX messages_user ON {{schema}}.messages (user_id, created_at DESC);
CREATE UNIQUE INDEX messages_provider_id ON {{schema}}.messages (provider, provider_id) WHERE provider_id IS NOT NULL;

-- Receipts already applied (a provider repeats them).
CREATE TABLE {{schema}}.receipts (
  provider      text NOT NULL,
  receipt_id    text NOT NULL,
  message_id    uuid REFERENCES {{schema}}.messages (id),
  status        text NOT NULL,
  received_at   timestamptz NOT NULL,
  PRIMARY KEY (provider, receipt_id)
);

-- A customer's choices (policy.ts Preferences); absent = the defaults.
CREATE TABLE {{schema}}.preferences (
  user_id       text COLLATE "C" PRIMARY KEY,
  channels      jsonb NOT NULL,
  quiet         jsonb,
  version       integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL
);

-- Whose order it is and in which language, from order.placed (payment and delivery events may
-- carry only the order id).
CREATE TABLE {{schema}}.orders (
  order_id      text COLLATE "C" PRIMARY KEY,
  customer_id   text COLLATE "C" NOT NULL,
  lang          text NOT NULL CHECK (lang IN ('en', 'vi'))
);
