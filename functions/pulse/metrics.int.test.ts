/**
 * Metrics of a real function process on both hosts: pulse runs as Knative runs it (PORT, a metrics
 * port of its own), serves requests and consumes CloudEvents, and its GET /metrics shows each
 * request under its route pattern and each delivery under its type and outcome.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { freshDatabase, type TestDatabase } from '../shared/testing/pg';
import { metricValue, scrape, type Sample } from '../shared/testing/metrics';
import { built, freePort, startNode, type Child } from '../../scripts/testing/processes';
import { eventAuthEnv, routerToken } from '../shared/eventing/testing';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe.each(['host', 'framework-host'] as const)('pulse on %s', (host) => {
  let child: Child;
  let base: string;
  let metricsUrl: string;

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    child = startNode(
      [
        built(`functions/shared/${host}.js`),
        '--target=pulse',
        `--source=${built('functions/pulse/index.js')}`,
      ],
      {
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        DATABASE_URL: db.url,
        NODE_ENV: 'production',
        ...eventAuthEnv('pulse'),
      },
    );
    base = `http://127.0.0.1:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await child.waitForHttp(`${base}/healthz`);
  });
  afterAll(() => {
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
  });

  const deliver = (event: unknown) =>
    fetch(`${base}/cloudevents`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        authorization: `Bearer ${routerToken('pulse')}`,
      },
      body: JSON.stringify(event),
    });

  it('shows requests by route pattern and deliveries by type and outcome on its metrics port', async () => {
    const res = await fetch(`${base}/pulse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"note":"chào"}',
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await fetch(`${base}/pulse/${id}`)).status).toBe(200);
    expect((await fetch(`${base}/pulse/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);

    const { rows } = await db.pool.query(`SELECT event FROM pulse.outbox WHERE partition_key = $1`, [id]);
    const event = rows[0].event as { type: string; data: unknown };
    expect((await deliver(event)).status).toBe(204); // processed
    expect((await deliver(event)).status).toBe(204); // duplicate
    expect((await deliver({ ...event, id: `${id}-bad`, data: { nonsense: true } })).status).toBe(400);
    expect((await deliver({ ...event, id: `${id}-odd`, type: 'com.example.attacker.v1' })).status).toBe(400);

    const s: Sample[] = await scrape(metricsUrl);
    const value = (name: string, labels: Record<string, string>) =>
      metricValue(s, name, { function: 'pulse', ...labels });
    expect(value('tuoi_http_requests_total', { route: '/pulse', method: 'POST', code: '202' })).toBe(1);
    expect(value('tuoi_http_requests_total', { route: '/pulse/:id', method: 'GET', code: '200' })).toBe(1);
    expect(value('tuoi_http_requests_total', { route: '/pulse/:id', method: 'GET', code: '404' })).toBe(1);
    expect(value('tuoi_http_requests_total', { route: 'unmatched', method: 'GET', code: '404' })).toBe(1);
    expect(value('tuoi_http_request_duration_seconds_count', { route: '/pulse/:id', method: 'GET' })).toBe(2);
    expect(value('tuoi_http_requests_total', { route: '/cloudevents', method: 'POST', code: '204' })).toBe(2);
    // No series carries a raw path.
    expect(s.filter((x) => x.labels.route?.includes(id))).toEqual([]);

    expect(value('tuoi_events_consumed_total', { type: event.type, outcome: 'processed' })).toBe(1);
    expect(value('tuoi_events_consumed_total', { type: event.type, outcome: 'duplicate' })).toBe(1);
    expect(value('tuoi_events_consumed_total', { type: event.type, outcome: 'poison' })).toBe(1);
    // A type outside the contract is never a label value.
    expect(value('tuoi_events_consumed_total', { type: 'unknown', outcome: 'poison' })).toBe(1);
    expect(s.filter((x) => x.labels.type === 'com.example.attacker.v1')).toEqual([]);
    expect(value('tuoi_event_age_seconds_count', { type: event.type })).toBe(2);
    expect(value('tuoi_event_handle_duration_seconds_count', { type: event.type })).toBe(2);

    expect(value('tuoi_db_pool_max', { pool: 'main' })).toBeGreaterThan(0);
    expect(value('tuoi_db_pool_connections', { pool: 'main', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(value('tuoi_process_resident_memory_bytes', {})).toBeGreaterThan(0);
  });

  it('keeps the metrics port off the function port and answers nothing else there', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/healthz'))).status).toBe(404);
  });
});

it('serves requests without /metrics when its metrics port is taken (metrics never cost the function)', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const metricsPort = (taken.address() as AddressInfo).port;
  const port = await freePort();
  const child = startNode(
    [built('functions/shared/host.js'), '--target=pulse', `--source=${built('functions/pulse/index.js')}`],
    {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: db.url,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      ...eventAuthEnv('pulse'),
    },
  );
  try {
    await child.waitForHttp(`http://127.0.0.1:${port}/healthz`);
    expect((await fetch(`http://127.0.0.1:${port}/pulse/${randomUUID()}`)).status).toBe(404);
    expect(child.output()).toContain('metrics server failed to start');
  } finally {
    child.proc.kill('SIGKILL');
    taken.close();
  }
});
