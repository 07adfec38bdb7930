/** Accounts, profiles and addresses in the `users` schema. */
import { randomUUID } from 'node:crypto';
import { ident, type Queryable } from '../shared/db';
import type { Role } from '../shared/auth/principal';
import type { Channel } from './identifiers';

/** An account row. */
export interface Account {
  id: string;
  email: string | null;
  phone: string | null;
  email_verified_at: Date | null;
  phone_verified_at: Date | null;
  password_hash: string;
  role: Role;
  status: 'active' | 'suspended';
  name: string | null;
  lang: 'en' | 'vi';
  dietary: string[];
  favourites: string[];
  default_address_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

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

/** Profile fields a customer may change. */
export interface ProfilePatch {
  name?: string | null;
  lang?: 'en' | 'vi';
  dietary?: string[];
  favourites?: string[];
  default_address_id?: string | null;
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

/** What creating an account led to: the new row, or the email or phone was taken already. */
export type CreateOutcome = { kind: 'created'; account: Account } | { kind: 'taken' };

/** What a versioned profile patch led to: the row after, or the version had moved on. */
export type PatchOutcome = { kind: 'updated'; account: Account } | { kind: 'stale' };

/** What adding an address led to: the new row, or the account holds MAX_ADDRESSES already. */
export type AddAddressOutcome = { kind: 'added'; address: Address } | { kind: 'full' };

/** The account store over one schema. */
export function accountStore(schema: string) {
  const s = ident(schema);
  return {
    /** Creates an account unless the email or phone is taken. */
    async create(
      db: Queryable,
      a: {
        email?: string;
        phone?: string;
        passwordHash: string;
        name?: string;
        lang: 'en' | 'vi';
        role?: Role;
      },
    ): Promise<CreateOutcome> {
      const { rows } = await db.query<Account>(
        `INSERT INTO ${s}.accounts (id, email, phone, password_hash, name, lang, role)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
        [
          randomUUID(),
          a.email ?? null,
          a.phone ?? null,
          a.passwordHash,
          a.name ?? null,
          a.lang,
          a.role ?? 'customer',
        ],
      );
      return rows[0] ? { kind: 'created', account: rows[0] } : { kind: 'taken' };
    },

    async byIdentifier(db: Queryable, channel: Channel, value: string): Promise<Account | undefined> {
      const column = channel === 'email' ? 'email' : 'phone';
      const { rows } = await db.query<Account>(`SELECT * FROM ${s}.accounts WHERE ${column} = $1`, [value]);
      return rows[0];
    },

    async byId(db: Queryable, id: string, lock = false): Promise<Account | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
      const { rows } = await db.query<Account>(
        `SELECT * FROM ${s}.accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    async setPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
      await db.query(
        `UPDATE ${s}.accounts SET password_hash = $2, updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, passwordHash],
      );
    },

    /** Marks a channel verified if it still holds `target`; false when it changed meanwhile. */
    async markVerified(
      db: Queryable,
      id: string,
      channel: Channel,
      target: string,
      at: Date,
    ): Promise<boolean> {
      const column = channel === 'email' ? 'email' : 'phone';
      const { rowCount } = await db.query(
        `UPDATE ${s}.accounts SET ${column}_verified_at = COALESCE(${column}_verified_at, $3),
                updated_at = now(), version = version + 1
          WHERE id = $1 AND ${column} = $2`,
        [id, target, at],
      );
      return (rowCount ?? 0) > 0;
    },

    /**
     * Applies a profile patch if the version matches (when given). `stale` also when the account
     * is gone: the caller tells the two apart by reading it.
     */
    async patchProfile(
      db: Queryable,
      id: string,
      patch: ProfilePatch,
      ifVersion?: number,
    ): Promise<PatchOutcome> {
      const sets: string[] = [];
      const values: unknown[] = [id];
      for (const [key, value] of Object.entries(patch)) {
        values.push(value);
        sets.push(`${ident(key)} = $${values.length}`);
      }
      values.push(ifVersion ?? null);
      const { rows } = await db.query<Account>(
        `UPDATE ${s}.accounts SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
          WHERE id = $1 AND ($${values.length}::int IS NULL OR version = $${values.length}) RETURNING *`,
        values,
      );
      return rows[0] ? { kind: 'updated', account: rows[0] } : { kind: 'stale' };
    },

    /** Staff changes: role and status. */
    async administer(
      db: Queryable,
      id: string,
      patch: { role?: Role; status?: 'active' | 'suspended' },
    ): Promise<Account | undefined> {
      const { rows } = await db.query<Account>(
        `UPDATE ${s}.accounts SET role = COALESCE($2, role), status = COALESCE($3, status),
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, patch.role ?? null, patch.status ?? null],
      );
      return rows[0];
    },

    /**
     * Accounts newest first, filtered by a search over email, phone and name, role and status;
     * keyset-paginated by (created_at, id).
     */
    async list(
      db: Queryable,
      q: { search?: string; role?: Role; status?: string; limit: number; after?: { at: Date; id: string } },
    ): Promise<Account[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        values.push(value);
        where.push(sql.replaceAll('$?', `$${values.length}`));
      };
      if (q.search) {
        const pattern = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        add(`(email LIKE $? OR phone LIKE $? OR lower(name) LIKE $?)`, pattern);
      }
      if (q.role) add('role = $?', q.role);
      if (q.status) add('status = $?', q.status);
      if (q.after) {
        values.push(q.after.at, q.after.id);
        where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
      }
      values.push(q.limit);
      const { rows } = await db.query<Account>(
        `SELECT * FROM ${s}.accounts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
        values,
      );
      return rows;
    },

    async addresses(db: Queryable, userId: string): Promise<Address[]> {
      const { rows } = await db.query<Address>(
        `SELECT * FROM ${s}.addresses WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows;
    },

    /** One address of one user (another user's address is simply not found). */
    async address(db: Queryable, userId: string, id: string): Promise<Address | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
      const { rows } = await db.query<Address>(
        `SELECT * FROM ${s}.addresses WHERE id = $1 AND user_id = $2`,
        [id, userId],
      );
      return rows[0];
    },

    /** Adds an address unless the user has MAX_ADDRESSES already (locks the account row). */
    async addAddress(db: Queryable, userId: string, a: AddressInput): Promise<AddAddressOutcome> {
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

    async updateAddress(
      db: Queryable,
      userId: string,
      id: string,
      a: AddressInput,
    ): Promise<Address | undefined> {
      const { rows } = await db.query<Address>(
        `UPDATE ${s}.addresses SET ${ADDRESS_FIELDS.map((f, i) => `${f} = $${i + 3}`).join(', ')}, updated_at = now()
          WHERE id = $1 AND user_id = $2 RETURNING *`,
        [id, userId, ...ADDRESS_FIELDS.map((f) => a[f] ?? null)],
      );
      return rows[0];
    },

    /** Unsets the default address if it is `addressId`; the account after. */
    async clearDefault(db: Queryable, userId: string, addressId: string): Promise<Account | undefined> {
      await db.query(
        `UPDATE ${s}.accounts SET default_address_id = NULL, updated_at = now(), version = version + 1
          WHERE id = $1 AND default_address_id = $2`,
        [userId, addressId],
      );
      return this.byId(db, userId);
    },

    async deleteAddress(db: Queryable, userId: string, id: string): Promise<boolean> {
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

/** An account as its owner and staff see it (never the hash). */
export function accountView(a: Account) {
  return {
    id: a.id,
    email: a.email,
    phone: a.phone,
    email_verified: a.email_verified_at !== null,
    phone_verified: a.phone_verified_at !== null,
    role: a.role,
    status: a.status,
    name: a.name,
    lang: a.lang,
    dietary: a.dietary,
    favourites: a.favourites,
    default_address_id: a.default_address_id,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
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
