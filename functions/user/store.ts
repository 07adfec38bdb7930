/** Accounts and profiles in the `users` schema (addresses: `address-store.ts`). */
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
  substitution_default: 'best_match' | 'none';
  version: number;
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
  substitution_default?: 'best_match' | 'none';
}

/** A new account: one identifier (email or phone) and its password hash. */
export interface NewAccount {
  email?: string;
  phone?: string;
  passwordHash: string;
  name?: string;
  lang: 'en' | 'vi';
  role?: Role;
}

/** What creating an account led to: the new row, or the email or phone was taken already. */
export type CreateOutcome = { kind: 'created'; account: Account } | { kind: 'taken' };

/** What a versioned profile patch led to: the row after, or the version had moved on. */
export type PatchOutcome = { kind: 'updated'; account: Account } | { kind: 'stale' };

/** The account store over one schema. */
export function accountStore(schema: string) {
  const s = ident(schema);
  return {
    /** Creates an account unless the email or phone is taken. */
    async create(db: Queryable, a: NewAccount): Promise<CreateOutcome> {
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

    /** The account holding this email or phone. */
    async byIdentifier(db: Queryable, channel: Channel, value: string): Promise<Account | undefined> {
      const column = channel === 'email' ? 'email' : 'phone';
      const { rows } = await db.query<Account>(`SELECT * FROM ${s}.accounts WHERE ${column} = $1`, [value]);
      return rows[0];
    },

    /** The account by id (`lock` takes its row lock for the transaction). */
    async byId(db: Queryable, id: string, lock = false): Promise<Account | undefined> {
      if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
      const { rows } = await db.query<Account>(
        `SELECT * FROM ${s}.accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** Replaces the password hash. */
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

    /** Unsets the default address if it is `addressId`; the account after. */
    async clearDefault(db: Queryable, userId: string, addressId: string): Promise<Account | undefined> {
      await db.query(
        `UPDATE ${s}.accounts SET default_address_id = NULL, updated_at = now(), version = version + 1
          WHERE id = $1 AND default_address_id = $2`,
        [userId, addressId],
      );
      return this.byId(db, userId);
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
    substitution_default: a.substitution_default,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  };
}
