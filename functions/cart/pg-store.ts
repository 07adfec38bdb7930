/**
 * The cart store in PostgreSQL (embedded mode): one row per cart holding the whole document, its
 * version, and the fields the scans need mirrored into columns on every write. A write is one
 * `UPDATE ... WHERE version = expected`, so concurrent writers never lose each other's lines.
 */
import type { Pool } from 'pg';
import { ident, pingDatabase } from '../shared/db';
import type { Cart } from './model';
import type { CartStore } from './ports';

/** The carts of `schema` (migrations/001_carts.sql) through `pool`, which the caller owns and ends. */
export function pgCartStore(pool: Pool, schema: string): CartStore {
  const carts = `${ident(schema)}.carts`;
  const claims = `${ident(schema)}.customer_carts`;

  return {
    async insert(cart) {
      try {
        await pool.query(
          `INSERT INTO ${carts} (id, version, doc, status, owner_kind, customer_id, updated_at,
                                 lines_touched_at, abandoned_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [cart.id, cart.version, JSON.stringify(cart), ...mirrored(cart)],
        );
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw duplicate(cart.id, err);
        throw err;
      }
    },

    async get(id) {
      const { rows } = await pool.query<{ doc: Cart; version: number }>(
        `SELECT doc, version FROM ${carts} WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row && { ...row.doc, version: row.version };
    },

    async compareAndSet(cart, expected) {
      checkNextVersion(cart, expected);
      const { rowCount } = await pool.query(
        `UPDATE ${carts}
            SET version = $3, doc = $4, status = $5, owner_kind = $6, customer_id = $7,
                updated_at = $8, lines_touched_at = $9, abandoned_at = $10
          WHERE id = $1 AND version = $2`,
        [cart.id, expected, expected + 1, JSON.stringify(cart), ...mirrored(cart)],
      );
      return rowCount === 1;
    },

    async claimCustomerCart(customerId, cartId) {
      // One statement: the insert wins, or the conflict locks the holder's row and returns it
      // (DO NOTHING would return no row, and a second read could miss a claim not yet visible).
      const { rows } = await pool.query<{ cart_id: string }>(
        `INSERT INTO ${claims} (customer_id, cart_id) VALUES ($1, $2)
         ON CONFLICT (customer_id) DO UPDATE SET customer_id = EXCLUDED.customer_id
         RETURNING cart_id`,
        [customerId, cartId],
      );
      return rows[0]!.cart_id;
    },

    async releaseCustomerCart(customerId, cartId) {
      await pool.query(`DELETE FROM ${claims} WHERE customer_id = $1 AND cart_id = $2`, [customerId, cartId]);
    },

    async idleSince(before, limit) {
      // The predicate is the carts_idle index's, word for word.
      const { rows } = await pool.query<{ doc: Cart; version: number }>(
        `SELECT doc, version FROM ${carts}
          WHERE status = 'active' AND owner_kind = 'customer' AND lines_touched_at IS NOT NULL
            AND (abandoned_at IS NULL OR abandoned_at < lines_touched_at)
            AND lines_touched_at < $1
          ORDER BY lines_touched_at, id
          LIMIT $2`,
        [before, limit],
      );
      return rows.map((row) => ({ ...row.doc, version: row.version }));
    },

    async purgeGuests(before) {
      const { rowCount } = await pool.query(
        `DELETE FROM ${carts} WHERE owner_kind = 'guest' AND updated_at < $1`,
        [before],
      );
      return rowCount ?? 0;
    },

    ready: () => pingDatabase(pool),

    async close() {
      // The pool was passed in: its creator ends it.
    },
  };
}

/** The mirrored columns, in table order from `status`. */
function mirrored(cart: Cart): (string | null)[] {
  return [
    cart.status,
    cart.owner.kind,
    cart.owner.kind === 'customer' ? cart.owner.customer_id : null,
    cart.updated_at,
    cart.lines_touched_at ?? null,
    cart.abandoned_at ?? null,
  ];
}

/**
 * The document a compare-and-set writes must carry `expected + 1`: anything else is a caller's
 * bug (the stored version and the document's would disagree).
 */
function checkNextVersion(cart: Cart, expected: number): void {
  if (cart.version !== expected + 1)
    throw new Error(
      `Cart ${cart.id}: a write at version ${expected} must carry ${expected + 1}, not ${cart.version}`,
    );
}

/** A cart inserted under an id that exists: ids are fresh, so this is a bug. */
function duplicate(id: string, cause?: unknown): Error {
  return new Error(`Cart ${id} already exists`, { cause });
}
