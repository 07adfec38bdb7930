-- Customers with a confirmed order (from order.confirmed): a cart prices first-order promotions
-- for the others. The order saga decides for good at checkout; this only keeps the basket honest.
CREATE TABLE {{schema}}.ordered_customers (
  customer_id    text PRIMARY KEY,
  first_order_at timestamptz NOT NULL
);
