/**
 * Starts the event backbone for dev and tests: either the router reading outboxes directly
 * (embedded default), or, with Kafka brokers, the outbox relay publishing to Kafka plus the
 * router consuming Kafka (the part KafkaSource/Broker/Trigger play on Knative).
 */
import type { Pool } from 'pg';
import { producers } from '../../events';
import { triggers } from '../../functions/registry';
import { createKafka } from '../../functions/shared/eventing/kafka-client';
import { kafkaSink } from '../../functions/shared/eventing/kafka-sink';
import { topicFor } from '../../functions/shared/eventing/kafka-binding';
import { OutboxRelay } from '../../functions/shared/eventing/relay';
import { deliveryToken, type EventIssuer } from '../../functions/shared/eventing/local-issuer';
import { startRouter } from '../../functions/shared/eventing/router';

/** A running backbone. */
export interface Backbone {
  mode: 'outbox' | 'kafka';
  stop(): Promise<void>;
}

/** Topics of every producing function, created up front so consumers can subscribe at once. */
export function eventTopics(): string[] {
  return producers().map(topicFor);
}

/** Starts relay and router against `pool`; subscribers are reached at `resolve(name)`. */
export async function startBackbone(opts: {
  pool: Pool;
  schemas: string[];
  resolve(name: string): string | undefined;
  /** Signs each Trigger's deliveries (the functions trust its JWKS). */
  issuer: EventIssuer;
  kafkaBrokers?: string[];
  routerSchema?: string;
  groupId?: string;
  /** Start a new consumer group at the end of the topics (tests), instead of the beginning. */
  startAtLatest?: boolean;
}): Promise<Backbone> {
  const base = {
    pool: opts.pool,
    schema: opts.routerSchema ?? 'router',
    triggers: triggers(),
    resolve: opts.resolve,
    credentials: (trigger: Parameters<typeof deliveryToken>[1]) => deliveryToken(opts.issuer, trigger),
  };
  if (!opts.kafkaBrokers) {
    const router = await startRouter({ ...base, source: { kind: 'outbox', schemas: opts.schemas } });
    return { mode: 'outbox', stop: () => router.stop() };
  }
  const kafka = createKafka(opts.kafkaBrokers, 'tuoi-router');
  const admin = kafka.admin();
  await admin.connect();
  const topics = eventTopics();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: 8 })),
    waitForLeaders: true,
  });
  const groupId = opts.groupId ?? 'tuoi-local-router';
  if (opts.startAtLatest)
    for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: false });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const relay = new OutboxRelay({ pool: opts.pool, schemas: opts.schemas, sink: kafkaSink(producer) });
  await relay.start();
  const router = await startRouter({
    ...base,
    source: { kind: 'kafka', kafka, topics, groupId, fromBeginning: !opts.startAtLatest },
  });
  return {
    mode: 'kafka',
    stop: async () => {
      await relay.stop();
      await producer.disconnect();
      await router.stop();
    },
  };
}
