/**
 * The monitoring objects: what Prometheus scrapes and how it gets there (Knative allows one
 * container port), the alerts of the seeds' SLOs, and a dashboard per function. The Prometheus
 * Operator models are lenient about unknown fields, so the shapes that matter are checked here.
 */
import { registry } from '../../functions/registry';
import {
  DEFAULT_METRICS_PORT as HOST_METRICS_PORT,
  initMetrics,
  registry as metricsRegistry,
} from '../../functions/shared/metrics';
import { base, environments, type Environment } from './environments';
import type { K8sObject } from './k8s';
import { DEFAULT_METRICS_PORT } from './monitoring';
import { renderObjects } from './render';

const everyEnv = [base, ...environments];
type Any = K8sObject & { spec: any; data?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Any | undefined;

/** Every metric name our code defines, with the series names a histogram adds. */
async function definedMetrics(): Promise<Set<string>> {
  initMetrics('manifests-test'); // adds the process and Node.js metrics, as in a host
  const names = new Set<string>();
  for (const m of await metricsRegistry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

describe('monitoring manifests', () => {
  it('the PodMonitor port is the one the hosts serve', () => {
    expect(DEFAULT_METRICS_PORT).toBe(HOST_METRICS_PORT);
  });

  it.each(everyEnv.map((e) => [e.name, e]))(
    '%s: every Knative Service declares exactly one container port (Knative refuses more)',
    (_, env) => {
      const services = renderObjects(env as Environment).filter(
        (o) => o.kind === 'Service' && o.apiVersion === 'serving.knative.dev/v1',
      ) as Any[];
      expect(services.length).toBe(registry.length + 1);
      for (const s of services) {
        const ports = s.spec.template.spec.containers.flatMap((c: { ports?: unknown[] }) => c.ports ?? []);
        expect([s.metadata.name, ports]).toEqual([s.metadata.name, [{ name: 'http1', containerPort: 8080 }]]);
      }
    },
  );

  it("scrapes every function at its pod IP on the metrics port through the one declared port, and queue-proxy's metrics", () => {
    const objects = renderObjects(base);
    const fns = find(objects, 'PodMonitor', 'functions')!;
    expect(fns.metadata.namespace).toBe('tuoi');
    expect(fns.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(fns.spec.selector.matchExpressions[0].values).toEqual(registry.map((f) => f.name).sort());
    const [ours, queue] = fns.spec.podMetricsEndpoints;
    expect(ours).toMatchObject({ port: 'user-port', path: '/metrics', honorLabels: true });
    expect(ours.relabelings[0]).toEqual({
      sourceLabels: ['__meta_kubernetes_pod_ip'],
      regex: '(.+)',
      replacement: '$1:9464',
      targetLabel: '__address__',
      action: 'replace',
    });
    expect(queue).toMatchObject({ port: 'http-usermetric', path: '/metrics' });
    expect(find(objects, 'PodMonitor', 'gateway')!.spec.podMetricsEndpoints).toEqual([queue]);
  });

  it('the relay Deployment declares its metrics port, and its PodMonitor scrapes it by name', () => {
    const objects = renderObjects(base);
    const relay = find(objects, 'Deployment', 'outbox-relay')!;
    expect(relay.spec.template.spec.containers[0].ports).toContainEqual({
      name: 'metrics',
      containerPort: 9464,
    });
    const monitor = find(objects, 'PodMonitor', 'outbox-relay')!;
    expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'outbox-relay' } });
    expect(monitor.spec.podMetricsEndpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: '30s', honorLabels: true },
    ]);
  });

  it('the monitoring namespace reaches function pods on the metrics ports only', () => {
    const policy = find(renderObjects(base), 'NetworkPolicy', 'functions-ingress')!;
    expect(policy.spec.ingress).toHaveLength(2);
    expect(policy.spec.ingress[0].ports).toBeUndefined(); // the data plane: every port
    expect(policy.spec.ingress[1]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [
        { protocol: 'TCP', port: 9464 },
        { protocol: 'TCP', port: 9091 },
      ],
    });
    // Another environment's monitoring namespace follows it.
    const other = { ...base, monitoring: { namespace: 'observability', labels: {} } };
    expect(find(renderObjects(other), 'NetworkPolicy', 'functions-ingress')!.spec.ingress[1].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
    ]);
  });

  it("alerts on the seeds' SLOs, errors, Kafka lag, dead letters, the outbox and oversells", () => {
    const rule = find(renderObjects(base), 'PrometheusRule', 'tuoi')!;
    const rules = rule.spec.groups.flatMap((g: { rules: unknown[] }) => g.rules) as {
      alert?: string;
      record?: string;
      expr: string;
      for?: string;
      labels?: Record<string, string>;
    }[];
    const alert = (name: string) => rules.find((r) => r.alert === name)!;
    expect(rules.filter((r) => r.alert).map((r) => r.alert)).toEqual([
      'TuoiSearchLatencyHigh',
      'TuoiCheckoutLatencyHigh',
      'TuoiErrorRateHigh',
      'TuoiEventHandlersFailing',
      'TuoiKafkaConsumerLagHigh',
      'TuoiDeadLettersGrowing',
      'TuoiOutboxBacklog',
      'TuoiRelayLagHigh',
      'TuoiRelayStalled',
      'TuoiDatabasePoolSaturated',
      'TuoiStockOversold',
    ]);
    expect(alert('TuoiSearchLatencyHigh').expr).toMatch(
      /histogram_quantile\(0\.99,.*function="search".*\) > 0\.5$/,
    );
    expect(alert('TuoiCheckoutLatencyHigh').expr).toMatch(
      /function="order",route="\/checkout",method="POST".*\) > 1$/,
    );
    expect(alert('TuoiDeadLettersGrowing').expr).toContain('topic="tuoi.dead-letters"');
    expect(alert('TuoiStockOversold')).toMatchObject({
      expr: 'sum(increase(tuoi_stock_oversell_total[1h])) > 0',
      labels: { severity: 'page' },
    });
    for (const r of rules.filter((x) => x.alert)) expect(r.labels?.severity).toMatch(/^(page|warning)$/);
    expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual(
      expect.arrayContaining([
        'tuoi:slot_booking_success:ratio_rate1h',
        'tuoi:substitution_acceptance:ratio_rate1d',
      ]),
    );
  });

  it('has a Grafana dashboard per function, and one for the relay, that Grafana’s sidecar picks up', () => {
    const maps = renderObjects(base).filter((o) => o.metadata.labels?.grafana_dashboard === '1') as Any[];
    expect(maps.map((m) => m.metadata.name).sort()).toEqual(
      [...registry.map((f) => `tuoi-dashboard-${f.name}`), 'tuoi-dashboard-outbox-relay'].sort(),
    );
    const uids = new Set<string>();
    for (const m of maps) {
      expect(m.metadata.namespace).toBe('monitoring');
      const [file, json] = Object.entries(m.data!)[0]!;
      expect(file).toMatch(/^tuoi-[a-z-]+\.json$/);
      const board = JSON.parse(json);
      uids.add(board.uid);
      expect(board.panels.length).toBeGreaterThan(0);
      for (const p of board.panels) {
        expect(p.targets.length).toBeGreaterThan(0);
        expect(p.gridPos.w + p.gridPos.x).toBeLessThanOrEqual(24);
      }
    }
    expect(uids.size).toBe(maps.length);
    const order = JSON.parse(
      Object.values(find(renderObjects(base), 'ConfigMap', 'tuoi-dashboard-order')!.data!)[0]!,
    );
    expect(order.panels.map((p: { title: string }) => p.title)).toEqual(
      expect.arrayContaining(['Checkout failures by reason', 'Orders confirmed and completed']),
    );
  });

  it('every tuoi_* series the alerts and dashboards query is one the code defines', async () => {
    const defined = await definedMetrics();
    const objects = renderObjects(base);
    const exprs = [
      ...find(objects, 'PrometheusRule', 'tuoi')!.spec.groups.flatMap((g: { rules: { expr: string }[] }) =>
        g.rules.map((r) => r.expr),
      ),
      ...(objects.filter((o) => o.metadata.labels?.grafana_dashboard === '1') as Any[]).flatMap((m) =>
        JSON.parse(Object.values(m.data!)[0]!).panels.flatMap((p: { targets: { expr: string }[] }) =>
          p.targets.map((t) => t.expr),
        ),
      ),
    ] as string[];
    const used = new Set(exprs.flatMap((e) => e.match(/\btuoi_[a-z0-9_]+/g) ?? []));
    const unknown = [...used].filter((n) => !defined.has(n));
    expect(unknown).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });
});
