/** Dead letters on a real Kafka: listing them with Knative's error extensions, and replaying them once. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import type { TuoiCloudEvent } from '../../../events';
import { serviceEnv } from '../clients/testing/service-env';
import { listDeadLetters, replayDeadLetters } from './dead-letters';
import { toKafkaRecord } from './kafka-binding';

const kafka = new Kafka({
  clientId: 'tuoi-test-dlq',
  brokers: serviceEnv('KAFKA_BROKERS').split(','),
  logLevel: logLevel.NOTHING,
});

function deadLetter(n: number, status: string): TuoiCloudEvent {
  return {
    specversion: '1.0',
    id: `evt-${n}-${randomUUID()}`,
    source: '/functions/pulse',
    type: 'io.tuoi.platform.pulse.v1',
    subject: `p-${n}`,
    partitionkey: `p-${n}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { id: `p-${n}`, emitted_at: new Date().toISOString() },
    knativeerrordest: 'http://search.tuoi.svc.cluster.local/cloudevents',
    knativeerrorcode: status,
    knativeerrordata: Buffer.from(`{"title":"refused ${n}"}`).toString('base64'),
  } as unknown as TuoiCloudEvent;
}

/** A sink that records the binary-mode CloudEvents it receives and refuses ids it is told to. */
async function sink(refuse: (id: string) => boolean) {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(refuse(String(req.headers['ce-id'])) ? 500 : 202);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    received,
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('Kafka dead letters', () => {
  const topic = `tuoi.test.dead-letters.${randomUUID()}`;
  const group = `dlq-replay-${randomUUID()}`;
  const events = [deadLetter(1, '500'), deadLetter(2, '400'), deadLetter(3, '503')];

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: events.map(toKafkaRecord) });
    await producer.disconnect();
  });

  it('lists each one with its destination, status and answer, and moves nothing', async () => {
    for (let run = 0; run < 2; run++) {
      const letters = await listDeadLetters(kafka, topic, group);
      expect(
        letters.map((l) => [l.offset, l.event.id, l.destination, l.status, l.answer, l.replayed]),
      ).toEqual(
        events.map((e, i) => [
          String(i),
          e.id,
          'http://search.tuoi.svc.cluster.local/cloudevents',
          ['500', '400', '503'][i],
          `{"title":"refused ${i + 1}"}`,
          false,
        ]),
      );
      expect(Object.keys(letters[0]!.event).filter((k) => k.startsWith('knativeerror'))).toEqual([]);
    }
  });

  it('replays in order without the error extensions, holds back what follows a refusal, then finishes', async () => {
    let refuse = true;
    const s = await sink((id) => refuse && id === events[1]!.id);
    try {
      const first = await replayDeadLetters(kafka, topic, s.url, 'all', group);
      expect(first).toEqual({ replayed: 1, failed: expect.stringContaining(events[1]!.id) });
      expect(s.received.map((r) => r.headers['ce-id'])).toEqual([events[0]!.id, events[1]!.id]);
      expect(s.received[0]!.headers['ce-type']).toBe('io.tuoi.platform.pulse.v1');
      expect(Object.keys(s.received[0]!.headers).filter((h) => h.startsWith('ce-knativeerror'))).toEqual([]);
      expect(JSON.parse(s.received[0]!.body)).toEqual(events[0]!.data);
      expect((await listDeadLetters(kafka, topic, group)).map((l) => l.replayed)).toEqual([
        true,
        false,
        false,
      ]);

      refuse = false;
      expect(await replayDeadLetters(kafka, topic, s.url, 'all', group)).toEqual({ replayed: 2 });
      expect(await replayDeadLetters(kafka, topic, s.url, 'all', group)).toEqual({ replayed: 0 });
      expect(s.received.map((r) => r.headers['ce-id'])).toEqual([
        events[0]!.id,
        events[1]!.id,
        events[1]!.id,
        events[2]!.id,
      ]);

      // A chosen letter is replayed again on request, and the group is left where it was.
      expect(await replayDeadLetters(kafka, topic, s.url, ['0:0'], group)).toEqual({ replayed: 1 });
      expect(s.received.at(-1)?.headers['ce-id']).toBe(events[0]!.id);
      expect((await listDeadLetters(kafka, topic, group)).every((l) => l.replayed)).toBe(true);
    } finally {
      await s.close();
    }
  });
});
