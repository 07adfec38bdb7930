/**
 * Staff administration of accounts (`/users`): list and read with `users:read`, suspend or
 * reactivate customers with `users:manage`, and change roles or touch staff accounts with
 * `users:admin`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { hasScope } from '../shared/auth/principal';
import { guarded } from '../shared/auth/verifier';
import { ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../shared/errors';
import { route, type Route } from '../shared/http';
import { accountEtag, planAdminChange } from './domain';
import type { AccountStore, AddressStore, SessionGate, SessionStore, Writes } from './ports';
import { AdminPatchBody, IdParams, UsersQuery } from './schemas';
import { sensitive } from './sensitive';
import { addressView } from './address-store';
import { accountView, type Account } from './store';
import { AccountView, AccountWithAddresses } from './views';

/** What the `/users` routes use. */
export interface AdminDeps extends Writes, SessionGate {
  accounts: Pick<AccountStore, 'list' | 'byId' | 'administer'>;
  addresses: Pick<AddressStore, 'list'>;
  sessions: Pick<SessionStore, 'live' | 'revokeAll'>;
}

const encodeCursor = (a: Account) =>
  Buffer.from(JSON.stringify([a.created_at.toISOString(), a.id])).toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (!Number.isNaN(date.getTime()) && /^[0-9a-f-]{36}$/.test(id)) return { at: date, id };
  } catch {
    // reported below
  }
  throw new ValidationError('The cursor is not one this API gave you', [
    { field: '/cursor', code: 'cursor', message: 'Use next_cursor from the previous page' },
  ]);
}

/** `/users` routes for staff. */
export function adminRoutes(deps: AdminDeps): Route[] {
  const { accounts, addresses, db, work } = deps;
  return [
    guarded(
      deps.verifier,
      { scope: 'users:read' },
      route({
        method: 'GET',
        path: '/users',
        query: UsersQuery,
        doc: {
          summary: 'Accounts, newest first, filtered and paginated (staff)',
          description:
            '`q` searches email, phone and name (case-insensitive substring); `role` and `status` ' +
            'filter. `limit` is 1 to 100 (50 by default); pass `next_cursor` as `cursor` for the ' +
            'next page (a cursor this API did not give is a 400).',
          responses: {
            200: {
              description: 'A page of accounts; `next_cursor` is null on the last page',
              body: Type.Object({
                items: Type.Array(AccountView),
                next_cursor: Type.Union([Type.String(), Type.Null()]),
              }),
            },
          },
        },
        async handle(req) {
          const q = req.query as Static<typeof UsersQuery>;
          const limit = Number(q.limit ?? 50);
          const rows = await accounts.list(db, {
            search: q.q,
            role: q.role,
            status: q.status,
            limit: limit + 1,
            after: q.cursor ? decodeCursor(q.cursor) : undefined,
          });
          const page = rows.slice(0, limit);
          return {
            status: 200,
            body: {
              items: page.map(accountView),
              next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
            },
          };
        },
      }),
    ),

    guarded(
      deps.verifier,
      { scope: 'users:read' },
      {
        method: 'GET',
        path: '/users/:id',
        doc: {
          summary: 'One account with its addresses (staff)',
          description: 'The `etag` names the version to send as `If-Match` with `PATCH /users/{id}`.',
          responses: {
            200: {
              description: 'The account and all its addresses',
              headers: { etag: 'The account\'s version, e.g. `"v3"`' },
              body: AccountWithAddresses,
            },
          },
          problems: [404],
        },
        params: IdParams,
        async handle(req) {
          const account = await accounts.byId(db, req.params.id!);
          if (!account) throw new NotFoundError(`No user ${req.params.id}`);
          const list = await addresses.list(db, account.id);
          return {
            status: 200,
            headers: { etag: accountEtag(account) },
            body: {
              ...accountView(account),
              addresses: list.map((a) => addressView(a, account.default_address_id)),
            },
          };
        },
      },
    ),

    sensitive(
      deps,
      { scope: 'users:manage' },
      route({
        method: 'PATCH',
        path: '/users/:id',
        params: IdParams,
        body: AdminPatchBody,
        doc: {
          summary: 'Suspend or reactivate an account, or change its role (staff)',
          description:
            '`users:manage` suspends and reactivates customers; changing a `role`, or touching a ' +
            'staff or admin account, also needs `users:admin` (else 403 naming that scope). Nobody ' +
            'changes their own account (403). Suspending ends every session of the account at once, ' +
            'as does a role change (the next token carries the new role). With `If-Match` (an ETag ' +
            'of `GET /users/{id}`) a stale version is a 412.',
          ifMatch: true,
          responses: {
            200: {
              description: 'The account after the change',
              headers: { etag: 'The new version' },
              body: AccountView,
            },
          },
          problems: [404, 412],
        },
        async handle(req) {
          const actor = { sub: req.auth!.sub, admin: hasScope(req.auth, 'users:admin') };
          const patch = req.body as Static<typeof AdminPatchBody>;
          const out = await work(async ({ tx }) => {
            const target = await accounts.byId(tx, req.params.id!, true);
            if (!target) return { kind: 'missing' } as const;
            const plan = planAdminChange(actor, target, patch, req.headers['if-match']);
            if (plan.kind !== 'apply') return plan;
            const account = (await accounts.administer(tx, target.id, patch))!;
            if (plan.revokeSessions)
              await deps.sessions.revokeAll(tx, target.id, plan.revokeSessions, deps.now());
            return { kind: 'applied', account } as const;
          });
          switch (out.kind) {
            case 'missing':
              throw new NotFoundError(`No user ${req.params.id}`);
            case 'self':
              throw new ForbiddenError('You cannot change your own role or status; ask another admin');
            case 'needs-admin':
              throw new ForbiddenError(
                out.what === 'roles'
                  ? 'Only an admin changes roles'
                  : 'Only an admin manages staff and admin accounts',
                { scope: 'users:admin' },
              );
            case 'unreadable-etag':
              throw new PreconditionFailedError('If-Match must be an ETag this API gave you');
            case 'stale':
              throw new PreconditionFailedError('The account changed since you read it');
            case 'applied':
              return {
                status: 200,
                headers: { etag: accountEtag(out.account) },
                body: accountView(out.account),
              };
          }
        },
      }),
    ),
  ];
}
