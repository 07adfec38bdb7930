/** The only wiring of the inventory function: typed config → pool, stores, use cases, batcher, jobs → handlers. */
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../events';
import { authConfigSpec, verifierFromConfig } from '../shared/auth/verifier';
import { createFirestore } from '../shared/clients/firestore';
import { baseConfigSpec, int, optional, parseConfig, str } from '../shared/config';
import { createPool, pingDatabase, type Tx } from '../shared/db';
import { createEventConsumer } from '../shared/eventing/consumer';
import { emit } from '../shared/eventing/outbox';
import { senderAuthConfigSpec, senderCheckFromConfig } from '../shared/eventing/sender-auth';
import { createLogger } from '../shared/log';
import type { FunctionInstance } from '../shared/runtime';
import { unitOfWork, type UnitOfWork } from '../shared/unit-of-work';
import { createBatcher } from '../shared/batcher';
import type { ReserveOutcome, ReserveRequest } from './domain';
import { inventoryHandlers } from './events';
import { startJobs } from './jobs';
import { lotStore } from './lot-store';
import { lotUseCases } from './lots';
import { firestoreProjection } from './projection';
import { stockReads } from './reads';
import { reservationStore } from './reservation-store';
import { reservationUseCases } from './reservations';
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

/** The stores of one schema (persistence only: every write takes the caller's transaction). */
export function inventoryStores(schema: string) {
  const stock = stockStore(schema);
  return { stock, lots: lotStore(schema), reservations: reservationStore(schema, stock) };
}

/** The use cases of one schema over `pool`: each write opens its own unit of work. */
export function inventoryUseCases(pool: Pool, schema: string, opts: { expiringDays: number }) {
  const stores = inventoryStores(schema);
  const work = unitOfWork(pool, schema);
  return {
    stores,
    reads: stockReads(pool, stores),
    operations: lotUseCases({ work, ...stores, expiringDays: opts.expiringDays }),
    reservations: reservationUseCases({ work, db: pool, ...stores }),
  };
}

/**
 * A unit of work that joins `tx` instead of opening a transaction: its events go to the outbox in
 * `tx`, and it commits or rolls back with it. After-commit work cannot be run (the caller commits).
 */
function joined(tx: Tx, schema: string): UnitOfWork {
  return async (fn) => {
    const events: TuoiCloudEvent[] = [];
    const out = await fn({
      tx,
      emit: (...e) => void events.push(...e),
      afterCommit: () => {
        throw new Error('A joined unit of work cannot run after-commit work');
      },
    });
    await emit(tx, schema, events);
    return out;
  };
}

/** Builds the inventory function from the environment; throws ConfigError naming bad variables. */
export function createInventory(env: NodeJS.ProcessEnv): FunctionInstance {
  const config = parseConfig(inventoryConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: config.DB_POOL_SIZE });
  const inventory = inventoryUseCases(pool, SCHEMA, { expiringDays: config.INVENTORY_EXPIRING_DAYS });
  // The lanes get connections of their own: a saga command waits for its batch while holding the
  // consumer's connection, and once every pooled connection waited like that, a shared pool would
  // leave the batch none (a deadlock until the connect timeout).
  const lanePool = createPool(config.DATABASE_URL, { max: config.INVENTORY_LANES }, 'lanes');
  const lanes = inventoryUseCases(lanePool, SCHEMA, { expiringDays: config.INVENTORY_EXPIRING_DAYS });
  const batcher = createBatcher<ReserveRequest, ReserveOutcome>({
    lanes: config.INVENTORY_LANES,
    maxBatch: config.INVENTORY_MAX_BATCH,
    // By where the stock is, not by id: all buyers of a hot SKU share one lane (one transaction at a
    // time on its lot row, in ever larger batches) while distinct SKUs spread over the lanes. A
    // retry of an id carries the same lines, so it lands in the same lane as its first attempt.
    key: (r) => `${r.location}|${r.lines[0]?.sku ?? ''}`,
    run: (batch) => lanes.reservations.reserveBatch(batch),
  });
  const stopJobs = startJobs(inventory, config.INVENTORY_SWEEP_MS);
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
  const routes = inventoryRoutes(
    { ...inventory, reserve: (r) => batcher.submit(r) },
    verifierFromConfig(config),
  );
  return {
    routes,
    events: createEventConsumer({
      pool,
      schema: SCHEMA,
      senders: senderCheckFromConfig(config),
      handlers: inventoryHandlers(
        inventory.stores.lots,
        {
          reserve: (r) => batcher.submit(r),
          reservationsIn: (tx) =>
            reservationUseCases({ work: joined(tx, SCHEMA), db: tx, ...inventory.stores }),
          schema: SCHEMA,
        },
        projection,
      ),
    }),
    ready: () => pingDatabase(pool),
    close: async () => {
      stopJobs();
      await projection?.close();
      await Promise.all([pool.end(), lanePool.end()]);
    },
  };
}
