/**
 * `make deploy ENV=dev [TAG=…]`: applies an environment with kubectl, in the order a release
 * needs. The objects are the overlay's (the generator renders them; a test checks that
 * `kubectl kustomize knative/overlays/<env>` gives the same), with the image tag set to TAG.
 *   1. namespace, platform config, Kafka topics, broker and dead-letter sink
 *   2. every Secret the workloads reference must exist (they are never in git)
 *   3. the migration Job (replacing the previous run), waited for: functions never run against
 *      an older schema
 *   4. functions, gateway, routes, triggers, sources and workloads; then wait for Ready
 *   5. monitoring: PodMonitors, the PrometheusRule and the Grafana dashboards (needs the
 *      Prometheus Operator's CRDs and the monitoring namespace, e.g. kube-prometheus-stack)
 * `--plan` prints the steps instead of running them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentNamed, type Environment } from './manifests/environments';
import type { K8sObject } from './manifests/k8s';
import { isMonitoring } from './manifests/monitoring';
import { renderObjects, toYaml } from './manifests/render';

/** One step: a description and the kubectl arguments, with the objects it applies (if any). */
export interface Step {
  what: string;
  kubectl: string[];
  objects?: K8sObject[];
}

const FIRST = new Set(['Namespace', 'ConfigMap', 'KafkaTopic', 'Broker', 'KafkaSink']);

/** Every Secret name an object refers to (env secretKeyRef and secret volumes). */
export function referencedSecrets(objects: K8sObject[]): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.secretKeyRef) names.add((o.secretKeyRef as { name: string }).name);
    if (o.secret && typeof (o.secret as { secretName?: string }).secretName === 'string')
      names.add((o.secret as { secretName: string }).secretName);
    Object.values(o).forEach(walk);
  };
  walk(objects);
  return [...names].sort();
}

/** The release steps of `env` with image tag `tag`. */
export function releaseSteps(env: Environment, tag: string): Step[] {
  const objects = renderObjects({ ...env, tag });
  const ns = env.namespace;
  const monitoring = objects.filter(isMonitoring);
  const first = objects.filter((o) => FIRST.has(o.kind) && !isMonitoring(o));
  const job = objects.find((o) => o.kind === 'Job') as K8sObject;
  const rest = objects.filter((o) => !FIRST.has(o.kind) && o !== job && !isMonitoring(o));
  return [
    {
      what: 'namespace, config, topics, broker',
      kubectl: ['apply', '--server-side', '-f', '-'],
      objects: first,
    },
    {
      what: 'the referenced Secrets exist',
      kubectl: ['get', 'secret', '-n', ns, ...referencedSecrets(objects), '-o', 'name'],
    },
    // A Job's pod template is immutable and carries the image tag: replace the previous run.
    {
      what: 'previous migration run removed',
      kubectl: ['delete', 'job', '-n', ns, job.metadata.name, '--ignore-not-found', '--wait=true'],
    },
    { what: 'migrations', kubectl: ['apply', '--server-side', '-f', '-'], objects: [job] },
    {
      what: 'migrations finished',
      kubectl: ['wait', '-n', ns, '--for=condition=complete', `job/${job.metadata.name}`, '--timeout=15m'],
    },
    {
      what: 'functions, routes, eventing, workloads',
      kubectl: ['apply', '--server-side', '-f', '-'],
      objects: rest,
    },
    {
      what: 'every Knative Service ready',
      kubectl: ['wait', '-n', ns, '--for=condition=Ready', 'ksvc', '--all', '--timeout=10m'],
    },
    // Last, so a cluster without the Prometheus Operator (or its monitoring namespace) still gets
    // the release; this step then fails naming the missing kinds.
    {
      what: `monitoring: PodMonitors, alerts, dashboards (needs the Prometheus Operator and namespace ${env.monitoring.namespace})`,
      kubectl: ['apply', '--server-side', '-f', '-'],
      objects: monitoring,
    },
  ];
}

function main(argv = process.argv.slice(2)): void {
  const plan = argv.includes('--plan');
  const [name = 'dev', tag] = argv.filter((a) => !a.startsWith('--'));
  const env = environmentNamed(name);
  const steps = releaseSteps(env, tag || env.tag);
  const dir = mkdtempSync(join(tmpdir(), 'tuoi-deploy-'));
  steps.forEach((step, i) => {
    const line = `kubectl ${step.kubectl.join(' ')}${step.objects ? ` < ${step.objects.length} objects` : ''}`;
    console.log(`[deploy ${env.name}] ${i + 1}/${steps.length} ${step.what}: ${line}`);
    if (plan) return;
    const input = step.objects ? toYaml(step.objects) : undefined;
    if (input) writeFileSync(join(dir, `step-${i + 1}.yaml`), input);
    const run = spawnSync('kubectl', step.kubectl, {
      input,
      stdio: [input ? 'pipe' : 'ignore', 'inherit', 'inherit'],
    });
    if (run.status !== 0) {
      console.error(
        `[deploy ${env.name}] step ${i + 1} failed (${run.error?.message ?? `exit ${run.status}`}); rendered files in ${dir}`,
      );
      process.exit(1);
    }
  });
}

if (require.main === module) main();
