/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes as `ce_*` headers,
 * `datacontenttype` as `content-type`, data as the record value, `partitionkey` as the record key.
 * This is how Knative's Kafka broker stores events, so records we write and records it writes
 * read the same.
 */
import type { TuoiCloudEvent } from '../../../events';

/** A Kafka record as kafkajs produces it. */
export interface KafkaRecord {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** The topic a producer's events go to: one topic per producing function. */
export function topicFor(producer: string): string {
  return `tuoi.events.${producer}`;
}

/** The producer function named by a `/functions/<name>` source. */
export function producerOf(source: string): string {
  const match = /^\/functions\/([a-z][a-z0-9-]*)$/.exec(source);
  if (!match) throw new Error(`CloudEvent source ${source} is not /functions/<name>`);
  return match[1] as string;
}

/** Encodes a structured CloudEvent as a binary-mode Kafka record. */
export function toKafkaRecord(event: TuoiCloudEvent): KafkaRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64' || value === undefined) continue;
    if (name === 'datacontenttype') headers['content-type'] = String(value);
    else headers[`ce_${name}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const json = !event.datacontenttype || /json/i.test(event.datacontenttype);
  const value = json
    ? Buffer.from(JSON.stringify(event.data ?? null))
    : Buffer.from(String(event.data ?? ''));
  return { key: event.partitionkey ?? null, value, headers };
}

/** Decodes a binary-mode record (headers as kafkajs delivers them: Buffers) into a structured event. */
export function fromKafkaRecord(record: {
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  let contentType: string | undefined;
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    if (raw === undefined) continue;
    const value = (Array.isArray(raw) ? raw[0] : raw)?.toString() ?? '';
    const lower = name.toLowerCase();
    if (lower === 'content-type') contentType = value;
    else if (lower.startsWith('ce_')) event[lower.slice(3)] = value;
  }
  if (contentType) event.datacontenttype = contentType;
  if (record.value !== null) {
    const text = record.value.toString('utf8');
    event.data = !contentType || /json/i.test(contentType) ? JSON.parse(text) : text;
  }
  return event;
}
