/**
 * The sign-in guard through the user function, with its counters in Redis and in process: a
 * stranger's failures from one client do not lock the owner out from another; the per-client and
 * per-account bounds hold, for unknown identifiers alike; concurrent failures are counted right.
 * Small numbers keep it quick: 2 failures per client per minute, 3 free per account, then 1 s, 2 s.
 */
import { randomUUID } from 'node:crypto';
import { createRedis } from '../shared/clients/redis';
import { serviceEnv } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { clientStore } from './clients';
import { SCHEMA } from './deps';
import { passwordHasher } from './passwords';
import { DEFAULT_GUARD_POLICY } from './sign-in-guard';
import { memoryGuardStore, redisGuardStore, signInGuard } from './sign-in-store';
import { startUser, type RunningUser } from './testing';

const PASSWORD = 'canh chua cá lóc 2026';
const WRONG = 'not the password at all';
const GUARD = {
  USERS_TRUSTED_PROXY_HOPS: '1',
  USERS_SIGNIN_CLIENT_FAILURES: '2/60',
  USERS_SIGNIN_FREE_FAILURES: '3',
  USERS_SIGNIN_FIRST_DELAY_SECONDS: '1',
  USERS_SIGNIN_MAX_DELAY_SECONDS: '2',
  USERS_SIGNIN_MEMORY_SECONDS: '60',
};

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

const email = () => `guard.${randomUUID().slice(0, 8)}@example.vn`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let addresses = 0;
/** A fresh client address (test runs share Redis, so each run uses new ones). */
const newClient = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(addresses / 250) % 250}.${addresses++ % 250}`;

describe.each([
  ['Redis', { REDIS_URL: serviceEnv('REDIS_URL') }],
  ['in-process', {}],
])('sign-in guard (%s)', (_, store) => {
  let user: RunningUser;
  beforeAll(async () => {
    user = await startUser(db.url, { ...GUARD, ...store });
  });
  afterAll(() => user?.close());

  const login = (identifier: string, password: string, from: string, deviceToken?: string) =>
    user.call('POST', '/auth/login', {
      json: { identifier, password, ...(deviceToken ? { device_token: deviceToken } : {}) },
      headers: { 'x-forwarded-for': `203.0.113.9, ${from}` },
    });

  async function account(): Promise<{ address: string; deviceToken: string }> {
    const address = email();
    const reg = await user.call('POST', '/auth/register', { json: { email: address, password: PASSWORD } });
    expect(reg.status).toBe(202);
    const res = await login(address, PASSWORD, newClient());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { device_token: string };
    expect(body.device_token).toMatch(/^dv1\./);
    return { address, deviceToken: body.device_token };
  }

  it("a stranger's failures from client A do not lock the owner out from client B", async () => {
    const { address, deviceToken } = await account();
    const a = newClient();
    expect((await login(address, WRONG, a)).status).toBe(401);
    expect((await login(address, WRONG, a)).status).toBe(401);
    const refused = await login(address, WRONG, a);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    // The owner from elsewhere, immediately, without a device token: only A is refused.
    expect((await login(address, PASSWORD, newClient())).status).toBe(200);

    // The stranger moves on to other addresses until the account's failures are spaced out.
    expect((await login(address, WRONG, newClient())).status).toBe(401);
    expect((await login(address, WRONG, newClient())).status).toBe(429);
    // The owner's device skips the delay, immediately.
    const trusted = await login(address, PASSWORD, newClient(), deviceToken);
    expect(trusted.status).toBe(200);
    expect(((await trusted.json()) as { device_token: string }).device_token).toMatch(/^dv1\./);
    // Without the device token the owner waits at most the documented delay (2 s here), then is in.
    const fresh = newClient();
    const waiting = await login(address, PASSWORD, fresh);
    expect(waiting.status).toBe(429);
    const retryAfter = Number(waiting.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    await sleep(retryAfter * 1000 + 50);
    expect((await login(address, PASSWORD, fresh)).status).toBe(200);
  });

  it('the per-client bound holds: that client waits for its window, the right password included', async () => {
    const { address, deviceToken } = await account();
    const a = newClient();
    for (let i = 0; i < 2; i++) expect((await login(address, WRONG, a)).status).toBe(401);
    const refused = await login(address, PASSWORD, a);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ status: 429, retry_after: expect.any(Number) });
    // A device token is its own client, with its own bound.
    for (let i = 0; i < 2; i++) expect((await login(address, WRONG, a, deviceToken)).status).toBe(401);
    expect((await login(address, PASSWORD, a, deviceToken)).status).toBe(429);
  });

  it('the per-account bound holds from any number of clients, unknown identifiers alike', async () => {
    const { address } = await account();
    for (const who of [address, email()]) {
      const statuses: (number | string)[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await login(who, WRONG, newClient())).status);
      const first = await login(who, WRONG, newClient());
      statuses.push(first.status, `${first.headers.get('retry-after')}s`);
      await sleep(1_050);
      statuses.push((await login(who, WRONG, newClient())).status);
      const second = await login(who, WRONG, newClient());
      statuses.push(second.status, `${second.headers.get('retry-after')}s`);
      expect(statuses).toEqual([401, 401, 401, 429, '1s', 401, 429, '2s']);
    }
  });

  it('counts concurrent failures right: of 8 at once, only the 3 free ones are checked', async () => {
    const who = email();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => newClient()).map((from) => login(who, WRONG, from)),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('a stranger cannot lock a service client out: failures count per (client id, address)', async () => {
    const id = `svc-${randomUUID().slice(0, 8)}`;
    const secret = await clientStore(SCHEMA).put(db.pool, passwordHasher(), {
      id,
      scopes: ['catalog:export'],
    });
    const token = (client_secret: string, from: string) =>
      user.call('POST', '/auth/token', {
        json: { grant_type: 'client_credentials', client_id: id, client_secret },
        headers: { 'x-forwarded-for': `203.0.113.9, ${from}` },
      });
    const stranger = newClient();
    expect((await token('guess one', stranger)).status).toBe(401);
    expect((await token('guess two', stranger)).status).toBe(401);
    expect((await token(secret, stranger)).status).toBe(429);
    for (let i = 0; i < 4; i++) expect((await token(`guess ${i}`, newClient())).status).toBe(401);
    expect((await token(secret, newClient())).status).toBe(200);
  });

  it('a device token of another identifier, or a forged one, is just not trusted', async () => {
    const { deviceToken } = await account();
    const { address } = await account();
    for (let i = 0; i < 3; i++) expect((await login(address, WRONG, newClient())).status).toBe(401);
    expect((await login(address, PASSWORD, newClient(), deviceToken)).status).toBe(429);
    expect((await login(address, PASSWORD, newClient(), 'dv1.forged')).status).toBe(429);
  });
});

describe('the guard store under contention', () => {
  const redis = createRedis({ url: serviceEnv('REDIS_URL') });
  afterAll(() => redis.quit());

  it.each([
    ['Redis', () => redisGuardStore(redis)],
    ['in-process', () => memoryGuardStore()],
  ])('%s: admits exactly the free checks of 40 concurrent attempts', async (_, makeStore) => {
    const policy = { ...DEFAULT_GUARD_POLICY, freeFailures: 3 };
    const guard = signInGuard(makeStore(), policy, { prefix: `test:signin:${randomUUID()}:` });
    const who = 'lan@example.vn';
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => guard.admit(who, { key: `ip:${i}`, trusted: false })),
    );
    expect(answers.filter((a) => a.admitted)).toHaveLength(3);
    // The owner's device is admitted; its success refunds only its own check: strangers still wait.
    expect(await guard.admit(who, { key: 'd:owner', trusted: true })).toEqual({ admitted: true });
    await guard.succeeded(who, 'd:owner');
    expect(await guard.admit(who, { key: 'ip:x', trusted: false })).toMatchObject({
      admitted: false,
      reason: 'account',
    });
  });
});
