/** The only wiring of the inventory function: typed config → pool, stores, batcher, jobs → handlers. */
import type { Pool } from 'pg';
import { productCreated, productDeleted, productUpdated, stockChanged, type DataOf } from '../../events';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { createFirestore } from '../shared/clients/firestore';
import { baseConfigSpec, int, optional, parseConfig, str } from '../shared/config';
import { createPool, pingDatabase } from '../shared/db';
import { createEventConsumer, type EventHandler } from '../shared/eventing/consumer';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import { createLogger } from '../shared/log';
import type { FunctionInstance } from '../shared/runtime';
import { createBatcher } from './batcher';
import { lotStore, type LotStore } from './lot-store';
import { firestoreProjection, type StockProjection } from './projection';
import {
  reservationStore,
  type ReservationStore,
  type ReserveOutcome,
  type ReserveRequest,
} from './reservation-store';
import { inventoryRoutes } from './routes';
import { stockStore } from './stock-store';

/** Schema owned by the inventory function (see the registry). */
export const SCHEMA = 'inventory';

const log = createLogger('inventory');

/** Configuration of the inventory function. */
export const inventoryConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  DB_POOL_SIZE: baseConfigSpec.DB_POOL_SIZE,
  /** Access tokens: staff change stock with inventory:write; checkout and staff reserve with inventory:reserve. */
  ...authConfigSpec,
  /** Reservation transactions in flight at once per instance (each takes a connection). */
  INVENTORY_LANES: int({ fallback: 4, min: 1, max: 32 }),
  /** Most reservations decided in one transaction. */
  INVENTORY_MAX_BATCH: int({ fallback: 200, min: 1, max: 2_000 }),
  /** stock.expiring covers lots expiring within this many days (today included). */
  INVENTORY_EXPIRING_DAYS: int({ fallback: 3, min: 0, max: 60 }),
  /** How often an instance sweeps expired holds (every instance may; SKIP LOCKED shares the work). */
  INVENTORY_SWEEP_MS: int({ fallback: 1_000, min: 100, max: 600_000 }),
  /** The real-time view in Firestore; without a project id (embedded mode) it is not kept. */
  FIRESTORE_PROJECT_ID: optional(),
  /** host:port of a Firestore emulator (tests, CI). */
  FIRESTORE_EMULATOR_HOST: optional(),
  INVENTORY_FIRESTORE_COLLECTION: str('stock_levels'),
  /** Who may deliver CloudEvents (the Triggers' OIDC identities). */
  ...senderAuthConfigSpec,
};

/** The stores of one schema. */
export function inventoryStores(schema: string, opts: { expiringDays: number }) {
  const stock = stockStore(schema);
  return {
    stock,
    lots: lotStore(schema, stock, opts),
    reservations: reservationStore(schema, stock),
  };
}

/**
 * Handlers of the consumed events: catalog products become the SKUs inventory counts, and its own
 * stock.changed events feed the Firestore view (when there is one).
 */
export function inventoryHandlers(
  lots: LotStore,
  projection?: StockProjection,
): Record<string, EventHandler> {
  const upsert: EventHandler = async (event, tx) => {
    await lots.upsertSkus(tx, [event.data as DataOf<typeof productCreated>]);
  };
  return {
    [productCreated.type]: upsert,
    [productUpdated.type]: upsert,
    [productDeleted.type]: async (event, tx) => {
      const data = event.data as DataOf<typeof productDeleted>;
      await lots.retireSku(tx, data.sku, data.version);
    },
    [stockChanged.type]: async (event) => {
      await projection?.apply(event.data as DataOf<typeof stockChanged>);
    },
  };
}

/** Periodic work of every instance: the hold sweeper and the daily expiring notices. */
function startJobs(pool: Pool, stores: { lots: LotStore; reservations: ReservationStore }, sweepMs: number) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      let expired = 0;
      // Drain a backlog in slices so no transaction holds many rows for long.
      for (let n = await stores.reservations.sweep(pool); n > 0; n = await stores.reservations.sweep(pool))
        expired += n;
      if (expired) log.info('expired held reservations', { expired });
    } catch (err) {
      log.warn('sweep failed; will retry', { err });
    } finally {
      running = false;
    }
  };
  const scan = async () => {
    try {
      const noticed = await stores.lots.scanExpiring(pool);
      if (noticed) log.info('stock.expiring notices', { noticed });
    } catch (err) {
      log.warn('expiring scan failed; will retry', { err });
    }
  };
  const sweeper = setInterval(() => void tick(), sweepMs);
  const scanner = setInterval(() => void scan(), 60_000);
  sweeper.unref();
  scanner.unref();
  void scan();
  return () => {
    clearInterval(sweeper);
    clearInterval(scanner);
  };
}

/** Builds the inventory function from the environment; throws ConfigError naming bad variables. */
export function createInventory(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(inventoryConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const stores = inventoryStores(SCHEMA, { expiringDays: config.INVENTORY_EXPIRING_DAYS });
  const batcher = createBatcher<ReserveRequest, ReserveOutcome>({
    lanes: config.INVENTORY_LANES,
    maxBatch: config.INVENTORY_MAX_BATCH,
    // By where the stock is, not by id: all buyers of a hot SKU share one lane (one transaction at a
    // time on its lot row, in ever larger batches) while distinct SKUs spread over the lanes. A
    // retry of an id carries the same lines, so it lands in the same lane as its first attempt.
    key: (r) => `${r.location}|${r.lines[0]?.sku ?? ''}`,
    run: (batch) => stores.reservations.reserveBatch(pool, batch),
  });
  const stopJobs = startJobs(pool, stores, config.INVENTORY_SWEEP_MS);
  const projection = config.FIRESTORE_PROJECT_ID
    ? firestoreProjection(
        createFirestore({
          projectId: config.FIRESTORE_PROJECT_ID,
          emulatorHost: config.FIRESTORE_EMULATOR_HOST,
        }),
        config.INVENTORY_FIRESTORE_COLLECTION,
      )
    : undefined;
  if (!projection) log.info('no FIRESTORE_PROJECT_ID: the real-time stock view is not kept');
  const deps = { pool, ...stores, reserve: (r: ReserveRequest) => batcher.submit(r) };
  return {
    routes: inventoryRoutes(deps, verifierFromConfig(config)),
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: inventoryHandlers(stores.lots, projection),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      await projection?.close();
      await pool.end();
    },
  };
}
