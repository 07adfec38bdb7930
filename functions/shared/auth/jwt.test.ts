import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jwksCache, publicJwk, signJwt, verifyJwt, type AccessClaims, type JwtFailure } from './jwt';

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ed25519');
const NOW = 1_800_000_000;

const keys = new Map<string, KeyObject>([
  ['ed-1', ed.publicKey],
  ['ec-1', ec.publicKey],
]);
const opts = {
  keys: async (kid: string) => keys.get(kid),
  issuer: 'https://tuoi.vn',
  audience: 'tuoi-api',
  now: NOW,
};
const claims = (over: Partial<AccessClaims> = {}): AccessClaims => ({
  iss: 'https://tuoi.vn',
  aud: 'tuoi-api',
  sub: 'user-1',
  iat: NOW - 10,
  exp: NOW + 900,
  ...over,
});
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

async function refused(token: string, reason: JwtFailure) {
  await expect(verifyJwt(token, opts)).rejects.toMatchObject({ name: 'JwtError', reason });
}

describe('verifyJwt', () => {
  it('accepts EdDSA and ES256 tokens signed with a known key', async () => {
    await expect(verifyJwt(signJwt(claims(), ed.privateKey, 'ed-1'), opts)).resolves.toMatchObject({
      sub: 'user-1',
    });
    await expect(verifyJwt(signJwt(claims(), ec.privateKey, 'ec-1'), opts)).resolves.toMatchObject({
      sub: 'user-1',
    });
  });

  it('refuses alg=none', async () => {
    await refused(`${b64({ alg: 'none', kid: 'ed-1' })}.${b64(claims())}.`, 'algorithm');
  });

  it('refuses HS256 "signed" with the public key as the HMAC secret', async () => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'ed-1' });
    const body = b64(claims());
    const secret = ed.publicKey.export({ format: 'pem', type: 'spki' });
    const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    await refused(`${head}.${body}.${mac}`, 'algorithm');
  });

  it('refuses a header algorithm that does not match the key', async () => {
    const token = signJwt(claims(), ed.privateKey, 'ed-1');
    const [, body, sig] = token.split('.');
    await refused(`${b64({ alg: 'ES256', typ: 'JWT', kid: 'ed-1' })}.${body}.${sig}`, 'algorithm');
  });

  it('refuses expired and not-yet-valid tokens (with 30 s of skew)', async () => {
    await refused(signJwt(claims({ exp: NOW - 31 }), ed.privateKey, 'ed-1'), 'expired');
    await expect(
      verifyJwt(signJwt(claims({ exp: NOW - 29 }), ed.privateKey, 'ed-1'), opts),
    ).resolves.toBeTruthy();
    await refused(signJwt(claims({ nbf: NOW + 60 }), ed.privateKey, 'ed-1'), 'not-yet-valid');
  });

  it('refuses the wrong audience or issuer', async () => {
    await refused(signJwt(claims({ aud: 'someone-else' }), ed.privateKey, 'ed-1'), 'audience');
    await refused(signJwt(claims({ iss: 'https://evil.example' }), ed.privateKey, 'ed-1'), 'issuer');
    await expect(
      verifyJwt(signJwt(claims({ aud: ['x', 'tuoi-api'] }), ed.privateKey, 'ed-1'), opts),
    ).resolves.toBeTruthy();
  });

  it('refuses a tampered payload and a signature by another key', async () => {
    const [head, , sig] = signJwt(claims(), ed.privateKey, 'ed-1').split('.');
    await refused(`${head}.${b64(claims({ sub: 'admin', role: 'admin' }))}.${sig}`, 'signature');
    await refused(signJwt(claims(), other.privateKey, 'ed-1'), 'signature');
  });

  it('refuses an unknown kid, a missing kid, and malformed tokens', async () => {
    await refused(signJwt(claims(), ed.privateKey, 'ed-9'), 'unknown-key');
    await refused(`${b64({ alg: 'EdDSA' })}.${b64(claims())}.AAAA`, 'unknown-key');
    await refused('not.a.jwt!', 'malformed');
    await refused('only.two', 'malformed');
    await refused(`${b64('[]')}.${b64(claims())}.AAAA`, 'malformed');
    await refused(signJwt({ ...claims(), sub: '' }, ed.privateKey, 'ed-1'), 'claims');
  });
});

describe('verifyJwt with RS256 (Kubernetes service-account tokens)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsaKeys = new Map<string, KeyObject>([
    ['rsa-1', rsa.publicKey],
    ['weak', weak.publicKey],
    ['ed-1', ed.publicKey],
  ]);
  const rsaOpts = {
    ...opts,
    keys: async (kid: string) => rsaKeys.get(kid),
    algorithms: ['RS256', 'ES256', 'EdDSA'] as const,
  };
  const rsaRefused = (token: string, reason: JwtFailure, o: typeof opts = rsaOpts) =>
    expect(verifyJwt(token, o)).rejects.toMatchObject({ name: 'JwtError', reason });

  it('accepts an RS256 token signed by a known RSA key when RS256 is allowed', async () => {
    const token = signJwt(claims(), rsa.privateKey, 'rsa-1');
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
    });
    await expect(verifyJwt(token, rsaOpts)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('refuses RS256 where the verifier does not allow it (access tokens)', async () => {
    await rsaRefused(signJwt(claims(), rsa.privateKey, 'rsa-1'), 'algorithm', {
      ...rsaOpts,
      algorithms: undefined,
    } as never);
  });

  it('keeps "the algorithm must match the key": RS256 on an Ed25519 key, EdDSA on an RSA key', async () => {
    const [, body, sig] = signJwt(claims(), rsa.privateKey, 'rsa-1').split('.');
    await rsaRefused(`${b64({ alg: 'RS256', typ: 'JWT', kid: 'ed-1' })}.${body}.${sig}`, 'algorithm');
    const [, body2, sig2] = signJwt(claims(), ed.privateKey, 'ed-1').split('.');
    await rsaRefused(`${b64({ alg: 'EdDSA', typ: 'JWT', kid: 'rsa-1' })}.${body2}.${sig2}`, 'algorithm');
  });

  it('refuses RSA keys under 2048 bits, a forged signature and HS256 with the RSA public key', async () => {
    expect(() => signJwt(claims(), weak.privateKey, 'weak')).toThrow(/RSA/);
    const [head, body] = signJwt(claims(), rsa.privateKey, 'rsa-1').split('.');
    await rsaRefused(`${b64({ alg: 'RS256', typ: 'JWT', kid: 'weak' })}.${body}.AAAA`, 'algorithm');
    const forged = signJwt(claims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'rsa-1');
    await rsaRefused(forged, 'signature');
    await rsaRefused(
      `${head}.${b64(claims({ sub: 'system:serviceaccount:tuoi:x' }))}.${forged.split('.')[2]}`,
      'signature',
    );
    const hs = b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' });
    const secret = rsa.publicKey.export({ format: 'pem', type: 'spki' });
    const mac = createHmac('sha256', secret).update(`${hs}.${body}`).digest('base64url');
    await rsaRefused(`${hs}.${body}.${mac}`, 'algorithm');
  });

  it('loads RSA keys from a JWKS as Kubernetes publishes it (alg RS256, use sig)', async () => {
    const jwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k8s', alg: 'RS256', use: 'sig' };
    const cache = jwksCache({ fetchKeys: async () => ({ keys: [jwk as never] }) });
    await expect(
      verifyJwt(signJwt(claims(), rsa.privateKey, 'k8s'), { ...rsaOpts, keys: cache }),
    ).resolves.toMatchObject({ sub: 'user-1' });
  });
});

describe('jwksCache', () => {
  it('fetches once, refetches on an unknown kid (a rotation), but not more often than allowed', async () => {
    let t = 0;
    let fetches = 0;
    let published = [publicJwk(ed.privateKey, 'ed-1')];
    const cache = jwksCache({
      fetchKeys: async () => {
        fetches++;
        return { keys: published };
      },
      minRefreshMs: 30_000,
      now: () => t,
    });
    expect(await cache('ed-1')).toBeDefined();
    expect(await cache('ed-1')).toBeDefined();
    expect(fetches).toBe(1);
    published = [...published, publicJwk(ec.privateKey, 'ec-2')];
    expect(await cache('ec-2')).toBeUndefined(); // too soon after the last fetch
    t = 31_000;
    expect(await cache('ec-2')).toBeDefined();
    expect(fetches).toBe(2);
    expect(await cache('forged-kid')).toBeUndefined();
    expect(fetches).toBe(2);
  });

  it('publishes JWKs that verify, and skips keys it cannot use', async () => {
    const hmacLike = { kty: 'oct', k: 'c2VjcmV0', kid: 'hs' };
    const cache = jwksCache({
      fetchKeys: async () => ({ keys: [publicJwk(ec.privateKey, 'ec-1'), hmacLike as never] }),
    });
    const key = await cache('ec-1');
    expect(key?.asymmetricKeyType).toBe('ec');
    expect(await cache('hs')).toBeUndefined();
    await expect(
      verifyJwt(signJwt(claims(), ec.privateKey, 'ec-1'), { ...opts, keys: cache }),
    ).resolves.toMatchObject({ sub: 'user-1' });
  });
});
