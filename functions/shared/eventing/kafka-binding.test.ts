import { Kafka as KafkaBinding } from 'cloudevents';
import { fromKafkaRecord, producerOf, toKafkaRecord, topicFor } from './kafka-binding';
import { buildEvent } from './outbox';
import { pulseEmitted } from '../../../events';

const event = buildEvent(
  pulseEmitted,
  {
    pulse_id: '5f0c2b1a-9d3e-4c7a-8b6f-1e2d3c4b5a69',
    emitted_at: '2026-11-22T01:00:00.000Z',
    note: 'nước mắm',
  },
  {
    id: 'e-1',
    time: new Date('2026-11-22T01:00:00Z'),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
);

describe('Kafka binary binding', () => {
  it('puts attributes in ce_ headers, data in the value and partitionkey in the key', () => {
    const record = toKafkaRecord(event);
    expect(record.key).toBe('5f0c2b1a-9d3e-4c7a-8b6f-1e2d3c4b5a69');
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'e-1',
      ce_source: '/functions/pulse',
      ce_type: 'io.tuoi.platform.pulse.v1',
      ce_subject: '5f0c2b1a-9d3e-4c7a-8b6f-1e2d3c4b5a69',
      ce_time: '2026-11-22T01:00:00.000Z',
      'content-type': 'application/json',
      ce_partitionkey: '5f0c2b1a-9d3e-4c7a-8b6f-1e2d3c4b5a69',
      ce_traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(JSON.parse(record.value.toString())).toEqual(event.data);
  });

  it('round-trips through Buffer headers as kafkajs delivers them', () => {
    const record = toKafkaRecord(event);
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromKafkaRecord({ value: record.value, headers })).toEqual(event);
  });

  it('is read the same by the CloudEvents SDK', () => {
    const record = toKafkaRecord(event);
    const parsed = KafkaBinding.toEvent({
      key: record.key ?? undefined,
      value: record.value,
      headers: record.headers,
      body: record.value,
    } as never);
    const sdk = Array.isArray(parsed) ? parsed[0] : parsed;
    expect(sdk).toMatchObject({
      id: 'e-1',
      type: event.type,
      source: event.source,
      subject: event.subject,
      partitionkey: event.partitionkey,
    });
    expect(sdk?.data).toEqual(event.data);
  });

  it('names one topic per producing function', () => {
    expect(topicFor(producerOf('/functions/pulse'))).toBe('tuoi.events.pulse');
    expect(() => producerOf('https://evil.example/x')).toThrow('is not /functions/<name>');
  });
});
