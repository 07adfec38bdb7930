/**
 * The repository's import graph, read with TypeScript's own scanner (`ts.preProcessFile`): every
 * relative `import`, `import type`, `export … from` and `import()` of every .ts file, resolved to the
 * file it names. Package imports are not edges. Used by the boundary rules (rules.ts).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import ts from 'typescript';

/** Files (repo-relative, forward slashes) and the files each imports. */
export type ImportGraph = Map<string, string[]>;

/** The folders whose .ts files make up the graph. */
export const SOURCE_DIRS = ['functions', 'events', 'scripts', 'knative', 'infra'];

function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...tsFiles(root, path));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x`, `./x.js`, `./dir` with index.ts), if it exists. */
function resolveSpecifier(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = normalize(join(dirname(from), specifier))
    .split(sep)
    .join('/');
  return [`${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`].find((c) => known.has(c));
}

/** Reads the import graph of every .ts file under `dirs` of `root`. */
export function readImportGraph(root: string, dirs: readonly string[] = SOURCE_DIRS): ImportGraph {
  const files = dirs.filter((d) => existsSync(join(root, d))).flatMap((d) => tsFiles(root, d));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, false);
    const targets = importedFiles
      .filter((i) => i.fileName.startsWith('.'))
      .map((i) => resolveSpecifier(file, i.fileName, known))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Line count of each file of the graph. */
export function lineCounts(root: string, graph: ImportGraph): Map<string, number> {
  return new Map(
    [...graph.keys()].map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length - 1]),
  );
}
