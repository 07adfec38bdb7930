/**
 * The Firestore real-time view against the emulator: after a burst of reservations, inventory's
 * stock.changed events are delivered to it at least once and out of order, and the view ends on
 * exactly the levels PostgreSQL holds.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { TuoiCloudEvent } from '../../events';
import { createFirestore } from '../shared/clients/firestore';
import { serviceEnv, uniqueSuffix } from '../shared/clients/testing/service-env';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { stockDocumentId } from './projection';
import { addTestSkus, startInventory, testStores, type RunningInventory } from './testing';

const collection = `it-stock-${uniqueSuffix()}`;
const SKUS = ['TU-FS-0001', 'TU-FS-0002', 'TU-FS-0003'];
const LOCATION = 'q1-ben-thanh';

let db: TestDatabase;
let inv: RunningInventory;
let firestore: Firestore;

beforeAll(async () => {
  db = await freshDatabase();
  await addTestSkus(db.pool, SKUS);
  const env = {
    FIRESTORE_PROJECT_ID: serviceEnv('FIRESTORE_PROJECT_ID'),
    FIRESTORE_EMULATOR_HOST: serviceEnv('FIRESTORE_EMULATOR_HOST'),
    INVENTORY_FIRESTORE_COLLECTION: collection,
  };
  inv = await startInventory(db.url, env);
  firestore = createFirestore({
    projectId: env.FIRESTORE_PROJECT_ID,
    emulatorHost: env.FIRESTORE_EMULATOR_HOST,
  });
});

afterAll(async () => {
  const snap = await firestore?.collection(collection).get();
  await Promise.all(snap?.docs.map((d) => d.ref.delete()) ?? []);
  await firestore?.terminate();
  await inv?.close();
  await db?.drop();
});

/** The stock.changed events inventory wrote to its outbox, oldest first. */
async function stockEvents(): Promise<TuoiCloudEvent[]> {
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    `SELECT event FROM inventory.outbox WHERE event->>'type' = 'io.tuoi.inventory.stock.changed.v1' ORDER BY id`,
  );
  return rows.map((r) => r.event);
}

it('converges on the PostgreSQL levels after a burst, whatever the delivery order and repeats', async () => {
  for (const sku of SKUS) {
    const res = await inv.call('POST', '/stock/receive', {
      json: { lot_id: `lot-${sku}`, sku, location: LOCATION, quantity: 40 },
    });
    expect(res.status).toBe(201);
  }
  const burst = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      inv.call('POST', '/reservations', {
        json: { id: `fs-${i}`, location: LOCATION, lines: [{ sku: SKUS[i % 3], qty: 1 + (i % 2) }] },
      }),
    ),
  );
  expect(burst.every((r) => r.status === 201 || r.status === 409)).toBe(true);
  await inv.call('POST', '/reservations/fs-0/commit');
  await inv.call('POST', '/reservations/fs-1/release');

  // Out of order (newest first, so older ones arrive late) and at least once (everything again).
  const events = await stockEvents();
  expect(events.length).toBeGreaterThan(3);
  for (const event of [...[...events].reverse(), ...events]) {
    const res = await inv.deliver({ ...event });
    expect([204]).toContain(res.status);
  }

  const levels = await testStores().stock.levels(
    db.pool,
    SKUS.map((sku) => ({ sku, location: LOCATION })),
  );
  for (const level of levels) {
    const snap = await firestore.collection(collection).doc(stockDocumentId(LOCATION, level.sku)).get();
    expect(snap.data()).toMatchObject({
      sku: level.sku,
      location: LOCATION,
      on_hand: level.on_hand,
      held: level.held,
      available: level.available,
      in_stock: level.available > 0,
    });
  }
});

it('never moves a document backwards', async () => {
  const [latest] = (await stockEvents()).slice(-1);
  const data = latest!.data as { sku: string; sequence: number; available: number };
  const older = { ...latest!, id: `${latest!.id}-old`, data: { ...data, sequence: 1, available: 999 } };
  expect((await inv.deliver(older)).status).toBe(204);
  const snap = await firestore.collection(collection).doc(stockDocumentId(LOCATION, data.sku)).get();
  expect(snap.get('sequence')).toBeGreaterThanOrEqual(data.sequence);
  expect(snap.get('available')).not.toBe(999);
});
