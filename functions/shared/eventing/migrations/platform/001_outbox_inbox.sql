-- Platform tables every function schema gets: the transactional outbox (written in the same
-- transaction as the state change, published by the relay) and the inbox (source+id of every
-- CloudEvent consumed, written in the same transaction as its effect).
CREATE TABLE {{schema}}.outbox (
  id            bigserial PRIMARY KEY,
  shard         smallint    NOT NULL,
  partition_key text        NOT NULL,
  event         jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);
CREATE INDEX outbox_pending ON {{schema}}.outbox (shard, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON {{schema}}.outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE {{schema}}.inbox (
  source      text        NOT NULL,
  id          text        NOT NULL,
  type        text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, id)
);
