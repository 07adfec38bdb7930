-- After confirmation: the picking state (lines with what was picked and their substitutes), the
-- final bill and what was captured and refunded against it, the commands sent after confirmation
-- and not yet answered (re-sent by the clock until answered), and the delivery as the carrier
-- reports it. Money is integer đồng.

ALTER TABLE {{schema}}.orders
  ADD COLUMN picking       jsonb,
  ADD COLUMN bill          jsonb,
  ADD COLUMN final_vnd     bigint CHECK (final_vnd >= 0),
  ADD COLUMN captured_vnd  bigint NOT NULL DEFAULT 0 CHECK (captured_vnd >= 0),
  ADD COLUMN refunds       jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN asks          jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN tracking      jsonb,
  ADD COLUMN packed_at     timestamptz,
  ADD COLUMN completed_at  timestamptz;
