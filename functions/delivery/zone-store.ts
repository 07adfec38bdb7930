/**
 * Zones and calendars as staff write them. A zone says which store serves which wards (or
 * polygons) of a province and which carriers may take its orders; a calendar is a zone's delivery
 * template or a store's pickup template. Persistence only.
 */
import { ident, type Queryable } from '../shared/db';
import type { CarrierName, Party } from './carrier';
import type { SlotTemplate } from './slots';
import { wardKey, type Position, type Zone } from './zones';

/** A zone as stored. */
export interface ZoneRow extends Zone {
  name: { en: string; vi: string };
  /** The serving store's address, where carriers pick up; without it only the own fleet serves the zone. */
  origin?: Party;
  carriers: CarrierName[];
  version: number;
  updated_at: Date;
}

/** A calendar as stored. */
export interface CalendarRow {
  id: string;
  kind: 'delivery' | 'pickup';
  location: string;
  template: SlotTemplate;
  version: number;
  updated_at: Date;
}

interface ZoneDbRow {
  id: string;
  location: string;
  province: string;
  name_en: string;
  name_vi: string;
  wards: string[];
  polygons: Position[][] | null;
  carriers: CarrierName[];
  origin: Party | null;
  version: number;
  updated_at: Date;
}

const toZone = (r: ZoneDbRow): ZoneRow => ({
  id: r.id,
  location: r.location,
  province: r.province,
  name: { en: r.name_en, vi: r.name_vi },
  wards: r.wards,
  ...(r.polygons ? { polygons: r.polygons } : {}),
  ...(r.origin ? { origin: r.origin } : {}),
  carriers: r.carriers,
  version: r.version,
  updated_at: r.updated_at,
});

/** The pickup calendar id of a store. */
export const pickupCalendarId = (location: string) => `pickup-${location}`;

/** The store in `schema`. */
export function zoneStore(schema: string) {
  const s = ident(schema);
  return {
    async zones(db: Queryable): Promise<ZoneRow[]> {
      const { rows } = await db.query<ZoneDbRow>(`SELECT * FROM ${s}.zones ORDER BY id`);
      return rows.map(toZone);
    },

    async zone(db: Queryable, id: string, lock = false): Promise<ZoneRow | undefined> {
      const { rows } = await db.query<ZoneDbRow>(
        `SELECT * FROM ${s}.zones WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] && toZone(rows[0]);
    },

    /** Inserts or replaces a zone; returns its new version. */
    async putZone(db: Queryable, z: Omit<ZoneRow, 'version' | 'updated_at'>): Promise<number> {
      const { rows } = await db.query<{ version: number }>(
        `INSERT INTO ${s}.zones (id, location, province, name_en, name_vi, wards, ward_keys, polygons, carriers, origin)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET location = excluded.location, province = excluded.province,
           name_en = excluded.name_en, name_vi = excluded.name_vi, wards = excluded.wards,
           ward_keys = excluded.ward_keys, polygons = excluded.polygons, carriers = excluded.carriers,
           origin = excluded.origin,
           version = ${s}.zones.version + 1, updated_at = now()
         RETURNING version`,
        [
          z.id,
          z.location,
          z.province,
          z.name.en,
          z.name.vi,
          z.wards,
          z.wards.map(wardKey),
          z.polygons ? JSON.stringify(z.polygons) : null,
          z.carriers,
          z.origin ? JSON.stringify(z.origin) : null,
        ],
      );
      return rows[0]!.version;
    },

    async calendars(db: Queryable): Promise<CalendarRow[]> {
      const { rows } = await db.query<CalendarRow>(`SELECT * FROM ${s}.calendars ORDER BY id`);
      return rows;
    },

    async calendar(db: Queryable, id: string, lock = false): Promise<CalendarRow | undefined> {
      const { rows } = await db.query<CalendarRow>(
        `SELECT * FROM ${s}.calendars WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** Inserts or replaces a calendar's template; returns its new version. */
    async putCalendar(
      db: Queryable,
      c: Pick<CalendarRow, 'id' | 'kind' | 'location' | 'template'>,
    ): Promise<number> {
      const { rows } = await db.query<{ version: number }>(
        `INSERT INTO ${s}.calendars (id, kind, location, template) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET template = excluded.template, location = excluded.location,
           version = ${s}.calendars.version + 1, updated_at = now()
         RETURNING version`,
        [c.id, c.kind, c.location, JSON.stringify(c.template)],
      );
      return rows[0]!.version;
    },
  };
}

export type ZoneStore = ReturnType<typeof zoneStore>;
