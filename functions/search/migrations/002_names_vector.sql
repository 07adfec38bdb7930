-- Matching and scoring read the tsvectors of every candidate row. Rows are ~3 kB, over the TOAST
-- threshold, and the toaster compressed or moved out tsv_folded (the largest column after doc),
-- so every row visited was decompressed first: 70% of a common word's time. The vectors are now
-- kept inline (MAIN); doc and description go out of line instead.
-- Scoring also gets its own small vector of names, brand and categories (folded, weights A/B/C).
ALTER TABLE {{schema}}.documents
  ALTER COLUMN tsv_folded SET STORAGE MAIN,
  ALTER COLUMN tsv_exact SET STORAGE MAIN,
  ADD COLUMN tsv_names tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', {{schema}}.fold(name_vi || ' ' || name_en)), 'A') ||
    setweight(to_tsvector('simple', {{schema}}.fold(brand)), 'B') ||
    setweight(to_tsvector('simple', {{schema}}.fold(category_text)), 'C')) STORED,
  ALTER COLUMN tsv_names SET STORAGE MAIN; -- before the rewrite this statement makes

-- No query uses trigrams (spelling comes from the vocabulary), and this index was the costliest
-- to maintain: a 50k reindex spent most of its time in it.
DROP INDEX {{schema}}.documents_names_trgm;
