/**
 * Profiles, addresses and staff administration through the user function, plus the token checks
 * every function shares: forged, expired and misdirected tokens, ownership, roles, and bad input
 * that must change nothing.
 */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { signJwt } from '../shared/auth/jwt';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { startUser, type RunningUser } from './testing';

let db: TestDatabase;
let user: RunningUser;
const PASSWORD = 'cơm tấm sườn bì chả';

interface Session {
  id: string;
  token: string;
}

async function signUp(role: 'customer' | 'staff' | 'admin' = 'customer'): Promise<Session> {
  const email = `u.${randomUUID().slice(0, 8)}@example.vn`;
  expect((await user.call('POST', '/auth/register', { json: { email, password: PASSWORD } })).status).toBe(
    202,
  );
  if (role !== 'customer')
    await db.pool.query(`UPDATE users.accounts SET role = $2 WHERE email = $1`, [email, role]);
  const res = await user.call('POST', '/auth/login', { json: { identifier: email, password: PASSWORD } });
  const body = (await res.json()) as { access_token: string; user_id: string };
  return { id: body.user_id, token: body.access_token };
}

const HOME = {
  label: 'Nhà',
  recipient: 'Nguyễn Thị Lan',
  phone: '0912 345 678',
  street: '12 Lê Lợi',
  ward: 'Phường Bến Thành',
  province: 'ho-chi-minh',
  geo: { lat: 10.7725, lng: 106.698 },
  notes: 'Gọi trước khi giao',
};

async function counts() {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM users.accounts)::int AS accounts, (SELECT count(*) FROM users.addresses)::int AS addresses,
            (SELECT sum(version) FROM users.accounts)::int AS versions`,
  );
  return rows[0];
}

beforeAll(async () => {
  db = await freshDatabase();
  user = await startUser(db.url);
});

afterAll(async () => {
  await user?.close();
  await db?.drop();
});

describe('profile', () => {
  it('reads and patches name, language, dietary preferences, favourites and the substitution default with ETags', async () => {
    const me = await signUp();
    const read = await user.call('GET', '/me', { token: me.token });
    expect(await read.clone().json()).toMatchObject({ substitution_default: 'best_match' });
    const etag = read.headers.get('etag')!;
    const patch = {
      substitution_default: 'none',
      name: 'Trần Văn Minh',
      lang: 'en',
      dietary: ['vegetarian', 'gluten-free'],
      favourites: ['TU-000123', 'TU-004567'],
    };
    const res = await user.call('PATCH', '/me', {
      token: me.token,
      json: patch,
      headers: { 'if-match': etag },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject(patch);
    const stale = await user.call('PATCH', '/me', {
      token: me.token,
      json: { lang: 'vi' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
  });

  it('manages addresses in two-level units with one default', async () => {
    const me = await signUp();
    const first = await user.call('POST', '/me/addresses', { token: me.token, json: HOME });
    expect(first.status).toBe(201);
    const home = (await first.json()) as { id: string; is_default: boolean; phone: string };
    expect(home).toMatchObject({ is_default: true, phone: '+84912345678', province: 'ho-chi-minh' });
    const office = (await (
      await user.call('POST', '/me/addresses', {
        token: me.token,
        json: { ...HOME, label: 'Công ty', street: '2 Hải Triều', ward: 'Phường Sài Gòn', is_default: true },
      })
    ).json()) as { id: string; is_default: boolean };
    expect(office.is_default).toBe(true);
    const list = (await (await user.call('GET', '/me/addresses', { token: me.token })).json()) as {
      items: { id: string; is_default: boolean }[];
    };
    expect(list.items.map((a) => [a.id, a.is_default])).toEqual([
      [home.id, false],
      [office.id, true],
    ]);
    const patched = await user.call('PATCH', `/me/addresses/${home.id}`, {
      token: me.token,
      json: { notes: null, geo: null },
    });
    expect(await patched.json()).toMatchObject({ notes: null, geo: null, street: '12 Lê Lợi' });
    expect((await user.call('DELETE', `/me/addresses/${office.id}`, { token: me.token })).status).toBe(204);
    const profile = await (await user.call('GET', '/me', { token: me.token })).json();
    expect(profile).toMatchObject({ default_address_id: null });
  });

  it('keeps at most 20 addresses', async () => {
    const me = await signUp();
    for (let i = 0; i < 20; i++)
      expect(
        (
          await user.call('POST', '/me/addresses', {
            token: me.token,
            json: { ...HOME, street: `${i} Lê Lợi` },
          })
        ).status,
      ).toBe(201);
    expect((await user.call('POST', '/me/addresses', { token: me.token, json: HOME })).status).toBe(409);
  });
});

describe('ownership and roles', () => {
  it("a customer cannot read or change another customer's addresses", async () => {
    const a = await signUp();
    const b = await signUp();
    const bHome = (await (
      await user.call('POST', '/me/addresses', { token: b.token, json: HOME })
    ).json()) as {
      id: string;
    };
    for (const [method, json] of [
      ['GET', undefined],
      ['PATCH', { notes: 'mine now' }],
      ['DELETE', undefined],
    ] as const)
      expect((await user.call(method, `/me/addresses/${bHome.id}`, { token: a.token, json })).status).toBe(
        404,
      );
    expect(
      (await user.call('PATCH', '/me', { token: a.token, json: { default_address_id: bHome.id } })).status,
    ).toBe(400);
    expect((await user.call('GET', `/users/${b.id}`, { token: a.token })).status).toBe(403);
    expect((await user.call('GET', '/users', { token: a.token })).status).toBe(403);
    const still = await user.call('GET', `/me/addresses/${bHome.id}`, { token: b.token });
    expect(await still.json()).toMatchObject({ notes: HOME.notes });
  });

  it('refuses setting one’s own role or status with 403 and writes nothing', async () => {
    const me = await signUp();
    const before = await counts();
    for (const json of [{ role: 'admin' }, { status: 'active', name: 'x' }, { email: 'other@example.vn' }]) {
      const res = await user.call('PATCH', '/me', { token: me.token, json });
      expect(res.status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('staff suspend customers but cannot grant admin or touch staff; admins can', async () => {
    const staff = await signUp('staff');
    const admin = await signUp('admin');
    const customer = await signUp();
    const colleague = await signUp('staff');
    const grant = await user.call('PATCH', `/users/${customer.id}`, {
      token: staff.token,
      json: { role: 'admin' },
    });
    expect(grant.status).toBe(403);
    expect(
      (
        await user.call('PATCH', `/users/${colleague.id}`, {
          token: staff.token,
          json: { status: 'suspended' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await user.call('PATCH', `/users/${staff.id}`, { token: staff.token, json: { role: 'admin' } }))
        .status,
    ).toBe(403);
    const suspend = await user.call('PATCH', `/users/${customer.id}`, {
      token: staff.token,
      json: { status: 'suspended' },
    });
    expect(suspend.status).toBe(200);
    expect(await suspend.json()).toMatchObject({ status: 'suspended' });
    const promote = await user.call('PATCH', `/users/${colleague.id}`, {
      token: admin.token,
      json: { role: 'admin' },
    });
    expect(await promote.json()).toMatchObject({ role: 'admin' });
  });

  it('lists accounts for staff with search and keyset pages', async () => {
    const staff = await signUp('staff');
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = (await (
        await user.call('GET', `/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: staff.token })
      ).json()) as { items: { id: string }[]; next_cursor: string | null };
      for (const item of page.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.next_cursor;
    } while (cursor);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM users.accounts`);
    expect(seen.size).toBe(rows[0].n);
    const found = (await (
      await user.call('GET', '/users?q=EXAMPLE.VN&role=staff', { token: staff.token })
    ).json()) as {
      items: { role: string }[];
    };
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((i) => i.role === 'staff')).toBe(true);
    expect((await user.call('GET', '/users?cursor=nope', { token: staff.token })).status).toBe(400);
  });
});

describe('hostile input (issue 13)', () => {
  it('answers an If-Match version beyond the column with 412 and changes nothing (item 9)', async () => {
    const me = await signUp();
    const before = await counts();
    const res = await user.call('PATCH', '/me', {
      token: me.token,
      json: { name: 'Lan' },
      headers: { 'if-match': '"v99999999999"' },
    });
    expect(res.status).toBe(412);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await counts()).toEqual(before);
  });

  it('stores names in NFC, so staff find an NFD-typed name by its NFC spelling (item 12)', async () => {
    const me = await signUp();
    const staff = await signUp('staff');
    const nfd = 'Nguye\u0302\u0303n Thi\u0323 Hoa\u0300ng';
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    const read = await user.call('GET', '/me', { token: me.token });
    const patched = await user.call('PATCH', '/me', {
      token: me.token,
      json: { name: nfd },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    const { rows } = await db.pool.query(`SELECT name FROM users.accounts WHERE id = $1`, [me.id]);
    expect(rows[0].name).toBe(nfd.normalize('NFC'));
    const found = (await (
      await user.call('GET', `/users?q=${encodeURIComponent('Nguyễn Thị Hoàng')}`, { token: staff.token })
    ).json()) as { items: { id: string }[] };
    expect(found.items.map((i) => i.id)).toContain(me.id);
  });
});

describe('forged and misdirected tokens', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('rejects alg=none, HS256 with the public key, expiry, nbf, audience, tampering and unknown kids', async () => {
    const me = await signUp();
    const [head, body] = me.token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    const jwks = (await (await user.call('GET', '/.well-known/jwks.json')).json()) as {
      keys: { x: string }[];
    };
    const now = Math.floor(Date.now() / 1000);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const hs = `${b64({ ...head, alg: 'HS256' })}.${b64(body)}`;
    const forged: [string, string][] = [
      ['none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(body)}.`],
      [
        'HS256 public key',
        `${hs}.${createHmac('sha256', JSON.stringify(jwks.keys[0])).update(hs).digest('base64url')}`,
      ],
      ['expired', signJwt({ ...body, exp: now - 120 }, stranger, head.kid)],
      [
        'tampered role',
        `${b64(head)}.${b64({ ...body, role: 'admin', scope: 'users:admin' })}.${me.token.split('.')[2]}`,
      ],
      ['unknown kid', signJwt(body, stranger, 'no-such-key')],
      ['foreign key, known kid', signJwt(body, stranger, head.kid)],
    ];
    for (const [name, token] of forged) {
      const res = await user.call('GET', '/me', { token });
      expect([name, res.status]).toEqual([name, 401]);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    }
    expect((await user.call('GET', '/me')).status).toBe(401);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['malformed email', { email: 'lan@', password: PASSWORD }],
    ['malformed phone', { phone: '0212345678', password: PASSWORD }],
    ['both identifiers', { email: 'x@example.vn', phone: '0912345678', password: PASSWORD }],
    ['short password', { email: 'short@example.vn', password: 'ngắn' }],
    ['common password', { email: 'common@example.vn', password: '1q2w3e4r5t' }],
    ['oversized name', { email: 'long@example.vn', password: PASSWORD, name: 'x'.repeat(101) }],
    ['unknown field', { email: 'role@example.vn', password: PASSWORD, role: 'admin' }],
  ])('register: %s → 400', async (_name, json) => {
    const before = await counts();
    const res = await user.call('POST', '/auth/register', { json });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['unknown province', { ...HOME, province: 'quan-1' }],
    ['coordinates outside Vietnam', { ...HOME, geo: { lat: 48.85, lng: 2.35 } }],
    ['bad phone', { ...HOME, phone: '12345' }],
    ['missing ward', { ...HOME, ward: undefined }],
    ['unknown field', { ...HOME, district: 'Quận 1' }],
  ])('address: %s → 400', async (_name, json) => {
    const me = await signUp();
    const before = await counts();
    expect((await user.call('POST', '/me/addresses', { token: me.token, json })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['unknown dietary', { dietary: ['carnivore'] }],
    ['a substitution default that needs SKUs', { substitution_default: 'specific' }],
    ['bad sku', { favourites: ['not a sku'] }],
    ['empty patch', {}],
    ['oversized name', { name: 'x'.repeat(101) }],
  ])('profile: %s → 400', async (_name, json) => {
    const me = await signUp();
    const before = await counts();
    expect((await user.call('PATCH', '/me', { token: me.token, json })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['DELETE', '/me/addresses/not-a-uuid', 'customer'],
    ['GET', '/me/addresses/123', 'customer'],
    ['PATCH', '/me/addresses/x', 'customer'],
    ['GET', '/users/------------------------------------', 'staff'],
    ['PATCH', '/users/00000000-0000-0000-0000-00000000000g', 'admin'],
  ] as const)(
    '%s %s: an id that is not a UUID → 400 naming /id (issue 13, item 5)',
    async (method, path, role) => {
      const me = await signUp(role);
      const before = await counts();
      const res = await user.call(method, path, {
        token: me.token,
        json:
          method !== 'PATCH' ? undefined : role === 'admin' ? { status: 'active' } : { street: '1 Lê Lợi' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(await res.json())).toContain('/id');
      expect(await counts()).toEqual(before);
    },
  );
});
