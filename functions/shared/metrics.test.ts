import {
  orderCancelled,
  orderCompleted,
  paymentFailed,
  slotReplied,
  orderSubstitutionDecided,
} from '../../events';
import { handleHttp, route, type HttpApp } from './http';
import {
  countCheckoutFailure,
  countCommitted,
  metricsPort,
  noteDatabaseError,
  registry,
  startMetricsServer,
} from './metrics';
import { metricValue, parseMetrics, scrape, type Sample } from './testing/metrics';

const app: HttpApp = {
  name: 'metrics-test',
  maxBodyBytes: 1024,
  ready: async () => undefined,
  draining: () => false,
  routes: [
    route({ method: 'GET', path: '/things/:id', handle: async (req) => ({ status: 200, body: req.params }) }),
    route({
      method: 'POST',
      path: '/things/:id/boom',
      handle: async () => {
        throw new Error('a bug');
      },
    }),
  ],
};

const get = (url: string, method = 'GET') =>
  handleHttp(app, { method, url, headers: {}, body: Buffer.alloc(0) });

async function samples(): Promise<Sample[]> {
  return parseMetrics(await registry.metrics());
}

describe('HTTP request metrics', () => {
  it('labels requests with the route pattern (never the raw path), method and status', async () => {
    const before = await samples();
    const was = (labels: Record<string, string>) =>
      metricValue(before, 'tuoi_http_requests_total', labels) ?? 0;
    await get('/things/a');
    await get('/things/b?x=1');
    await get('/things/c', 'POST'); // 405: no POST on /things/:id
    await get('/nowhere/1'); // 404
    await get('/things/d/boom', 'POST'); // 500: not an AppError
    await get('/healthz');
    const after = await samples();
    const count = (labels: Record<string, string>) =>
      (metricValue(after, 'tuoi_http_requests_total', labels) ?? 0) - was(labels);
    expect(count({ route: '/things/:id', method: 'GET', code: '200' })).toBe(2);
    expect(count({ route: 'unmatched', method: 'POST', code: '405' })).toBe(1);
    expect(count({ route: 'unmatched', method: 'GET', code: '404' })).toBe(1);
    expect(count({ route: '/things/:id/boom', method: 'POST', code: '500' })).toBe(1);
    expect(count({ route: '/healthz', method: 'GET', code: '200' })).toBe(1);
    expect(after.some((s) => /\/things\/[a-d]$/.test(s.labels.route ?? ''))).toBe(false);
    expect(
      metricValue(after, 'tuoi_http_request_duration_seconds_count', { route: '/things/:id', code: '200' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      metricValue(after, 'tuoi_http_request_duration_seconds_bucket', {
        route: '/things/:id',
        code: '200',
        le: '+Inf',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(metricValue(after, 'tuoi_http_unhandled_errors_total', { route: '/things/:id/boom' })).toBe(1);
  });

  it('folds methods outside the HTTP set into OTHER', async () => {
    await get('/things/x', 'BREW');
    expect(metricValue(await samples(), 'tuoi_http_requests_total', { method: 'OTHER' })).toBe(1);
  });
});

describe('business figures from committed events', () => {
  const order = { order_id: 'ord-0000000000abcdefghijkl', customer_id: 'c1', lang: 'en' as const };
  const reason = (code: string) => ({ code, message: { en: 'x', vi: 'x' } });

  it('counts completions, cancellations, slot answers, substitution decisions and payment failures', async () => {
    const events = [
      { type: orderCompleted.type, data: {} },
      { type: orderCancelled.type, data: { ...order, reason: reason('out_of_stock') } },
      { type: slotReplied.type, data: { action: 'book', outcome: 'done' } },
      { type: slotReplied.type, data: { action: 'hold', outcome: 'refused', reason: reason('slot_full') } },
      { type: orderSubstitutionDecided.type, data: { decision: 'approved' } },
      { type: orderSubstitutionDecided.type, data: { decision: 'rejected' } },
      { type: paymentFailed.type, data: { rail: 'momo', code: 'Insufficient funds: 1006' } },
      { type: paymentFailed.type, data: { rail: 'Not A Rail!' } },
    ];
    countCommitted(events as never);
    countCheckoutFailure('slot_full');
    const s = await samples();
    expect(metricValue(s, 'tuoi_orders_completed_total')).toBe(1);
    expect(metricValue(s, 'tuoi_orders_cancelled_total', { reason: 'out_of_stock' })).toBe(1);
    expect(metricValue(s, 'tuoi_checkout_failures_total', { reason: 'slot_full' })).toBe(1);
    expect(metricValue(s, 'tuoi_slot_requests_total', { action: 'book', outcome: 'done', reason: '' })).toBe(
      1,
    );
    expect(
      metricValue(s, 'tuoi_slot_requests_total', { action: 'hold', outcome: 'refused', reason: 'slot_full' }),
    ).toBe(1);
    expect(metricValue(s, 'tuoi_substitutions_decided_total', { decision: 'approved' })).toBe(1);
    expect(metricValue(s, 'tuoi_substitutions_decided_total', { decision: 'rejected' })).toBe(1);
    expect(metricValue(s, 'tuoi_payment_failures_total', { provider: 'momo' })).toBe(1);
    // A value that is not one of our codes never becomes a label.
    expect(metricValue(s, 'tuoi_payment_failures_total', { provider: 'other' })).toBe(1);
  });

  it('counts only the no-oversell CHECK violations of inventory lots as oversells', async () => {
    const oversells = async () => metricValue(await samples(), 'tuoi_stock_oversell_total') ?? 0;
    const start = await oversells();
    noteDatabaseError(Object.assign(new Error('x'), { code: '23514', constraint: 'lots_check' }));
    noteDatabaseError(Object.assign(new Error('x'), { code: '23514', constraint: 'carts_qty_check' }));
    noteDatabaseError(Object.assign(new Error('x'), { code: '23505', constraint: 'lots_check' }));
    noteDatabaseError(undefined);
    expect((await oversells()) - start).toBe(1);
  });
});

describe('the metrics server', () => {
  it('reads METRICS_PORT: 9464 by default, off disables, anything else is refused', () => {
    expect(metricsPort({})).toBe(9464);
    expect(metricsPort({ METRICS_PORT: '' })).toBe(9464);
    expect(metricsPort({ METRICS_PORT: 'off' })).toBeUndefined();
    expect(metricsPort({ METRICS_PORT: '0' })).toBe(0);
    expect(() => metricsPort({ METRICS_PORT: 'yes' })).toThrow(/METRICS_PORT/);
  });

  it('serves GET /metrics in the text format and nothing else', async () => {
    expect(await startMetricsServer({ METRICS_PORT: 'off' })).toBeUndefined();
    const server = await startMetricsServer({ METRICS_PORT: '0' });
    try {
      const base = `http://127.0.0.1:${server!.port}`;
      const s = await scrape(`${base}/metrics`);
      expect(s.some((x) => x.name === 'tuoi_http_requests_total')).toBe(true);
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server?.close();
    }
  });
});
