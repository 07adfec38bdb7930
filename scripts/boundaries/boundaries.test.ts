import { repoRoot } from '../../functions/shared/paths';
import { lineCounts, readImportGraph, type ImportGraph } from './graph';
import { importCycles, layeringViolation, layeringViolations, longFiles } from './rules';

/**
 * Import cycles known to exist while they are being removed, each as the files one cycle may span.
 * A cycle outside these fails. An entry no cycle needs any more is reported (a warning, so the
 * commit that breaks the cycle is not failed by its own success): delete it with that commit.
 */
const ALLOWED_CYCLES: string[][] = [];

describe('layering rules', () => {
  it.each([
    ['functions/catalog/store.ts', 'functions/inventory/domain.ts', 'function imports another function'],
    ['functions/catalog/testing.ts', 'functions/search/deps.ts', 'function imports another function'],
    ['functions/catalog/store.ts', 'functions/catalog/domain.ts', undefined],
    ['functions/catalog/store.ts', 'functions/shared/db.ts', undefined],
    ['functions/catalog/store.ts', 'events/index.ts', undefined],
    ['functions/search/freshness.int.test.ts', 'functions/catalog/testing.ts', undefined],
    ['functions/shared/http.ts', 'functions/user/deps.ts', 'shared imports a function'],
    ['functions/shared/testing/pg.ts', 'functions/pulse/deps.ts', 'shared imports a function'],
    ['functions/shared/gateway.ts', 'functions/registry.ts', undefined],
    ['functions/shared/eventing/kafka.int.test.ts', 'functions/pulse/testing.ts', undefined],
    ['events/index.ts', 'functions/shared/errors.ts', 'events imports functions'],
    ['events/contract.test.ts', 'functions/shared/errors.ts', undefined],
    ['functions/catalog/seed.ts', 'scripts/seed/data.ts', 'runtime imports scripts'],
    ['functions/search/testing.ts', 'scripts/seed/data.ts', 'runtime imports scripts'],
    ['events/check.ts', 'scripts/lib/backbone.ts', 'runtime imports scripts'],
    ['functions/catalog/seed.int.test.ts', 'scripts/seed/data.ts', undefined],
    ['scripts/dev.ts', 'functions/catalog/seed.ts', undefined],
  ])('%s → %s: %s', (from, to, rule) => {
    expect(layeringViolation(from, to)).toBe(rule);
  });
});

describe('import cycles', () => {
  const graph = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it.each<[string, Record<string, string[]>, string[][]]>([
    ['none in a chain', { a: ['b'], b: ['c'], c: [] }, []],
    ['two files', { a: ['b'], b: ['a'] }, [['a', 'b']]],
    ['a file importing itself', { a: ['a'] }, [['a']]],
    ['three files and a bystander', { x: ['a'], a: ['b'], b: ['c'], c: ['a'] }, [['a', 'b', 'c']]],
    [
      'two separate cycles',
      { d: ['c'], c: ['d'], a: ['b'], b: ['a'] },
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
  ])('%s', (_name, edges, cycles) => {
    expect(importCycles(graph(edges))).toEqual(cycles);
  });
});

describe('the repository', () => {
  const root = repoRoot();
  const graph = readImportGraph(root);

  it('reads type-only imports as edges', () => {
    expect(graph.get('functions/shared/framework-host.ts')).toContain('functions/shared/http.ts');
  });

  it('keeps every layering boundary', () => {
    expect(layeringViolations(graph)).toEqual([]);
  });

  it('has no import cycle beyond the allow-list (type-only imports included)', () => {
    const cycles = importCycles(graph);
    const allowed = (cycle: string[]) => ALLOWED_CYCLES.some((a) => cycle.every((f) => a.includes(f)));
    expect(cycles.filter((c) => !allowed(c))).toEqual([]);
    const stale = ALLOWED_CYCLES.filter((a) => !cycles.some((c) => c.every((f) => a.includes(f))));
    if (stale.length)
      console.warn(
        `Allow-listed import cycles that no longer exist (delete them):\n${stale.map((a) => `  ${a.join(' ↔ ')}`).join('\n')}`,
      );
  });

  it('lists non-test files over 300 lines (a warning, not a failure)', () => {
    const long = longFiles(lineCounts(root, graph));
    if (long.length)
      console.warn(
        `Files over 300 lines (split by verb and concept):\n${long.map((l) => `  ${l.lines}  ${l.file}`).join('\n')}`,
      );
    expect(long.every((l) => l.lines > 300)).toBe(true);
  });
});
