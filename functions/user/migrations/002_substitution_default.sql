-- What the picker does when an item in the customer's order is short, unless a cart line says
-- otherwise: a similar item (best_match) or nothing, refunded (none).
ALTER TABLE {{schema}}.accounts
  ADD COLUMN substitution_default text NOT NULL DEFAULT 'best_match'
  CHECK (substitution_default IN ('best_match', 'none'));
