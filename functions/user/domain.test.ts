import {
  grantScopes,
  planAdminChange,
  planResend,
  readIfMatch,
  type AdminPatch,
  type AdminPlan,
} from './domain';

describe('readIfMatch', () => {
  it.each([
    [undefined, { kind: 'any' }],
    ['*', { kind: 'any' }],
    ['"v3"', { kind: 'version', version: 3 }],
    ['W/"v12"', { kind: 'version', version: 12 }],
    [' "v7" ', { kind: 'version', version: 7 }],
    ['"v1234567890"', { kind: 'unreadable' }],
    ['"3"', { kind: 'unreadable' }],
    ['v3', { kind: 'unreadable' }],
  ])('%p → %p', (header, expected) => {
    expect(readIfMatch(header)).toEqual(expected);
  });
});

describe('planAdminChange', () => {
  const customer = { id: 'c1', role: 'customer', version: 4 } as const;
  const staff = { id: 's1', role: 'staff', version: 2 } as const;
  const manager = { sub: 'm1', admin: false };
  const admin = { sub: 'a1', admin: true };
  const cases: [
    string,
    { sub: string; admin: boolean },
    typeof customer | typeof staff,
    AdminPatch,
    string | undefined,
    AdminPlan,
  ][] = [
    [
      'own account',
      { sub: 'c1', admin: true },
      customer,
      { status: 'suspended' },
      undefined,
      { kind: 'self' },
    ],
    [
      'manager suspends a customer',
      manager,
      customer,
      { status: 'suspended' },
      undefined,
      { kind: 'apply', revokeSessions: 'suspended' },
    ],
    ['manager reactivates a customer', manager, customer, { status: 'active' }, undefined, { kind: 'apply' }],
    [
      'manager changes a role',
      manager,
      customer,
      { role: 'staff' },
      undefined,
      { kind: 'needs-admin', what: 'roles' },
    ],
    ['manager sends the same role', manager, customer, { role: 'customer' }, undefined, { kind: 'apply' }],
    [
      'manager touches staff',
      manager,
      staff,
      { status: 'suspended' },
      undefined,
      { kind: 'needs-admin', what: 'staff' },
    ],
    [
      'admin changes a role',
      admin,
      staff,
      { role: 'admin' },
      undefined,
      { kind: 'apply', revokeSessions: 'role-change' },
    ],
    ['matching If-Match', manager, customer, { status: 'active' }, '"v4"', { kind: 'apply' }],
    ['stale If-Match', manager, customer, { status: 'active' }, '"v3"', { kind: 'stale' }],
    ['unreadable If-Match', manager, customer, { status: 'active' }, 'nope', { kind: 'unreadable-etag' }],
    [
      'forbidden before the ETag',
      manager,
      staff,
      { status: 'active' },
      'nope',
      { kind: 'needs-admin', what: 'staff' },
    ],
  ];
  it.each(cases)('%s', (_, actor, target, patch, ifMatch, expected) => {
    expect(planAdminChange(actor, target, patch, ifMatch)).toEqual(expected);
  });
});

describe('planResend', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const base = { email: 'lan@example.vn', phone: null, email_verified_at: null, phone_verified_at: null };
  it.each([
    ['unverified email', base, 'email', { kind: 'send', target: 'lan@example.vn' }],
    ['no phone', base, 'phone', { kind: 'no-channel' }],
    ['verified email', { ...base, email_verified_at: at }, 'email', { kind: 'verified' }],
  ] as const)('%s', (_, account, channel, expected) => {
    expect(planResend(account, channel)).toEqual(expected);
  });
});

describe('grantScopes', () => {
  const held = ['catalog:export', 'users:introspect'];
  it.each([
    [undefined, { kind: 'granted', scopes: held }],
    ['catalog:export', { kind: 'granted', scopes: ['catalog:export'] }],
    ['  catalog:export  ', { kind: 'granted', scopes: ['catalog:export'] }],
    ['', { kind: 'granted', scopes: [] }],
    ['catalog:export users:admin', { kind: 'refused', refused: ['users:admin'] }],
  ])('%p → %p', (asked, expected) => {
    expect(grantScopes(held, asked)).toEqual(expected);
  });
});
