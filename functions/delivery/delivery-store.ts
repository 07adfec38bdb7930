/**
 * Deliveries and pickups, their status log and the carrier webhook inbox. Persistence only: every
 * call takes the caller's transaction or the pool.
 */
import { ident, type Queryable } from '../shared/db';
import type { CarrierName, DeliveryStatus, Parcel, Party } from './carrier';

/** The statuses of a pickup. */
export type PickupStatus = 'pending' | 'ready' | 'collected' | 'cancelled';

/** A delivery or pickup as stored. */
export interface DeliveryRow {
  id: string;
  order_id: string;
  customer_id: string;
  kind: 'delivery' | 'pickup';
  location: string;
  zone: string | null;
  hold_id: string;
  request_hash: string;
  destination: Party | null;
  parcel: Parcel;
  cod_vnd: number;
  /** `booking` until a carrier took it; then a DeliveryStatus. Pickups: a PickupStatus. */
  status: 'booking' | DeliveryStatus | PickupStatus;
  status_at: Date;
  carrier: CarrierName | null;
  service: string | null;
  carrier_ref: string | null;
  fee_vnd: number | null;
  tracking_url: string | null;
  eta_at: Date | null;
  driver: { name?: string; phone?: string; plate?: string } | null;
  fallbacks: { carrier: CarrierName; reason: string }[];
  cod_collected_vnd: number | null;
  pickup_code_hash: string | null;
  code_attempts: number;
  collected_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, order_id, customer_id, kind, location, zone, hold_id, request_hash, destination, parcel,
  cod_vnd::float8 AS cod_vnd, status, status_at, carrier, service, carrier_ref, fee_vnd::float8 AS fee_vnd,
  tracking_url, eta_at, driver, fallbacks, cod_collected_vnd::float8 AS cod_collected_vnd, pickup_code_hash,
  code_attempts, collected_by, version, created_at, updated_at`;

/** The store in `schema`. */
export function deliveryStore(schema: string) {
  const s = ident(schema);
  return {
    async get(db: Queryable, id: string, lock = false): Promise<DeliveryRow | undefined> {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM ${s}.deliveries WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async byCarrierRef(
      db: Queryable,
      carrier: CarrierName,
      ref: string,
      lock = false,
    ): Promise<DeliveryRow | undefined> {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM ${s}.deliveries WHERE carrier = $1 AND carrier_ref = $2 ${lock ? 'FOR UPDATE' : ''}`,
        [carrier, ref],
      );
      return rows[0];
    },

    /** Inserts a new delivery; false when the id (or the order's delivery of that kind) exists. */
    async insert(
      db: Queryable,
      d: Pick<
        DeliveryRow,
        | 'id'
        | 'order_id'
        | 'customer_id'
        | 'kind'
        | 'location'
        | 'zone'
        | 'hold_id'
        | 'request_hash'
        | 'destination'
        | 'parcel'
        | 'cod_vnd'
        | 'status'
      >,
      now: Date,
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.deliveries (id, order_id, customer_id, kind, location, zone, hold_id, request_hash,
           destination, parcel, cod_vnd, status, status_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13)
         ON CONFLICT DO NOTHING`,
        [
          d.id,
          d.order_id,
          d.customer_id,
          d.kind,
          d.location,
          d.zone,
          d.hold_id,
          d.request_hash,
          d.destination ? JSON.stringify(d.destination) : null,
          JSON.stringify(d.parcel),
          d.cod_vnd,
          d.status,
          now,
        ],
      );
      return rowCount === 1;
    },

    /**
     * Claims the right to book a carrier for `claimMs` (one caller at a time, so two retries of a
     * crashed booking never book two trips); false when another caller holds a live claim.
     */
    async claimBooking(db: Queryable, id: string, now: Date, claimMs: number): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE ${s}.deliveries SET claim_until = $2::timestamptz + make_interval(secs => $3 / 1000.0)
          WHERE id = $1 AND status = 'booking' AND (claim_until IS NULL OR claim_until < $2)`,
        [id, now, claimMs],
      );
      return rowCount === 1;
    },

    /** Deliveries still waiting for a carrier whose claim lapsed (a crashed or failed booking). */
    async unbooked(db: Queryable, now: Date, limit: number): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM ${s}.deliveries WHERE status = 'booking' AND (claim_until IS NULL OR claim_until < $1)
          ORDER BY created_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((r) => r.id);
    },

    /** Writes the fields that changed and bumps the version; returns the new row. */
    async update(db: Queryable, id: string, changes: Partial<DeliveryRow>, now: Date): Promise<DeliveryRow> {
      const json = new Set(['destination', 'parcel', 'driver', 'fallbacks']);
      const keys = Object.keys(changes) as (keyof DeliveryRow)[];
      const sets = keys.map((k, i) => `${k} = $${i + 3}`);
      const values = keys.map((k) =>
        json.has(k) && changes[k] !== null ? JSON.stringify(changes[k]) : changes[k],
      );
      const { rows } = await db.query<DeliveryRow>(
        `UPDATE ${s}.deliveries SET ${[...sets, 'version = version + 1', 'updated_at = $2'].join(', ')}
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, now, ...values],
      );
      return rows[0]!;
    },

    async log(
      db: Queryable,
      e: {
        delivery_id: string;
        source: string;
        raw_status: string;
        status: string | null;
        at: Date;
        outcome: string;
      },
    ) {
      await db.query(
        `INSERT INTO ${s}.delivery_log (delivery_id, source, raw_status, status, at, outcome) VALUES ($1, $2, $3, $4, $5, $6)`,
        [e.delivery_id, e.source, e.raw_status, e.status, e.at, e.outcome],
      );
    },

    async history(db: Queryable, id: string) {
      const { rows } = await db.query<{
        source: string;
        raw_status: string;
        status: string | null;
        at: Date;
        outcome: string;
      }>(
        `SELECT source, raw_status, status, at, outcome FROM ${s}.delivery_log WHERE delivery_id = $1 ORDER BY id`,
        [id],
      );
      return rows;
    },

    /** Records a webhook update; false when it was seen before (a repeat). */
    async firstSeen(
      db: Queryable,
      carrier: string,
      ref: string,
      rawStatus: string,
      at: Date,
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO ${s}.carrier_inbox (carrier, carrier_ref, raw_status, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [carrier, ref, rawStatus, at],
      );
      return rowCount === 1;
    },
  };
}

export type DeliveryStore = ReturnType<typeof deliveryStore>;
