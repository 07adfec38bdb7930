/** The few Kubernetes shapes the generator builds, as plain objects, and their shared pieces. */

/** Any Kubernetes object: what the generator renders and the validator checks. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A container environment variable. */
export type EnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: { configMapKeyRef: { name: string; key: string } } }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string; optional?: boolean } } };

/** The non-secret platform settings every function reads its addresses from. */
export const PLATFORM_CONFIG = 'tuoi-platform';

/** Labels every object of ours carries. */
export function labels(component: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'tuoi', ...extra };
}

/** Container hardening: non-root, read-only root file system, no privilege escalation, no capabilities. */
export const containerSecurity = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A writable /tmp on a read-only root file system. */
export const tmpVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
export const tmpMount = { name: 'tmp', mountPath: '/tmp' };

/**
 * A container of the one image, hardened, with a writable /tmp: `head` comes right after the
 * image (ports or command), `extra` last (probes, mounts that replace the /tmp-only list).
 * Memory is requested and limited; CPU is only requested.
 */
export function hardenedContainer(opts: {
  name: string;
  image: string;
  head: Record<string, unknown>;
  env: unknown[];
  cpu: string;
  memory: string;
  memoryLimit?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    name: opts.name,
    image: opts.image,
    ...opts.head,
    env: opts.env,
    resources: {
      requests: { cpu: opts.cpu, memory: opts.memory },
      limits: { memory: opts.memoryLimit ?? opts.memory },
    },
    securityContext: containerSecurity,
    volumeMounts: [tmpMount],
    ...opts.extra,
  };
}

export const fromConfig = (name: string, key = name): EnvVar => ({
  name,
  valueFrom: { configMapKeyRef: { name: PLATFORM_CONFIG, key } },
});

export const fromSecret = (name: string, secret: string, key = name): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** ISO-8601 duration of `ms` as Knative delivery fields want it (PT0.2S, PT10S). */
export function isoDuration(ms: number): string {
  return `PT${Number((ms / 1000).toFixed(3))}S`;
}
