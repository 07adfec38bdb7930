/**
 * What differs between the places Tươi runs. The base manifests use `base`; each overlay is the
 * difference between the objects rendered for its environment and the base objects, so an
 * overlay can never drift from what the generator would render for that environment directly.
 */
import type { ScalingProfile } from '../../functions/registry';

/** Autoscaling bounds and container resources for one scaling profile. */
export interface ProfileSettings {
  minScale: number;
  maxScale: number;
  /** Requests; memory is also the limit. No CPU limit: CFS throttling wrecks tail latency. */
  cpu: string;
  memory: string;
}

/** One environment: where images come from, host names, Kafka sizing, scale and secret names. */
export interface Environment {
  name: string;
  namespace: string;
  /** Image reference without the tag, and its tag. */
  image: string;
  tag: string;
  /** Public API host (DomainMapping to the gateway) and the provider webhook host. */
  apiHost: string;
  webhookHost: string;
  /**
   * The public host of the shop: a DomainMapping to the gateway, whose root the storefront serves.
   * Links to the shop's pages (`SHOP_URL` in the platform ConfigMap) are `https://<shopHost>`.
   */
  shopHost: string;
  kafka: { bootstrap: string; replication: number; minInSync: number };
  /** Redis, Elasticsearch and the Firestore project, as the functions' environment. */
  redisUrl: string;
  elasticsearchUrl: string;
  firestoreProject: string;
  profiles: Record<ScalingProfile, ProfileSettings>;
  /** Outbox relay replicas (each shard is drained by one replica at a time). */
  relayReplicas: number;
  /** Prefix of every Secret name: the overlays point at different secret stores. */
  secretPrefix: string;
  logLevel: string;
  /**
   * `iss` of the cluster's service-account tokens (kube-apiserver `--service-account-issuer`;
   * read it with `kubectl get --raw /.well-known/openid-configuration`). Delivery tokens carry it.
   */
  serviceAccountIssuer: string;
  /**
   * Where Prometheus and Grafana run (kube-prometheus-stack or the Prometheus Operator): the
   * namespace whose pods may scrape the functions' metrics ports (NetworkPolicy) and where the
   * dashboard ConfigMaps go (Grafana's sidecar reads its own namespace), and the labels the
   * Prometheus CR selects PodMonitors and PrometheusRules by (`podMonitorSelector`, `ruleSelector`).
   */
  monitoring: { namespace: string; labels: Record<string, string> };
}

const profiles = (
  scaleOut: [number, number],
  alwaysOn: [number, number],
  memoryScale: number,
): Record<ScalingProfile, ProfileSettings> => ({
  'scale-to-zero': { minScale: 0, maxScale: 10, cpu: '100m', memory: `${128 * memoryScale}Mi` },
  'scale-out': {
    minScale: scaleOut[0],
    maxScale: scaleOut[1],
    cpu: '500m',
    memory: `${256 * memoryScale}Mi`,
  },
  'always-on': {
    minScale: alwaysOn[0],
    maxScale: alwaysOn[1],
    cpu: '500m',
    memory: `${256 * memoryScale}Mi`,
  },
  standard: { minScale: 0, maxScale: 20, cpu: '250m', memory: `${256 * memoryScale}Mi` },
});

/** The shape every overlay starts from. */
export const base: Environment = {
  name: 'base',
  namespace: 'tuoi',
  image: 'registry.tuoi.internal/tuoi/functions',
  tag: 'latest',
  apiHost: 'api.tuoi.vn',
  webhookHost: 'hooks.tuoi.vn',
  shopHost: 'tuoi.vn',
  kafka: { bootstrap: 'tuoi-kafka-bootstrap.kafka.svc:9092', replication: 3, minInSync: 2 },
  redisUrl: 'redis://redis.data.svc:6379',
  // kubeadm's and most distributions' default; managed clusters use their own URL (override it).
  serviceAccountIssuer: 'https://kubernetes.default.svc.cluster.local',
  elasticsearchUrl: 'http://elasticsearch.data.svc:9200',
  firestoreProject: 'tuoi',
  profiles: profiles([1, 50], [1, 20], 1),
  relayReplicas: 2,
  secretPrefix: '',
  logLevel: 'info',
  monitoring: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } },
};

/** Environments with an overlay under knative/overlays/<name>. */
export const environments: Environment[] = [
  {
    ...base,
    name: 'dev',
    tag: 'dev',
    apiHost: 'api.dev.tuoi.vn',
    webhookHost: 'hooks.dev.tuoi.vn',
    shopHost: 'dev.tuoi.vn',
    kafka: { ...base.kafka, replication: 1, minInSync: 1 },
    profiles: profiles([0, 5], [1, 2], 1),
    relayReplicas: 1,
    secretPrefix: 'dev-',
    logLevel: 'debug',
  },
  {
    ...base,
    name: 'prod',
    tag: 'stable',
    // Peak: 300,000 users. Inventory and search start wide and may go far; sign-in stays warm.
    profiles: profiles([3, 200], [3, 40], 2),
    relayReplicas: 3,
    secretPrefix: 'prod-',
  },
];

/** The environment called `name`, or an error naming the known ones. */
export function environmentNamed(name: string): Environment {
  const env = environments.find((e) => e.name === name);
  if (!env)
    throw new Error(`unknown environment ${name}; known: ${environments.map((e) => e.name).join(', ')}`);
  return env;
}
