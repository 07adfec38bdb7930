/**
 * Operating the user function's credentials (run by ops with the user function's DATABASE_URL and
 * USERS_KEY_SECRET; both default to the embedded dev database and its dev secret):
 *
 *   node dist/scripts/auth.js rotate-keys [--lead=<seconds>]   publish a new signing key now; it
 *       signs after the lead (default 60 s, longer than verifiers wait between JWKS refetches), the
 *       old key keeps verifying until its last token expires (15 min), then its private half is erased
 *   node dist/scripts/auth.js client put <id> <scope> [<scope>...]   create a service client or
 *       give it a new secret and scopes; prints the secret once
 *   node dist/scripts/auth.js client disable <id>
 *   node dist/scripts/auth.js keys    list signing keys and their state
 */
import { createPool } from '../functions/shared/db';
import { parseConfig, secret } from '../functions/shared/config';
import { SCOPES } from '../functions/shared/auth/verifier';
import { clientStore } from '../functions/user/clients';
import { SCHEMA } from '../functions/user/deps';
import { rotateKeys } from '../functions/user/keys';
import { passwordHasher } from '../functions/user/passwords';
import { DEV_KEY_SECRET } from '../functions/user/seed';

async function main(argv: string[]): Promise<void> {
  const env = process.env;
  const embedded = !env.DATABASE_URL;
  const url = env.DATABASE_URL ?? `postgres://tuoi:tuoi@127.0.0.1:${env.EMBEDDED_PG_PORT ?? 54329}/tuoi`;
  const { USERS_KEY_SECRET } = parseConfig(
    { USERS_KEY_SECRET: secret(32) },
    { USERS_KEY_SECRET: env.USERS_KEY_SECRET ?? (embedded ? DEV_KEY_SECRET : undefined) },
  );
  const pool = createPool(url, { max: 2 });
  try {
    const [command, sub, ...rest] = argv;
    if (command === 'rotate-keys') {
      const lead = Number(argv.find((a) => a.startsWith('--lead='))?.slice(7) ?? 60);
      if (!Number.isInteger(lead) || lead < 0) throw new Error('--lead must be whole seconds');
      const { kid, activatesAt } = await rotateKeys(pool, {
        schema: SCHEMA,
        secret: USERS_KEY_SECRET,
        leadSeconds: lead,
      });
      console.log(`published key ${kid}; it signs from ${activatesAt.toISOString()}`);
    } else if (command === 'keys') {
      const { rows } = await pool.query(
        `SELECT kid, alg, activates_at, superseded_at, private_key IS NOT NULL AS can_sign
           FROM ${SCHEMA}.signing_keys ORDER BY activates_at`,
      );
      console.table(rows);
    } else if (command === 'client' && sub === 'put') {
      const [id, ...scopes] = rest;
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (!id || scopes.length === 0 || unknown.length)
        throw new Error(`Usage: client put <id> <scope>...; scopes are ${SCOPES.join(', ')}`);
      const secretValue = await clientStore(SCHEMA).put(pool, passwordHasher(), { id, scopes });
      console.log(`client ${id} (${scopes.join(' ')}); its secret, shown once:\n${secretValue}`);
    } else if (command === 'client' && sub === 'disable') {
      if (!(await clientStore(SCHEMA).disable(pool, rest[0] ?? ''))) throw new Error(`No client ${rest[0]}`);
      console.log(`client ${rest[0]} disabled`);
    } else
      throw new Error(
        'Usage: auth.js rotate-keys [--lead=s] | keys | client put <id> <scope>... | client disable <id>',
      );
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
