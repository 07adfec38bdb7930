-- The local event router's durable delivery queue (dev and tests; Knative's Kafka broker plays
-- this role in production). One row per (trigger, event); status pending → inflight →
-- delivered | dead. Dead rows are the dead-letter sink, listed by `make dlq`.
CREATE TABLE {{schema}}.deliveries (
  id              bigserial PRIMARY KEY,
  trigger         text        NOT NULL,
  subscriber      text        NOT NULL,
  event_source    text        NOT NULL,
  event_id        text        NOT NULL,
  event_type      text        NOT NULL,
  partition_key   text        NOT NULL,
  ordered         boolean     NOT NULL DEFAULT false,
  event           jsonb       NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'inflight', 'delivered', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (trigger, event_source, event_id)
);
CREATE INDEX deliveries_due ON {{schema}}.deliveries (next_attempt_at, id) WHERE status IN ('pending', 'inflight');
CREATE INDEX deliveries_order ON {{schema}}.deliveries (trigger, partition_key, id) WHERE status IN ('pending', 'inflight');
CREATE INDEX deliveries_dead ON {{schema}}.deliveries (id) WHERE status = 'dead';
