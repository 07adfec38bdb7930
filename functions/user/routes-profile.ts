/**
 * The signed-in customer's own profile and addresses (`/me`). A customer only ever reaches their
 * own rows: every query is scoped by the token's subject, so another customer's address is simply
 * not found.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Principal } from '../shared/auth/principal';
import { guarded } from '../shared/auth/verifier';
import type { Queryable } from '../shared/db';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../shared/errors';
import { parseJsonBody, route, type HttpRequest, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import { accountEtag, readIfMatch } from './domain';
import { normalizePhone } from './identifiers';
import type { AccountStore, AddressStore, SessionGate, Writes } from './ports';
import { AddressBody, AddressPatchBody, IdParams, ProfilePatchBody } from './schemas';
import { sensitive } from './sensitive';
import { addressView, MAX_ADDRESSES, type Address, type AddressInput } from './address-store';
import { accountView } from './store';
import { AccountView, AddressView } from './views';

/** What the `/me` routes use. */
export interface ProfileDeps extends Writes, SessionGate {
  accounts: Pick<AccountStore, 'byId' | 'patchProfile' | 'clearDefault'>;
  addresses: AddressStore;
}

/** The version an If-Match names (undefined for none or `*`), or a 412 when it is no ETag of ours. */
export function ifMatchVersion(req: HttpRequest<unknown, unknown>): number | undefined {
  const expected = readIfMatch(req.headers['if-match']);
  if (expected.kind === 'unreadable')
    throw new PreconditionFailedError('If-Match must be an ETag this API gave you');
  return expected.kind === 'version' ? expected.version : undefined;
}

function userOnly(p: Principal): string {
  if (p.kind !== 'user') throw new ForbiddenError('This is for signed-in customers, not service clients');
  return p.sub;
}

/** What every `/me` route says of service clients. */
const SERVICE_403 = "A service client's token is a 403.";

/** Fields only staff may change: a customer sending them is refused outright, not ignored. */
const PRIVILEGED = ['role', 'status', 'email', 'phone', 'id', 'email_verified', 'phone_verified'];

type AddressFields = Static<typeof AddressBody>;

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

/** `/me` routes. */
export function profileRoutes(deps: ProfileDeps): Route[] {
  const { accounts, addresses, db, work } = deps;
  const me = (req: HttpRequest<unknown, unknown>) => userOnly(req.auth!);
  const load = async (id: string) => {
    const account = await accounts.byId(db, id);
    if (!account) throw new NotFoundError('The account no longer exists');
    return account;
  };
  const setDefault = async (tx: Queryable, userId: string, id: string | null) => {
    const out = await accounts.patchProfile(tx, userId, { default_address_id: id });
    return out.kind === 'updated' ? out.account : undefined;
  };

  return [
    guarded(
      deps.verifier,
      {},
      {
        method: 'GET',
        path: '/me',
        doc: {
          summary: "The signed-in customer's account and profile",
          description:
            'For users, not service clients (403). The `etag` names the version to send as ' +
            '`If-Match` with `PATCH /me`.',
          responses: {
            200: {
              description: 'The account',
              headers: {
                etag: 'The account\'s version, e.g. `"v3"`',
                'cache-control': '`private, no-cache`',
              },
              body: AccountView,
            },
          },
          problems: [404],
        },
        async handle(req) {
          const account = await load(me(req));
          return {
            status: 200,
            headers: { etag: accountEtag(account), 'cache-control': 'private, no-cache' },
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
        doc: {
          summary: "Change the signed-in customer's profile",
          description:
            'A partial update of `name`, `lang`, `dietary`, `favourites`, `default_address_id` (one ' +
            'of your addresses, or null) and `substitution_default`. Sending a field only staff may ' +
            'change (`role`, `status`, `email`, `phone`, `id`, `email_verified`, `phone_verified`) is ' +
            'a 403 naming them in `fields`; any other unknown field is a 400. With `If-Match` (an ' +
            'ETag of `GET /me`) a stale version is a 412; without it the change applies to the ' +
            'current version.',
          requestBody: {
            contentTypes: ['application/json'],
            description: 'The fields to change (at least one)',
            schema: ProfilePatchBody,
            required: true,
          },
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
          if (patch.default_address_id && !(await addresses.one(db, userId, patch.default_address_id)))
            throw new ValidationError('No such address', [
              { field: '/default_address_id', code: 'unknown', message: 'Not one of your addresses' },
            ]);
          const out = await work(async ({ tx }) => {
            const patched = await accounts.patchProfile(tx, userId, patch, version);
            if (patched.kind === 'stale' && !(await accounts.byId(tx, userId)))
              return { kind: 'gone' } as const;
            return patched;
          });
          if (out.kind === 'gone') throw new NotFoundError('The account no longer exists');
          if (out.kind === 'stale')
            throw new PreconditionFailedError('Your profile changed since you read it');
          return { status: 200, headers: { etag: accountEtag(out.account) }, body: accountView(out.account) };
        },
      },
    ),

    guarded(
      deps.verifier,
      {},
      {
        method: 'GET',
        path: '/me/addresses',
        doc: {
          summary: "The signed-in customer's delivery addresses",
          description: 'Oldest first; at most 20. ' + SERVICE_403,
          responses: {
            200: { description: 'The addresses', body: Type.Object({ items: Type.Array(AddressView) }) },
          },
          problems: [404],
        },
        async handle(req) {
          const userId = me(req);
          const [account, list] = await Promise.all([load(userId), addresses.list(db, userId)]);
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
        doc: {
          summary: 'Add a delivery address',
          description:
            'The first address, or one sent with `is_default: true`, becomes the default. An account ' +
            'keeps at most 20 addresses (409). `phone` must be a Vietnamese mobile number (400). ' +
            SERVICE_403,
          responses: {
            201: {
              description: 'The new address',
              headers: { location: 'The address: `/me/addresses/{id}`' },
              body: AddressView,
            },
          },
          problems: [409],
        },
        async handle(req) {
          const userId = me(req);
          const body = req.body as AddressFields;
          const input = addressInput(body);
          const out = await work(async ({ tx }) => {
            const added = await addresses.add(tx, userId, input);
            if (added.kind === 'full') return added;
            const existing = await addresses.list(tx, userId);
            const first = existing.length === 1;
            const account =
              body.is_default || first
                ? await setDefault(tx, userId, added.address.id)
                : await accounts.byId(tx, userId);
            return { ...added, account: account! };
          });
          if (out.kind === 'full')
            throw new ConflictError(`An account keeps at most ${MAX_ADDRESSES} addresses; delete one first`);
          return {
            status: 201,
            headers: { location: `/me/addresses/${out.address.id}` },
            body: addressView(out.address, out.account.default_address_id),
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
        doc: {
          summary: "One of the signed-in customer's addresses",
          description: "Another customer's address is not found (404). " + SERVICE_403,
          responses: { 200: { description: 'The address', body: AddressView } },
          problems: [404],
        },
        params: IdParams,
        async handle(req) {
          const userId = me(req);
          const [account, address] = await Promise.all([
            load(userId),
            addresses.one(db, userId, req.params.id!),
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
        doc: {
          summary: "Change one of the signed-in customer's addresses",
          description:
            'A partial update (at least one field); `is_default: true` makes it the default, `false` ' +
            'unsets it if it was. ' +
            SERVICE_403,
          responses: { 200: { description: 'The address after the change', body: AddressView } },
          problems: [404],
        },
        async handle(req) {
          const userId = me(req);
          const body = req.body as Partial<AddressFields>;
          const out = await work(async ({ tx }) => {
            const base = await addresses.one(tx, userId, req.params.id!);
            if (!base) return undefined;
            const updated = await addresses.update(tx, userId, base.id, addressInput(body, base));
            const owner =
              body.is_default === true
                ? await setDefault(tx, userId, base.id)
                : body.is_default === false
                  ? await accounts.clearDefault(tx, userId, base.id)
                  : await accounts.byId(tx, userId);
            return { address: updated!, account: owner! };
          });
          if (!out) throw new NotFoundError(`No address ${req.params.id}`);
          return { status: 200, body: addressView(out.address, out.account.default_address_id) };
        },
      }),
    ),

    sensitive(
      deps,
      {},
      {
        method: 'DELETE',
        path: '/me/addresses/:id',
        doc: {
          summary: "Delete one of the signed-in customer's addresses",
          description: 'If it was the default, the account has none after. ' + SERVICE_403,
          responses: { 204: { description: 'The address is deleted', empty: true } },
          problems: [404],
        },
        params: IdParams,
        async handle(req) {
          const userId = me(req);
          const gone = await work(({ tx }) => addresses.remove(tx, userId, req.params.id!));
          if (!gone) throw new NotFoundError(`No address ${req.params.id}`);
          return { status: 204 };
        },
      },
    ),
  ];
}
