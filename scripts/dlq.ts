/**
 * Dead letters. Of the local event router: `make dlq` lists them; `make dlq-replay` puts them
 * back in the delivery queue (all, or `IDS=1,2`); reads DATABASE_URL, or the embedded dev database.
 * On Knative (the dead-letter KafkaSink's topic): `kafka-list` and `kafka-replay all|P:O,…`,
 * reading KAFKA_BROKERS and DLQ_TOPIC and posting to K_SINK (the Broker, bound by a SinkBinding)
 * with the OIDC token Knative mounts for the SinkBinding (K_SINK_TOKEN_FILE, default /oidc/token)
 * when the file exists.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createPool } from '../functions/shared/db';
import * as kafkaLetters from '../functions/shared/eventing/dead-letters';
import { listDeadLetters, replayDeadLetters } from '../functions/shared/eventing/delivery-queue';
import { createKafka } from '../functions/shared/eventing/kafka-client';

async function kafkaCommand(command: string, arg: string, env = process.env): Promise<void> {
  const brokers = env.KAFKA_BROKERS?.split(',').filter(Boolean);
  if (!brokers?.length) throw new Error('Set KAFKA_BROKERS');
  const kafka = createKafka(brokers, 'tuoi-dlq');
  const topic = env.DLQ_TOPIC ?? 'tuoi.dead-letters';
  if (command === 'kafka-list') {
    const letters = await kafkaLetters.listDeadLetters(kafka, topic);
    if (letters.length === 0) console.log(`no dead letters in ${topic}`);
    for (const l of letters)
      console.log(
        `${l.partition}:${l.offset}  ${l.replayed ? 'replayed' : 'pending '}  ${l.event.type}  id=${l.event.id}  ` +
          `to=${l.destination ?? '?'}  status=${l.status ?? '?'}  ${l.answer ?? ''}`.trim(),
      );
    return;
  }
  const sink = env.K_SINK;
  if (!sink) throw new Error('Set K_SINK to where events are replayed (the Broker; a SinkBinding sets it)');
  const selection = arg === 'all' || arg === '' ? 'all' : arg.split(',').map((s) => s.trim());
  if (selection !== 'all' && selection.some((s) => !/^\d+:\d+$/.test(s)))
    throw new Error(`select dead letters as all or partition:offset pairs, got "${arg}"`);
  const tokenFile = env.K_SINK_TOKEN_FILE ?? '/oidc/token';
  const credentials = async () =>
    existsSync(tokenFile) ? (await readFile(tokenFile, 'utf8')).trim() || undefined : undefined;
  const result = await kafkaLetters.replayDeadLetters(
    kafka,
    topic,
    sink,
    selection,
    kafkaLetters.REPLAY_GROUP,
    credentials,
  );
  console.log(`replayed ${result.replayed} dead letter(s) to ${sink}`);
  if (result.failed) throw new Error(`replay refused: ${result.failed}`);
}

async function main(): Promise<void> {
  const [command = 'list', idList = ''] = process.argv.slice(2);
  if (command.startsWith('kafka-')) return kafkaCommand(command, idList);
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
    } else throw new Error(`unknown command ${command}; use list, replay, kafka-list or kafka-replay`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
