/**
 * Sensitive writes check that the session is live: after a logout, a suspension or a password
 * change elsewhere, the still-unexpired access token gets 401 there and changes nothing, while
 * reads keep working on the token alone until it expires.
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { startUser, type RunningUser } from './testing';

let db: TestDatabase;
let user: RunningUser;
const PASSWORD = 'bún bò Huế cay nồng';

const HOME = {
  recipient: 'Nguyễn Thị Lan',
  phone: '0912 345 678',
  street: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
};

interface Tokens {
  access_token: string;
  refresh_token: string;
  user_id: string;
}

beforeAll(async () => {
  db = await freshDatabase();
  user = await startUser(db.url);
});

afterAll(async () => {
  await user?.close();
  await db?.drop();
});

async function signUp(role = 'customer'): Promise<Tokens & { address: string }> {
  const email = `s.${randomUUID().slice(0, 8)}@example.vn`;
  expect((await user.call('POST', '/auth/register', { json: { email, password: PASSWORD } })).status).toBe(
    202,
  );
  if (role !== 'customer')
    await db.pool.query(`UPDATE users.accounts SET role = $2 WHERE email = $1`, [email, role]);
  const res = await user.call('POST', '/auth/login', { json: { identifier: email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as Tokens;
  const added = await user.call('POST', '/me/addresses', { token: tokens.access_token, json: HOME });
  expect(added.status).toBe(201);
  return { ...tokens, address: ((await added.json()) as { id: string }).id };
}

/** Every sensitive write of the user function, as the owner of `me` would send it. */
const WRITES = (me: { address: string }, other: string) =>
  [
    ['PATCH /me', 'PATCH', '/me', { name: 'Kẻ gian' }],
    ['POST /me/addresses', 'POST', '/me/addresses', { ...HOME, street: '99 Nguyễn Huệ' }],
    ['PATCH /me/addresses/:id', 'PATCH', `/me/addresses/${me.address}`, { street: '1 Hàm Nghi' }],
    ['DELETE /me/addresses/:id', 'DELETE', `/me/addresses/${me.address}`, undefined],
    [
      'POST /auth/password',
      'POST',
      '/auth/password',
      { current_password: PASSWORD, new_password: 'mật khẩu mới của kẻ gian' },
    ],
    ['POST /auth/verify/resend', 'POST', '/auth/verify/resend', { channel: 'email' }],
    ['PATCH /users/:id', 'PATCH', `/users/${other}`, { status: 'suspended' }],
  ] as const;

/** What the writes could change: the accounts and addresses rows, the outbox, the sessions. */
async function snapshot(): Promise<unknown> {
  const { rows } = await db.pool.query(
    `SELECT (SELECT json_agg(a ORDER BY id) FROM users.accounts a) AS accounts,
            (SELECT json_agg(d ORDER BY id) FROM users.addresses d) AS addresses,
            (SELECT count(*) FROM users.outbox)::int AS events,
            (SELECT json_agg(s.id ORDER BY id) FROM users.sessions s WHERE revoked_at IS NULL) AS sessions`,
  );
  return rows[0];
}

async function expectRefusedAndNothingChanged(token: string, me: { address: string }, other: string) {
  const before = await snapshot();
  for (const [name, method, path, json] of WRITES(me, other)) {
    const res = await user.call(method, path, { token, json });
    expect([name, res.status]).toEqual([name, 401]);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await res.json()).toMatchObject({ status: 401, reason: 'session-ended' });
  }
  expect(await snapshot()).toEqual(before);
}

describe('sensitive writes check the session', () => {
  it('refuse a logged-out session with 401 and change nothing; reads still work until expiry', async () => {
    const me = await signUp('staff');
    const other = await signUp();
    expect(
      (await user.call('POST', '/auth/logout', { json: { refresh_token: me.refresh_token } })).status,
    ).toBe(204);
    await expectRefusedAndNothingChanged(me.access_token, me, other.user_id);
    expect((await user.call('GET', '/me', { token: me.access_token })).status).toBe(200);
  });

  it('refuse a suspended account, even if its session was not revoked', async () => {
    const me = await signUp('staff');
    const other = await signUp();
    await db.pool.query(`UPDATE users.accounts SET status = 'suspended' WHERE id = $1`, [me.user_id]);
    await expectRefusedAndNothingChanged(me.access_token, me, other.user_id);
  });

  it('refuse a session a staff suspension revoked', async () => {
    const admin = await signUp('admin');
    const me = await signUp();
    const other = await signUp();
    const suspend = await user.call('PATCH', `/users/${me.user_id}`, {
      token: admin.access_token,
      json: { status: 'suspended' },
    });
    expect(suspend.status).toBe(200);
    await expectRefusedAndNothingChanged(me.access_token, me, other.user_id);
  });

  it('refuse with 401 before any 400 about the body', async () => {
    const me = await signUp();
    await user.call('POST', '/auth/logout', { json: { refresh_token: me.refresh_token } });
    const res = await user.call('PATCH', '/me', { token: me.access_token, json: { nonsense: true } });
    expect(res.status).toBe(401);
  });

  it('let a live session write, and the session a password change keeps', async () => {
    const me = await signUp();
    const elsewhere = (await (
      await user.call('POST', '/auth/login', {
        json: { identifier: (await snapshotEmail(me.user_id))!, password: PASSWORD },
      })
    ).json()) as Tokens;
    const changed = await user.call('POST', '/auth/password', {
      token: me.access_token,
      json: { current_password: PASSWORD, new_password: 'chè ba màu mát lạnh' },
    });
    expect(changed.status).toBe(204);
    expect((await user.call('PATCH', '/me', { token: me.access_token, json: { name: 'Lan' } })).status).toBe(
      200,
    );
    // The other device's session ended with the change: its access token can no longer write.
    expect(
      (await user.call('PATCH', '/me', { token: elsewhere.access_token, json: { name: 'Kẻ gian' } })).status,
    ).toBe(401);
  });
});

async function snapshotEmail(id: string): Promise<string | undefined> {
  const { rows } = await db.pool.query<{ email: string }>(`SELECT email FROM users.accounts WHERE id = $1`, [
    id,
  ]);
  return rows[0]?.email;
}
