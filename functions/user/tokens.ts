/** Minting access tokens: 15-minute EdDSA JWTs with kid, iss, aud, role and scopes. */
import { randomUUID } from 'node:crypto';
import { signJwt } from '../shared/auth/jwt';
import { ROLE_SCOPES, type Role, type TuoiClaims } from '../shared/auth/verifier';
import type { KeyRing } from './keys';

/** Issuer settings. */
export interface Minter {
  /** A user's access token for a session. */
  forUser(user: { id: string; role: Role; lang: string }, sessionId: string): Promise<AccessToken>;
  /** A service client's access token. */
  forClient(clientId: string, scopes: readonly string[]): Promise<AccessToken>;
}

/** The token answer of OAuth 2.0 (RFC 6749 §5.1). */
export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** A minter signing with the ring's current key. */
export function minter(
  ring: KeyRing,
  opts: { issuer: string; audience: string; ttlSeconds: number },
): Minter {
  const mint = async (claims: {
    sub: string;
    scope: string;
    role?: Role;
    typ?: 'service';
    sid?: string;
    lang?: string;
  }): Promise<AccessToken> => {
    const key = await ring.current();
    const iat = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        iss: opts.issuer,
        aud: opts.audience,
        iat,
        exp: iat + opts.ttlSeconds,
        jti: randomUUID(),
        ...claims,
      } satisfies TuoiClaims,
      key.privateKey,
      key.kid,
    );
    return { access_token: token, token_type: 'Bearer', expires_in: opts.ttlSeconds, scope: claims.scope };
  };
  return {
    forUser: (user, sessionId) =>
      mint({
        sub: user.id,
        role: user.role,
        scope: ROLE_SCOPES[user.role].join(' '),
        sid: sessionId,
        lang: user.lang,
      }),
    forClient: (clientId, scopes) =>
      mint({ sub: `client:${clientId}`, typ: 'service', scope: scopes.join(' ') }),
  };
}
