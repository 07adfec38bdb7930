/**
 * Integration-test helpers: the delivery function on the lean host against a fresh database,
 * calls as staff, checkout (delivery:reserve) or a customer.
 */
import { TEST_AUTH_ENV } from '../shared/auth/testing';
import { callerFor, type Caller, type CallOptions } from '../shared/testing/caller';
import type { TuoiCloudEvent } from '../../events';
import { eventAuthEnv, signedDelivery } from '../shared/eventing/testing';
import { serveLean, type LeanServer } from '../shared/host';
import { createDelivery } from './deps';

export type { Caller };

/** A running delivery function. */
export interface RunningDelivery extends LeanServer {
  base: string;
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  /** Delivers a CloudEvent as the router would (signed). */
  deliver(event: TuoiCloudEvent): Promise<Response>;
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
    call: callerFor(base, ['delivery:reserve']),
    deliver: (event) => signedDelivery(base, 'delivery', event),
  };
}

/** The District 1 store, a customer in Bến Thành and a parcel of milk, as the trip tests send them. */
export const TRIP = {
  store: {
    name: 'Tươi Quận 1',
    phone: '+842838000000',
    street: '1 Lê Lợi',
    ward: 'Phường Sài Gòn',
    province: 'ho-chi-minh',
    geo: { lat: 10.7769, lng: 106.7009 },
  },
  customer: {
    name: 'Nguyễn Văn An',
    phone: '+84901234567',
    street: '12 Lý Tự Trọng',
    ward: 'Phường Bến Thành',
    province: 'ho-chi-minh',
    geo: { lat: 10.7745, lng: 106.6981 },
  },
  parcel: { weight_grams: 4_200, value_vnd: 412_000, items: [{ name: 'Sữa tươi 1L', qty: 4 }] },
};
