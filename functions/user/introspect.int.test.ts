/**
 * RFC 7662 introspection on the user function, and the shared SessionCheck port other functions
 * use through it (HTTP adapter, short cache, fail closed), against the real function.
 */
import { randomUUID } from 'node:crypto';
import { clientTokens } from '../shared/auth/client';
import {
  introspectionSessionCheck,
  requireLiveSession,
  type SessionCheck,
} from '../shared/auth/session-check';
import { createVerifier, remoteKeys, type Principal } from '../shared/auth/verifier';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { clientStore } from './clients';
import { SCHEMA } from './deps';
import { passwordHasher } from './passwords';
import { startUser, type RunningUser } from './testing';

let db: TestDatabase;
let user: RunningUser;
let introspector: string;
let other: string;
const PASSWORD = 'gỏi cuốn tôm thịt';

interface Tokens {
  access_token: string;
  refresh_token: string;
  user_id: string;
}

const serviceToken = async (id: string, secret: string) =>
  (
    (await (
      await user.call('POST', '/auth/token', {
        json: { grant_type: 'client_credentials', client_id: id, client_secret: secret },
      })
    ).json()) as { access_token: string }
  ).access_token;

beforeAll(async () => {
  db = await freshDatabase();
  user = await startUser(db.url);
  const clients = clientStore(SCHEMA);
  const secret = await clients.put(db.pool, passwordHasher(), {
    id: 'checkout',
    scopes: ['users:introspect'],
  });
  introspector = await serviceToken('checkout', secret);
  const otherSecret = await clients.put(db.pool, passwordHasher(), {
    id: 'indexer',
    scopes: ['catalog:export'],
  });
  other = await serviceToken('indexer', otherSecret);
});

afterAll(async () => {
  await user?.close();
  await db?.drop();
});

async function signIn(): Promise<Tokens> {
  const email = `i.${randomUUID().slice(0, 8)}@example.vn`;
  await user.call('POST', '/auth/register', { json: { email, password: PASSWORD } });
  const res = await user.call('POST', '/auth/login', { json: { identifier: email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return (await res.json()) as Tokens;
}

/** As RFC 7662 sends it: a form, with the caller's bearer token. */
const introspect = (token: string, as = introspector) =>
  fetch(`${user.base}/auth/introspect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });

describe('POST /auth/introspect', () => {
  it('answers active with the claims for a live session, inactive after logout', async () => {
    const me = await signIn();
    const live = await introspect(me.access_token);
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(await live.json()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      sub: me.user_id,
      role: 'customer',
      sid: expect.any(String),
      exp: expect.any(Number),
      iss: 'https://auth.tuoi.vn',
    });
    await user.call('POST', '/auth/logout', { json: { refresh_token: me.refresh_token } });
    expect(await (await introspect(me.access_token)).json()).toEqual({ active: false });
  });

  it('answers inactive for a suspended account, a forged token and garbage, never why', async () => {
    const me = await signIn();
    await db.pool.query(`UPDATE users.accounts SET status = 'suspended' WHERE id = $1`, [me.user_id]);
    const [head, , sig] = me.access_token.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ sub: me.user_id })).toString('base64url')}.${sig}`;
    for (const token of [me.access_token, forged, 'not a token', '\u00e9'])
      expect(await (await introspect(token)).json()).toEqual({ active: false });
  });

  it('describes a service token with its client id', async () => {
    expect(await (await introspect(other)).json()).toMatchObject({
      active: true,
      client_id: 'indexer',
      scope: 'catalog:export',
    });
  });

  it('accepts JSON too, and refuses callers without users:introspect (401, then 403)', async () => {
    const me = await signIn();
    const json = await user.call('POST', '/auth/introspect', {
      token: introspector,
      json: { token: me.access_token },
    });
    expect(await json.json()).toMatchObject({ active: true });
    expect((await user.call('POST', '/auth/introspect', { json: { token: me.access_token } })).status).toBe(
      401,
    );
    const customer = await user.call('POST', '/auth/introspect', {
      token: me.access_token,
      json: { token: me.access_token },
    });
    expect(customer.status).toBe(403);
    expect((await introspect(me.access_token, other)).status).toBe(403);
  });

  it('answers 400 problem+json for a missing, repeated or unknown parameter', async () => {
    for (const body of ['', 'token=a&token=b', 'token=a&extra=1']) {
      const res = await fetch(`${user.base}/auth/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${introspector}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('SessionCheck over introspection', () => {
  let check: SessionCheck;
  const verifier = () =>
    createVerifier({
      keys: remoteKeys(`${user.base}/.well-known/jwks.json`),
      issuer: 'https://auth.tuoi.vn',
      audience: 'tuoi-api',
    });
  let clock = 0;

  beforeAll(async () => {
    const secret = await clientStore(SCHEMA).put(db.pool, passwordHasher(), {
      id: 'payments',
      scopes: ['users:introspect'],
    });
    check = introspectionSessionCheck({
      url: `${user.base}/auth/introspect`,
      credentials: clientTokens({
        tokenUrl: `${user.base}/auth/token`,
        clientId: 'payments',
        clientSecret: secret,
      }),
      cacheMs: 5_000,
      now: () => clock,
    });
  });

  const principalOf = (token: string): Promise<Principal> =>
    verifier().authenticate({ authorization: `Bearer ${token}` });

  it('is live until logout, within the cache time', async () => {
    const me = await signIn();
    const p = await principalOf(me.access_token);
    const headers = { authorization: `Bearer ${me.access_token}` };
    await expect(requireLiveSession(check, p, headers)).resolves.toBeUndefined();
    await user.call('POST', '/auth/logout', { json: { refresh_token: me.refresh_token } });
    // Cached for up to cacheMs, then the revocation shows.
    await expect(check.isLive(p, me.access_token)).resolves.toBe(true);
    clock += 5_000;
    await expect(requireLiveSession(check, p, headers)).rejects.toMatchObject({
      status: 401,
      extensions: { reason: 'session-ended' },
    });
  });

  it('lets service clients through without asking', async () => {
    await expect(check.isLive(await principalOf(other), other)).resolves.toBe(true);
  });

  it('fails closed with 503 when the user function cannot answer', async () => {
    const me = await signIn();
    const p = await principalOf(me.access_token);
    const down = introspectionSessionCheck({
      url: 'http://127.0.0.1:9/auth/introspect',
      credentials: async () => introspector,
    });
    await expect(down.isLive(p, me.access_token)).rejects.toMatchObject({ status: 503 });
    const refusing = introspectionSessionCheck({
      url: `${user.base}/auth/introspect`,
      credentials: async () => other,
    });
    await expect(refusing.isLive(p, me.access_token)).rejects.toMatchObject({ status: 503 });
  });
});
