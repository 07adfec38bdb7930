/** Publishes outbox events to Kafka (binary binding, key = partitionkey) and waits for all in-sync replicas. */
import type { Producer } from 'kafkajs';
import type { TuoiCloudEvent } from '../../../events';
import type { EventSink } from './relay';
import { producerOf, toKafkaRecord, topicFor } from './kafka-binding';

/** An EventSink over a connected kafkajs producer. */
export function kafkaSink(producer: Producer): EventSink {
  return {
    async publish(events: TuoiCloudEvent[]) {
      const byTopic = new Map<string, ReturnType<typeof toKafkaRecord>[]>();
      for (const event of events) {
        const topic = topicFor(producerOf(event.source));
        const list = byTopic.get(topic) ?? [];
        list.push(toKafkaRecord(event));
        byTopic.set(topic, list);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
  };
}
