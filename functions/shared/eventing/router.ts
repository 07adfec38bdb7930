/**
 * The local event router (dev and tests): plays the part of KafkaSource/Broker+Trigger, with
 * Knative's retry, backoff and dead-letter rules.
 * - Embedded mode: reads the outboxes directly and fans events out into a durable queue in
 *   PostgreSQL (`router.deliveries`), which the Dispatcher works off.
 * - Kafka mode: consumes the event topics and delivers each record straight to its subscribers,
 *   retrying in memory and committing a partition's offset only behind records whose deliveries
 *   have all settled (delivered or dead-lettered), as Knative's Kafka dispatcher does; only dead
 *   letters are written. A record whose dead letter cannot be written never settles, so it is
 *   delivered again after a restart or rebalance.
 * In both modes dead letters live in `router.deliveries` and are replayed by the Dispatcher.
 */
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { TuoiCloudEvent } from '../../../events';
import { envelopeIssues } from '../../../events/check';
import type { TriggerSpec } from '../../registry';
import { createLogger } from '../log';
import { observeDelivery, setKafkaLag } from '../metrics';
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
  /** The bearer token a Trigger's deliveries carry: the local issuer's, as Knative's on a cluster. */
  credentials(trigger: TriggerSpec): string;
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
    credentials: opts.credentials,
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
      await consumer.stop();
      await dispatcher.stop();
    },
  };
}

/** Delivers one event to one trigger with retries; dead-letters it when that fails. */
async function deliverWithRetry(
  opts: RouterOptions,
  trigger: TriggerSpec,
  event: TuoiCloudEvent,
): Promise<void> {
  const base = opts.resolve(trigger.subscriber);
  for (let attempts = 1; ; attempts++) {
    const result = base
      ? await attempt(base, event, trigger.delivery.timeoutMs, opts.credentials(trigger))
      : {
          ok: false as const,
          status: null,
          error: `no subscriber for trigger ${trigger.name}`,
          retryable: false,
        };
    if (result.ok) return observeDelivery(event.type, trigger.name, 'delivered');
    const delay = result.retryable ? nextDelayMs(trigger.delivery, attempts) : undefined;
    observeDelivery(event.type, trigger.name, delay === undefined ? 'dead_letter' : 'retry');
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
  }
}

/** Bounds records in flight: `enter` waits while `max` are in flight, calling `whileWaiting` each second. */
function gate(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async enter(whileWaiting: () => Promise<void>): Promise<void> {
      while (active >= max) {
        const timer = setInterval(() => void whileWaiting(), 1000);
        await new Promise<void>((resolve) => waiting.push(resolve)).finally(() => clearInterval(timer));
      }
      active++;
    },
    leave(): void {
      active--;
      waiting.shift()?.();
    },
  };
}

/**
 * One partition's records in flight, in offset order. A record is committable once it and every
 * record before it have settled; offsets are committed up to there, so a crash or rebalance
 * redelivers only unsettled records (at-least-once), never skips one.
 */
class PartitionProgress {
  private readonly records: { offset: bigint; done: boolean }[] = [];
  /** The next offset to commit (one past the last settled prefix), if it moved. */
  committable: bigint | undefined;

  track(offset: string): () => void {
    const record = { offset: BigInt(offset), done: false };
    this.records.push(record);
    return () => {
      record.done = true;
      while (this.records[0]?.done)
        this.committable = (this.records.shift() as { offset: bigint }).offset + 1n;
    };
  }
}

/**
 * Kafka-mode delivery, as Knative's dispatcher does it: records are handed to delivery as they
 * are fetched (bounded by `concurrency` records in flight, so a slow subscriber applies back-
 * pressure), unordered triggers deliver concurrently, ordered ones one event at a time per
 * partition key, and offsets are committed behind the settled prefix of each partition.
 */
async function consumeKafka(
  opts: RouterOptions,
  source: { kafka: Kafka; topics: string[]; groupId?: string; fromBeginning?: boolean },
): Promise<{ stop(): Promise<void> }> {
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
  const inflight = gate(opts.concurrency ?? 64);
  const running = new Set<Promise<void>>();
  const progress = new Map<string, PartitionProgress>();
  const orderTails = new Map<string, Promise<void>>();

  const commit = async () => {
    const offsets = [];
    for (const [tp, p] of progress) {
      if (p.committable === undefined) continue;
      const [topic, partition] = tp.split('\u0000') as [string, string];
      offsets.push({ topic, partition: Number(partition), offset: String(p.committable) });
      p.committable = undefined;
    }
    // A commit for a partition this member lost in a rebalance fails: the new owner redelivers.
    if (offsets.length > 0)
      await consumer.commitOffsets(offsets).catch((err) => log.warn('offset commit failed', { err }));
  };
  const committer = setInterval(() => void commit(), 100);

  /** Delivers one event to every trigger of its type; resolves when all have settled. */
  const deliver = (event: TuoiCloudEvent): Promise<void> =>
    Promise.all(
      opts.triggers
        .filter((t) => t.type === event.type)
        .map((trigger) => {
          if (!trigger.ordered) return deliverWithRetry(opts, trigger, event);
          const key = `${trigger.name}\u0000${event.partitionkey ?? event.subject ?? event.id}`;
          const tail = (orderTails.get(key) ?? Promise.resolve()).then(() =>
            deliverWithRetry(opts, trigger, event),
          );
          orderTails.set(key, tail);
          void tail.finally(() => orderTails.get(key) === tail && orderTails.delete(key));
          return tail;
        }),
    ).then(() => undefined);

  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 8,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat: beat }) => {
      // Lag: records between this fetch and the partition's end, before and after handing them on.
      if (!batch.isEmpty())
        setKafkaLag(batch.topic, batch.partition, Number(batch.highWatermark) - Number(batch.firstOffset()));
      const tp = `${batch.topic}\u0000${batch.partition}`;
      const partition = progress.get(tp) ?? new PartitionProgress();
      progress.set(tp, partition);
      for (const message of batch.messages) {
        await inflight.enter(beat); // keeps the group session alive while subscribers catch up
        const settle = partition.track(message.offset);
        let job: Promise<void> = Promise.resolve();
        try {
          // Route on the envelope only: a payload that breaks its contract is delivered anyway and
          // rejected by the consumer with 400, so it lands in the dead letters as on Knative.
          const event = fromKafkaRecord(message as Parameters<typeof fromKafkaRecord>[0]);
          const issues = envelopeIssues(event);
          if (issues.length === 0) job = deliver(event as TuoiCloudEvent);
          else
            log.warn('skipping a record that is not a CloudEvent', {
              topic: batch.topic,
              offset: message.offset,
              issues,
            });
        } catch (err) {
          log.warn('skipping an undecodable record', { topic: batch.topic, offset: message.offset, err });
        }
        // A job that rejects (e.g. its dead letter could not be written) never settles: its offset
        // and every later one of the partition stay uncommitted, so a restart or rebalance delivers
        // the record again (at-least-once; subscribers dedupe by their inbox).
        const done: Promise<void> = job
          .then(settle, (err) =>
            log.error('delivery failed unexpectedly; offset left uncommitted, redelivered after a restart', {
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              err,
            }),
          )
          .finally(() => {
            running.delete(done);
            inflight.leave();
          });
        running.add(done);
        resolveOffset(message.offset); // fetch on; committing waits for `settle`
      }
      setKafkaLag(batch.topic, batch.partition, Number(batch.offsetLag()));
      await beat();
    },
  });
  await joined;
  return {
    async stop() {
      await consumer.stop();
      await Promise.all(running);
      clearInterval(committer);
      await commit();
      await consumer.disconnect();
    },
  };
}
