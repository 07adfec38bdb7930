/**
 * `make dev` seed of the user function: a dev admin and staff member to sign in as, and the
 * search indexer's service client. Idempotent; the passwords are dev defaults, never production.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../shared/db';
import { clientStore } from './clients';
import { SCHEMA } from './deps';
import { DEFAULT_COST, passwordHasher } from './passwords';
import { accountStore } from './store';

/** Encrypts dev signing keys at rest (make dev, make rotate-keys on the dev database). */
export const DEV_KEY_SECRET = 'dev-users-key-secret-not-for-production';
/** The search indexer's dev client secret (make dev, make reindex). */
export const DEV_INDEXER_SECRET = 'dev-search-indexer-secret-0000';
/** The order function's dev client secret (live-session checks at checkout). */
export const DEV_ORDER_CLIENT_SECRET = 'dev-order-client-secret-00000000';
/** The notification function's dev client secret (contacts: users:read). */
export const DEV_NOTIFY_CLIENT_SECRET = 'dev-notify-client-secret-0000000';
/** Dev accounts: sign in with these at POST /auth/login. */
export const DEV_ACCOUNTS = [
  { email: 'admin@tuoi.local', role: 'admin', name: 'Quản trị viên' },
  { email: 'staff@tuoi.local', role: 'staff', name: 'Nhân viên cửa hàng' },
  { email: 'lan@tuoi.local', role: 'customer', name: 'Nguyễn Thị Lan' },
] as const;
/** Their dev password. */
export const DEV_PASSWORD = 'tuoi-dev-password-2026';

export async function seed(pool: Pool): Promise<string> {
  const hasher = passwordHasher(DEFAULT_COST);
  const accounts = accountStore(SCHEMA);
  const hash = await hasher.hash(DEV_PASSWORD);
  let created = 0;
  await withTransaction(pool, async (tx) => {
    for (const a of DEV_ACCOUNTS)
      if (
        (
          await accounts.create(tx, {
            email: a.email,
            passwordHash: hash,
            name: a.name,
            lang: 'vi',
            role: a.role,
          })
        ).kind === 'created'
      )
        created++;
    await clientStore(SCHEMA).put(tx, hasher, {
      id: 'search-indexer',
      scopes: ['catalog:export'],
      secret: process.env.AUTH_CLIENT_SECRET ?? DEV_INDEXER_SECRET,
    });
    await clientStore(SCHEMA).put(tx, hasher, {
      id: 'order',
      scopes: ['users:introspect'],
      secret: process.env.ORDER_CLIENT_SECRET ?? DEV_ORDER_CLIENT_SECRET,
    });
    await clientStore(SCHEMA).put(tx, hasher, {
      id: 'notification',
      scopes: ['users:read'],
      secret: process.env.NOTIFY_CLIENT_SECRET ?? DEV_NOTIFY_CLIENT_SECRET,
    });
  });
  return `${created} dev accounts (${DEV_ACCOUNTS.map((a) => a.email).join(', ')}; password ${DEV_PASSWORD}), clients search-indexer, order and notification`;
}
