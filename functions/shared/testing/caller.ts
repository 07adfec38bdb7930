/**
 * Integration-test helper: calls a running function as someone — staff, a service client with
 * scopes, a customer, or nobody — with an optional JSON body.
 */
import type { Scope } from '../auth/principal';
import { serviceToken, staffToken, userToken } from '../auth/testing';

/** Who calls: staff, a service client (e.g. checkout) by name, a signed-in customer, or nobody. */
export type Caller = 'staff' | 'checkout' | { customer: string } | 'anonymous';

/** Options of one call. */
export interface CallOptions {
  json?: unknown;
  as?: Caller;
  headers?: Record<string, string>;
}

/** A `call(method, path, opts)` against `base`; `checkout` holds `checkoutScopes` (staff by default). */
export function callerFor(base: string, checkoutScopes: Scope[]) {
  const tokenOf = (caller: Caller): string | undefined => {
    if (caller === 'anonymous') return undefined;
    if (caller === 'staff') return staffToken();
    if (caller === 'checkout') return serviceToken(checkoutScopes, 'checkout');
    return userToken({ sub: caller.customer });
  };
  return (method: string, path: string, opts: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = tokenOf(opts.as ?? 'staff');
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    return fetch(`${base}${path}`, { method, headers, body });
  };
}
