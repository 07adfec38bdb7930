/**
 * Dead letters of the local event router. `make dlq` lists them; `make dlq-replay` puts them
 * back in the delivery queue (all, or `IDS=1,2`). Reads DATABASE_URL, or the embedded dev database.
 */
import { createPool } from '../functions/shared/db';
import { listDeadLetters, replayDeadLetters } from '../functions/shared/eventing/delivery-queue';

async function main(): Promise<void> {
  const [command = 'list', idList = ''] = process.argv.slice(2);
  const url =
    process.env.DATABASE_URL ??
    `postgres://tuoi:tuoi@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/tuoi`;
  const pool = createPool(url, { max: 1 });
  try {
    if (command === 'list') {
      const rows = await listDeadLetters(pool, 'router', 500);
      if (rows.length === 0) console.log('no dead letters');
      for (const r of rows)
        console.log(
          `#${r.id}  ${r.updated_at.toISOString()}  ${r.trigger}  ${r.event_type}  id=${r.event.id}  attempts=${r.attempts}  ` +
            `last=${r.last_status ?? 'network'}  ${r.last_error ?? ''}`.trim(),
        );
    } else if (command === 'replay') {
      const ids = idList
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.some((id) => !/^\d+$/.test(id)))
        throw new Error(`IDS must be comma-separated numbers, got "${idList}"`);
      console.log(`replaying ${await replayDeadLetters(pool, 'router', ids)} dead letter(s)`);
    } else throw new Error(`unknown command ${command}; use list or replay`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
