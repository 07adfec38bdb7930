/**
 * Sensitive writes (password, addresses, contact details, staff actions) check the database, not
 * just the token: an access token stays valid for its 15 minutes after a logout or a suspension,
 * and these routes refuse it as soon as its session is no longer live.
 */
import { requireScope } from '../shared/auth/principal';
import { guarded, unauthorizedResponse, type GuardRule } from '../shared/auth/verifier';
import { UnauthorizedError } from '../shared/errors';
import type { Route } from '../shared/http';
import type { SessionGate } from './ports';

/**
 * Like `guarded`, and for a user's token the session must be live: 401 when it was revoked, has
 * ended or its account is suspended, before the 403 about a scope and any 400 about the input.
 * Service clients have no session; their own checks (scopes, `userOnly`) apply.
 */
export function sensitive(gate: SessionGate, rule: GuardRule, r: Route): Route {
  const signedIn = guarded(gate.verifier, {}, r);
  return {
    ...signedIn,
    auth: { ...signedIn.auth, required: true, scope: rule.scope },
    async guard(req) {
      const verdict = await signedIn.guard!(req);
      if ('response' in verdict) return verdict;
      const p = verdict.principal;
      if (p.kind === 'user' && !(p.sid && (await gate.sessions.live(gate.db, p.sid, p.sub, gate.now()))))
        return {
          response: unauthorizedResponse(
            new UnauthorizedError(
              'This session has ended (signed out, replaced or suspended); sign in again',
              { reason: 'session-ended' },
            ),
            req,
          ),
        };
      if (rule.scope) requireScope(p, rule.scope);
      return verdict;
    },
  };
}
