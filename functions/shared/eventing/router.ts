/**
 * The local event router (dev and tests): plays the part of KafkaSource/Broker+Trigger, with
 * Knative's retry, backoff and dead-letter rules.
 * - Embedded mode: reads the outboxes directly and fans events out into a durable queue in
 *   PostgreSQL (`router.deliveries`), which the Dispatcher works off.
 * - Kafka mode: consumes the event topics and delivers each record straight to its subscribers,
 *   retrying in memory and committing the offset only when every delivery of the batch is settled
 *   (delivered or dead-lettered), as Knative's Kafka dispatcher does; only dead letters are written.
 * In both modes dead letters live in `router.deliveries` and are replayed by the Dispatcher.
 */
import type { Kafka, Consumer } from 'kafkajs';
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { envelopeIssues } from '../../../events/check';
import type { TriggerSpec } from '../../registry';
import { createLogger } from '../log';
import { enqueue, recordDeadLetter } from './delivery-queue';
import { Dispatcher, attempt, nextDelayMs } from './dispatcher';
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
    });
    await relay.start();
    return {
      stop: async () => {
        await relay.stop();
        await dispatcher.stop();
      },
    };
  }
  const consumer = await consumeKafka(opts, opts.source);
  return {
    stop: async () => {
      await consumer.disconnect();
      await dispatcher.stop();
    },
  };
}

/** Delivers one event to one trigger with retries; dead-letters it when that fails. */
async function deliverWithRetry(
  opts: RouterOptions,
  trigger: TriggerSpec,
  event: TuoiCloudEvent,
  heartbeat: () => Promise<void>,
) {
  const base = opts.resolve(trigger.subscriber);
  for (let attempts = 1; ; attempts++) {
    const result = base
      ? await attempt(base, event, trigger.delivery.timeoutMs)
      : {
          ok: false as const,
          status: null,
          error: `no subscriber for trigger ${trigger.name}`,
          retryable: false,
        };
    if (result.ok) return;
    const delay = result.retryable ? nextDelayMs(trigger.delivery, attempts) : undefined;
    if (delay === undefined) {
      log.warn('dead-lettered', { trigger: trigger.name, ceId: event.id, status: result.status, attempts });
      await recordDeadLetter(opts.pool, opts.schema, trigger, event, {
        attempts,
        status: result.status,
        error: result.error,
      });
      return;
    }
    await new Promise((r) => setTimeout(r, delay));
    await heartbeat();
  }
}

/** A counting semaphore: bounds deliveries in flight so a burst does not swamp subscribers. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Delivers a batch: unordered triggers concurrently, ordered ones one event at a time per partition key. */
async function deliverBatch(
  opts: RouterOptions,
  events: TuoiCloudEvent[],
  heartbeat: () => Promise<void>,
  limit: ReturnType<typeof limiter>,
): Promise<void> {
  const chains = new Map<string, TuoiCloudEvent[]>();
  const jobs: Promise<void>[] = [];
  for (const trigger of opts.triggers) {
    for (const event of events) {
      if (event.type !== trigger.type) continue;
      if (!trigger.ordered) {
        jobs.push(limit(() => deliverWithRetry(opts, trigger, event, heartbeat)));
        continue;
      }
      const key = `${trigger.name}\u0000${event.partitionkey ?? event.subject ?? event.id}`;
      chains.set(key, [...(chains.get(key) ?? []), event]);
    }
  }
  for (const [key, chain] of chains) {
    const trigger = opts.triggers.find((t) => key.startsWith(t.name + '\u0000')) as TriggerSpec;
    jobs.push(
      (async () => {
        for (const event of chain) await limit(() => deliverWithRetry(opts, trigger, event, heartbeat));
      })(),
    );
  }
  await Promise.all(jobs);
}

async function consumeKafka(
  opts: RouterOptions,
  source: { kafka: Kafka; topics: string[]; groupId?: string; fromBeginning?: boolean },
): Promise<Consumer> {
  const consumer = source.kafka.consumer({
    groupId: source.groupId ?? 'tuoi-local-router',
    // A fetch returns as soon as records arrive; this only bounds how long an empty fetch waits,
    // so a long wait costs no latency and saves the broker and us from spinning.
    maxWaitTimeInMs: 500,
    sessionTimeout: 30_000,
    heartbeatInterval: 1_000,
  });
  await consumer.connect();
  // A new consumer group starts at the beginning by default, like a KafkaSource with initialOffset earliest.
  await consumer.subscribe({ topics: source.topics, fromBeginning: source.fromBeginning ?? true });
  const limit = limiter(opts.concurrency ?? 32);
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    partitionsConsumedConcurrently: 8,
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
      await deliverBatch(opts, events, heartbeat, limit);
      const last = batch.messages.at(-1);
      if (last) resolveOffset(last.offset);
      await heartbeat();
    },
  });
  await joined;
  return consumer;
}
