/** Addresses of accounts in the `users` schema: each query is scoped by the owner's id. */
import { randomUUID } from 'node:crypto';
import { ident, type Queryable } from '../shared/db';

/** An address row. */
export interface Address {
  id: string;
  user_id: string;
  label: string | null;
  recipient: string;
  phone: string;
  street: string;
  ward: string;
  province: string;
  lat: number | null;
  lng: number | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Address fields. */
export type AddressInput = Omit<Address, 'id' | 'user_id' | 'created_at' | 'updated_at'>;

/** Most addresses one account keeps. */
export const MAX_ADDRESSES = 20;

const ADDRESS_FIELDS = [
  'label',
  'recipient',
  'phone',
  'street',
  'ward',
  'province',
  'lat',
  'lng',
  'notes',
] as const;

/** What adding an address led to: the new row, or the account holds MAX_ADDRESSES already. */
export type AddAddressOutcome = { kind: 'added'; address: Address } | { kind: 'full' };

/** The address store over one schema. */
export function addressStore(schema: string) {
  const s = ident(schema);
  return {
    /** A user's addresses, oldest first. */
    async list(db: Queryable, userId: string): Promise<Address[]> {
      const { rows } = await db.query<Address>(
        `SELECT * FROM ${s}.addresses WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows;
    },

    /** One address of one user (another user's address is simply not found). */
    async one(db: Queryable, userId: string, id: string): Promise<Address | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
      const { rows } = await db.query<Address>(
        `SELECT * FROM ${s}.addresses WHERE id = $1 AND user_id = $2`,
        [id, userId],
      );
      return rows[0];
    },

    /** Adds an address unless the user has MAX_ADDRESSES already (locks the account row). */
    async add(db: Queryable, userId: string, a: AddressInput): Promise<AddAddressOutcome> {
      await db.query(`SELECT 1 FROM ${s}.accounts WHERE id = $1 FOR UPDATE`, [userId]);
      const { rows: count } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${s}.addresses WHERE user_id = $1`,
        [userId],
      );
      if ((count[0]?.n ?? 0) >= MAX_ADDRESSES) return { kind: 'full' };
      const { rows } = await db.query<Address>(
        `INSERT INTO ${s}.addresses (id, user_id, ${ADDRESS_FIELDS.join(', ')})
         VALUES ($1, $2, ${ADDRESS_FIELDS.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING *`,
        [randomUUID(), userId, ...ADDRESS_FIELDS.map((f) => a[f] ?? null)],
      );
      return { kind: 'added', address: rows[0]! };
    },

    /** Replaces an address's fields; undefined when the user has no such address. */
    async update(db: Queryable, userId: string, id: string, a: AddressInput): Promise<Address | undefined> {
      const { rows } = await db.query<Address>(
        `UPDATE ${s}.addresses SET ${ADDRESS_FIELDS.map((f, i) => `${f} = $${i + 3}`).join(', ')}, updated_at = now()
          WHERE id = $1 AND user_id = $2 RETURNING *`,
        [id, userId, ...ADDRESS_FIELDS.map((f) => a[f] ?? null)],
      );
      return rows[0];
    },

    /** Deletes an address (and unsets it as the default); false when there was none. */
    async remove(db: Queryable, userId: string, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`DELETE FROM ${s}.addresses WHERE id = $1 AND user_id = $2`, [
        id,
        userId,
      ]);
      await db.query(
        `UPDATE ${s}.accounts SET default_address_id = NULL, version = version + 1
          WHERE id = $1 AND default_address_id = $2`,
        [userId, id],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}

/** An address as returned by the API. */
export function addressView(a: Address, defaultId: string | null) {
  return {
    id: a.id,
    label: a.label,
    recipient: a.recipient,
    phone: a.phone,
    street: a.street,
    ward: a.ward,
    province: a.province,
    geo: a.lat === null || a.lng === null ? null : { lat: a.lat, lng: a.lng },
    notes: a.notes,
    is_default: a.id === defaultId,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  };
}
