/**
 * The pulse function run unchanged on the functions-framework host (the framework's own server behind
 * the transport guard), as
 * Knative runs it: config validation at start, bad input, CloudEvents, and draining on SIGTERM.
 */
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { built, freePort, startNode, type Child } from '../../scripts/testing/processes';
import { eventAuthEnv, routerToken } from '../shared/eventing/testing';

let db: TestDatabase;
let child: Child;
let base: string;

beforeAll(async () => {
  db = await freshDatabase();
  const port = await freePort();
  child = startNode(
    [
      built('functions/shared/framework-host.js'),
      '--target=pulse',
      `--source=${built('functions/pulse/index.js')}`,
    ],
    {
      PORT: String(port),
      DATABASE_URL: db.url,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      MAX_BODY_BYTES: '65536',
      ...eventAuthEnv('pulse'),
    },
  );
  base = `http://127.0.0.1:${port}`;
  await child.waitForHttp(`${base}/healthz`);
});
afterAll(async () => {
  if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
  await db.drop();
});

describe('pulse under functions-framework', () => {
  it('serves health, readiness and a pulse that the consumer endpoint accepts', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const res = await fetch(`${base}/pulse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":"chào"}',
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const { rows } = await db.pool.query(`SELECT event FROM pulse.outbox WHERE partition_key = $1`, [id]);
    const ce = await fetch(`${base}/cloudevents`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        authorization: `Bearer ${routerToken('pulse')}`,
      },
      body: JSON.stringify(rows[0].event),
    });
    expect(ce.status).toBe(204);
    expect(await (await fetch(`${base}/pulse/${id}`)).json()).toMatchObject({
      status: 'received',
      deliveries: 1,
    });
  });

  it.each([
    ['wrong content type', { 'content-type': 'text/plain' }, 'hi', 415],
    [
      'oversized body',
      { 'content-type': 'application/json' },
      JSON.stringify({ note: 'x'.repeat(70_000) }),
      413,
    ],
    ['schema-invalid body', { 'content-type': 'application/json' }, '{"note":""}', 400],
  ])('answers %s with problem+json', async (_name, headers, body, status) => {
    const res = await fetch(`${base}/pulse`, { method: 'POST', headers, body });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers malformed JSON with our problem+json, not the framework body parser', async () => {
    const res = await fetch(`${base}/pulse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('reads JSON as UTF-8 whatever charset is declared (body-parser answered 415 text/html)', async () => {
    const res = await fetch(`${base}/pulse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=klingon' },
      body: '{"note":"x"}',
    });
    expect(res.status).toBe(202);
  });

  it.each(['/favicon.ico', '/robots.txt'])(
    'answers %s, which the framework reserves, as problem+json',
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    },
  );

  it('rejects a CloudEvent without ce-id as poison (400)', async () => {
    const res = await fetch(`${base}/cloudevents`, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-type': 'io.tuoi.platform.pulse.v1',
        'ce-source': '/functions/pulse',
        'content-type': 'application/json',
        authorization: `Bearer ${routerToken('pulse')}`,
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
  });

  it('drains and exits 0 on SIGTERM instead of the framework exiting at once', async () => {
    child.proc.kill('SIGTERM');
    expect(await child.exited()).toBe(0);
    expect(child.output()).toContain('"msg":"draining"');
    expect(child.output()).toContain('"msg":"stopped"');
  });

  it('refuses to start without DATABASE_URL and names it', async () => {
    const bad = startNode(
      [
        built('functions/shared/framework-host.js'),
        '--target=pulse',
        `--source=${built('functions/pulse/index.js')}`,
      ],
      {
        PORT: String(await freePort()),
        DATABASE_URL: '',
      },
    );
    expect(await bad.exited()).toBe(78);
    expect(bad.output()).toContain('DATABASE_URL is required but not set');
  });
});
