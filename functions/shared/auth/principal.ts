/**
 * Who is calling and what they may do: roles, scopes and the Principal a verified access token
 * becomes. Plain types and checks with no HTTP in them, so `shared/http.ts` (which carries the
 * principal on a request) and `auth/verifier.ts` (which builds guarded routes) both depend on this
 * file and not on each other.
 */
import { ForbiddenError } from '../errors';
import type { AccessClaims } from './jwt';

/** Roles of user accounts. */
export const ROLES = ['customer', 'staff', 'admin'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** What a token may do beyond acting on its own subject's resources. */
export const SCOPES = [
  'catalog:write', // product writes, import, inactive products
  'catalog:export', // the full export indexers read
  'carts:read', // read any cart (support staff)
  'inventory:write', // receive, adjust, lots, thresholds
  'inventory:reserve', // reservations for any owner (checkout, staff)
  'promotions:read', // promotions, coupons, redemptions and VAT rates as staff see them
  'promotions:write', // create and change promotions, coupons and VAT rates
  'promotions:redeem', // reserve, commit and release coupon redemptions (checkout, staff)
  'delivery:write', // zones, delivery and pickup calendars, carrier dispatch, statuses of own-fleet trips
  'delivery:reserve', // slot holds for any customer, deliveries and pickups of orders (checkout, staff)
  'payments:write', // create, capture and void payments of orders (checkout)
  'payments:read', // read any payment, the cash reconciliation (staff)
  'payments:refund', // refund captured payments (staff, checkout)
  'orders:read', // list and read any order and its saga log (staff)
  'orders:fulfil', // pick, substitute, pack, hand over and cancel orders (staff)
  'notifications:read', // the notification log and its dead letters (staff)
  'users:read', // list and read accounts
  'users:manage', // suspend or reactivate customers
  'users:admin', // change roles; manage staff and admin accounts
  'users:introspect', // ask the user function whether a token's session is live (RFC 7662)
] as const;
/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** The scopes a user's role grants (service clients get theirs explicitly). */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  customer: [],
  staff: [
    'catalog:write',
    'catalog:export',
    'carts:read',
    'inventory:write',
    'inventory:reserve',
    'promotions:read',
    'promotions:write',
    'promotions:redeem',
    'delivery:write',
    'delivery:reserve',
    'payments:write',
    'payments:read',
    'payments:refund',
    'orders:read',
    'orders:fulfil',
    'notifications:read',
    'users:read',
    'users:manage',
  ],
  admin: SCOPES,
};

/** Who is calling: a user (with a role) or a service client. */
export interface Principal {
  sub: string;
  kind: 'user' | 'service';
  role?: Role;
  scopes: ReadonlySet<string>;
  /** The refresh-token family (session) the token came from, for users. */
  sid?: string;
  claims: AccessClaims;
}

/** Access-token claims Tươi adds to the registered ones. */
export interface TuoiClaims extends AccessClaims {
  /** Space-separated scopes. */
  scope: string;
  role?: Role;
  /** 'service' for client-credentials tokens. */
  typ?: 'service';
  sid?: string;
}

/** True when the principal holds the scope. */
export const hasScope = (p: Principal | undefined, scope: Scope): boolean => p?.scopes.has(scope) ?? false;

/** Throws ForbiddenError unless the principal holds the scope. */
export function requireScope(p: Principal, scope: Scope): void {
  if (!p.scopes.has(scope)) throw new ForbiddenError(`This needs the ${scope} permission`, { scope });
}

/**
 * Ownership: a customer reaches only resources whose owner is themselves; anyone else needs the
 * scope that covers every owner.
 */
export function requireOwnerOr(p: Principal, owner: string, scope: Scope): void {
  if (p.sub === owner) return;
  requireScope(p, scope);
}
