/**
 * Event path benchmark on real Kafka: a generator commits pulses (state change + outbox event,
 * one transaction each) at a fixed rate; the relay publishes them to Kafka; the router consumes
 * Kafka and delivers over HTTP to the pulse function, which records the arrival. Reports
 * sustained events/s and end-to-end latency (commit → consumer's effect) percentiles.
 * Needs DATABASE_URL and KAFKA_BROKERS (make services-up). Loopback only; stops by itself.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pulseEmitted } from '../../events';
import { withTransaction } from '../../functions/shared/db';
import { devEventIssuer, senderEnv } from '../../functions/shared/eventing/local-issuer';
import { buildEvent, emit } from '../../functions/shared/eventing/outbox';
import { freshDatabase } from '../../functions/shared/testing/pg';
import { pulseStore } from '../../functions/pulse/store';
import { built, freePort, startNode } from '../testing/processes';
import { join } from 'node:path';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const HOST = process.env.BENCH_HOST ?? 'lean';
/** Events committed per producer transaction (1 = one business transaction per event). */
const BATCH = Number(process.env.BENCH_BATCH ?? 1);
/** Connections of the generator and of the consumer function: on 2 cores more only adds switching. */
const GEN_CONNECTIONS = Number(process.env.BENCH_GEN_CONNECTIONS ?? 8);
const CONSUMER_POOL = process.env.BENCH_CONSUMER_POOL ?? '4';
/** Set BENCH_PROFILE_DIR to write V8 CPU profiles of the function and backbone processes there. */
const PROFILE = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is required (make services-up)');
  const db = await freshDatabase({ poolSize: GEN_CONNECTIONS });
  const port = await freePort();
  const entry =
    HOST === 'ff'
      ? [built('functions/shared/framework-host.js'), '--target=pulse']
      : [built('functions/shared/host.js'), '--target=pulse'];
  // The backbone signs deliveries with a key in this directory; pulse trusts its JWKS.
  const issuerDir = mkdtempSync(join(tmpdir(), 'tuoi-bench-issuer-'));
  const pulse = startNode([...PROFILE, ...entry, `--source=${built('functions/pulse/index.js')}`], {
    ...senderEnv(devEventIssuer(issuerDir), 'pulse'),
    PORT: String(port),
    DATABASE_URL: db.url,
    DB_POOL_SIZE: CONSUMER_POOL,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  });
  const backbone = startNode([...PROFILE, built('scripts/backbone.js')], {
    DATABASE_URL: db.url,
    // BENCH_KAFKA=off measures the embedded path (router reading the outbox) for comparison.
    KAFKA_BROKERS: process.env.BENCH_KAFKA === 'off' ? '' : brokers,
    SUBSCRIBERS: `pulse=http://127.0.0.1:${port}`,
    EVENTS_ISSUER_DIR: issuerDir,
    ROUTER_GROUP_ID: `bench-${randomUUID()}`,
    ROUTER_START_AT_LATEST: 'true',
    LOG_LEVEL: 'warn',
  });
  try {
    await pulse.waitForHttp(`http://127.0.0.1:${port}/healthz`);
    await backbone.waitFor('backbone ready', 60_000);
    const store = pulseStore('pulse');
    const emitBatch = () =>
      withTransaction(db.pool, async (tx) => {
        const emittedAt = new Date();
        const ids = Array.from({ length: BATCH }, () => randomUUID());
        for (const id of ids) await store.insert(tx, { id, emittedAt });
        const events = ids.map((id) =>
          buildEvent(pulseEmitted, { pulse_id: id, emitted_at: emittedAt.toISOString() }),
        );
        await emit(tx, 'pulse', events);
      });

    const total = RATE * DURATION_S;
    const started = Date.now();
    let sent = 0;
    const inflight = new Set<Promise<void>>();
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
      // Each batch holds BATCH events: start one whenever a whole batch is due.
      while (sent + BATCH <= due) {
        if (inflight.size >= GEN_CONNECTIONS * 2) await Promise.race(inflight);
        const p = emitBatch().finally(() => inflight.delete(p));
        inflight.add(p);
        sent += BATCH;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
    const generated = (Date.now() - started) / 1000;

    const deadline = Date.now() + 60_000;
    let received = 0;
    while (Date.now() < deadline) {
      const { rows } = await db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM pulse.pulses WHERE received_at IS NOT NULL`,
      );
      received = Number(rows[0]?.n);
      if (received >= total) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { rows } = await db.pool.query<{ ms: number; first: Date; last: Date; dup: string }>(
      `SELECT extract(epoch FROM received_at - emitted_at) * 1000 AS ms,
              min(emitted_at) OVER () AS first, max(received_at) OVER () AS last,
              (SELECT count(*) FROM pulse.pulses WHERE deliveries > 1) AS dup
       FROM pulse.pulses WHERE received_at IS NOT NULL`,
    );
    const lat = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const span = (rows[0]!.last.getTime() - rows[0]!.first.getTime()) / 1000;
    console.log(
      `\nEvent path: outbox → relay → ${process.env.BENCH_KAFKA === 'off' ? 'router queue (embedded mode, no Kafka)' : 'Kafka → router'} → ` +
        `consumer on the ${HOST} host; ${BATCH} event(s) per producer transaction; ${RATE}/s offered for ${DURATION_S} s\n`,
    );
    console.log(
      '| offered events/s | generated in s | received | sustained events/s | p50 ms | p95 ms | p99 ms | max ms | duplicates applied |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${RATE} | ${generated.toFixed(1)} | ${received}/${total} | ${Math.round(received / span)} | ${percentile(lat, 50).toFixed(0)} | ` +
        `${percentile(lat, 95).toFixed(0)} | ${percentile(lat, 99).toFixed(0)} | ${lat.at(-1)?.toFixed(0)} | ${rows[0]!.dup} |`,
    );
    const stages = await db.pool.query<{
      relay_p50: number;
      relay_p95: number;
      rest_p50: number;
      rest_p95: number;
    }>(
      `WITH s AS (
         SELECT extract(epoch FROM o.published_at - o.created_at) * 1000 AS relay,
                extract(epoch FROM p.received_at - o.published_at) * 1000 AS rest
         FROM pulse.pulses p JOIN pulse.outbox o ON o.partition_key = p.id::text)
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY relay) AS relay_p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY relay) AS relay_p95,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY rest) AS rest_p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY rest) AS rest_p95
       FROM s`,
    );
    const st = stages.rows[0]!;
    const dead = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM router.deliveries WHERE status = 'dead'`,
    );
    console.log(`\n| stage | p50 ms | p95 ms |\n|---|---|---|`);
    console.log(
      `| commit → relayed (relay) | ${Number(st.relay_p50).toFixed(0)} | ${Number(st.relay_p95).toFixed(0)} |`,
    );
    console.log(
      `| relayed → effect committed (router, HTTP, consumer) | ${Number(st.rest_p50).toFixed(0)} | ${Number(st.rest_p95).toFixed(0)} |`,
    );
    console.log(`\ndead letters: ${dead.rows[0]!.n}`);
  } finally {
    pulse.proc.kill('SIGTERM');
    backbone.proc.kill('SIGTERM');
    await Promise.all([pulse.exited(), backbone.exited()]);
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
