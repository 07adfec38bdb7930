import { TEST_AUTH_ENV } from '../shared/auth/testing';
import { ConfigError, parseConfig } from '../shared/config';
import { catalogConfigSpec } from './deps';

describe('catalog configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    AUTH_JWKS_URL: 'http://user.tuoi.svc.cluster.local/.well-known/jwks.json',
    EVENTS_OIDC_AUDIENCE: 'serving.knative.dev/service/tuoi/catalog',
    EVENTS_OIDC_SUBJECTS: 'system:serviceaccount:tuoi:catalog--x',
  };

  it('needs the database and where the JWKS is; Redis is optional', () => {
    expect(parseConfig(catalogConfigSpec, base)).toMatchObject({
      REDIS_URL: undefined,
      CATALOG_CACHE_PREFIX: 'catalog:product:v1:',
      CATALOG_CACHE_ENTRIES: 20_000,
      DB_POOL_SIZE: 10,
      AUTH_ISSUER: 'https://auth.tuoi.vn',
      AUTH_AUDIENCE: 'tuoi-api',
    });
    expect(parseConfig(catalogConfigSpec, { ...base, ...TEST_AUTH_ENV }).AUTH_JWKS?.keys).toHaveLength(1);
  });

  it("needs to know who may deliver events: its audience and its Triggers' subjects", () => {
    const { EVENTS_OIDC_AUDIENCE: _a, EVENTS_OIDC_SUBJECTS: _s, ...without } = base;
    expect(() => parseConfig(catalogConfigSpec, without)).toThrow(
      /EVENTS_OIDC_AUDIENCE[^]*EVENTS_OIDC_SUBJECTS/,
    );
  });

  it.each<[string, Record<string, string>, string]>([
    ['a JWKS that is not JSON', { AUTH_JWKS: '{nope' }, 'AUTH_JWKS must be a JSON Web Key Set'],
    ['a JWKS without keys', { AUTH_JWKS: '{}' }, 'AUTH_JWKS must have a "keys" array'],
    ['a Redis URL that is not redis:', { REDIS_URL: 'http://x' }, 'REDIS_URL must use redis: or rediss:'],
    ['a tiny cache', { CATALOG_CACHE_ENTRIES: '5' }, 'CATALOG_CACHE_ENTRIES must be >= 100'],
  ])('names the variable with %s', (_name, env, message) => {
    expect(() => parseConfig(catalogConfigSpec, { ...base, ...env })).toThrow(ConfigError);
    expect(() => parseConfig(catalogConfigSpec, { ...base, ...env })).toThrow(message);
  });
});
