/**
 * Pure decisions of the user function on plain data: no clients, no clock, no HTTP. Handlers load
 * the rows, ask these, persist what they decide, and map the outcome to a response.
 */
import type { Role } from '../shared/auth/principal';
import type { Channel } from './identifiers';
import type { Account } from './store';

/** An account's ETag: its version. */
export const accountEtag = (a: Pick<Account, 'version'>): string => `"v${a.version}"`;

/** What an If-Match header asks for: any version, one version, or it is no ETag this API gave. */
export type IfMatch = { kind: 'any' } | { kind: 'version'; version: number } | { kind: 'unreadable' };

/** Reads an If-Match header against account ETags (`"v<n>"`, weak or strong). */
export function readIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header === '*') return { kind: 'any' };
  // Versions are int4: a longer number is no ETag this API gave (it overflowed the column: a 500).
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(header.trim());
  return match ? { kind: 'version', version: Number(match[1]) } : { kind: 'unreadable' };
}

/** A staff change of another account's role or status. */
export interface AdminPatch {
  role?: Role;
  status?: 'active' | 'suspended';
}

/** What a staff change may do, and which sessions it ends when it may. */
export type AdminPlan =
  | { kind: 'apply'; revokeSessions?: 'suspended' | 'role-change' }
  | { kind: 'self' }
  | { kind: 'needs-admin'; what: 'roles' | 'staff' }
  | { kind: 'unreadable-etag' }
  | { kind: 'stale' };

/**
 * Decides a staff change: nobody changes their own account; only an admin changes roles or touches
 * staff and admin accounts; an If-Match must name the current version. Suspension ends every
 * session now; a role change does too, so the next token carries the new role.
 */
export function planAdminChange(
  actor: { sub: string; admin: boolean },
  target: Pick<Account, 'id' | 'role' | 'version'>,
  patch: AdminPatch,
  ifMatch: string | undefined,
): AdminPlan {
  if (target.id === actor.sub) return { kind: 'self' };
  if (patch.role !== undefined && patch.role !== target.role && !actor.admin)
    return { kind: 'needs-admin', what: 'roles' };
  if (target.role !== 'customer' && !actor.admin) return { kind: 'needs-admin', what: 'staff' };
  const expected = readIfMatch(ifMatch);
  if (expected.kind === 'unreadable') return { kind: 'unreadable-etag' };
  if (expected.kind === 'version' && expected.version !== target.version) return { kind: 'stale' };
  if (patch.status === 'suspended') return { kind: 'apply', revokeSessions: 'suspended' };
  if (patch.role && patch.role !== target.role) return { kind: 'apply', revokeSessions: 'role-change' };
  return { kind: 'apply' };
}

/** Whether a new verification message can go out on a channel, and to where. */
export type ResendPlan = { kind: 'send'; target: string } | { kind: 'no-channel' } | { kind: 'verified' };

/** Decides a verification resend: the account must have the channel, not yet verified. */
export function planResend(
  account: Pick<Account, 'email' | 'phone' | 'email_verified_at' | 'phone_verified_at'>,
  channel: Channel,
): ResendPlan {
  const target = account[channel];
  if (!target) return { kind: 'no-channel' };
  if (account[`${channel}_verified_at`]) return { kind: 'verified' };
  return { kind: 'send', target };
}

/** The scopes a client-credentials token gets, or the asked ones the client does not hold. */
export type ScopeGrant = { kind: 'granted'; scopes: string[] } | { kind: 'refused'; refused: string[] };

/** Grants the asked scopes (space-separated; all the client holds when not asked) if it holds them. */
export function grantScopes(held: readonly string[], asked: string | undefined): ScopeGrant {
  const scopes = asked?.split(' ').filter(Boolean) ?? [...held];
  const refused = scopes.filter((s) => !held.includes(s));
  return refused.length ? { kind: 'refused', refused } : { kind: 'granted', scopes };
}
