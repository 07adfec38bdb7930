/**
 * The manifests as a cluster would read them: every object of every environment and every
 * infra/k8s file validated from dist/ (core and operator objects need kubernetes-models, which
 * is ES modules), and each overlay rendered by real kustomize equals what the generator renders.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadAll } from 'js-yaml';
import { environments } from './environments';
import type { K8sObject } from './k8s';
import { renderObjects } from './render';

const root = join(__dirname, '..', '..');
const identity = (o: K8sObject) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('manifests against real tools', () => {
  it('`manifests.js check` validates every object, core and custom, and finds knative/ current', () => {
    const run = spawnSync(process.execPath, [join(root, 'dist/scripts/manifests/cli.js'), 'check'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { validated: number; invalid: unknown[]; stale: string[] };
    expect(report.invalid).toEqual([]);
    expect(report.stale).toEqual([]);
    const perEnv = renderObjects(environments[0]!).length;
    expect(report.validated).toBeGreaterThanOrEqual(perEnv * 3);
    expect(run.status).toBe(0);
  });

  it('core and operator schemas reject what the API server would', () => {
    const script = `
      const { validateObjects } = require(${JSON.stringify(join(root, 'dist/scripts/manifests/validate.js'))});
      validateObjects([
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'relay' }, spec: { replicas: 'two', selector: {}, template: {} } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' }, data: { a: 1 } },
        { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 'many' } },
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'p' }, spec: { selector: {}, podMetricsEndpoints: [{ portNumber: 'x' }] } },
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] } },
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' }, data: { a: 'b' } },
      ], new Map()).then((r) => console.log(JSON.stringify(r)));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      object: string;
      problems: string[];
    }[];
    expect(out.map((r) => r.problems.join('; '))).toEqual([
      expect.stringContaining('replicas must be integer'),
      expect.stringMatching(/DNS subdomain.*data\/a must be string|data\/a must be string.*DNS/s),
      expect.stringContaining('partitions must be integer'),
      expect.stringContaining('portNumber must be integer'),
      expect.stringContaining('rules/0 must have required property expr'),
      'no schema known for this kind',
      '',
    ]);
  });

  it.each(environments.map((e) => [e.name]))(
    'kustomize renders overlays/%s exactly as the generator does',
    (name) => {
      const [tool, ...args] = execFileSync('bash', [join(root, 'infra/tools.sh')], { encoding: 'utf8' })
        .trim()
        .split(' ');
      const yaml = execFileSync(tool!, [...args, join(root, 'knative/overlays', name)], { encoding: 'utf8' });
      const built = new Map((loadAll(yaml) as K8sObject[]).map((o) => [identity(o), o]));
      const ours = renderObjects(environments.find((e) => e.name === name)!);
      expect([...built.keys()].sort()).toEqual(ours.map(identity).sort());
      for (const o of ours)
        expect([
          identity(o),
          isDeepStrictEqual(built.get(identity(o)), JSON.parse(JSON.stringify(o))),
        ]).toEqual([identity(o), true]);
    },
  );
});
