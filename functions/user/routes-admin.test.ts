/** Handler test of `PATCH /users/:id` over in-memory ports: outcomes map to answers, writes follow the plan. */
import type { Principal } from '../shared/auth/principal';
import type { Verifier } from '../shared/auth/verifier';
import type { Tx } from '../shared/db';
import { ForbiddenError, NotFoundError, PreconditionFailedError } from '../shared/errors';
import type { HttpRequest } from '../shared/http';
import type { UnitOfWork } from '../shared/unit-of-work';
import { adminRoutes, type AdminDeps } from './routes-admin';
import type { Account } from './store';

const NOW = new Date('2026-03-01T08:00:00Z');
const TARGET = '00000000-0000-4000-8000-000000000001';

function account(over: Partial<Account>): Account {
  return {
    id: TARGET,
    email: 'lan@example.vn',
    phone: null,
    email_verified_at: null,
    phone_verified_at: null,
    password_hash: 'x',
    role: 'customer',
    status: 'active',
    name: null,
    lang: 'vi',
    dietary: [],
    favourites: [],
    default_address_id: null,
    substitution_default: 'best_match',
    version: 3,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  };
}

/** The ports over one stored account; records what was written and which sessions were ended. */
function ports(stored: Account | undefined) {
  const revoked: { userId: string; reason: string }[] = [];
  const work: UnitOfWork = (fn) => fn({ tx: {} as Tx, emit: () => undefined, afterCommit: (f) => f() });
  const deps: AdminDeps = {
    db: {} as Tx,
    work,
    now: () => NOW,
    verifier: {} as Verifier,
    accounts: {
      list: async () => [],
      byId: async (_db, id) => (stored && stored.id === id ? stored : undefined),
      administer: async (_db, _id, patch) =>
        (stored = { ...stored!, ...patch, version: stored!.version + 1 }),
    },
    addresses: { list: async () => [] },
    sessions: {
      live: async () => true,
      revokeAll: async (_db, userId, reason) => revoked.push({ userId, reason }),
    },
  };
  const patch = adminRoutes(deps).find((r) => r.method === 'PATCH')!;
  const call = (body: unknown, who: { sub: string; scopes: readonly string[] }, ifMatch?: string) =>
    patch.handle({
      params: { id: TARGET },
      body,
      headers: ifMatch ? { 'if-match': ifMatch } : {},
      auth: {
        sub: who.sub,
        kind: 'user',
        role: 'staff',
        scopes: new Set(who.scopes),
        claims: {} as Principal['claims'],
      } satisfies Principal,
    } as unknown as HttpRequest<unknown, unknown>);
  return { call, revoked, stored: () => stored };
}

const manager = { sub: 'staff-1', scopes: ['users:manage'] };
const admin = { sub: 'admin-1', scopes: ['users:manage', 'users:admin'] };

describe('PATCH /users/:id', () => {
  it.each([
    ['no such user', undefined, manager, { status: 'suspended' }, undefined, NotFoundError],
    [
      'own account',
      account({ id: TARGET }),
      { ...admin, sub: TARGET },
      { status: 'suspended' },
      undefined,
      ForbiddenError,
    ],
    ['a role change without users:admin', account({}), manager, { role: 'staff' }, undefined, ForbiddenError],
    [
      'a staff account without users:admin',
      account({ role: 'staff' }),
      manager,
      { status: 'active' },
      undefined,
      ForbiddenError,
    ],
    ['a stale If-Match', account({}), manager, { status: 'active' }, '"v2"', PreconditionFailedError],
    ['an If-Match of no ETag', account({}), manager, { status: 'active' }, '"2"', PreconditionFailedError],
  ] as const)('refuses %s and writes nothing', async (_, stored, who, body, ifMatch, error) => {
    const p = ports(stored);
    await expect(p.call(body, who, ifMatch)).rejects.toBeInstanceOf(error);
    expect(p.stored()).toEqual(stored);
    expect(p.revoked).toEqual([]);
  });

  it.each([
    [
      'suspends a customer and ends their sessions',
      manager,
      { status: 'suspended' },
      [{ userId: TARGET, reason: 'suspended' }],
    ],
    ['reactivates a customer, sessions untouched', manager, { status: 'active' }, []],
    [
      'changes a role and ends the sessions',
      admin,
      { role: 'staff' },
      [{ userId: TARGET, reason: 'role-change' }],
    ],
  ] as const)('%s', async (_, who, body, revoked) => {
    const p = ports(account({}));
    const res = await p.call(body, who, '"v3"');
    expect(res).toMatchObject({ status: 200, headers: { etag: '"v4"' }, body: { id: TARGET, ...body } });
    expect(p.revoked).toEqual(revoked);
  });
});
