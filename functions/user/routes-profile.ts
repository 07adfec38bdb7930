/**
 * The signed-in customer's own profile and addresses (`/me`), and staff administration of
 * accounts (`/users`). A customer only ever reaches their own rows: every query is scoped by the
 * token's subject, so another customer's address is simply not found.
 */
import type { Static } from '@sinclair/typebox';
import { withTransaction, type Queryable } from '../shared/db';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../shared/errors';
import { guarded, hasScope, type Principal } from '../shared/auth/verifier';
import { parseJsonBody, route, type HttpRequest, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import type { UserDeps } from './deps';
import { sensitive } from './sensitive';
import { normalizePhone } from './identifiers';
import {
  AddressBody,
  AddressPatchBody,
  AdminPatchBody,
  IdParams,
  ProfilePatchBody,
  UsersQuery,
} from './schemas';
import {
  accountView,
  addressView,
  MAX_ADDRESSES,
  type Account,
  type Address,
  type AddressInput,
} from './store';

const etag = (a: Account) => `"v${a.version}"`;

function ifMatchVersion(req: HttpRequest<unknown, unknown>): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header === '*') return undefined;
  // Versions are int4: a longer number is no ETag this API gave (it overflowed the column: a 500).
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new PreconditionFailedError('If-Match must be an ETag this API gave you');
  return Number(match[1]);
}

function userOnly(p: Principal): string {
  if (p.kind !== 'user') throw new ForbiddenError('This is for signed-in customers, not service clients');
  return p.sub;
}

/** Fields only staff may change: a customer sending them is refused outright, not ignored. */
const PRIVILEGED = ['role', 'status', 'email', 'phone', 'id', 'email_verified', 'phone_verified'];

function addressInput(body: Partial<AddressFields>, base?: Address): AddressInput {
  const phone = body.phone !== undefined ? normalizePhone(body.phone) : base?.phone;
  if (!phone)
    throw new ValidationError('The phone number is not valid', [
      { field: '/phone', code: 'phone', message: 'Use a Vietnamese mobile number, e.g. 0912 345 678' },
    ]);
  const geo =
    body.geo !== undefined ? body.geo : base && base.lat !== null ? { lat: base.lat, lng: base.lng! } : null;
  return {
    label: body.label !== undefined ? body.label : (base?.label ?? null),
    recipient: body.recipient ?? base!.recipient,
    phone,
    street: body.street ?? base!.street,
    ward: body.ward ?? base!.ward,
    province: body.province ?? base!.province,
    lat: geo?.lat ?? null,
    lng: geo?.lng ?? null,
    notes: body.notes !== undefined ? body.notes : (base?.notes ?? null),
  };
}

type AddressFields = Static<typeof AddressBody>;

/** `/me` routes. */
export function profileRoutes(deps: UserDeps): Route[] {
  const { accounts, pool } = deps;
  const me = (req: HttpRequest<unknown, unknown>) => userOnly(req.auth!);
  const load = async (id: string) => {
    const account = await accounts.byId(pool, id);
    if (!account) throw new NotFoundError('The account no longer exists');
    return account;
  };
  const setDefault = async (db: Queryable, userId: string, id: string | null) =>
    accounts.patchProfile(db, userId, { default_address_id: id });

  return [
    guarded(
      deps.verifier,
      {},
      {
        method: 'GET',
        path: '/me',
        async handle(req) {
          const account = await load(me(req));
          return {
            status: 200,
            headers: { etag: etag(account), 'cache-control': 'private, no-cache' },
            body: accountView(account),
          };
        },
      },
    ),

    sensitive(
      deps,
      {},
      {
        method: 'PATCH',
        path: '/me',
        async handle(req) {
          const userId = me(req);
          const raw = parseJsonBody(req.headers, req.rawBody);
          const privileged =
            raw && typeof raw === 'object' ? Object.keys(raw).filter((k) => PRIVILEGED.includes(k)) : [];
          if (privileged.length)
            throw new ForbiddenError(`You cannot change your own ${privileged.join(', ')}`, {
              fields: privileged,
            });
          const patch = validate(ProfilePatchBody, raw);
          const version = ifMatchVersion(req);
          if (patch.default_address_id && !(await accounts.address(pool, userId, patch.default_address_id)))
            throw new ValidationError('No such address', [
              { field: '/default_address_id', code: 'unknown', message: 'Not one of your addresses' },
            ]);
          const updated = await accounts.patchProfile(pool, userId, patch, version);
          if (!updated) {
            await load(userId);
            throw new PreconditionFailedError('Your profile changed since you read it');
          }
          return { status: 200, headers: { etag: etag(updated) }, body: accountView(updated) };
        },
      },
    ),

    guarded(
      deps.verifier,
      {},
      {
        method: 'GET',
        path: '/me/addresses',
        async handle(req) {
          const userId = me(req);
          const [account, list] = await Promise.all([load(userId), accounts.addresses(pool, userId)]);
          return {
            status: 200,
            body: { items: list.map((a) => addressView(a, account.default_address_id)) },
          };
        },
      },
    ),

    sensitive(
      deps,
      {},
      route({
        method: 'POST',
        path: '/me/addresses',
        body: AddressBody,
        async handle(req) {
          const userId = me(req);
          const body = req.body as AddressFields;
          const input = addressInput(body);
          const { address, account } = await withTransaction(pool, async (tx) => {
            const added = await accounts.addAddress(tx, userId, input);
            if (!added)
              throw new ConflictError(
                `An account keeps at most ${MAX_ADDRESSES} addresses; delete one first`,
              );
            const existing = await accounts.addresses(tx, userId);
            const first = existing.length === 1;
            const updated =
              body.is_default || first
                ? await setDefault(tx, userId, added.id)
                : await accounts.byId(tx, userId);
            return { address: added, account: updated! };
          });
          return {
            status: 201,
            headers: { location: `/me/addresses/${address.id}` },
            body: addressView(address, account.default_address_id),
          };
        },
      }),
    ),

    guarded(
      deps.verifier,
      {},
      {
        method: 'GET',
        path: '/me/addresses/:id',
        params: IdParams,
        async handle(req) {
          const userId = me(req);
          const [account, address] = await Promise.all([
            load(userId),
            accounts.address(pool, userId, req.params.id!),
          ]);
          if (!address) throw new NotFoundError(`No address ${req.params.id}`);
          return { status: 200, body: addressView(address, account.default_address_id) };
        },
      },
    ),

    sensitive(
      deps,
      {},
      route({
        method: 'PATCH',
        path: '/me/addresses/:id',
        params: IdParams,
        body: AddressPatchBody,
        async handle(req) {
          const userId = me(req);
          const body = req.body as Partial<AddressFields>;
          const { address, account } = await withTransaction(pool, async (tx) => {
            const base = await accounts.address(tx, userId, req.params.id!);
            if (!base) throw new NotFoundError(`No address ${req.params.id}`);
            const updated = await accounts.updateAddress(tx, userId, base.id, addressInput(body, base));
            const owner =
              body.is_default === true
                ? await setDefault(tx, userId, base.id)
                : body.is_default === false
                  ? await accounts.clearDefault(tx, userId, base.id)
                  : await accounts.byId(tx, userId);
            return { address: updated!, account: owner! };
          });
          return { status: 200, body: addressView(address, account.default_address_id) };
        },
      }),
    ),

    sensitive(
      deps,
      {},
      {
        method: 'DELETE',
        path: '/me/addresses/:id',
        params: IdParams,
        async handle(req) {
          const gone = await withTransaction(pool, (tx) =>
            accounts.deleteAddress(tx, me(req), req.params.id!),
          );
          if (!gone) throw new NotFoundError(`No address ${req.params.id}`);
          return { status: 204 };
        },
      },
    ),
  ];
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
export function adminRoutes(deps: UserDeps): Route[] {
  const { accounts, pool } = deps;
  return [
    guarded(
      deps.verifier,
      { scope: 'users:read' },
      route({
        method: 'GET',
        path: '/users',
        query: UsersQuery,
        async handle(req) {
          const q = req.query as Static<typeof UsersQuery>;
          const limit = Number(q.limit ?? 50);
          const rows = await accounts.list(pool, {
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
        params: IdParams,
        async handle(req) {
          const account = await accounts.byId(pool, req.params.id!);
          if (!account) throw new NotFoundError(`No user ${req.params.id}`);
          const list = await accounts.addresses(pool, account.id);
          return {
            status: 200,
            headers: { etag: etag(account) },
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
        async handle(req) {
          const actor = req.auth!;
          const patch = req.body as Static<typeof AdminPatchBody>;
          const updated = await withTransaction(pool, async (tx) => {
            const target = await accounts.byId(tx, req.params.id!, true);
            if (!target) throw new NotFoundError(`No user ${req.params.id}`);
            if (target.id === actor.sub)
              throw new ForbiddenError('You cannot change your own role or status; ask another admin');
            const admin = hasScope(actor, 'users:admin');
            if (patch.role !== undefined && patch.role !== target.role && !admin)
              throw new ForbiddenError('Only an admin changes roles', { scope: 'users:admin' });
            if (target.role !== 'customer' && !admin)
              throw new ForbiddenError('Only an admin manages staff and admin accounts', {
                scope: 'users:admin',
              });
            const ifVersion = ifMatchVersion(req);
            if (ifVersion !== undefined && ifVersion !== target.version)
              throw new PreconditionFailedError('The account changed since you read it');
            const after = await accounts.administer(tx, target.id, patch);
            if (patch.status === 'suspended' || (patch.role && patch.role !== target.role))
              // Suspension ends every session now; a role change makes the next token carry the new role.
              await deps.sessions.revokeAll(
                tx,
                target.id,
                patch.status === 'suspended' ? 'suspended' : 'role-change',
                deps.now(),
              );
            return after!;
          });
          return { status: 200, headers: { etag: etag(updated) }, body: accountView(updated) };
        },
      }),
    ),
  ];
}
