/**
 * The local event router (dev and tests): plays the part of KafkaSource/Broker+Trigger. It takes
 * events from the outboxes directly (embedded mode) or from Kafka (when KAFKA_BROKERS is set),
 * fans them out to the triggers of the registry into a durable queue, and dispatches them over
 * HTTP with Knative's retry, backoff and dead-letter rules.
 */
import type { Kafka, Consumer } from 'kafkajs';
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { envelopeIssues } from '../../../events/check';
import type { TriggerSpec } from '../../registry';
import { createLogger } from '../log';
import { enqueue } from './delivery-queue';
import { Dispatcher } from './dispatcher';
import { fromKafkaRecord } from './kafka-binding';
import { OutboxRelay } from './relay';

/** Router settings. */
export interface RouterOptions {
  pool: Pool;
  /** Schema of the router's own queue. */
  schema: string;
  triggers: TriggerSpec[];
  resolve(subscriber: string): string | undefined;
  /** `outbox`: read these function schemas' outboxes. `kafka`: consume these topics. */
  source:
    | { kind: 'outbox'; schemas: string[] }
    | { kind: 'kafka'; kafka: Kafka; topics: string[]; groupId?: string; fromBeginning?: boolean };
  concurrency?: number;
}

/** A running router. */
export interface RunningRouter {
  stop(): Promise<void>;
}

const log = createLogger('router');

/** Starts the router; resolves when it is consuming. */
export async function startRouter(opts: RouterOptions): Promise<RunningRouter> {
  const dispatcher = new Dispatcher({
    pool: opts.pool,
    schema: opts.schema,
    triggers: opts.triggers,
    resolve: opts.resolve,
    concurrency: opts.concurrency,
  });
  dispatcher.start();
  if (opts.source.kind === 'outbox') {
    const relay = new OutboxRelay({
      pool: opts.pool,
      schemas: opts.source.schemas,
      sink: { publish: async (events, tx) => void (await enqueue(tx, opts.schema, opts.triggers, events)) },
      onPublished: () => dispatcher.nudge(),
      pollMs: 200,
    });
    await relay.start();
    return {
      stop: async () => {
        await relay.stop();
        await dispatcher.stop();
      },
    };
  }
  const consumer = await consumeKafka(opts, opts.source, () => dispatcher.nudge());
  return {
    stop: async () => {
      await consumer.disconnect();
      await dispatcher.stop();
    },
  };
}

async function consumeKafka(
  opts: RouterOptions,
  source: { kafka: Kafka; topics: string[]; groupId?: string; fromBeginning?: boolean },
  nudge: () => void,
): Promise<Consumer> {
  const consumer = source.kafka.consumer({
    groupId: source.groupId ?? 'tuoi-local-router',
    maxWaitTimeInMs: 20,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  await consumer.connect();
  // A new consumer group starts at the beginning by default, like a KafkaSource with initialOffset earliest.
  await consumer.subscribe({ topics: source.topics, fromBeginning: source.fromBeginning ?? true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const events: TuoiCloudEvent[] = [];
      for (const message of batch.messages) {
        try {
          // Route on the envelope only: a payload that breaks its contract is delivered anyway and
          // rejected by the consumer with 400, so it lands in the dead letters as on Knative.
          const event = fromKafkaRecord(message as Parameters<typeof fromKafkaRecord>[0]);
          const issues = envelopeIssues(event);
          if (issues.length === 0) events.push(event as TuoiCloudEvent);
          else
            log.warn('skipping a record that is not a CloudEvent', {
              topic: batch.topic,
              offset: message.offset,
              issues,
            });
        } catch (err) {
          log.warn('skipping an undecodable record', { topic: batch.topic, offset: message.offset, err });
        }
      }
      await enqueue(opts.pool, opts.schema, opts.triggers, events);
      const last = batch.messages.at(-1);
      if (last) resolveOffset(last.offset);
      await heartbeat();
      nudge();
    },
  });
  await joined;
  return consumer;
}
