/**
 * The layout's boundaries as pure checks over an import graph (graph.ts): functions never import
 * each other, the shared runtime imports no function, the event contract imports nothing from
 * functions/, runtime code imports nothing from scripts/, and no import cycle (type-only imports
 * included). Test files (`*.test.ts`) may wire functions together, as an end-to-end test must;
 * test helpers (`testing.ts`, `testing/`) are compiled with the runtime and obey every rule.
 */
import type { ImportGraph } from './graph';

/** One broken boundary: the importing file, the imported one and the rule's name. */
export interface Violation {
  rule:
    | 'function imports another function'
    | 'shared imports a function'
    | 'events imports functions'
    | 'runtime imports scripts';
  from: string;
  to: string;
}

/** A test file: exempt from the layering rules (never from cycles). */
export function isTestFile(file: string): boolean {
  return file.endsWith('.test.ts');
}

/** The function folder a file belongs to (`catalog` for functions/catalog/x.ts); shared is not one. */
export function functionOf(file: string): string | undefined {
  const name = /^functions\/([^/]+)\//.exec(file)?.[1];
  return name === 'shared' ? undefined : name;
}

/** The layering rule `from` → `to` breaks, if any. */
export function layeringViolation(from: string, to: string): Violation['rule'] | undefined {
  if (isTestFile(from)) return undefined;
  const own = functionOf(from);
  const target = functionOf(to);
  if (own && target && own !== target) return 'function imports another function';
  if (from.startsWith('functions/shared/') && target) return 'shared imports a function';
  if (from.startsWith('events/') && to.startsWith('functions/')) return 'events imports functions';
  if ((from.startsWith('functions/') || from.startsWith('events/')) && to.startsWith('scripts/'))
    return 'runtime imports scripts';
  return undefined;
}

/** Every layering violation of the graph, in file order. */
export function layeringViolations(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [from, targets] of graph)
    for (const to of targets) {
      const rule = layeringViolation(from, to);
      if (rule) out.push({ rule, from, to });
    }
  return out;
}

/**
 * The import cycles of the graph: each strongly connected component of more than one file (or a
 * file importing itself), as its files sorted, the components sorted (Tarjan's algorithm).
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Non-test files longer than `limit` lines, longest first: a smell to report, not a failure. */
export function longFiles(lines: Map<string, number>, limit = 300): { file: string; lines: number }[] {
  return [...lines]
    .filter(([file, n]) => n > limit && !isTestFile(file))
    .map(([file, n]) => ({ file, lines: n }))
    .sort((a, b) => b.lines - a.lines);
}
