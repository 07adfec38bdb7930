CREATE TABLE {{schema}}.pulses (
  id          uuid        PRIMARY KEY,
  note        text,
  emitted_at  timestamptz NOT NULL,
  received_at timestamptz,
  deliveries  integer     NOT NULL DEFAULT 0
);
CREATE INDEX pulses_emitted ON {{schema}}.pulses (emitted_at DESC);
