/**
 * The plain Kubernetes workloads beside the Knative Services: the outbox relay (long-running, so
 * a Deployment that never scales to zero), the migration Job run before a release, and the
 * dead-letter replay CronJob, bound to the Broker by a SinkBinding because it emits over HTTP.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry, type FunctionSpec } from '../../functions/registry';
import { repoRoot } from '../../functions/shared/paths';
import type { Environment } from './environments';
import { BROKER, DEAD_LETTER_TOPIC } from './eventing';
import { fromConfig, fromSecret, hardenedContainer, labels, tmpVolume, type K8sObject } from './k8s';
import { DEFAULT_METRICS_PORT } from './monitoring';
import { APP_DIR, secretName } from './serving';

function pod(
  env: Environment,
  name: string,
  command: string[],
  vars: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    metadata: { labels: labels(name) },
    spec: {
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        hardenedContainer({
          name,
          image: `${env.image}:${env.tag}`,
          head: { command },
          env: [{ name: 'NODE_ENV', value: 'production' }, fromConfig('LOG_LEVEL'), ...vars],
          cpu: '100m',
          memory: '128Mi',
          memoryLimit: '256Mi',
          extra,
        }),
      ],
      volumes: [tmpVolume],
    },
  };
}

/** The outbox relay: every function's outbox → its Kafka topic, shards spread over the replicas. */
export function relayDeployment(env: Environment): K8sObject {
  const name = 'outbox-relay';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: env.namespace, labels: labels(name) },
    spec: {
      replicas: env.relayReplicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: pod(
        env,
        name,
        ['node', `${APP_DIR}/dist/functions/shared/eventing/relay-main.js`],
        [
          fromSecret('DATABASE_URL', secretName(env, name)),
          fromConfig('KAFKA_BROKERS'),
          { name: 'PORT', value: '8080' },
        ],
        {
          // GET /metrics (METRICS_PORT's default), scraped by the outbox-relay PodMonitor.
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'metrics', containerPort: DEFAULT_METRICS_PORT },
          ],
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 10,
            failureThreshold: 6,
          },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
        },
      ),
    },
  };
}

/** A digest of every migration file: a new set of migrations gets a new Job name, the same set re-applies as a no-op. */
export function migrationsDigest(functions: readonly FunctionSpec[] = registry): string {
  const key = functions
    .filter((fn) => fn.schema)
    .map((fn) => fn.name)
    .join(',');
  let digest = digests.get(key);
  if (digest === undefined) digests.set(key, (digest = hashMigrations(functions)));
  return digest;
}

/** Digests by the schemas they cover: every rendering needs one, the files are read once. */
const digests = new Map<string, string>();

function hashMigrations(functions: readonly FunctionSpec[]): string {
  const root = repoRoot();
  const hash = createHash('sha256');
  const dirs = [
    ...functions.filter((fn) => fn.schema).map((fn) => join('functions', fn.name, 'migrations')),
    join('functions', 'shared', 'eventing', 'migrations'),
  ];
  for (const dir of dirs) {
    const walk = (rel: string): void => {
      for (const entry of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const path = join(rel, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.sql')) hash.update(path).update(readFileSync(join(root, path)));
      }
    };
    walk(dir);
  }
  return hash.digest('hex').slice(0, 10);
}

/** The migration Job: applies every schema's pending migrations (idempotent, locked) before a rollout. */
export function migrateJob(env: Environment, digest: string): K8sObject {
  const name = 'migrate';
  const template = pod(
    env,
    name,
    ['node', `${APP_DIR}/dist/scripts/migrate.js`],
    [fromSecret('DATABASE_URL', secretName(env, name))],
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `migrate-${digest}`, namespace: env.namespace, labels: labels(name) },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: { ...template, spec: { ...(template.spec as object), restartPolicy: 'OnFailure' } },
    },
  };
}

/**
 * A dead-letter tool as a suspended CronJob, run on demand with `kubectl create job
 * --from=cronjob/<name>`: `dlq-list` prints the dead letters, `dlq-replay` replays every one
 * not replayed yet into the Broker (its Jobs carry the label the SinkBinding selects).
 */
export function deadLetterCronJob(env: Environment, action: 'list' | 'replay'): K8sObject {
  const name = `dlq-${action}`;
  const args = action === 'list' ? ['kafka-list'] : ['kafka-replay', 'all'];
  const sinkLabel: Record<string, string> = action === 'replay' ? { 'tuoi.vn/sink': BROKER } : {};
  const template = pod(
    env,
    name,
    ['node', `${APP_DIR}/dist/scripts/dlq.js`, ...args],
    [fromConfig('KAFKA_BROKERS'), { name: 'DLQ_TOPIC', value: DEAD_LETTER_TOPIC }],
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: env.namespace, labels: labels(name) },
    spec: {
      schedule: '0 0 1 1 *',
      suspend: true,
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        metadata: { labels: labels(name, sinkLabel) },
        spec: {
          backoffLimit: 0,
          ttlSecondsAfterFinished: 24 * 3600,
          template: {
            ...template,
            metadata: { labels: labels(name, sinkLabel) },
            spec: { ...(template.spec as object), restartPolicy: 'Never' },
          },
        },
      },
    },
  };
}

/**
 * Wakes a function that scales to zero on its `wake` schedule: one GET of its /healthz through
 * its cluster-local route (the activator starts a pod and holds the request until it is ready);
 * the pod then runs its own periodic work until Knative scales it down again.
 */
export function wakeCronJob(env: Environment, fn: FunctionSpec): K8sObject {
  const name = `${fn.name}-wake`;
  const template = pod(
    env,
    name,
    [
      'node',
      `${APP_DIR}/dist/scripts/wake.js`,
      `http://${fn.name}.${env.namespace}.svc.cluster.local/healthz`,
    ],
    [],
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: env.namespace, labels: labels(name) },
    spec: {
      schedule: fn.wake,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: labels(name) },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 120,
          ttlSecondsAfterFinished: 3600,
          template: { ...template, spec: { ...(template.spec as object), restartPolicy: 'Never' } },
        },
      },
    },
  };
}

/** Injects the Broker's address as K_SINK into every Job labelled to emit into it. */
export function replaySinkBinding(env: Environment): K8sObject {
  return {
    apiVersion: 'sources.knative.dev/v1',
    kind: 'SinkBinding',
    metadata: { name: 'dlq-replay', namespace: env.namespace, labels: labels('dlq-replay') },
    spec: {
      subject: { apiVersion: 'batch/v1', kind: 'Job', selector: { matchLabels: { 'tuoi.vn/sink': BROKER } } },
      sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: BROKER } },
    },
  };
}
