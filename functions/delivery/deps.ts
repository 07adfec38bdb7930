/** The only wiring of the delivery function: typed config → pool, stores, use cases, batcher, jobs → handlers. */
import type { Pool } from 'pg';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { createBatcher } from '../shared/batcher';
import { createFirestore } from '../shared/clients/firestore';
import { baseConfigSpec, int, optional, parseConfig, str } from '../shared/config';
import { createEventConsumer } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import { createLogger } from '../shared/log';
import { createPool, pingDatabase } from '../shared/db';
import { memoByKey } from '../shared/memo';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork } from '../shared/unit-of-work';
import { httpAddressBook } from './addresses';
import { calendarUseCases } from './calendars';
import type { HoldRequest } from './holds';
import { startJobs } from './jobs';
import { slotRoutes } from './routes';
import { dispatchHandlers } from './dispatch';
import { sagaHandlers } from './saga';
import { firestoreTracking, trackingHandlers } from './tracking';
import { holdUseCases, type BatchOutcome } from './slot-holds';
import { slotStore } from './slot-store';
import { zoneStore } from './zone-store';
import type { Carrier, CarrierName } from './carrier';
import { deliveryRoutes } from './delivery-routes';
import { deliveryStore } from './delivery-store';
import { deliveryUseCases as tripUseCases } from './deliveries';
import { ahamoveConfigSpec, ahamoveFromConfig } from './providers/ahamove/adapter';
import { ghnConfigSpec, ghnFromConfig } from './providers/ghn/adapter';
import { gosendConfigSpec, gosendFromConfig } from './providers/gosend/adapter';
import { grabConfigSpec, grabFromConfig } from './providers/grab/adapter';
import { ownFleetCarrier } from './providers/own-fleet/adapter';
import { viettelpostConfigSpec, viettelpostFromConfig } from './providers/viettelpost/adapter';

/** Schema owned by the delivery function (see the registry). */
export const SCHEMA = 'delivery';

/** Configuration of the delivery function. */
export const deliveryConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Access tokens: staff write zones and calendars (delivery:write); checkout holds (delivery:reserve). */
  ...authConfigSpec,
  /** The user function, for `GET /slots?address_id=` (in a cluster: its Knative service URL). */
  DELIVERY_USER_URL: optional(),
  /** Used when DELIVERY_USER_URL is not set (make dev: the gateway). */
  GATEWAY_URL: optional(),
  DELIVERY_PEER_TIMEOUT_MS: int({ fallback: 2_000, min: 100, max: 30_000 }),
  /** Hold transactions in flight at once per instance (each takes a connection). */
  DELIVERY_LANES: int({ fallback: 4, min: 1, max: 32 }),
  /**
   * Connections of the CloudEvent consumer, apart from DB_POOL_SIZE: a saga command keeps its
   * inbox transaction open while its hold commits through the batcher, so on one shared pool a
   * burst of commands would take every connection and leave the batcher none.
   */
  DELIVERY_EVENT_CONNECTIONS: int({ fallback: 4, min: 1, max: 32 }),
  /** Most holds decided in one transaction. */
  DELIVERY_MAX_BATCH: int({ fallback: 500, min: 1, max: 5_000 }),
  /** How often an instance sweeps lapsed holds (every instance may; SKIP LOCKED shares the work). */
  DELIVERY_SWEEP_MS: int({ fallback: 1_000, min: 100, max: 600_000 }),
  /** Live holds one customer may have at once (a shopper comparing windows, not a bot hoarding them). */
  DELIVERY_MAX_HOLDS_PER_CUSTOMER: int({ fallback: 3, min: 1, max: 100 }),
  /** What a trip by the store's own riders costs, weighed against the carriers' quotes. */
  DELIVERY_OWN_FLEET_TRIP_VND: int({ fallback: 0, min: 0, max: 1_000_000 }),
  /** How far the store's riders go, in metres from the store (a motorbike round trip within a slot). */
  DELIVERY_OWN_FLEET_RADIUS_M: int({ fallback: 8_000, min: 100, max: 100_000 }),
  /** The tracking view in Firestore; without a project id (embedded mode) it is not kept. */
  FIRESTORE_PROJECT_ID: optional(),
  /** host:port of a Firestore emulator (tests, CI). */
  FIRESTORE_EMULATOR_HOST: optional(),
  DELIVERY_FIRESTORE_COLLECTION: str('deliveries'),
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
  /** Carriers: each is used when its variables are set (see its README under providers/). */
  ...grabConfigSpec,
  ...ahamoveConfigSpec,
  ...ghnConfigSpec,
  ...viettelpostConfigSpec,
  /** GoSend serves stores in Indonesia or Singapore; its quotes are in their currency (see its README). */
  ...gosendConfigSpec,
};

const log = createLogger('delivery');

/** The stores of one schema. */
export function deliveryStores(schema: string) {
  return { zones: zoneStore(schema), slots: slotStore(schema), deliveries: deliveryStore(schema) };
}

/** The use cases of one schema over `pool`. */
export function deliveryUseCases(
  pool: Pool,
  schema: string,
  opts: { maxHoldsPerCustomer: number; carriers?: ReadonlyMap<CarrierName, Carrier> },
) {
  const stores = deliveryStores(schema);
  const work = unitOfWork(pool, schema);
  const calendars = calendarUseCases({ db: pool, work, ...stores });
  const holds = holdUseCases({
    work,
    db: pool,
    ...stores,
    maxPerOwner: opts.maxHoldsPerCustomer,
    async ensureSlot(id, now) {
      const [calendar, date] = id.split(':');
      if (!calendar || !date) return false;
      const day = await calendars.day(calendar, date, now);
      return day?.windows.some((w) => w.id === id) ?? false;
    },
  });
  const trips = tripUseCases({
    work,
    db: pool,
    ...stores,
    carriers: opts.carriers ?? new Map([['own_fleet', ownFleetCarrier({ tripCostVnd: 0 })]]),
  });
  return { stores, calendars, holds, trips };
}

/** Builds the delivery function from the environment; throws ConfigError naming bad variables. */
export function createDelivery(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(deliveryConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const eventPool = createPool(config.DATABASE_URL, { max: config.DELIVERY_EVENT_CONNECTIONS }, 'events');
  const carriers = new Map<CarrierName, Carrier>([
    [
      'own_fleet',
      ownFleetCarrier({
        tripCostVnd: config.DELIVERY_OWN_FLEET_TRIP_VND,
        radiusMetres: config.DELIVERY_OWN_FLEET_RADIUS_M,
      }),
    ],
  ]);
  for (const carrier of [
    grabFromConfig(config),
    ahamoveFromConfig(config),
    ghnFromConfig(config),
    viettelpostFromConfig(config),
    gosendFromConfig(config),
  ])
    if (carrier) carriers.set(carrier.name, carrier);
  const delivery = deliveryUseCases(pool, SCHEMA, {
    maxHoldsPerCustomer: config.DELIVERY_MAX_HOLDS_PER_CUSTOMER,
    carriers,
  });
  const { stores } = delivery;
  const batcher = createBatcher<HoldRequest, BatchOutcome>({
    lanes: config.DELIVERY_LANES,
    maxBatch: config.DELIVERY_MAX_BATCH,
    // One slot's holds share a lane: its row is written once per batch, not once per buyer.
    key: (r) => r.slot,
    run: async (batch) => {
      // A batch may mix slots that share a lane: decide each slot's holds in its own transaction.
      const bySlot = new Map<string, number[]>();
      batch.forEach((r, i) => bySlot.set(r.slot, [...(bySlot.get(r.slot) ?? []), i]));
      const out: BatchOutcome[] = new Array(batch.length);
      for (const [slot, idx] of bySlot) {
        const outcomes = await delivery.holds.holdBatch(
          slot,
          idx.map((i) => batch[i]!),
        );
        idx.forEach((i, k) => (out[i] = outcomes[k]!));
      }
      return out;
    },
  });
  const userUrl = config.DELIVERY_USER_URL ?? config.GATEWAY_URL;
  const addresses = userUrl ? httpAddressBook(userUrl, config.DELIVERY_PEER_TIMEOUT_MS) : undefined;
  // Zones change rarely and every address lookup reads them all.
  const zones = memoByKey(5_000, () => stores.zones.zones(pool));
  const stopJobs = startJobs(
    {
      sweep: () => delivery.holds.sweep(),
      rollForward: () => delivery.calendars.rollForward(new Date()),
      rebook: () => delivery.trips.retryUnbooked(),
    },
    config.DELIVERY_SWEEP_MS,
  );
  const tracking = config.FIRESTORE_PROJECT_ID
    ? firestoreTracking(
        createFirestore({
          projectId: config.FIRESTORE_PROJECT_ID,
          emulatorHost: config.FIRESTORE_EMULATOR_HOST,
        }),
        config.DELIVERY_FIRESTORE_COLLECTION,
      )
    : undefined;
  if (!tracking) log.info('no FIRESTORE_PROJECT_ID: the tracking view is not kept');
  return {
    events: createEventConsumer({
      pool: eventPool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: {
        ...trackingHandlers(stores, tracking),
        ...sagaHandlers({
          schema: SCHEMA,
          slots: stores.slots,
          holds: delivery.holds,
          hold: (r) => batcher.submit(r),
        }),
        // A packed order: its delivery booked with a carrier (over HTTP, outside any transaction)
        // or its pickup prepared, in the use case's own units of work.
        ...dispatchHandlers({ deliveries: delivery.trips }),
      },
    }),
    routes: [
      ...slotRoutes(
        {
          db: pool,
          ...stores,
          calendars: delivery.calendars,
          holds: delivery.holds,
          hold: (r) => batcher.submit(r),
          cachedZones: () => zones.get(undefined),
          ...(addresses ? { addresses } : {}),
        },
        verifierFromConfig(config),
      ),
      ...deliveryRoutes(
        { deliveries: delivery.trips, configured: new Set(carriers.keys()) },
        verifierFromConfig(config),
      ),
    ],
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      addresses?.close();
      for (const c of carriers.values()) c.close();
      await tracking?.close();
      await eventPool.end();
      await pool.end();
    },
  };
}
