/**
 * Knative Services: one per registry function, plus the gateway that routes the public hosts'
 * paths to them by the registry's prefixes (the same code as the dev gateway). Functions are
 * cluster-local; only the gateway is reachable from outside, through its DomainMappings.
 */
import { hostOf, type FunctionSpec, type ScalingProfile } from '../../functions/registry';
import { IN_CLUSTER_JWKS_FILES } from '../../functions/shared/eventing/sender-auth';
import type { Environment } from './environments';
import { eventIdentity } from './security';
import {
  fromConfig,
  fromSecret,
  hardenedContainer,
  labels,
  PLATFORM_CONFIG,
  tmpMount,
  tmpVolume,
  type EnvVar,
  type K8sObject,
} from './k8s';

/** Where the image keeps the compiled code. */
export const APP_DIR = '/app';

/** The Secret holding a component's credentials in `env`. */
export const secretName = (env: Environment, component: string): string =>
  `${env.secretPrefix}${component}-secrets`;

/** Autoscaling annotations of a profile (on the revision template, where Knative reads them). */
export function scalingAnnotations(profile: ScalingProfile, env: Environment): Record<string, string> {
  const s = env.profiles[profile];
  const bounds = {
    'autoscaling.knative.dev/min-scale': String(s.minScale),
    'autoscaling.knative.dev/max-scale': String(s.maxScale),
  };
  switch (profile) {
    case 'scale-to-zero':
      // Idle notifications cost nothing; a pod lingers 5 min after the last event so bursts
      // (an order wave) do not pay a cold start each.
      return {
        ...bounds,
        'autoscaling.knative.dev/scale-to-zero-pod-retention-period': '5m',
        'autoscaling.knative.dev/target': '50',
      };
    case 'scale-out':
      // Add pods early: 10 concurrent requests per pod at 70 %, wake with 3 pods, keep the
      // activator in the path so bursts are buffered while pods start, no upper bound in practice.
      return {
        ...bounds,
        'autoscaling.knative.dev/metric': 'concurrency',
        'autoscaling.knative.dev/target': '10',
        'autoscaling.knative.dev/target-utilization-percentage': '70',
        'autoscaling.knative.dev/activation-scale': '3',
        'autoscaling.knative.dev/window': '30s',
        'autoscaling.knative.dev/target-burst-capacity': '-1',
      };
    case 'always-on':
      return {
        ...bounds,
        'autoscaling.knative.dev/target': '20',
        'autoscaling.knative.dev/scale-down-delay': '2m',
      };
    case 'standard':
      return bounds;
  }
}

/** The environment a function reads, from its registry entry: config, secrets, addresses. */
export function functionEnv(fn: FunctionSpec, env: Environment): EnvVar[] {
  const vars: EnvVar[] = [
    { name: 'FUNCTION_TARGET', value: fn.name },
    { name: 'FUNCTION_SOURCE', value: `${APP_DIR}/dist/functions/${fn.name}/index.js` },
    { name: 'NODE_ENV', value: 'production' },
    fromConfig('LOG_LEVEL'),
  ];
  if (fn.maxBodyBytes) vars.push({ name: 'MAX_BODY_BYTES', value: String(fn.maxBodyBytes) });
  const secrets = secretName(env, fn.name);
  for (const backing of fn.uses)
    switch (backing) {
      case 'postgres':
        // Through the PgBouncer pooler: hundreds of pods must not each hold their own connections.
        vars.push(fromSecret('DATABASE_URL', secrets), { name: 'DB_POOL_SIZE', value: '5' });
        break;
      case 'redis':
        vars.push(fromConfig('REDIS_URL'));
        break;
      case 'elasticsearch':
        vars.push(fromConfig('ELASTICSEARCH_URL'));
        break;
      case 'firestore':
        vars.push(fromConfig('FIRESTORE_PROJECT_ID'), {
          name: 'GOOGLE_APPLICATION_CREDENTIALS',
          value: '/var/run/secrets/tuoi/firestore/key.json',
        });
        break;
      case 'jwks':
        vars.push(fromConfig('AUTH_JWKS_URL'), fromConfig('AUTH_ISSUER'), fromConfig('AUTH_AUDIENCE'));
        break;
      case 'shop':
        vars.push(fromConfig('SHOP_URL'));
        break;
      case 'hooks':
        vars.push(fromConfig('WEBHOOK_BASE_URL'));
        break;
    }
  if (fn.subscriptions.length > 0) {
    // Delivery tokens (Knative authentication-oidc): the cluster issuer, this function's audience,
    // its Triggers' identities, and the API server's JWKS read with the pod's own token.
    const { audience, subjects } = eventIdentity(fn, env);
    vars.push(
      fromConfig('EVENTS_OIDC_ISSUER'),
      fromConfig('EVENTS_OIDC_JWKS_URL'),
      { name: 'EVENTS_OIDC_JWKS_TOKEN_FILE', value: IN_CLUSTER_JWKS_FILES.token },
      { name: 'EVENTS_OIDC_JWKS_CA_FILE', value: IN_CLUSTER_JWKS_FILES.ca },
      { name: 'EVENTS_OIDC_AUDIENCE', value: audience },
      { name: 'EVENTS_OIDC_SUBJECTS', value: subjects.join(',') },
    );
  }
  for (const [name, value] of Object.entries(fn.env ?? {})) vars.push({ name, value });
  for (const name of fn.secrets ?? []) vars.push(fromSecret(name, secrets));
  for (const name of fn.optionalSecrets ?? [])
    vars.push({ name, valueFrom: { secretKeyRef: { name: secrets, key: name, optional: true } } });
  return vars;
}

/**
 * HTTP probes for functions with routes that stay up. CloudEvent-only functions keep Knative's TCP
 * probe (a GET would get 404), and so do functions that scale to zero: their host opens its port
 * only once the function is built, and a probe that pings the database on every cold start would
 * hold the first event back for it.
 */
function probes(fn: FunctionSpec): Record<string, unknown> {
  if (fn.trigger === 'cloudevent' || fn.scaling === 'scale-to-zero') return {};
  return {
    readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 2, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
  };
}

function container(
  env: Environment,
  profile: ScalingProfile,
  vars: EnvVar[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { cpu, memory } = env.profiles[profile];
  return hardenedContainer({
    name: 'function',
    image: `${env.image}:${env.tag}`,
    head: { ports: [{ name: 'http1', containerPort: 8080 }] },
    env: vars,
    cpu,
    memory,
    extra,
  });
}

function knativeService(
  name: string,
  env: Environment,
  opts: {
    profile: ScalingProfile;
    public: boolean;
    timeoutSeconds: number;
    container: Record<string, unknown>;
    volumes?: unknown[];
  },
): K8sObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: env.namespace,
      labels: labels(name, {
        'tuoi.vn/scaling': opts.profile,
        ...(opts.public ? {} : { 'networking.knative.dev/visibility': 'cluster-local' }),
      }),
    },
    spec: {
      template: {
        metadata: {
          labels: labels(name),
          annotations: scalingAnnotations(opts.profile, env),
        },
        spec: {
          containerConcurrency: 0,
          timeoutSeconds: opts.timeoutSeconds,
          enableServiceLinks: false,
          containers: [opts.container],
          volumes: [tmpVolume, ...(opts.volumes ?? [])],
        },
      },
    },
  };
}

/** The Knative Service of one registry function. */
export function functionService(fn: FunctionSpec, env: Environment): K8sObject {
  const firestore = fn.uses.includes('firestore');
  const mounts = firestore
    ? [tmpMount, { name: 'firestore', mountPath: '/var/run/secrets/tuoi/firestore', readOnly: true }]
    : [tmpMount];
  return knativeService(fn.name, env, {
    profile: fn.scaling,
    public: false,
    // Bulk imports of up to 16 MiB take longer than a read; everything else answers in seconds.
    timeoutSeconds: fn.maxBodyBytes ? 300 : 60,
    container: container(env, fn.scaling, functionEnv(fn, env), {
      // The image's entry point is the functions-framework host; lean functions start the lean host instead.
      ...(hostOf(fn) === 'lean' ? { command: ['node', `${APP_DIR}/dist/functions/shared/host.js`] } : {}),
      ...probes(fn),
      volumeMounts: mounts,
    }),
    volumes: firestore
      ? [{ name: 'firestore', secret: { secretName: `${env.secretPrefix}firestore-credentials` } }]
      : [],
  });
}

/** The public gateway: routes paths to the cluster-local function Services by registry prefix. */
export function gatewayService(env: Environment): K8sObject {
  return knativeService('gateway', env, {
    profile: 'scale-out',
    public: true,
    timeoutSeconds: 300,
    container: container(
      env,
      'scale-out',
      [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'GATEWAY_UPSTREAM', value: `http://{name}.${env.namespace}.svc.cluster.local` },
      ],
      {
        command: ['node', `${APP_DIR}/dist/functions/shared/gateway.js`],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
      },
    ),
  });
}

/**
 * DomainMappings of the public hosts to the gateway, in this order: the API host; the shop host
 * only when a function serves pages (the storefront, at the gateway's root); the webhook host only
 * when a function has webhooks.
 */
export function domainMappings(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  const hosts = [env.apiHost];
  if (functions.some((fn) => fn.pages)) hosts.push(env.shopHost);
  if (functions.some((fn) => (fn.webhooks ?? []).length > 0)) hosts.push(env.webhookHost);
  return hosts.map((host) => ({
    apiVersion: 'serving.knative.dev/v1beta1',
    kind: 'DomainMapping',
    metadata: { name: host, namespace: env.namespace, labels: labels('gateway') },
    spec: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'gateway' } },
  }));
}

/** The ConfigMap of platform addresses the functions read (never secrets). */
export function platformConfig(env: Environment): K8sObject {
  const user = `http://user.${env.namespace}.svc.cluster.local`;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PLATFORM_CONFIG, namespace: env.namespace, labels: labels('platform') },
    data: {
      AUTH_AUDIENCE: 'tuoi-api',
      AUTH_ISSUER: 'https://auth.tuoi.vn',
      AUTH_JWKS_URL: `${user}/.well-known/jwks.json`,
      ELASTICSEARCH_URL: env.elasticsearchUrl,
      // The cluster's service-account issuer (`kubectl get --raw /.well-known/openid-configuration`).
      EVENTS_OIDC_ISSUER: env.serviceAccountIssuer,
      EVENTS_OIDC_JWKS_URL: 'https://kubernetes.default.svc/openid/v1/jwks',
      FIRESTORE_PROJECT_ID: env.firestoreProject,
      KAFKA_BROKERS: env.kafka.bootstrap,
      LOG_LEVEL: env.logLevel,
      REDIS_URL: env.redisUrl,
      // The shop's public origin, for links to its pages (payment returns, links in messages).
      SHOP_URL: `https://${env.shopHost}`,
      // The webhook host's public origin, where providers call the functions' webhook routes
      // (payment notifications, SMS status callbacks).
      WEBHOOK_BASE_URL: `https://${env.webhookHost}`,
    },
  };
}
