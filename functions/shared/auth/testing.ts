/**
 * Test identities: a real Ed25519 key pair whose public half the function under test trusts
 * through AUTH_JWKS, and tokens signed with it. Nothing is mocked: the function verifies these
 * tokens exactly as it verifies the user function's.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { publicJwk, signJwt } from './jwt';
import { ROLE_SCOPES, type Role, type Scope } from './principal';

const ISSUER = 'https://auth.tuoi.test';
const AUDIENCE = 'tuoi-api';
const { privateKey } = generateKeyPairSync('ed25519');
const KID = 'test-key-1';

/** Variables that make a function trust the test key. */
export const TEST_AUTH_ENV = {
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
  AUTH_JWKS: JSON.stringify({ keys: [publicJwk(privateKey, KID)] }),
};

/** A user's access token (role's scopes) valid for 15 minutes. */
export function userToken(opts: { sub?: string; role?: Role } = {}): string {
  const role = opts.role ?? 'customer';
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: opts.sub ?? randomUUID(),
      iat: now,
      exp: now + 900,
      role,
      scope: ROLE_SCOPES[role].join(' '),
    },
    privateKey,
    KID,
  );
}

/** A service client's access token with the given scopes. */
export function serviceToken(scopes: Scope[], client = 'test-client'): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: `client:${client}`,
      iat: now,
      exp: now + 900,
      typ: 'service',
      scope: scopes.join(' '),
    },
    privateKey,
    KID,
  );
}

/** A staff member's token (the interim admin token's successor in tests). */
export const staffToken = (): string => userToken({ role: 'staff' });
