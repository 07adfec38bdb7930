-- Delivery: zones (which store serves which wards or polygons), calendars (a zone's delivery
-- windows or a store's pickup windows, as a template staff edit), the slots generated from them
-- with their counters, and slot holds (held → booked, or released/expired).
-- Ids use the "C" collation (byte order) so lock order is the same everywhere.

CREATE TABLE {{schema}}.zones (
  id          text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$' AND id NOT LIKE 'pickup-%'),
  -- The store or warehouse that serves it (inventory's location id).
  location    text COLLATE "C" NOT NULL,
  province    text NOT NULL,
  name_en     text NOT NULL,
  name_vi     text NOT NULL,
  -- Ward names as staff wrote them, and their folded keys (what addresses are matched on).
  wards       text[] NOT NULL,
  ward_keys   text[] NOT NULL,
  -- Outer rings of [lng, lat] points, or null.
  polygons    jsonb,
  -- Carriers in order of preference; own_fleet is the store's riders.
  carriers    text[] NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_province ON {{schema}}.zones (province);
CREATE INDEX zones_ward_keys ON {{schema}}.zones USING gin (ward_keys);

-- A calendar is a zone's delivery windows (id = the zone id) or a store's pickup windows
-- (id = 'pickup-' || location). The template is validated by slots.ts before it is stored.
CREATE TABLE {{schema}}.calendars (
  id          text COLLATE "C" PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('delivery', 'pickup')),
  location    text COLLATE "C" NOT NULL,
  template    jsonb NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'pickup') = (id LIKE 'pickup-%'))
);

-- One bookable window on one day. `held` and `booked` count the places taken; a hold is refused
-- unless held + booked < capacity, decided under the row's lock. Capacity may be lowered below
-- what is taken (the slot is then full), so it is not a CHECK.
CREATE TABLE {{schema}}.slots (
  id            text COLLATE "C" PRIMARY KEY,
  calendar      text COLLATE "C" NOT NULL REFERENCES {{schema}}.calendars (id),
  day           date NOT NULL,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  cutoff_at     timestamptz NOT NULL,
  capacity      integer NOT NULL CHECK (capacity >= 0),
  unit_capacity integer CHECK (unit_capacity >= 0),
  fee_vnd       bigint NOT NULL CHECK (fee_vnd >= 0),
  label         jsonb,
  -- Set when the template no longer offers it or a closure covers it: no new holds.
  withdrawn     boolean NOT NULL DEFAULT false,
  held          integer NOT NULL DEFAULT 0 CHECK (held >= 0),
  booked        integer NOT NULL DEFAULT 0 CHECK (booked >= 0),
  held_units    integer NOT NULL DEFAULT 0 CHECK (held_units >= 0),
  booked_units  integer NOT NULL DEFAULT 0 CHECK (booked_units >= 0),
  CHECK (ends_at > starts_at AND cutoff_at <= starts_at)
);
CREATE INDEX slots_calendar_day ON {{schema}}.slots (calendar, day, starts_at);

CREATE TABLE {{schema}}.slot_holds (
  id            text COLLATE "C" PRIMARY KEY,
  slot          text COLLATE "C" NOT NULL REFERENCES {{schema}}.slots (id),
  state         text NOT NULL CHECK (state IN ('held', 'booked', 'released', 'expired')),
  units         integer NOT NULL CHECK (units >= 0),
  -- The customer it is for (a user id), and who asked (a user id or client:<id>).
  owner         text NOT NULL,
  actor         text NOT NULL,
  order_id      text,
  request_hash  text NOT NULL,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL,
  closed_at     timestamptz
);
CREATE INDEX slot_holds_expiry ON {{schema}}.slot_holds (expires_at) WHERE state = 'held';
CREATE INDEX slot_holds_slot_expiry ON {{schema}}.slot_holds (slot, expires_at) WHERE state = 'held';
CREATE INDEX slot_holds_owner ON {{schema}}.slot_holds (owner) WHERE state = 'held';
