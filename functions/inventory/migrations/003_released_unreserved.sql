-- A release that finds no reservation leaves the id here. A reserve command can arrive after its own
-- compensation (its owner hung past the saga's step timeout, then answered both at once): it is then
-- refused, instead of holding stock for an order that was already cancelled until its TTL runs out.
-- A release and a reserve of one id take the same advisory lock, so neither can miss the other.
CREATE TABLE {{schema}}.released_unreserved (
  id             text COLLATE "C" PRIMARY KEY,
  released_at    timestamptz NOT NULL DEFAULT now(),
  correlation_id text
);
