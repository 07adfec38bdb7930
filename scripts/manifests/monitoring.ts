/**
 * Monitoring objects (Prometheus Operator and Grafana's dashboard sidecar), generated with the rest
 * from the registry (issue 21):
 * - PodMonitors. A Knative Service may declare one container port only (8080, `http1`), which
 *   Knative renames `user-port` in the pod; the metrics port 9464 cannot be declared. So the
 *   functions' PodMonitor selects `user-port` (one target per pod, none from queue-proxy's ports)
 *   and rewrites the address to `<pod IP>:9464`; a second endpoint scrapes queue-proxy's own request
 *   metrics (`http-usermetric`, 9091), the gateway's included. The relay is a Deployment and declares
 *   a `metrics` port.
 * - A PrometheusRule: the seeds' SLOs (search p99 ≤ 500 ms, checkout p99 ≤ 1 s), the error ratio,
 *   Kafka consumer lag, dead letters growing, outbox backlog and relay lag, pool saturation and the
 *   no-oversell invariant, plus recording rules for the business rates.
 * - A Grafana dashboard per function (and one for the relay and router), as ConfigMaps labelled
 *   `grafana_dashboard: "1"` in the monitoring namespace, where kube-prometheus-stack's sidecar looks.
 * The objects are typed with @kubernetes-models/prometheus-operator's interfaces, so tsc rejects a
 * misspelt field; `make manifests-check` validates them with its models.
 */
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor' with {
  'resolution-mode': 'import',
};
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule' with {
  'resolution-mode': 'import',
};
import type { FunctionSpec } from '../../functions/registry';
import type { Environment } from './environments';
import { DEAD_LETTER_TOPIC } from './eventing';
import { labels, type K8sObject } from './k8s';

/** The port every host serves GET /metrics on (METRICS_PORT's default in functions/shared/metrics.ts). */
export const DEFAULT_METRICS_PORT = 9464;
/** queue-proxy's user-facing request metrics port (Knative Serving). */
export const QUEUE_PROXY_METRICS_PORT = 9091;
/** The ports the monitoring namespace may reach on function pods. */
export const SCRAPED_PORTS = [DEFAULT_METRICS_PORT, QUEUE_PROXY_METRICS_PORT] as const;

const RELAY = 'outbox-relay';

/** Whether `o` belongs to monitoring (Prometheus Operator kinds, Grafana dashboards): deployed last. */
export function isMonitoring(o: K8sObject): boolean {
  return o.apiVersion.startsWith('monitoring.coreos.com/') || o.metadata.labels?.grafana_dashboard === '1';
}

const asObject = (o: IPodMonitor | IPrometheusRule): K8sObject => o as unknown as K8sObject;

/** The PodMonitors of the functions (our port and queue-proxy's), the gateway and the relay. */
export function podMonitors(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  const meta = (name: string) => ({
    name,
    namespace: env.namespace,
    labels: labels(name, env.monitoring.labels),
  });
  const byName = (names: string[]) => ({
    matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In' as const, values: names }],
  });
  const revision = {
    sourceLabels: ['__meta_kubernetes_pod_label_serving_knative_dev_revision'],
    targetLabel: 'revision',
  };
  const queueProxy = {
    port: 'http-usermetric',
    path: '/metrics',
    interval: '30s',
    relabelings: [
      revision,
      { sourceLabels: ['__meta_kubernetes_pod_label_serving_knative_dev_service'], targetLabel: 'function' },
    ],
  };
  const functionsMonitor: IPodMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta('functions'),
    spec: {
      selector: byName(functions.map((f) => f.name).sort()),
      podMetricsEndpoints: [
        {
          // The one declared port, so each pod is one target; the address is rewritten to the
          // metrics port the function's host serves (METRICS_PORT, never declared: Knative forbids it).
          port: 'user-port',
          path: '/metrics',
          interval: '30s',
          // Series carry the function's own `function` label.
          honorLabels: true,
          relabelings: [
            {
              sourceLabels: ['__meta_kubernetes_pod_ip'],
              regex: '(.+)',
              replacement: `$1:${DEFAULT_METRICS_PORT}`,
              targetLabel: '__address__',
              action: 'replace',
            },
            revision,
          ],
        },
        queueProxy,
      ],
    },
  };
  const gatewayMonitor: IPodMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta('gateway'),
    spec: { selector: byName(['gateway']), podMetricsEndpoints: [queueProxy] },
  };
  const relayMonitor: IPodMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(RELAY),
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': RELAY } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', honorLabels: true }],
    },
  };
  return [functionsMonitor, gatewayMonitor, relayMonitor].map(asObject);
}

const http = 'tuoi_http_request_duration_seconds_bucket';
const p99 = (selector: string) => `histogram_quantile(0.99, sum by (le) (rate(${http}{${selector}}[5m])))`;

/** The alerts and recording rules. */
export function alertRules(env: Environment): K8sObject {
  const page = { severity: 'page' };
  const ticket = { severity: 'warning' };
  const doc = (summary: string, description: string) => ({ summary, description });
  const rule: IPrometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'tuoi', namespace: env.namespace, labels: labels('tuoi', env.monitoring.labels) },
    spec: {
      groups: [
        {
          name: 'tuoi.slo',
          rules: [
            {
              alert: 'TuoiSearchLatencyHigh',
              expr: `${p99('function="search",route=~"/search|/search/suggest"')} > 0.5`,
              for: '10m',
              labels: page,
              annotations: doc(
                'Search p99 above 500 ms',
                'The 99th percentile of GET /search and /search/suggest has been above the seed SLO of 500 ms for 10 minutes: {{ $value | humanizeDuration }}.',
              ),
            },
            {
              alert: 'TuoiCheckoutLatencyHigh',
              expr: `${p99('function="order",route="/checkout",method="POST"')} > 1`,
              for: '10m',
              labels: page,
              annotations: doc(
                'Checkout p99 above 1 s',
                'The 99th percentile of POST /checkout has been above the seed SLO of 1 s for 10 minutes: {{ $value | humanizeDuration }}.',
              ),
            },
            {
              record: 'tuoi:http_errors:ratio_rate5m',
              expr:
                'sum by (function) (rate(tuoi_http_requests_total{code=~"5.."}[5m]))' +
                ' / sum by (function) (rate(tuoi_http_requests_total[5m]))',
            },
            {
              alert: 'TuoiErrorRateHigh',
              expr:
                'tuoi:http_errors:ratio_rate5m > 0.01' +
                ' and on (function) sum by (function) (rate(tuoi_http_requests_total[5m])) > 0.1',
              for: '10m',
              labels: page,
              annotations: doc(
                '{{ $labels.function }}: more than 1 % of requests fail with 5xx',
                '{{ $labels.function }} answered {{ $value | humanizePercentage }} of its requests with a 5xx over the last 5 minutes.',
              ),
            },
            {
              alert: 'TuoiEventHandlersFailing',
              expr: 'sum by (function, type) (rate(tuoi_events_consumed_total{outcome=~"retry|failed"}[5m])) > 0',
              for: '15m',
              labels: ticket,
              annotations: doc(
                '{{ $labels.function }} keeps failing {{ $labels.type }} events',
                'Deliveries are answered with 5xx and retried by the broker; they dead-letter once retries run out.',
              ),
            },
          ],
        },
        {
          name: 'tuoi.eventing',
          rules: [
            {
              alert: 'TuoiKafkaConsumerLagHigh',
              // Knative's Kafka consumers (Strimzi's Kafka Exporter) on a cluster; the local router elsewhere.
              expr:
                'sum by (consumergroup, topic) (kafka_consumergroup_lag{topic=~"tuoi\\\\..+"}) > 1000' +
                ' or sum by (topic) (tuoi_router_kafka_lag_records) > 1000',
              for: '10m',
              labels: ticket,
              annotations: doc(
                'Consumers of {{ $labels.topic }} are {{ $value }} records behind',
                'Events wait in Kafka: a subscriber is slow or failing, or consumers are too few.',
              ),
            },
            {
              alert: 'TuoiDeadLettersGrowing',
              expr:
                `sum(increase(kafka_topic_partition_current_offset{topic="${DEAD_LETTER_TOPIC}"}[15m])) > 0` +
                ' or sum(increase(tuoi_event_deliveries_total{outcome="dead_letter"}[15m])) > 0',
              labels: ticket,
              annotations: doc(
                'Events are being dead-lettered',
                `{{ $value }} new dead letters in 15 minutes (${DEAD_LETTER_TOPIC}). List them with \`make dlq\`, fix the cause, replay with \`make dlq-replay\`.`,
              ),
            },
            {
              alert: 'TuoiOutboxBacklog',
              expr: 'max by (schema) (tuoi_outbox_pending) > 5000',
              for: '5m',
              labels: ticket,
              annotations: doc(
                '{{ $value }} events wait in the {{ $labels.schema }} outbox',
                'The relay is not keeping up, or cannot publish to Kafka.',
              ),
            },
            {
              alert: 'TuoiRelayLagHigh',
              expr: 'max by (schema) (tuoi_outbox_oldest_pending_seconds) > 60',
              for: '5m',
              labels: page,
              annotations: doc(
                'The oldest unpublished {{ $labels.schema }} event is {{ $value | humanizeDuration }} old',
                'Events are committed but not reaching Kafka: check the outbox-relay pods and Kafka.',
              ),
            },
            {
              alert: 'TuoiRelayStalled',
              expr: `time() - max(tuoi_relay_last_success_timestamp_seconds{function="${RELAY}"}) > 120`,
              for: '2m',
              labels: page,
              annotations: doc(
                'No relay pass has succeeded for {{ $value | humanizeDuration }}',
                'Every replica fails its passes (database or Kafka unreachable).',
              ),
            },
          ],
        },
        {
          name: 'tuoi.resources',
          rules: [
            {
              alert: 'TuoiDatabasePoolSaturated',
              expr: 'sum by (function, pool) (tuoi_db_pool_connections{state="waiting"}) > 0',
              for: '5m',
              labels: ticket,
              annotations: doc(
                '{{ $labels.function }}: callers wait for a {{ $labels.pool }} database connection',
                'Every connection of the pool is busy; raise DB_POOL_SIZE or find the slow queries.',
              ),
            },
          ],
        },
        {
          name: 'tuoi.business',
          rules: [
            {
              alert: 'TuoiStockOversold',
              expr: 'sum(increase(tuoi_stock_oversell_total[1h])) > 0',
              labels: page,
              annotations: doc(
                'A write tried to hold more stock than is on hand',
                'The no-oversell CHECK on inventory lots refused a write ({{ $value }} in the last hour). It must stay 0: a reservation path has a bug.',
              ),
            },
            {
              record: 'tuoi:slot_booking_success:ratio_rate1h',
              expr:
                'sum(rate(tuoi_slot_requests_total{action=~"hold|book",outcome="done"}[1h]))' +
                ' / sum(rate(tuoi_slot_requests_total{action=~"hold|book"}[1h]))',
            },
            {
              record: 'tuoi:substitution_acceptance:ratio_rate1d',
              expr:
                'sum(increase(tuoi_substitutions_decided_total{decision="approved"}[1d]))' +
                ' / sum(increase(tuoi_substitutions_decided_total[1d]))',
            },
            {
              record: 'tuoi:checkout_failures:rate1h',
              expr: 'sum by (reason) (rate(tuoi_checkout_failures_total[1h]))',
            },
            {
              record: 'tuoi:payment_failures:rate1h',
              expr: 'sum by (provider) (rate(tuoi_payment_failures_total[1h]))',
            },
          ],
        },
      ],
    },
  };
  return asObject(rule);
}

// ------------------------------------------------------------------------------------ Grafana

interface Panel {
  title: string;
  unit: string;
  targets: { expr: string; legend: string }[];
  /** A horizontal line at this value (an SLO). */
  threshold?: number;
}

/** Panels every function gets: traffic, errors, latency, events, pool and process. */
function functionPanels(fn: string): Panel[] {
  const f = `function="${fn}"`;
  const routes = `${f},route!~"/healthz|/readyz"`;
  return [
    {
      title: 'Requests by route',
      unit: 'reqps',
      targets: [
        {
          expr: `sum by (method, route) (rate(tuoi_http_requests_total{${routes}}[$__rate_interval]))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
    {
      title: 'Errors (5xx) and refusals (4xx) by route',
      unit: 'reqps',
      targets: [
        {
          expr: `sum by (code, route) (rate(tuoi_http_requests_total{${routes},code=~"[45].."}[$__rate_interval]))`,
          legend: '{{code}} {{route}}',
        },
      ],
    },
    {
      title: 'p99 latency by route',
      unit: 's',
      threshold: fn === 'search' ? 0.5 : fn === 'order' ? 1 : undefined,
      targets: [
        {
          expr: `histogram_quantile(0.99, sum by (le, method, route) (rate(tuoi_http_request_duration_seconds_bucket{${routes}}[$__rate_interval])))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
    {
      title: 'p50 latency by route',
      unit: 's',
      targets: [
        {
          expr: `histogram_quantile(0.5, sum by (le, method, route) (rate(tuoi_http_request_duration_seconds_bucket{${routes}}[$__rate_interval])))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
    {
      title: 'CloudEvents consumed by type and outcome',
      unit: 'ops',
      targets: [
        {
          expr: `sum by (type, outcome) (rate(tuoi_events_consumed_total{${f}}[$__rate_interval]))`,
          legend: '{{outcome}} {{type}}',
        },
      ],
    },
    {
      title: 'Event age when consumed (p99)',
      unit: 's',
      targets: [
        {
          expr: `histogram_quantile(0.99, sum by (le, type) (rate(tuoi_event_age_seconds_bucket{${f}}[$__rate_interval])))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Database pool',
      unit: 'short',
      targets: [
        {
          expr: `sum by (pool) (tuoi_db_pool_connections{${f},state="total"}) - sum by (pool) (tuoi_db_pool_connections{${f},state="idle"})`,
          legend: 'in use {{pool}}',
        },
        {
          expr: `sum by (pool) (tuoi_db_pool_connections{${f},state="waiting"})`,
          legend: 'waiting {{pool}}',
        },
        { expr: `sum by (pool) (tuoi_db_pool_max{${f}})`, legend: 'max {{pool}} (per pod)' },
      ],
    },
    {
      title: 'Process: CPU, memory, event-loop lag',
      unit: 'short',
      targets: [
        { expr: `sum(rate(tuoi_process_cpu_seconds_total{${f}}[$__rate_interval]))`, legend: 'CPU cores' },
        { expr: `sum(tuoi_process_resident_memory_bytes{${f}}) / 2^20`, legend: 'RSS MiB' },
        { expr: `max(tuoi_nodejs_eventloop_lag_p99_seconds{${f}}) * 1000`, legend: 'event-loop lag p99 ms' },
      ],
    },
  ];
}

/** Business figures, on the dashboard of the function whose events they count. */
const businessPanels: Record<string, Panel[]> = {
  order: [
    {
      title: 'Orders confirmed and completed',
      unit: 'short',
      targets: [
        {
          expr: 'sum by (rail) (increase(tuoi_orders_confirmed_total[1h]))',
          legend: 'confirmed {{rail}} /h',
        },
        { expr: 'sum(increase(tuoi_orders_completed_total[1h]))', legend: 'completed /h' },
      ],
    },
    {
      title: 'Checkout failures by reason',
      unit: 'short',
      targets: [
        { expr: 'sum by (reason) (increase(tuoi_checkout_failures_total[1h]))', legend: '{{reason}} /h' },
      ],
    },
    {
      title: 'Substitution acceptance',
      unit: 'percentunit',
      targets: [{ expr: 'tuoi:substitution_acceptance:ratio_rate1d', legend: 'approved / decided (1 d)' }],
    },
  ],
  payment: [
    {
      title: 'Payment failures by provider',
      unit: 'short',
      targets: [
        { expr: 'sum by (provider) (increase(tuoi_payment_failures_total[1h]))', legend: '{{provider}} /h' },
      ],
    },
  ],
  delivery: [
    {
      title: 'Slot booking success rate',
      unit: 'percentunit',
      targets: [{ expr: 'tuoi:slot_booking_success:ratio_rate1h', legend: 'done / asked (hold, book; 1 h)' }],
    },
    {
      title: 'Slot refusals by reason',
      unit: 'short',
      targets: [
        {
          expr: 'sum by (action, reason) (increase(tuoi_slot_requests_total{outcome="refused"}[1h]))',
          legend: '{{action}} {{reason}} /h',
        },
      ],
    },
  ],
  inventory: [
    {
      title: 'Stock oversells (must stay 0)',
      unit: 'short',
      threshold: 0,
      targets: [{ expr: 'sum(increase(tuoi_stock_oversell_total[1h]))', legend: 'refused by the CHECK /h' }],
    },
  ],
};

/** Panels of the relay's and the event path's dashboard. */
const eventPathPanels: Panel[] = [
  {
    title: 'Outbox backlog by schema',
    unit: 'short',
    targets: [{ expr: 'max by (schema) (tuoi_outbox_pending)', legend: '{{schema}}' }],
  },
  {
    title: 'Oldest unpublished event (relay lag)',
    unit: 's',
    targets: [{ expr: 'max by (schema) (tuoi_outbox_oldest_pending_seconds)', legend: '{{schema}}' }],
  },
  {
    title: 'Published by schema',
    unit: 'ops',
    targets: [
      { expr: 'sum by (schema) (rate(tuoi_relay_published_total[$__rate_interval]))', legend: '{{schema}}' },
    ],
  },
  {
    title: 'Time in the outbox (p99)',
    unit: 's',
    targets: [
      {
        expr: 'histogram_quantile(0.99, sum by (le, schema) (rate(tuoi_relay_delay_seconds_bucket[$__rate_interval])))',
        legend: '{{schema}}',
      },
    ],
  },
  {
    title: 'Kafka consumer lag',
    unit: 'short',
    targets: [
      {
        expr: 'sum by (consumergroup, topic) (kafka_consumergroup_lag{topic=~"tuoi\\\\..+"})',
        legend: '{{consumergroup}} {{topic}}',
      },
      { expr: 'sum by (topic) (tuoi_router_kafka_lag_records)', legend: 'local router {{topic}}' },
    ],
  },
  {
    title: 'Dead letters',
    unit: 'short',
    targets: [
      {
        expr: `sum(increase(kafka_topic_partition_current_offset{topic="${DEAD_LETTER_TOPIC}"}[1h]))`,
        legend: `${DEAD_LETTER_TOPIC} /h`,
      },
    ],
  },
  {
    title: 'Relay failures and pool',
    unit: 'short',
    targets: [
      { expr: `sum(increase(tuoi_relay_failures_total[1h]))`, legend: 'failed passes /h' },
      {
        expr: `sum(tuoi_db_pool_connections{function="${RELAY}",state="waiting"})`,
        legend: 'waiting for a connection',
      },
    ],
  },
];

/** A Grafana dashboard (schema 39) of `panels`, two to a row, on a Prometheus data source variable. */
export function dashboard(uid: string, title: string, panels: Panel[]): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  return {
    uid,
    title,
    tags: ['tuoi'],
    editable: false,
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }],
    },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.threshold !== undefined
            ? {
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { color: 'green', value: null },
                    { color: 'red', value: p.threshold },
                  ],
                },
                custom: { thresholdsStyle: { mode: 'line' } },
              }
            : {}),
        },
        overrides: [],
      },
      targets: p.targets.map((t, j) => ({
        datasource,
        expr: t.expr,
        legendFormat: t.legend,
        refId: String.fromCharCode(65 + j),
      })),
    })),
  };
}

/** One dashboard ConfigMap per function, and one for the relay and the event path. */
export function dashboards(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  const configMap = (name: string, body: Record<string, unknown>): K8sObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `tuoi-dashboard-${name}`,
      namespace: env.monitoring.namespace,
      labels: labels(name, { grafana_dashboard: '1' }),
      annotations: { grafana_folder: 'Tươi' },
    },
    data: { [`tuoi-${name}.json`]: `${JSON.stringify(body, null, 2)}\n` },
  });
  return [
    ...functions.map((fn) =>
      configMap(
        fn.name,
        dashboard(`tuoi-${fn.name}`, `Tươi / ${fn.name}`, [
          ...functionPanels(fn.name),
          ...(businessPanels[fn.name] ?? []),
        ]),
      ),
    ),
    configMap(RELAY, dashboard(`tuoi-${RELAY}`, 'Tươi / outbox relay and event path', eventPathPanels)),
  ];
}
