/**
 * Runs the local event backbone on its own: the outbox relay and the router, against
 * DATABASE_URL and (when set) KAFKA_BROKERS, delivering to SUBSCRIBERS
 * (`name=http://host:port,…`). `make dev` runs the same code in-process.
 */
import { createPool } from '../functions/shared/db';
import { outboxSchemas } from '../functions/shared/migrate';
import { startBackbone } from './lib/backbone';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const subscribers = new Map(
    (process.env.SUBSCRIBERS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  if (!url || subscribers.size === 0) {
    console.error('Set DATABASE_URL and SUBSCRIBERS=name=http://host:port[,…]');
    process.exit(78);
  }
  const pool = createPool(url, { max: Number(process.env.DB_POOL_SIZE ?? 12) });
  const brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  const backbone = await startBackbone({
    pool,
    schemas: outboxSchemas(),
    resolve: (name) => subscribers.get(name),
    kafkaBrokers: brokers?.length ? brokers : undefined,
    groupId: process.env.ROUTER_GROUP_ID,
    startAtLatest: process.env.ROUTER_START_AT_LATEST === 'true',
  });
  console.log(`backbone ready (${backbone.mode})`);
  const stop = () =>
    void backbone
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
