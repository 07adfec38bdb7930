/**
 * Who may send what to whom, in the cluster (issue 13: only the broker can deliver events).
 * - EventPolicies (eventing.knative.dev/v1alpha1, feature `authentication-oidc`): Knative checks
 *   them at its own ingresses only. The Broker accepts events only from our KafkaSources and the
 *   dead-letter replay Job's SinkBinding, and only contract types; the dead-letter KafkaSink only
 *   from our Triggers and KafkaSources. A Knative Service is not an EventPolicy target (it has no
 *   Eventing ingress), so each function checks its deliveries' tokens itself against the same
 *   Trigger identities (EVENTS_OIDC_SUBJECTS, see serving.ts and functions/shared/eventing/sender-auth.ts).
 * - NetworkPolicies: function and gateway pods accept traffic only from the Knative data plane —
 *   Kourier's gateways (every request, the gateway's and the broker dispatcher's included, reaches a
 *   Knative Service through them) and knative-serving (activator while scaled to zero, autoscaler
 *   scraping queue-proxy). That stops direct pod-IP access; it cannot tell the gateway's requests from
 *   the dispatcher's, which is why the token check exists. The monitoring namespace (Prometheus)
 *   reaches the metrics ports only (9464, queue-proxy's 9091).
 * - A ClusterRoleBinding lets the functions' service account read the API server's OIDC discovery
 *   and JWKS (ClusterRole system:service-account-issuer-discovery, not bound by default).
 */
import { contracts, producers } from '../../events';
import { triggers, type FunctionSpec } from '../../functions/registry';
import { functionAudience, triggerSubject } from '../../functions/shared/eventing/identity';
import type { Environment } from './environments';
import { BROKER, DEAD_LETTER_SINK } from './eventing';
import { labels, type K8sObject } from './k8s';
import { SCRAPED_PORTS } from './monitoring';

/** Namespaces of the Knative data plane that deliver to function pods (infra/k8s/install.sh). */
export const DATA_PLANE_NAMESPACES = ['kourier-system', 'knative-serving'] as const;

/** The audience a function's Triggers request tokens for, and the subjects it accepts. */
export function eventIdentity(fn: FunctionSpec, env: Environment): { audience: string; subjects: string[] } {
  return {
    audience: functionAudience(fn.name, env.namespace),
    subjects: triggers([fn]).map((t) => triggerSubject(t.name, env.namespace)),
  };
}

const cesqlIn = (types: string[]) => `type IN (${types.map((t) => `'${t}'`).join(', ')})`;

/** The EventPolicies of the Broker and the dead-letter sink. */
export function eventPolicies(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  const ns = env.namespace;
  const sources = producers().map((p) => ({
    ref: { apiVersion: 'sources.knative.dev/v1', kind: 'KafkaSource', name: `events-${p}`, namespace: ns },
  }));
  return [
    {
      apiVersion: 'eventing.knative.dev/v1alpha1',
      kind: 'EventPolicy',
      metadata: { name: 'broker-senders', namespace: ns, labels: labels('broker') },
      spec: {
        to: [{ ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: BROKER } }],
        from: [
          ...sources,
          {
            ref: {
              apiVersion: 'sources.knative.dev/v1',
              kind: 'SinkBinding',
              name: 'dlq-replay',
              namespace: ns,
            },
          },
        ],
        filters: [{ cesql: cesqlIn(contracts.map((c) => c.type).sort()) }],
      },
    },
    {
      apiVersion: 'eventing.knative.dev/v1alpha1',
      kind: 'EventPolicy',
      metadata: { name: 'dead-letter-senders', namespace: ns, labels: labels('dead-letters') },
      spec: {
        to: [
          { ref: { apiVersion: 'eventing.knative.dev/v1alpha1', kind: 'KafkaSink', name: DEAD_LETTER_SINK } },
        ],
        from: [
          ...triggers(functions).map((t) => ({
            ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', name: t.name, namespace: ns },
          })),
          ...sources,
        ],
      },
    },
  ];
}

/**
 * NetworkPolicies: function and gateway pods take ingress only from the Knative data plane, and
 * from the monitoring namespace on the metrics ports.
 */
export function networkPolicies(functions: readonly FunctionSpec[], env: Environment): K8sObject[] {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'functions-ingress', namespace: env.namespace, labels: labels('platform') },
      spec: {
        podSelector: {
          matchExpressions: [
            {
              key: 'app.kubernetes.io/name',
              operator: 'In',
              values: [...functions.map((f) => f.name), 'gateway'].sort(),
            },
          ],
        },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    {
                      key: 'kubernetes.io/metadata.name',
                      operator: 'In',
                      values: [...DATA_PLANE_NAMESPACES],
                    },
                  ],
                },
              },
            ],
          },
          {
            // Prometheus: only the metrics ports (ours and queue-proxy's), never the functions' own.
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': env.monitoring.namespace },
                },
              },
            ],
            ports: SCRAPED_PORTS.map((port) => ({ protocol: 'TCP', port })),
          },
        ],
      },
    },
  ];
}

/** Lets the functions' service account read the API server's OIDC discovery document and JWKS. */
export function oidcDiscoveryBinding(env: Environment): K8sObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${env.namespace}-service-account-issuer-discovery`, labels: labels('platform') },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:service-account-issuer-discovery',
    },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: env.namespace }],
  };
}
