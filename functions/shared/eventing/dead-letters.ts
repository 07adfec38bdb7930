/**
 * Dead letters on Kafka: what the Knative Triggers and KafkaSources could not deliver lands in
 * the dead-letter KafkaSink's topic as binary-mode CloudEvents, with Knative's extensions
 * `knativeerrordest` (the subscriber), `knativeerrorcode` (its last HTTP status) and
 * `knativeerrordata` (its answer). `listDeadLetters` reads the topic without moving anything;
 * `replayDeadLetters` posts each one not yet replayed back to a sink (the Broker, via K_SINK)
 * without those extensions, and commits its progress in a consumer group, so a second run
 * replays only newer dead letters. Subscribers deduplicate on source+id, so the ones that had
 * already taken an event skip it. With Knative's `authentication-oidc`, the Broker refuses senders
 * without a token: the replay Job presents the one Knative mounts for its SinkBinding's sink
 * (`/oidc/token`, refreshed by Knative; read for every post).
 */
import type { Kafka } from 'kafkajs';
import type { TuoiCloudEvent } from '../../../events';
import { toBinaryHttp } from './dispatcher';
import { fromKafkaRecord } from './kafka-binding';

/** One dead letter with where it sits in the topic. */
export interface KafkaDeadLetter {
  partition: number;
  offset: string;
  event: TuoiCloudEvent;
  destination?: string;
  status?: string;
  answer?: string;
  /** Whether the replay group has already passed it. */
  replayed: boolean;
}

/** The consumer group that records replay progress. */
export const REPLAY_GROUP = 'tuoi-dlq-replay';

/**
 * Retries a group-coordinator call while Kafka answers with a retriable error: a group's
 * coordinator may still be moving or loading (NOT_COORDINATOR) on a fresh or busy broker.
 */
async function withCoordinator<T>(call: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !(err as { retriable?: boolean }).retriable) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

const ERROR_EXTENSIONS = ['knativeerrordest', 'knativeerrorcode', 'knativeerrordata'];

function decodeAnswer(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  return /^[\x20-\x7e\s\u00a0-\uffff]*$/.test(text) ? text.slice(0, 500) : raw.slice(0, 500);
}

/** Reads every dead letter up to the topic's current end (nothing is committed). */
export async function listDeadLetters(
  kafka: Kafka,
  topic: string,
  groupId = REPLAY_GROUP,
): Promise<KafkaDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = new Map(
      (await withCoordinator(() => admin.fetchOffsets({ groupId, topics: [topic] })))[0]?.partitions.map(
        (p) => [p.partition, BigInt(p.offset)],
      ) ?? [],
    );
    const letters: KafkaDeadLetter[] = [];
    const ranges = new Map(
      ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]),
    );
    for (const r of await readUpTo(kafka, topic, ranges)) {
      const event = fromKafkaRecord(r) as Record<string, unknown>;
      letters.push({
        partition: r.partition,
        offset: r.offset,
        event: withoutErrorExtensions(event),
        destination: event.knativeerrordest as string | undefined,
        status: event.knativeerrorcode as string | undefined,
        answer: decodeAnswer(event.knativeerrordata),
        replayed: BigInt(r.offset) < (committed.get(r.partition) ?? -1n),
      });
    }
    return letters;
  } finally {
    await admin.disconnect();
  }
}

function withoutErrorExtensions(event: Record<string, unknown>): TuoiCloudEvent {
  const copy = { ...event };
  for (const name of ERROR_EXTENSIONS) delete copy[name];
  return copy as unknown as TuoiCloudEvent;
}

type RawRecord = {
  partition: number;
  offset: string;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
};

/** Every record below `ends` (partition → end offset), read by a throwaway consumer that commits nothing. */
async function readUpTo(kafka: Kafka, topic: string, ends: Map<number, bigint>): Promise<RawRecord[]> {
  if (ends.size === 0) return [];
  const consumer = kafka.consumer({
    groupId: `tuoi-dlq-read-${process.pid}-${Date.now()}`,
    maxWaitTimeInMs: 200,
  });
  const out: RawRecord[] = [];
  const pending = new Set(ends.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 60_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            out.push({ ...(message as Omit<RawRecord, 'partition'>), partition });
            if (BigInt(message.offset) === end - 1n) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Which dead letters to replay: every one not replayed yet, or exactly these `partition:offset` pairs. */
export type ReplaySelection = 'all' | string[];

/**
 * Posts dead letters to `sink` (binary mode). `all` replays those the replay group has not
 * passed, in partition order; a refusal holds back the rest of its partition for the next run;
 * the group is committed past what was replayed. A list replays exactly those letters,
 * replayed before or not, and leaves the group alone.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  topic: string,
  sink: string,
  selection: ReplaySelection,
  groupId = REPLAY_GROUP,
  /** The bearer token for the sink, read before each post (undefined sends none). */
  credentials: () => Promise<string | undefined> = async () => undefined,
): Promise<{ replayed: number; failed?: string }> {
  const letters = (await listDeadLetters(kafka, topic, groupId)).filter((l) =>
    selection === 'all' ? !l.replayed : selection.includes(`${l.partition}:${l.offset}`),
  );
  let replayed = 0;
  const progress = new Map<number, string>();
  const blocked = new Set<number>();
  let failed: string | undefined;
  for (const letter of letters) {
    if (blocked.has(letter.partition)) continue;
    const { headers, body } = toBinaryHttp(letter.event);
    const token = await credentials();
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(sink, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => ({ ok: false, status: err.message }));
    if (!res.ok) {
      failed ??= `${letter.partition}:${letter.offset} (${letter.event.type} ${letter.event.id}): ${res.status}`;
      // In order: the rest of its partition waits for the next run.
      if (selection === 'all') blocked.add(letter.partition);
      continue;
    }
    replayed++;
    progress.set(letter.partition, String(BigInt(letter.offset) + 1n));
  }
  if (selection === 'all' && progress.size > 0) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await withCoordinator(() =>
        admin.setOffsets({
          groupId,
          topic,
          partitions: [...progress].map(([partition, offset]) => ({ partition, offset })),
        }),
      );
    } finally {
      await admin.disconnect();
    }
  }
  return { replayed, ...(failed ? { failed } : {}) };
}
