/**
 * The signing key ring of access tokens, in the `signing_keys` table so every instance signs with
 * the same key and the JWKS lists the same keys.
 *
 * Rotation publishes the new key first and signs with it only `leadSeconds` later, so verifiers
 * that cache the JWKS learn it before they meet a token it signed (they refetch on an unknown kid
 * at most every 30 s). The superseded key stays in the JWKS until every token it signed has
 * expired; then its private half is erased.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { Pool } from 'pg';
import { ident, type Queryable } from '../shared/db';
import { unitOfWork } from '../shared/unit-of-work';
import { publicJwk, type JwtAlgorithm, type KeyResolver, type PublicJwk } from '../shared/auth/jwt';

/** A key able to sign now. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

interface KeyRow {
  kid: string;
  alg: JwtAlgorithm;
  public_jwk: PublicJwk;
  private_key: Buffer | null;
  activates_at: Date;
  superseded_at: Date | null;
}

/** Options of the key ring. */
export interface KeyRingOptions {
  schema: string;
  /** Encrypts private keys at rest (USERS_KEY_SECRET). */
  secret: string;
  /** The secret it replaces, still able to open keys sealed before a rotation (USERS_KEY_SECRET_PREVIOUS). */
  previousSecret?: string;
  /** Lifetime of access tokens: how long a superseded key must stay published. */
  accessTtlSeconds: number;
  /** How often an instance rereads the ring. */
  reloadMs?: number;
  now?: () => Date;
}

/** The key ring as one instance sees it. */
export interface KeyRing {
  /** The key to sign with now (creates the first key when there is none). */
  current(): Promise<SigningKey>;
  /** The public keys verifiers should trust now. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
  /** Public key by kid, for verifying locally. */
  resolve: KeyResolver;
  /** Rereads the table on the next call. */
  invalidate(): void;
}

const AAD = Buffer.from('tuoi.users.signing_keys.v1');

function wrapKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'tuoi-users', 'signing-key-encryption', 32));
}

function seal(secret: string, pem: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrapKey(secret), iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens a sealed key with the first of `secrets` that authenticates it. */
function openWithAny(secrets: (string | undefined)[], sealed: Buffer): KeyObject {
  let failure: unknown;
  for (const secret of secrets.filter((s): s is string => !!s))
    try {
      return open(secret, sealed);
    } catch (err) {
      failure = err;
    }
  throw new Error('No configured USERS_KEY_SECRET opens the signing key', { cause: failure });
}

function open(secret: string, sealed: Buffer): KeyObject {
  const decipher = createDecipheriv('aes-256-gcm', wrapKey(secret), sealed.subarray(0, 12));
  decipher.setAAD(AAD);
  decipher.setAuthTag(sealed.subarray(12, 28));
  const pem = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  return createPrivateKey(pem);
}

/** A new Ed25519 key (EdDSA), its kid a date and random suffix so ops can tell keys apart. */
function newKey(now: Date): { kid: string; privateKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  return { kid, privateKey };
}

async function insertKey(db: Queryable, schema: string, secret: string, now: Date, activatesAt: Date) {
  const { kid, privateKey } = newKey(now);
  await db.query(
    `INSERT INTO ${ident(schema)}.signing_keys (kid, alg, public_jwk, private_key, created_at, activates_at)
     VALUES ($1, 'EdDSA', $2, $3, $4, $5)`,
    [
      kid,
      JSON.stringify(publicJwk(privateKey, kid)),
      seal(secret, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string),
      now,
      activatesAt,
    ],
  );
  return kid;
}

/**
 * Rotates: publishes a new key that signs from `now + leadSeconds`; the key signing today is
 * superseded at that moment. Erases private keys that can no longer sign. Returns the new kid.
 */
export async function rotateKeys(
  pool: Pool,
  opts: { schema: string; secret: string; leadSeconds: number; now?: Date },
): Promise<{ kid: string; activatesAt: Date }> {
  const now = opts.now ?? new Date();
  const activatesAt = new Date(now.getTime() + opts.leadSeconds * 1000);
  const s = ident(opts.schema);
  return unitOfWork(
    pool,
    opts.schema,
  )(async ({ tx }) => {
    await tx.query(`LOCK TABLE ${s}.signing_keys IN EXCLUSIVE MODE`);
    await tx.query(
      `UPDATE ${s}.signing_keys SET superseded_at = $1 WHERE superseded_at IS NULL AND activates_at <= $1`,
      [activatesAt],
    );
    // A key still pending from an earlier rotation is superseded before it ever signed.
    await tx.query(
      `UPDATE ${s}.signing_keys SET superseded_at = activates_at WHERE superseded_at IS NULL AND activates_at > $1`,
      [activatesAt],
    );
    await tx.query(`UPDATE ${s}.signing_keys SET private_key = NULL WHERE superseded_at <= $1`, [now]);
    const kid = await insertKey(tx, opts.schema, opts.secret, now, activatesAt);
    return { kid, activatesAt };
  });
}

/** The key ring of one instance: rereads the table every `reloadMs` (default 15 s). */
export function keyRing(pool: Pool, opts: KeyRingOptions): KeyRing {
  const now = opts.now ?? (() => new Date());
  const reloadMs = opts.reloadMs ?? 15_000;
  const s = ident(opts.schema);
  const work = unitOfWork(pool, opts.schema);
  const select = `SELECT kid, alg, public_jwk, private_key, activates_at, superseded_at FROM ${s}.signing_keys`;
  let rows: KeyRow[] = [];
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;
  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject>();

  const reload = () =>
    (loading ??= (async () => {
      let { rows: found } = await pool.query<KeyRow>(select);
      if (found.length === 0) {
        await work(async ({ tx }) => {
          await tx.query(`LOCK TABLE ${s}.signing_keys IN EXCLUSIVE MODE`);
          const { rowCount } = await tx.query(`SELECT 1 FROM ${s}.signing_keys LIMIT 1`);
          if (!rowCount) await insertKey(tx, opts.schema, opts.secret, now(), now());
        });
        ({ rows: found } = await pool.query<KeyRow>(select));
      }
      rows = found;
      loadedAt = Date.now();
    })().finally(() => (loading = undefined)));

  const fresh = async () => {
    if (Date.now() - loadedAt >= reloadMs) await reload();
    return rows;
  };

  const published = (all: KeyRow[]) => {
    const t = now().getTime();
    const keepMs = (opts.accessTtlSeconds + 60) * 1000;
    return all.filter((r) => !r.superseded_at || r.superseded_at.getTime() + keepMs > t);
  };

  const publicKey = (row: KeyRow) => {
    let key = publicKeys.get(row.kid);
    if (!key) publicKeys.set(row.kid, (key = createPublicKey({ key: row.public_jwk, format: 'jwk' })));
    return key;
  };

  return {
    async current() {
      const pick = (all: KeyRow[], t = now().getTime()) =>
        all
          .filter((r) => r.private_key && r.activates_at.getTime() <= t)
          .filter((r) => !r.superseded_at || r.superseded_at.getTime() > t)
          .sort((a, b) => b.activates_at.getTime() - a.activates_at.getTime())[0];
      let row = pick(await fresh());
      if (!row) {
        await reload();
        row = pick(rows);
      }
      if (!row) throw new Error('No signing key is active; run the key rotation command');
      let key = privateKeys.get(row.kid);
      if (!key)
        privateKeys.set(
          row.kid,
          (key = openWithAny([opts.secret, opts.previousSecret], row.private_key as Buffer)),
        );
      return { kid: row.kid, privateKey: key };
    },
    async jwks() {
      return { keys: published(await fresh()).map((r) => r.public_jwk) };
    },
    async resolve(kid) {
      let row = published(await fresh()).find((r) => r.kid === kid);
      if (!row && Date.now() - loadedAt >= 1_000) {
        await reload();
        row = published(rows).find((r) => r.kid === kid);
      }
      return row ? publicKey(row) : undefined;
    },
    invalidate() {
      loadedAt = -Infinity;
    },
  };
}
