/**
 * Integration-test helpers: the delivery function on the lean host against a fresh database,
 * calls as staff, checkout (delivery:reserve) or a customer.
 */
import { serviceToken, staffToken, TEST_AUTH_ENV, userToken } from '../shared/auth/testing';
import type { TuoiCloudEvent } from '../../events';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createDelivery } from './deps';

/** Who calls. */
export type Caller = 'staff' | 'checkout' | { customer: string } | 'anonymous';

/** A running delivery function. */
export interface RunningDelivery extends LeanServer {
  base: string;
  call(
    method: string,
    path: string,
    opts?: { json?: unknown; as?: Caller; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Delivers a CloudEvent as the router would (signed). */
  deliver(event: TuoiCloudEvent): Promise<Response>;
}

function tokenOf(caller: Caller): string | undefined {
  if (caller === 'anonymous') return undefined;
  if (caller === 'staff') return staffToken();
  if (caller === 'checkout') return serviceToken(['delivery:reserve'], 'checkout');
  return userToken({ sub: caller.customer });
}

/** Serves delivery against `databaseUrl`; the sweeper runs rarely unless `env` says otherwise. */
export async function startDelivery(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningDelivery> {
  const lean = await serveLean(
    { name: 'delivery', create: createDelivery },
    {
      port: 0,
      env: {
        DATABASE_URL: databaseUrl,
        DELIVERY_SWEEP_MS: '600000',
        ...TEST_AUTH_ENV,
        ...eventAuthEnv('delivery'),
        ...env,
      },
    },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  return {
    ...lean,
    base,
    call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const token = tokenOf(opts.as ?? 'staff');
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      }
      return fetch(`${base}${path}`, { method, headers, body });
    },
    deliver: (event) => signedDelivery(base, 'delivery', event),
  };
}
