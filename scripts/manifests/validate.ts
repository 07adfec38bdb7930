/**
 * Offline validation of manifests. Custom resources are checked against the OpenAPI schema of
 * their CRD (../shared/knative-crds) the way the API server checks them with strict field
 * validation: types, enums, required fields, and no field the schema does not declare (unless it
 * preserves unknown fields). Core objects and the Strimzi/CloudNativePG resources are checked
 * against the Kubernetes and operator schemas compiled in `kubernetes-models` (ES modules, so
 * that part runs in plain Node, from dist/).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../functions/shared/paths';
import type { K8sObject } from './k8s';

type Schema = Record<string, unknown>;

/** Declares undeclared fields an error, as strict field validation does, except where the schema preserves unknown fields. */
function strict(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object')
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v as Schema)]));
    else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object')
      out[key] = strict(value as Schema);
    else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value))
      out[key] = value.map((v) => strict(v as Schema));
    else out[key] = value;
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  return out;
}

/** Validators by `apiVersion/kind` for every served version of every CRD in `dirs`. */
export function loadCrdValidators(dirs: string | readonly string[]): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  const files = (typeof dirs === 'string' ? [dirs] : dirs).flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f)),
  );
  for (const file of files) {
    for (const doc of loadAll(readFileSync(file, 'utf8')) as Schema[]) {
      if (doc?.kind !== 'CustomResourceDefinition') continue;
      const spec = doc.spec as {
        group: string;
        names: { kind: string };
        versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[];
      };
      for (const version of spec.versions) {
        if (!version.served || !version.schema) continue;
        const schema = strict(version.schema.openAPIV3Schema);
        // apiVersion, kind and metadata are the API server's own, whatever the CRD schema declares.
        schema.properties = {
          ...(schema.properties as Schema),
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
        };
        validators.set(`${spec.group}/${version.name}/${spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** The default CRD folder: ../shared/knative-crds beside the repository. */
export const CRD_DIR = join(repoRoot(), '..', 'shared', 'knative-crds');

/** CRDs kept beside this validator (EventPolicy; each file says where it came from). */
export const LOCAL_CRD_DIR = join(repoRoot(), 'scripts', 'manifests', 'crds');

/** Every CRD folder the manifests are validated against. */
export const CRD_DIRS: readonly string[] = [CRD_DIR, LOCAL_CRD_DIR];

/** Problems of the object's metadata: a DNS name and string labels and annotations. */
function metadataProblems(o: K8sObject): string[] {
  const problems: string[] = [];
  const m = o.metadata;
  if (!m || typeof m.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(m.name))
    problems.push(`metadata.name ${JSON.stringify(m?.name)} is not a DNS subdomain`);
  for (const field of ['labels', 'annotations'] as const)
    for (const [k, v] of Object.entries(m?.[field] ?? {}))
      if (typeof v !== 'string') problems.push(`metadata.${field}.${k} must be a string`);
  return problems;
}

/** Validates one object against a CRD schema; `undefined` when no CRD here describes its kind. */
export function crdProblems(o: K8sObject, validators: Map<string, ValidateFunction>): string[] | undefined {
  const validate = validators.get(`${o.apiVersion}/${o.kind}`);
  if (!validate) return undefined;
  const problems = metadataProblems(o);
  if (!validate(o))
    for (const e of validate.errors ?? [])
      problems.push(
        `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})` : ''}`,
      );
  return problems;
}

/** Where kubernetes-models keeps the validating model of an apiVersion/kind. */
const MODELS: Record<string, string> = {
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/PersistentVolumeClaim': 'kubernetes-models/v1/PersistentVolumeClaim',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/v1/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'batch/v1/CronJob': 'kubernetes-models/batch/v1/CronJob',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding':
    'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'kafka.strimzi.io/v1/Kafka': '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/Kafka',
  'kafka.strimzi.io/v1/KafkaNodePool':
    '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaNodePool',
  'kafka.strimzi.io/v1/KafkaTopic':
    '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaTopic',
  'postgresql.cnpg.io/v1/Cluster': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster',
  'postgresql.cnpg.io/v1/Pooler': '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Pooler',
  // Lenient: these models do not reject unknown fields (monitoring.ts types the objects instead).
  'monitoring.coreos.com/v1/PodMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/ServiceMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
};

// A real dynamic import (tsc would turn `import()` into `require`, which cannot load these ES modules everywhere).
const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

/** Validates a core or operator object with kubernetes-models; `undefined` when no model is known. */
export async function modelProblems(o: K8sObject): Promise<string[] | undefined> {
  const specifier = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!specifier) return undefined;
  const module = (await importModule(specifier)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[o.kind];
  if (!Model) throw new Error(`${specifier} has no ${o.kind}`);
  const problems = metadataProblems(o);
  try {
    new Model(o).validate();
  } catch (err) {
    problems.push(...String((err as Error).message).split(', '));
  }
  return problems;
}

/** Every object of a multi-document YAML text. */
export function parseObjects(text: string): K8sObject[] {
  return (loadAll(text) as K8sObject[]).filter((o) => o && typeof o === 'object');
}

/** Validates objects by CRD or model; an object neither knows is itself a problem. */
export async function validateObjects(
  objects: K8sObject[],
  validators: Map<string, ValidateFunction>,
): Promise<{ object: string; problems: string[] }[]> {
  const results = [];
  for (const o of objects) {
    const name = `${o.kind}/${o.metadata?.name} (${o.apiVersion})`;
    const problems = crdProblems(o, validators) ??
      (await modelProblems(o)) ?? ['no schema known for this kind'];
    results.push({ object: name, problems });
  }
  return results;
}
