/**
 * Service clients of the client-credentials grant: other functions and ops tools that call Tươi
 * APIs as themselves (the search indexer reading the catalog export, checkout reserving stock).
 * Secrets are shown once when created and stored as argon2id hashes.
 */
import { randomBytes } from 'node:crypto';
import { ident, type Queryable } from '../shared/db';
import type { PasswordHasher } from './passwords';

/** A client row. */
export interface Client {
  id: string;
  secret_hash: string;
  scopes: string[];
  status: 'active' | 'disabled';
}

/** The client store over one schema. */
export function clientStore(schema: string) {
  const s = ident(schema);
  return {
    async byId(db: Queryable, id: string): Promise<Client | undefined> {
      const { rows } = await db.query<Client>(
        `SELECT id, secret_hash, scopes, status FROM ${s}.clients WHERE id = $1`,
        [id],
      );
      return rows[0];
    },

    /**
     * Creates the client or gives it a new secret and these scopes (the old secret stops working).
     * Returns the secret: `secret` when given (dev defaults), else a new random one.
     */
    async put(
      db: Queryable,
      hasher: PasswordHasher,
      c: { id: string; scopes: string[]; secret?: string },
    ): Promise<string> {
      const secret = c.secret ?? randomBytes(32).toString('base64url');
      await db.query(
        `INSERT INTO ${s}.clients (id, secret_hash, scopes) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, scopes = EXCLUDED.scopes, status = 'active'`,
        [c.id, await hasher.hash(secret), c.scopes],
      );
      return secret;
    },

    async disable(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`UPDATE ${s}.clients SET status = 'disabled' WHERE id = $1`, [id]);
      return (rowCount ?? 0) > 0;
    },
  };
}
