import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '../config';
import type { HttpRequest } from '../http';
import { publicJwk, signJwt } from './jwt';
import { serviceToken, staffToken, TEST_AUTH_ENV, userToken } from './testing';
import {
  bearerToken,
  createVerifier,
  guarded,
  requireOwnerOr,
  staticKeys,
  verifierFromConfig,
  type Principal,
} from './verifier';

const verifier = verifierFromConfig({
  AUTH_ISSUER: TEST_AUTH_ENV.AUTH_ISSUER,
  AUTH_AUDIENCE: TEST_AUTH_ENV.AUTH_AUDIENCE,
  AUTH_JWKS: JSON.parse(TEST_AUTH_ENV.AUTH_JWKS),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearerToken', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer   abc  ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
  ])('bearerToken(%j) → %j', (header, expected) => expect(bearerToken(header)).toBe(expected));
});

describe('verifier', () => {
  it('turns a user token into a principal with the scopes of its role', async () => {
    const p = await verifier.authenticate(bearer(staffToken()));
    expect(p).toMatchObject({ kind: 'user', role: 'staff' });
    expect([...p.scopes]).toContain('catalog:write');
    expect([...p.scopes]).not.toContain('users:admin');
    const c = await verifier.authenticate(bearer(userToken()));
    expect(c.scopes.size).toBe(0);
  });

  it('turns a client-credentials token into a service principal', async () => {
    const p = await verifier.authenticate(bearer(serviceToken(['catalog:export'], 'indexer')));
    expect(p).toMatchObject({ kind: 'service', sub: 'client:indexer' });
    expect([...p.scopes]).toEqual(['catalog:export']);
  });

  it('answers 401 without a token, or with a bad one, even when optional', async () => {
    await expect(verifier.authenticate({})).rejects.toMatchObject({ status: 401 });
    await expect(verifier.optional({})).resolves.toBeUndefined();
    await expect(verifier.optional(bearer('x.y.z'))).rejects.toMatchObject({ status: 401 });
    await expect(verifier.optional({ authorization: 'Basic abc' })).rejects.toMatchObject({ status: 401 });
  });

  it('remembers a verified token until it expires, and forgets it when its key leaves the set', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    let now = 1_800_000_000;
    let published = true;
    let lookups = 0;
    const jwk = publicJwk(privateKey, 'k1');
    const keys = staticKeys({ keys: [jwk] });
    const v = createVerifier({
      keys: async (kid) => {
        lookups++;
        return published ? keys(kid) : undefined;
      },
      issuer: 'i',
      audience: 'a',
      now: () => now,
    });
    const token = signJwt(
      { iss: 'i', aud: 'a', sub: 's', exp: now + 60, role: 'customer', scope: '' },
      privateKey,
      'k1',
    );
    await v.authenticate(bearer(token));
    await v.authenticate(bearer(token));
    expect(lookups).toBe(2); // once to verify, once to confirm the key is still published
    now += 120;
    await expect(v.authenticate(bearer(token))).rejects.toMatchObject({ extensions: { reason: 'expired' } });
    now -= 120;
    published = false;
    await expect(v.authenticate(bearer(token))).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a user token that names no role', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const v = createVerifier({
      keys: staticKeys({ keys: [publicJwk(privateKey, 'k')] }),
      issuer: 'i',
      audience: 'a',
    });
    const token = signJwt(
      { iss: 'i', aud: 'a', sub: 's', exp: Date.now() / 1000 + 60, scope: '' },
      privateKey,
      'k',
    );
    await expect(v.authenticate(bearer(token))).rejects.toMatchObject({ extensions: { reason: 'claims' } });
  });

  it('needs a JWKS source', () => {
    expect(() => verifierFromConfig({ AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toThrow(ConfigError);
  });
});

describe('guarded routes and ownership', () => {
  const req = (headers: Record<string, string>) =>
    ({ headers, lang: 'vi', path: '/x', query: {}, rawBody: Buffer.alloc(0) }) as unknown as HttpRequest<
      unknown,
      Record<string, string>
    >;
  let ran: Principal | undefined;
  const route = guarded(
    verifier,
    { scope: 'inventory:write' },
    {
      method: 'POST',
      path: '/x',
      handle: async (r) => {
        ran = r.auth;
        return { status: 204 };
      },
    },
  );

  it('answers 401 with a Bearer challenge from its guard, which the pipeline runs first', async () => {
    const verdict = await route.guard!(req({}));
    expect(verdict).toMatchObject({
      response: {
        status: 401,
        headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) },
        body: { status: 401, title: 'Vui lòng đăng nhập' },
      },
    });
    expect(ran).toBeUndefined();
  });

  it('answers 403 to a caller without the scope, runs for one with it', async () => {
    await expect(route.guard!(req(bearer(userToken())))).rejects.toMatchObject({ status: 403 });
    const admitted = await route.guard!(req(bearer(staffToken())));
    expect(admitted).toMatchObject({ principal: { role: 'staff' } });
    expect(ran).toBeUndefined();
  });

  it('lets owners reach their own resources and others only with the scope', async () => {
    const me = await verifier.authenticate(bearer(userToken({ sub: 'u-1' })));
    expect(() => requireOwnerOr(me, 'u-1', 'inventory:reserve')).not.toThrow();
    expect(() => requireOwnerOr(me, 'u-2', 'inventory:reserve')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    const checkout = await verifier.authenticate(bearer(serviceToken(['inventory:reserve'])));
    expect(() => requireOwnerOr(checkout, 'u-2', 'inventory:reserve')).not.toThrow();
  });
});
