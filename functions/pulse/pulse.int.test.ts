/**
 * The pulse function on the lean host against real PostgreSQL: its HTTP routes and its CloudEvent
 * consumer, including every kind of bad input and duplicate delivery.
 */
import { randomUUID } from 'node:crypto';
import { pulseEmitted, type TuoiCloudEvent } from '../../events';
import { toBinaryHttp } from '../shared/eventing/dispatcher';
import { routerToken, signedDelivery } from '../shared/eventing/testing';
import { buildEvent } from '../shared/eventing/outbox';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { startPulse } from './testing';

let db: TestDatabase;
let pulse: Awaited<ReturnType<typeof startPulse>>;
beforeAll(async () => {
  db = await freshDatabase();
  pulse = await startPulse(db.url);
});
afterAll(async () => {
  await pulse.close();
  await db.drop();
});

async function counts() {
  const { rows } = await db.pool.query<{ pulses: string; inbox: string; outbox: string; deliveries: string }>(
    `SELECT (SELECT count(*) FROM pulse.pulses) AS pulses, (SELECT count(*) FROM pulse.inbox) AS inbox,
            (SELECT count(*) FROM pulse.outbox) AS outbox, (SELECT coalesce(sum(deliveries), 0) FROM pulse.pulses) AS deliveries`,
  );
  const r = rows[0]!;
  return {
    pulses: Number(r.pulses),
    inbox: Number(r.inbox),
    outbox: Number(r.outbox),
    deliveries: Number(r.deliveries),
  };
}

async function emitPulse(note?: string): Promise<{ id: string; event: TuoiCloudEvent }> {
  const res = await fetch(`${pulse.base}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note ? { note } : {}),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    `SELECT event FROM pulse.outbox WHERE partition_key = $1`,
    [id],
  );
  return { id, event: rows[0]!.event };
}

function deliverBinary(
  event: TuoiCloudEvent,
  headers: Record<string, string | undefined> = {},
  body?: string,
) {
  const binary = toBinaryHttp(event);
  const all: Record<string, string | undefined> = {
    ...binary.headers,
    authorization: `Bearer ${routerToken('pulse')}`,
    ...headers,
  };
  for (const k of Object.keys(all)) if (all[k] === undefined) delete all[k];
  return fetch(`${pulse.base}/cloudevents`, {
    method: 'POST',
    headers: all as Record<string, string>,
    body: body ?? binary.body,
  });
}

describe('HTTP routes', () => {
  it('emits a pulse with its event in one transaction and shows its arrival', async () => {
    const before = await counts();
    const { id, event } = await emitPulse('kiểm tra');
    expect(event).toMatchObject({
      type: pulseEmitted.type,
      source: '/functions/pulse',
      subject: id,
      data: { pulse_id: id, note: 'kiểm tra' },
    });
    const view = await (await fetch(`${pulse.base}/pulse/${id}`)).json();
    expect(view).toMatchObject({
      id,
      note: 'kiểm tra',
      status: 'in-flight',
      received_at: null,
      deliveries: 0,
    });
    expect(await counts()).toMatchObject({ pulses: before.pulses + 1, outbox: before.outbox + 1 });
  });

  it.each([
    ['malformed JSON', { 'content-type': 'application/json' }, '{"note": ', 400, 'malformed'],
    ['wrong content type', { 'content-type': 'text/plain' }, 'hello', 415, 'unsupported-media-type'],
    [
      'oversized body',
      { 'content-type': 'application/json' },
      JSON.stringify({ note: 'x'.repeat(70_000) }),
      413,
      'payload-too-large',
    ],
    [
      'unknown field',
      { 'content-type': 'application/json' },
      '{"note":"hi","admin":true}',
      400,
      'validation',
    ],
    [
      'note too long',
      { 'content-type': 'application/json' },
      JSON.stringify({ note: 'đ'.repeat(201) }),
      400,
      'validation',
    ],
  ])('POST /pulse with %s → problem and nothing written', async (_name, headers, body, status, kind) => {
    const before = await counts();
    const res = await fetch(`${pulse.base}/pulse`, { method: 'POST', headers, body });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status, type: `https://tuoi.vn/problems/${kind}` });
    expect(await counts()).toEqual(before);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await fetch(`${pulse.base}/pulse/not-a-uuid`)).status).toBe(400);
    expect((await fetch(`${pulse.base}/pulse/${randomUUID()}`)).status).toBe(404);
  });
});

describe('CloudEvent consumer', () => {
  it('applies an event once; a redelivery is acknowledged without a second effect', async () => {
    const { id, event } = await emitPulse();
    const first = await deliverBinary(event);
    expect(first.status).toBe(204);
    expect(first.headers.get('x-tuoi-delivery')).toBe('processed');
    const again = await fetch(`${pulse.base}/cloudevents`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        authorization: `Bearer ${routerToken('pulse')}`,
      },
      body: JSON.stringify(event),
    });
    expect(again.status).toBe(204);
    expect(again.headers.get('x-tuoi-delivery')).toBe('duplicate');
    expect(await (await fetch(`${pulse.base}/pulse/${id}`)).json()).toMatchObject({
      status: 'received',
      deliveries: 1,
    });
  });

  it('applies the same event delivered 20 times concurrently exactly once', async () => {
    const { id, event } = await emitPulse();
    const results = await Promise.all(Array.from({ length: 20 }, () => deliverBinary(event)));
    expect(results.map((r) => r.status)).toEqual(new Array(20).fill(204));
    expect(results.filter((r) => r.headers.get('x-tuoi-delivery') === 'processed')).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT deliveries FROM pulse.pulses WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ deliveries: 1 });
  });

  const valid = buildEvent(pulseEmitted, { pulse_id: randomUUID(), emitted_at: new Date().toISOString() });
  it.each([
    ['unknown type', { 'ce-type': 'io.tuoi.nobody.v1' }, undefined, 400, '/type'],
    ['missing ce-id', { 'ce-id': undefined }, undefined, 400, '/id'],
    ['missing ce-source', { 'ce-source': undefined }, undefined, 400, '/source'],
    [
      'schema-invalid data',
      {},
      JSON.stringify({ pulse_id: 'nope', emitted_at: 'never' }),
      400,
      '/data/pulse_id',
    ],
    ['malformed JSON data', {}, '{"pulse_id":', 400, undefined],
    ['wrong content type', { 'content-type': 'text/plain' }, 'hello', 415, undefined],
    ['oversized data', {}, JSON.stringify({ pad: 'x'.repeat(70_000) }), 413, undefined],
    ['a pulse this database never emitted', {}, undefined, 400, '/data/pulse_id'],
  ])('rejects %s as poison (not retried) and writes nothing', async (_name, headers, body, status, field) => {
    const before = await counts();
    const res = await deliverBinary(valid, headers, body);
    expect(res.status).toBe(status);
    const problem = (await res.json()) as { errors?: { field: string }[] };
    if (field) expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('answers 503 (retry) when its database is down, and 400 still for poison', async () => {
    const broken = await startPulse('postgres://tuoi:tuoi@127.0.0.1:1/none');
    try {
      const res = await signedDelivery(broken.base, 'pulse', valid);
      expect(res.status).toBe(503);
      const poison = await fetch(`${broken.base}/cloudevents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${routerToken('pulse')}` },
        body: '{}',
      });
      expect(poison.status).toBe(400);
      expect((await fetch(`${broken.base}/readyz`)).status).toBe(503);
      expect((await fetch(`${broken.base}/healthz`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});
