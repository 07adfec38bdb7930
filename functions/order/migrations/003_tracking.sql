-- The live-tracking view: one Firestore document per order, published from this table
-- (tracking.ts). `tracked_version` is the version last written to (or found in) Firestore; an
-- order whose version is ahead of it is due, so every committed change is published at least
-- once and a crash between the write and this mark only publishes it again. Existing orders start
-- at 0 and are published once.

ALTER TABLE {{schema}}.orders ADD COLUMN tracked_version integer NOT NULL DEFAULT 0;
-- The publisher's scan: only orders not yet published at their current version.
CREATE INDEX orders_untracked ON {{schema}}.orders (updated_at, id) WHERE tracked_version < version;
