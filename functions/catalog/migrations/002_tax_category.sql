-- The VAT category of each product (events/catalog/product.v1.ts TAX_CATEGORIES). Existing rows and
-- writes that leave it out get VAT10_REDUCIBLE, the rate of most packaged groceries. A constant
-- default is a catalogue-only change (no table rewrite); the CHECK reads the table once.
ALTER TABLE {{schema}}.products
  ADD COLUMN tax_category text NOT NULL DEFAULT 'VAT10_REDUCIBLE'
    CONSTRAINT products_tax_category_check
    CHECK (tax_category IN ('VAT5', 'VAT10_REDUCIBLE', 'VAT10_EXCLUDED', 'EXEMPT'));
