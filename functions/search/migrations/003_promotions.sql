-- Live promotions as the promotions function announces them (activated/changed/ended events):
-- the highest version seen per id; an end leaves a tombstone (ended, no announcement) so a late,
-- lower-version announcement cannot bring the promotion back.
CREATE TABLE {{schema}}.promotions (
  id           text        PRIMARY KEY,
  version      integer     NOT NULL,
  ended        boolean     NOT NULL,
  announcement jsonb,
  starts_at    timestamptz,
  ends_at      timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ended = (announcement IS NULL))
);

-- The promotions covering each document, with their schedules ([{id, label_en, label_vi, kind,
-- starts_at, ends_at}]): a search shows those live at its time. Looked up by promotion id when
-- one changes.
ALTER TABLE {{schema}}.documents ADD COLUMN promotions jsonb NOT NULL DEFAULT '[]';
CREATE INDEX documents_promotions ON {{schema}}.documents
  USING gin (promotions jsonb_path_ops) WHERE promotions <> '[]'::jsonb;
