/**
 * Integration-test helpers: the payment function on the lean host against a fresh database,
 * calls as staff, checkout (payments:write and payments:refund) or a customer, signed CloudEvents.
 */
import { createServer } from 'node:http';
import type { TuoiCloudEvent } from '../../events';
import { TEST_AUTH_ENV } from '../shared/auth/testing';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { callerFor, type Caller, type CallOptions } from '../shared/testing/caller';
import { createPayment } from './deps';

export type { Caller };

/** A running payment function. */
export interface RunningPayment extends LeanServer {
  base: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  deliver(event: TuoiCloudEvent): Promise<Response>;
}

/** Serves payment against `databaseUrl`; jobs run rarely unless `env` says otherwise. */
export async function startPayment(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningPayment> {
  const lean = await serveLean(
    { name: 'payment', create: createPayment },
    {
      port: 0,
      env: {
        DATABASE_URL: databaseUrl,
        PAYMENT_RECONCILE_MS: '600000',
        ...TEST_AUTH_ENV,
        ...eventAuthEnv('payment'),
        ...env,
      },
    },
  );
  const base = `http://127.0.0.1:${lean.port}`;
  return {
    ...lean,
    base,
    call: callerFor(base, ['payments:write', 'payments:refund']),
    deliver: (event) => signedDelivery(base, 'payment', event),
  };
}

/**
 * Providers post notifications to the URL given when the payment was created, which must exist
 * before the function does: a relay on a free port forwards them, headers untouched as a proxy's
 * would be, to wherever `target` is set once the function runs.
 */
export async function notificationRelay(): Promise<{ base: string; target: string; close(): Promise<void> }> {
  const relay = {
    base: '',
    target: '',
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const out = await fetch(`${relay.target}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>,
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
      });
      res.writeHead(out.status).end(await out.text());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relay.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return relay;
}
