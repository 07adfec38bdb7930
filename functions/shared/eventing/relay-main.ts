/**
 * The outbox relay as a process (the `outbox-relay` Deployment): every function's outbox →
 * its Kafka topic. Replicas share the work by shard under advisory locks. `/healthz` answers 200
 * while a pass over all outboxes succeeded within the last 30 s, so a relay that lost its
 * database or Kafka is restarted. Reads DATABASE_URL, KAFKA_BROKERS, PORT and METRICS_PORT (GET
 * /metrics: backlog, relay delay, pool; 9464 by default, `off` disables it).
 */
import { createServer } from 'node:http';
import { baseConfigSpec, hostList, int, parseConfig } from '../config';
import { createPool } from '../db';
import { createLogger } from '../log';
import { initMetrics, startMetricsServer } from '../metrics';
import { initTracing } from '../tracing';
import { outboxSchemas } from '../migrate';
import { exitOnConfigError } from '../register';
import { createKafka } from './kafka-client';
import { kafkaSink } from './kafka-sink';
import { OutboxRelay } from './relay';

const log = createLogger('relay');

/** Configuration of the relay process. */
export const relayConfigSpec = {
  DATABASE_URL: baseConfigSpec.DATABASE_URL,
  KAFKA_BROKERS: hostList(),
  PORT: int({ fallback: 8080, min: 0, max: 65535 }),
};

/** A running relay process: its health port and how to stop it. */
export interface RelayProcess {
  port: number;
  /** Where GET /metrics answers (undefined with METRICS_PORT=off). */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** Starts relay and health endpoint (PORT 0 = any free port). */
export async function startRelayProcess(env: NodeJS.ProcessEnv = process.env): Promise<RelayProcess> {
  const config = parseConfig(relayConfigSpec, env);
  const pool = createPool(config.DATABASE_URL, { max: 4 });
  const producer = createKafka(config.KAFKA_BROKERS, 'tuoi-outbox-relay').producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const relay = new OutboxRelay({ pool, schemas: outboxSchemas(), sink: kafkaSink(producer) });
  await relay.start();
  const health = createServer((req, res) => {
    const age = Date.now() - relay.lastSuccessAt;
    const ok = req.url === '/healthz' && age < 30_000;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'stale', last_pass_ms_ago: age }));
  });
  await new Promise<void>((resolve) => health.listen(config.PORT, '0.0.0.0', resolve));
  const address = health.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  initMetrics('outbox-relay');
  const metrics = await startMetricsServer(env);
  const tracing = initTracing('outbox-relay', env);
  log.info('relaying', {
    schemas: outboxSchemas(),
    brokers: config.KAFKA_BROKERS,
    port,
    metricsPort: metrics?.port,
  });
  return {
    port,
    metricsPort: metrics?.port,
    stop: async () => {
      health.close();
      await metrics?.close();
      await relay.stop();
      await producer.disconnect();
      await pool.end();
      await tracing?.shutdown();
    },
  };
}

if (require.main === module)
  startRelayProcess().then(
    (relay) => process.once('SIGTERM', () => void relay.stop().then(() => process.exit(0))),
    (err) => exitOnConfigError(err),
  );
