-- Real sales behind "popular": the lines of completed orders (io.tuoi.order.completed.v1, events.ts).
-- One row per (order, SKU), inserted ON CONFLICT DO NOTHING in the consumer's transaction, so an
-- order counts once however often its completion is delivered or re-emitted. A new row also adds its
-- units to sales_daily (source 'order'), which the daily refresh sums into units_sold_7d. Rows older
-- than the refresh keeps (store-projections.ts) are pruned: a redelivery that late would only add to
-- a day long outside the sales window.
CREATE TABLE {{schema}}.order_sales (
  order_id text COLLATE "C" NOT NULL,
  sku      text COLLATE "C" NOT NULL,
  -- The shop day (Vietnam) the order completed.
  day      date             NOT NULL,
  units    integer          NOT NULL CHECK (units > 0),
  PRIMARY KEY (order_id, sku)
);
CREATE INDEX order_sales_day ON {{schema}}.order_sales (day);

-- Where a day's units come from: 'order' (completed orders, above) or 'seed' (synthetic sales the
-- dev seed and test fixtures write so `make dev` has a popular list before any order). Every row so
-- far was written by the seed or a fixture, hence 'seed'; from now on writers must say which.
ALTER TABLE {{schema}}.sales_daily
  ADD COLUMN source text NOT NULL DEFAULT 'seed' CHECK (source IN ('seed', 'order')),
  DROP CONSTRAINT sales_daily_pkey,
  ADD PRIMARY KEY (sku, day, source);
ALTER TABLE {{schema}}.sales_daily ALTER COLUMN source DROP DEFAULT;
