/**
 * Dev seed (`make dev`, first start): two stores and a warehouse in different delivery zones, the
 * SKUs of the generated catalog handed in (scripts/seed), and lots for every SKU at every location, each with its `receive`
 * movement. Perishable SKUs get two lots: one expiring in a few days at some locations (the
 * instance's expiring scan announces those) and a fresh one. Deterministic; a second call does
 * nothing. No stock.changed events: catalog and search treat a SKU without stock news as in stock.
 */
import type { Pool } from 'pg';
import type { ProductSnapshot } from '../../events';
import { withTransaction } from '../shared/db';
import { inventoryStores, SCHEMA } from './deps';
import { shopDay } from './domain';
import type { LocationRow } from './lot-store';

/** The dev locations. */
export const DEV_LOCATIONS: LocationRow[] = [
  {
    id: 'ch-quan-1',
    kind: 'store',
    name_en: 'District 1 store',
    name_vi: 'Cửa hàng Quận 1',
    zone: 'hcm-quan-1',
  },
  {
    id: 'ch-cau-giay',
    kind: 'store',
    name_en: 'Cau Giay store',
    name_vi: 'Cửa hàng Cầu Giấy',
    zone: 'hn-cau-giay',
  },
  {
    id: 'kho-thu-duc',
    kind: 'warehouse',
    name_en: 'Thu Duc warehouse',
    name_vi: 'Kho Thủ Đức',
    zone: 'hcm-thu-duc',
  },
];

const BATCH = 5_000;

/** What the inventory's seed is handed: the catalog's products and a seeded random source. */
export interface InventorySeed {
  products: readonly Pick<
    ProductSnapshot,
    'sku' | 'sold_by' | 'is_perishable' | 'status' | 'shelf_life_days'
  >[];
  /** A deterministic random source for a seed number: lot quantities repeat run to run. */
  random: (seed: number) => () => number;
}

/** Seeds an empty inventory from `data`; returns a one-line summary. */
export async function seed(pool: Pool, data: InventorySeed): Promise<string> {
  const started = Date.now();
  const { lots } = inventoryStores(SCHEMA);
  const { rows } = await pool.query(`SELECT EXISTS (SELECT 1 FROM ${SCHEMA}.lots) AS seeded`);
  if (rows[0].seeded) return 'inventory already has lots; nothing seeded';
  const { products } = data;
  const rng = data.random(7_2026);
  const now = new Date();
  const day = (n: number) => shopDay(new Date(now.getTime() + n * 86_400_000));
  const lotRows: {
    id: string;
    sku: string;
    location: string;
    qty: number;
    expires_on: string | null;
    received_at: string;
  }[] = [];
  products.forEach((p, pi) => {
    DEV_LOCATIONS.forEach((loc, li) => {
      const pieces = 12 + Math.floor(rng() * 180);
      const qty = p.sold_by === 'weight' ? pieces * 250 : pieces; // grams for weighted items
      const received = (ago: number) => new Date(now.getTime() - ago * 86_400_000).toISOString();
      if (p.is_perishable) {
        const shelf = Math.max(2, p.shelf_life_days ?? 7);
        // Every fifth perishable SKU has an older lot close to expiry at this location.
        if ((pi + li) % 5 === 0)
          lotRows.push({
            id: `${p.sku}-${loc.id}-a`,
            sku: p.sku,
            location: loc.id,
            qty: Math.max(1, Math.floor(qty / 3)),
            expires_on: day(1 + Math.floor(rng() * 3)),
            received_at: received(shelf - 1),
          });
        lotRows.push({
          id: `${p.sku}-${loc.id}-b`,
          sku: p.sku,
          location: loc.id,
          qty,
          expires_on: day(shelf),
          received_at: received(0),
        });
      } else
        lotRows.push({
          id: `${p.sku}-${loc.id}-b`,
          sku: p.sku,
          location: loc.id,
          qty,
          expires_on: p.shelf_life_days ? day(p.shelf_life_days) : null,
          received_at: received(3),
        });
    });
  });
  const loaded = await withTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('inventory.seed'))`);
    const again = await tx.query(`SELECT 1 FROM ${SCHEMA}.lots LIMIT 1`);
    if (again.rowCount) return false;
    await lots.upsertLocations(tx, DEV_LOCATIONS);
    for (let i = 0; i < products.length; i += BATCH)
      await lots.upsertSkus(
        tx,
        products.slice(i, i + BATCH).map((p) => ({
          sku: p.sku,
          sold_by: p.sold_by,
          is_perishable: p.is_perishable,
          status: p.status,
          version: 1,
        })),
      );
    for (let i = 0; i < lotRows.length; i += BATCH) {
      const slice = lotRows.slice(i, i + BATCH);
      const cols = [
        slice.map((l) => l.id),
        slice.map((l) => l.sku),
        slice.map((l) => l.location),
        slice.map((l) => l.qty),
        slice.map((l) => l.expires_on),
        slice.map((l) => l.received_at),
      ];
      await tx.query(
        `INSERT INTO ${SCHEMA}.lots (id, sku, location, received_qty, on_hand, expires_on, received_at)
         SELECT id, sku, location, qty, qty, expires_on, received_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::date[], $6::timestamptz[])
           AS l(id, sku, location, qty, expires_on, received_at)`,
        cols,
      );
      await tx.query(
        `INSERT INTO ${SCHEMA}.movements (at, lot_id, sku, location, on_hand_delta, held_delta, reason, actor)
         SELECT received_at, id, sku, location, qty, 0, 'receive', 'dev-seed'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::date[], $6::timestamptz[])
           AS l(id, sku, location, qty, expires_on, received_at)`,
        cols,
      );
    }
    return true;
  });
  if (!loaded) return 'inventory already has lots; nothing seeded';
  await pool.query(`VACUUM ANALYZE ${SCHEMA}.lots, ${SCHEMA}.skus, ${SCHEMA}.movements`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `${DEV_LOCATIONS.length} locations, ${products.length} SKUs, ${lotRows.length} lots in ${seconds} s`;
}
