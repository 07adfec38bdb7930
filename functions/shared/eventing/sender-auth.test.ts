import { parseConfig } from '../config';
import { verifyJwt } from '../auth/jwt';
import { createPublicKey } from 'node:crypto';
import { createEventIssuer, senderEnv } from './local-issuer';
import { senderAuthConfigSpec, senderCheckFromConfig, subjectAllowed } from './sender-auth';

describe('subjectAllowed', () => {
  it.each([
    ['system:serviceaccount:tuoi:a', ['system:serviceaccount:tuoi:a'], true],
    ['system:serviceaccount:tuoi:ab', ['system:serviceaccount:tuoi:a'], false],
    ['system:serviceaccount:tuoi:search--x', ['system:serviceaccount:tuoi:search--*'], true],
    ['system:serviceaccount:other:search--x', ['system:serviceaccount:tuoi:search--*'], false],
    ['anything', ['*'], true],
  ])('%s against %j → %s', (sub, allowed, expected) => {
    expect(subjectAllowed(sub, allowed)).toBe(expected);
  });
});

describe('senderAuthConfigSpec', () => {
  it('defaults to the cluster issuer and JWKS and requires audience and subjects', () => {
    expect(() => parseConfig(senderAuthConfigSpec, {})).toThrow(
      /EVENTS_OIDC_AUDIENCE.*\n.*EVENTS_OIDC_SUBJECTS/,
    );
    const config = parseConfig(senderAuthConfigSpec, {
      EVENTS_OIDC_AUDIENCE: 'serving.knative.dev/service/tuoi/search',
      EVENTS_OIDC_SUBJECTS: ' a , b ',
    });
    expect(config).toMatchObject({
      EVENTS_OIDC_ISSUER: 'https://kubernetes.default.svc.cluster.local',
      EVENTS_OIDC_JWKS_URL: 'https://kubernetes.default.svc/openid/v1/jwks',
      EVENTS_OIDC_SUBJECTS: ['a', 'b'],
      EVENTS_OIDC_CLOCK_SKEW_S: 30,
    });
  });

  it.each([
    [{ EVENTS_OIDC_SUBJECTS: 'a*b' }, /only allowed as a suffix/],
    [{ EVENTS_OIDC_SUBJECTS: ' , ' }, /EVENTS_OIDC_SUBJECTS is required/],
    [{ EVENTS_OIDC_JWKS: '{' }, /EVENTS_OIDC_JWKS must be a JSON Web Key Set/],
    [{ EVENTS_OIDC_JWKS_URL: 'ftp://x' }, /EVENTS_OIDC_JWKS_URL must use/],
    [{ EVENTS_OIDC_CLOCK_SKEW_S: '3600' }, /EVENTS_OIDC_CLOCK_SKEW_S must be <= 300/],
  ])('names a bad variable: %j', (env, message) => {
    expect(() =>
      parseConfig(senderAuthConfigSpec, { EVENTS_OIDC_AUDIENCE: 'a', EVENTS_OIDC_SUBJECTS: 's', ...env }),
    ).toThrow(message);
  });
});

describe('the local issuer', () => {
  it('reuses a token like Knative does, and renews it in its last sixth', () => {
    let t = 1_800_000_000;
    const issuer = createEventIssuer({ ttlS: 600, now: () => t });
    const first = issuer.token('aud', 'sub');
    t += 400;
    expect(issuer.token('aud', 'sub')).toBe(first);
    expect(issuer.token('aud', 'other')).not.toBe(first);
    t += 101;
    expect(issuer.token('aud', 'sub')).not.toBe(first);
  });

  it('signs what the function configured by senderEnv verifies', async () => {
    const issuer = createEventIssuer();
    const env = senderEnv(issuer, 'search');
    const jwk = issuer.jwks.keys[0]!;
    const claims = await verifyJwt(issuer.token(env.EVENTS_OIDC_AUDIENCE!, 'system:serviceaccount:tuoi:x'), {
      keys: async (kid) => (kid === jwk.kid ? createPublicKey({ key: jwk, format: 'jwk' }) : undefined),
      issuer: env.EVENTS_OIDC_ISSUER!,
      audience: 'serving.knative.dev/service/tuoi/search',
      algorithms: ['ES256'],
    });
    expect(claims.sub).toBe('system:serviceaccount:tuoi:x');
    expect(env.EVENTS_OIDC_SUBJECTS!.split(',').length).toBeGreaterThan(1);
  });
});

describe('senderCheckFromConfig', () => {
  it('answers 503 (the broker retries) when the issuer keys cannot be fetched, 401 without a token', async () => {
    const issuer = createEventIssuer();
    const check = senderCheckFromConfig(
      parseConfig(senderAuthConfigSpec, {
        ...senderEnv(issuer, 'pulse'),
        EVENTS_OIDC_JWKS: '',
        EVENTS_OIDC_JWKS_URL: 'http://127.0.0.1:1/openid/v1/jwks',
      }),
    );
    const incoming = (authorization?: string) => ({
      method: 'POST',
      url: '/cloudevents',
      headers: authorization ? { authorization } : {},
      body: Buffer.alloc(0),
    });
    await expect(check(incoming())).rejects.toMatchObject({ status: 401 });
    const token = issuer.token('serving.knative.dev/service/tuoi/pulse', 'system:serviceaccount:tuoi:x');
    await expect(check(incoming(`Bearer ${token}`))).rejects.toMatchObject({ status: 503 });
  });
});
