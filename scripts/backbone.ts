/**
 * Runs the local event backbone on its own: the outbox relay and the router, against
 * DATABASE_URL and (when set) KAFKA_BROKERS, delivering to SUBSCRIBERS
 * (`name=http://host:port,…`). `make dev` runs the same code in-process. Deliveries are signed
 * with the issuer key kept in EVENTS_ISSUER_DIR (default DEV_DATA_DIR, else .dev): the subscribers
 * must be given its JWKS (senderEnv), as `make dev` does.
 */
import { join } from 'node:path';
import { createPool } from '../functions/shared/db';
import { devEventIssuer } from '../functions/shared/eventing/local-issuer';
import { repoRoot } from '../functions/shared/paths';
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
    issuer: devEventIssuer(
      process.env.EVENTS_ISSUER_DIR ?? process.env.DEV_DATA_DIR ?? join(repoRoot(), '.dev'),
    ),
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
