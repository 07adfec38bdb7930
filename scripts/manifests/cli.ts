/**
 * `make manifests`: renders knative/ from the registry. Commands:
 *   write          rewrite knative/base and knative/overlays (stale generated files are removed)
 *   check          fail when knative/ differs from a fresh rendering, or when any object of any
 *                  environment (or of infra/k8s) breaks its CRD or Kubernetes schema
 *   render ENV     print every object of ENV as YAML (what `kubectl kustomize` gives for its overlay)
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from '../../functions/shared/paths';
import { base, environmentNamed, environments } from './environments';
import { renderObjects, renderTree, toYaml } from './render';
import { CRD_DIRS, loadCrdValidators, parseObjects, validateObjects } from './validate';

const root = repoRoot();
const KNATIVE = join(root, 'knative');
const GENERATED_DIRS = ['base', 'overlays'];

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Generated files that differ from, are missing in, or are extra on disk (relative to knative/). */
export function staleFiles(tree = renderTree()): string[] {
  const stale = [...tree].filter(([path, text]) => {
    const file = join(KNATIVE, path);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  const extra = GENERATED_DIRS.flatMap((d) => listFiles(join(KNATIVE, d)))
    .map((f) => relative(KNATIVE, f))
    .filter((p) => !tree.has(p));
  return [...stale.map(([p]) => p), ...extra].sort();
}

function write(): void {
  const tree = renderTree();
  for (const d of GENERATED_DIRS) rmSync(join(KNATIVE, d), { recursive: true, force: true });
  for (const [path, text] of tree) {
    mkdirSync(dirname(join(KNATIVE, path)), { recursive: true });
    writeFileSync(join(KNATIVE, path), text);
  }
  console.log(`wrote ${tree.size} files under knative/`);
}

async function check(): Promise<number> {
  const validators = loadCrdValidators(CRD_DIRS);
  const report: { scope: string; object: string; problems: string[] }[] = [];
  for (const env of [base, ...environments])
    for (const r of await validateObjects(renderObjects(env), validators))
      report.push({ scope: env.name, ...r });
  const infra = join(root, 'infra', 'k8s');
  for (const file of listFiles(infra)
    .filter((f) => f.endsWith('.yaml'))
    .sort())
    for (const r of await validateObjects(parseObjects(readFileSync(file, 'utf8')), validators))
      report.push({ scope: relative(root, file), ...r });
  const stale = staleFiles();
  const bad = report.filter((r) => r.problems.length > 0);
  console.log(
    JSON.stringify({ validated: report.length, invalid: bad, stale, crds: [...validators.keys()] }, null, 2),
  );
  if (stale.length)
    console.error(`knative/ is not what the registry renders: run make manifests (${stale.join(', ')})`);
  return bad.length > 0 || stale.length > 0 ? 1 : 0;
}

async function main(argv = process.argv.slice(2)): Promise<void> {
  const [command = 'write', arg] = argv;
  if (command === 'write') return write();
  if (command === 'check') process.exit(await check());
  if (command === 'render' && arg) {
    process.stdout.write(toYaml(renderObjects(environmentNamed(arg))));
    return;
  }
  console.error('usage: manifests/cli.js write | check | render <env>');
  process.exit(64);
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
