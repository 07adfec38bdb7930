import { adminTokenCheck, bearerToken, staffOnly } from '../shared/admin-token';
import { ConfigError, parseConfig } from '../shared/config';
import type { HttpRequest } from '../shared/http';
import { catalogConfigSpec } from './deps';

describe('catalog configuration', () => {
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', CATALOG_ADMIN_TOKEN: 'x'.repeat(16) };

  it('needs only the database and the staff token; Redis is optional', () => {
    expect(parseConfig(catalogConfigSpec, base)).toMatchObject({
      REDIS_URL: undefined,
      CATALOG_CACHE_PREFIX: 'catalog:product:v1:',
      CATALOG_CACHE_ENTRIES: 20_000,
      DB_POOL_SIZE: 10,
    });
    expect(parseConfig(catalogConfigSpec, { ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it.each<[string, Record<string, string>, string]>([
    ['no token', { CATALOG_ADMIN_TOKEN: '' }, 'CATALOG_ADMIN_TOKEN is required'],
    [
      'a short token',
      { CATALOG_ADMIN_TOKEN: 'short' },
      'CATALOG_ADMIN_TOKEN must have at least 16 characters',
    ],
    ['a Redis URL that is not redis:', { REDIS_URL: 'http://x' }, 'REDIS_URL must use redis: or rediss:'],
    ['a tiny cache', { CATALOG_CACHE_ENTRIES: '5' }, 'CATALOG_CACHE_ENTRIES must be >= 100'],
  ])('names the variable with %s', (_name, env, message) => {
    expect(() => parseConfig(catalogConfigSpec, { ...base, ...env })).toThrow(ConfigError);
    expect(() => parseConfig(catalogConfigSpec, { ...base, ...env })).toThrow(message);
  });
});

describe('staff token', () => {
  const token = 'staff-token-0123456789';
  const check = adminTokenCheck(token);

  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer   abc  ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
  ])('bearerToken(%j) → %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it.each<[string | undefined, boolean]>([
    [`Bearer ${token}`, true],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(0, -1)}`, false],
    ['Bearer ', false],
    [undefined, false],
  ])('isAdmin(%j) → %s', (authorization, admin) => {
    expect(check.isAdmin({ authorization })).toBe(admin);
  });

  it('refuses to be configured with a short token', () => {
    expect(() => adminTokenCheck('short')).toThrow('at least 16');
  });

  it('staffOnly answers 401 with a Bearer challenge before the handler runs', async () => {
    let ran = false;
    const route = staffOnly(check, {
      method: 'POST',
      path: '/x',
      handle: async () => {
        ran = true;
        return { status: 204 };
      },
    });
    const req = { headers: {}, lang: 'vi', path: '/x' } as unknown as HttpRequest<unknown, unknown>;
    const res = await route.handle(req);
    expect(res).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) },
      body: { status: 401, title: 'Vui lòng đăng nhập' },
    });
    expect(ran).toBe(false);
    expect(await route.handle({ ...req, headers: { authorization: `Bearer ${token}` } })).toEqual({
      status: 204,
    });
  });
});
