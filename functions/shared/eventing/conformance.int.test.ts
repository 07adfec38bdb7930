/**
 * CloudEvents HTTP binding conformance on a real function (pulse, real PostgreSQL), issue 13 item
 * 13: percent-encoded ce-time, data_base64, a 21-character extension name are accepted; an object
 * extension and control characters in attributes are 400 (never 500, which a broker retries).
 */
import type { TuoiCloudEvent } from '../../../events';
import { freshDatabase, type TestDatabase } from '../testing/pg';
import { startPulse } from '../../pulse/testing';
import { toBinaryHttp } from './dispatcher';
import { routerToken } from './testing';

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

async function emitted(): Promise<TuoiCloudEvent> {
  const res = await fetch(`${pulse.base}/pulse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { id } = (await res.json()) as { id: string };
  const { rows } = await db.pool.query<{ event: TuoiCloudEvent }>(
    'SELECT event FROM pulse.outbox WHERE partition_key = $1',
    [id],
  );
  return rows[0]!.event;
}

const inbox = async () => Number((await db.pool.query('SELECT count(*) AS n FROM pulse.inbox')).rows[0].n);
const auth = () => ({ authorization: `Bearer ${routerToken('pulse')}` });

function binary(event: TuoiCloudEvent, headers: Record<string, string> = {}) {
  const b = toBinaryHttp(event);
  return fetch(`${pulse.base}/cloudevents`, {
    method: 'POST',
    headers: { ...b.headers, ...auth(), ...headers },
    body: b.body,
  });
}

function structured(ce: Record<string, unknown>) {
  return fetch(`${pulse.base}/cloudevents`, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', ...auth() },
    body: JSON.stringify(ce),
  });
}

describe('CloudEvents HTTP binding conformance', () => {
  it('decodes a percent-encoded ce-time', async () => {
    const event = await emitted();
    const res = await binary(event, { 'ce-time': encodeURIComponent('2026-12-06T10:00:00.000Z') });
    expect(res.status).toBe(204);
  });

  it('answers a malformed percent-encoding with 400 problem+json', async () => {
    const before = await inbox();
    const res = await binary(await emitted(), { 'ce-subject': 'bad%zz' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await inbox()).toBe(before);
  });

  it('accepts data_base64 in structured mode', async () => {
    const { data, ...event } = await emitted();
    const res = await structured({
      ...event,
      data_base64: Buffer.from(JSON.stringify(data)).toString('base64'),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-tuoi-delivery')).toBe('processed');
  });

  it('accepts an extension name longer than 20 characters (SHOULD, not MUST)', async () => {
    const res = await structured({ ...(await emitted()), abcdefghijklmnopqrstu: 'x' });
    expect(res.status).toBe(204);
  });

  it.each([
    ['an object-valued extension', { myext: { a: 1 } }],
    ['an array-valued extension', { myext: ['a'] }],
    ['NUL in id', { id: 'evt\u0000x' }],
    ['NUL in source', { source: '/functions/pulse\u0000' }],
    ['a C1 control in subject', { subject: 'x\u0085y' }],
    ['a lone surrogate in an extension', { myext: '\ud800' }],
    ['an upper-case extension name', { MyExt: 'x' }],
  ])('refuses %s with 400 and changes nothing', async (_name, over) => {
    const before = await inbox();
    const res = await structured({ ...(await emitted()), ...over });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await inbox()).toBe(before);
  });

  it('refuses a percent-encoded NUL in the binary ce-id with 400', async () => {
    const before = await inbox();
    const res = await binary(await emitted(), { 'ce-id': 'evt%00x' });
    expect(res.status).toBe(400);
    expect(await inbox()).toBe(before);
  });
});
