/**
 * Knative Eventing on Kafka. The outbox relay writes each producer's events to its own topic
 * (`tuoi.events.<producer>`, key = partitionkey); one KafkaSource per topic feeds them, in
 * partition order, into the Kafka-class Broker; one Trigger per (function, subscribed type)
 * delivers them with the registry's retry, backoff and ordering. Every exhausted event goes to
 * the dead-letter KafkaSink, where `dlq` reads and replays it.
 */
import { contracts, producers } from '../../events';
import { triggers, type FunctionSpec, type TriggerSpec } from '../../functions/registry';
import { functionAudience } from '../../functions/shared/eventing/identity';
import { topicFor } from '../../functions/shared/eventing/kafka-binding';
import type { Environment } from './environments';
import { isoDuration, labels, type K8sObject } from './k8s';

export const BROKER = 'default';
export const BROKER_CONFIG = 'kafka-broker-config';
export const DEAD_LETTER_SINK = 'dead-letters';
export const DEAD_LETTER_TOPIC = 'tuoi.dead-letters';
/** Strimzi cluster name and namespace the topics belong to (infra/k8s/kafka). */
export const KAFKA_CLUSTER = { name: 'tuoi', namespace: 'kafka' };

/** Partitions of a producer's topic: ordered delivery runs one event per partition at a time, so
 * topics read by functions that scale out get enough partitions for their pods to work in parallel. */
export function partitionsFor(producer: string, functions: readonly FunctionSpec[]): number {
  const types = new Set(contracts.filter((c) => c.producer === producer).map((c) => c.type));
  const hot = functions.some(
    (fn) => fn.scaling === 'scale-out' && fn.subscriptions.some((s) => types.has(s.type)),
  );
  return hot ? 24 : 6;
}

const deadLetterRef = {
  ref: { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'KafkaSink', name: DEAD_LETTER_SINK },
};

/** The broker's Kafka settings (bootstrap, partitions and replication of its topic). */
export function brokerConfig(env: Environment): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: BROKER_CONFIG, namespace: env.namespace, labels: labels('broker') },
    data: {
      'bootstrap.servers': env.kafka.bootstrap,
      'default.topic.partitions': '24',
      'default.topic.replication.factor': String(env.kafka.replication),
    },
  };
}

/** The Kafka-class Broker, with a dead-letter sink for events no Trigger overrides. */
export function broker(env: Environment): K8sObject {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: {
      name: BROKER,
      namespace: env.namespace,
      labels: labels('broker'),
      annotations: { 'eventing.knative.dev/broker.class': 'Kafka' },
    },
    spec: {
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: BROKER_CONFIG, namespace: env.namespace },
      delivery: {
        retry: 5,
        backoffPolicy: 'exponential',
        backoffDelay: 'PT0.2S',
        deadLetterSink: deadLetterRef,
      },
    },
  };
}

/** The dead-letter sink: exhausted events, binary mode, with Knative's knativeerror* extensions. */
export function deadLetterSink(env: Environment): K8sObject {
  return {
    apiVersion: 'eventing.knative.dev/v1alpha1',
    kind: 'KafkaSink',
    metadata: { name: DEAD_LETTER_SINK, namespace: env.namespace, labels: labels('dead-letters') },
    spec: {
      topic: DEAD_LETTER_TOPIC,
      bootstrapServers: [env.kafka.bootstrap],
      contentMode: 'binary',
      numPartitions: 3,
      replicationFactor: env.kafka.replication,
    },
  };
}

/** One KafkaSource per producer topic into the Broker, preserving each partition's order. */
export function kafkaSources(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  return producers().map((producer) => ({
    apiVersion: 'sources.knative.dev/v1',
    kind: 'KafkaSource',
    metadata: { name: `events-${producer}`, namespace: env.namespace, labels: labels(`events-${producer}`) },
    spec: {
      bootstrapServers: [env.kafka.bootstrap],
      topics: [topicFor(producer)],
      consumerGroup: `knative-broker-feed-${producer}`,
      initialOffset: 'earliest',
      ordering: 'ordered',
      consumers: Math.min(partitionsFor(producer, functions), 12),
      delivery: {
        retry: 10,
        backoffPolicy: 'exponential',
        backoffDelay: 'PT0.5S',
        deadLetterSink: deadLetterRef,
      },
      sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: BROKER } },
    },
  }));
}

/**
 * The Trigger of one subscription: exact type filter, its delivery spec, ordered when asked. A
 * Knative Service announces no OIDC audience, so the Trigger names it (`subscriber.audience`):
 * with `authentication-oidc` on, the dispatcher then sends a token for it as the Trigger's identity.
 */
export function trigger(t: TriggerSpec, env: Environment): K8sObject {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Trigger',
    metadata: {
      name: t.name,
      namespace: env.namespace,
      labels: labels(t.subscriber, { 'tuoi.vn/event-type': t.type.replace(/^io\.tuoi\./, '') }),
      annotations: { 'kafka.eventing.knative.dev/delivery.order': t.ordered ? 'ordered' : 'unordered' },
    },
    spec: {
      broker: BROKER,
      filters: [{ exact: { type: t.type } }],
      subscriber: {
        ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: t.subscriber },
        uri: '/cloudevents',
        audience: functionAudience(t.subscriber, env.namespace),
      },
      delivery: {
        retry: t.delivery.retry,
        backoffPolicy: t.delivery.backoffPolicy,
        backoffDelay: isoDuration(t.delivery.backoffDelayMs),
        timeout: isoDuration(t.delivery.timeoutMs),
        deadLetterSink: deadLetterRef,
      },
    },
  };
}

/** Every Trigger of the registry. */
export function allTriggers(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  return triggers(functions).map((t) => trigger(t, env));
}

/** Strimzi KafkaTopics: one per producer, sized by who reads it, and the dead letters. */
export function kafkaTopics(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  const topic = (name: string, partitions: number, retentionMs: number): K8sObject => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      name: name.replace(/\./g, '-'),
      namespace: KAFKA_CLUSTER.namespace,
      labels: { 'strimzi.io/cluster': KAFKA_CLUSTER.name, ...labels('kafka') },
    },
    spec: {
      topicName: name,
      partitions,
      replicas: env.kafka.replication,
      config: {
        'retention.ms': retentionMs,
        'min.insync.replicas': env.kafka.minInSync,
        'cleanup.policy': 'delete',
      },
    },
  });
  const week = 7 * 24 * 3600 * 1000;
  return [
    ...producers().map((p) => topic(topicFor(p), partitionsFor(p, functions), week)),
    topic(DEAD_LETTER_TOPIC, 3, 2 * week),
  ];
}
