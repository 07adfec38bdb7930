import { readFileSync } from 'node:fs';
import {
  BENCHMARKS_PATH,
  CAPACITY_PATH,
  buildModel,
  concurrentUsers,
  cores,
  figure,
  figures,
  littlesLaw,
  mdTable,
  orderEvents,
  parseNumber,
  parseTables,
  partitionsNeeded,
  podsFor,
  readFigures,
  render,
  rowWhere,
} from './capacity';

const benchmarks = readFileSync(BENCHMARKS_PATH, 'utf8');

describe('docs/capacity.md', () => {
  it('is what the model renders from docs/benchmarks.md', () => {
    const expected = render(buildModel(benchmarks));
    const actual = readFileSync(CAPACITY_PATH, 'utf8');
    if (actual !== expected)
      throw new Error('docs/capacity.md is stale: run `make capacity` (and commit it with the figures)');
  });
});

describe('parseNumber', () => {
  it.each([
    ['**1,234**', 1234],
    ['28,903', 28903],
    ['5,385 (all held)', 5385],
    ['4,273/s (234 µs)', 4273],
    ['225 ms', 225],
    ['0.89', 0.89],
    ['`42`', 42],
    ['−3.5', -3.5],
    [' 1,000,000 ', 1_000_000],
  ])('%s → %d', (cell, value) => expect(parseNumber(cell)).toBe(value));

  it.each(['–', 'n/a', '', 'A, 10 connections'])('throws on "%s"', (cell) =>
    expect(() => parseNumber(cell)).toThrow(/does not start with a number/),
  );
});

const sample = `# Title

| before | a section |
|---|---|
| x | 1 |

## First — \`cmd\`

Prose.

| **engine** | connections | req/s | p99 ms |
|---|---|---|---|
| PostgreSQL | 8 | **1,234** | 5 |
| Elasticsearch | 8 | 2,345 (cached) | 6 |
| Elasticsearch | 64 | 3,456 | 7 |

| other | value |
|---|---|
| y | 9 |

## Second

| run | adds/s |
|:---|---:|
| A | 10 |
| B | 30 |
`;

describe('parseTables', () => {
  const tables = parseTables(sample);

  it('finds every table with its section, plain headers and rows (no separator row)', () => {
    expect(tables.map((t) => [t.section, t.headers, t.rows.length])).toEqual([
      ['', ['before', 'a section'], 1],
      ['First — `cmd`', ['engine', 'connections', 'req/s', 'p99 ms'], 3],
      ['First — `cmd`', ['other', 'value'], 1],
      ['Second', ['run', 'adds/s'], 2],
    ]);
  });

  it.each([
    ['First', ['PostgreSQL', '8'], 'req/s', 1234],
    ['First', ['Elasticsearch', '8'], 'req/s', 2345],
    ['First', [/^elastic/i, '64'], 'p99 ms', 7],
    ['First', ['y'], 'value', 9],
    ['Second', ['B'], 'adds/s', 30],
  ] as [string, (string | RegExp)[], string, number][])('%s / %j / %s → %d', (section, row, column, value) =>
    expect(figure(tables, { section, row: rowWhere(...row), rowLabel: String(row), column })).toBe(value),
  );

  it('returns every matching row for aggregates', () => {
    const q = { section: 'Second', row: rowWhere(/^[AB]$/), rowLabel: 'A or B', column: 'adds/s' };
    expect(figures(tables, q)).toEqual([10, 30]);
  });

  it.each([
    ['Nope', ['x'], 'req/s', /no table under a section "Nope…"/],
    ['First', ['PostgreSQL'], 'p50 ms', /no column "p50 ms" in section "First…"/],
    ['First', ['Redis', '8'], 'req/s', /no row "Redis" \/ "8"/],
    ['First', ['Elasticsearch'], 'req/s', /2 rows .* expected one/],
  ] as [string, string[], string, RegExp][])(
    'a missing figure throws, naming it: %s / %j / %s',
    (section, row, column, message) => {
      const rowLabel = row.map((r) => `"${r}"`).join(' / ');
      expect(() => figure(tables, { section, row: rowWhere(...row), rowLabel, column })).toThrow(message);
    },
  );
});

describe('readFigures', () => {
  it('reads every figure of the recorded benchmarks', () => {
    const f = readFigures(benchmarks);
    for (const [name, fig] of Object.entries(f))
      expect([name, Number.isFinite(fig.value) && fig.value > 0]).toEqual([name, true]);
  });

  it.each([
    ['| Elasticsearch | on | 8 |', /rows "Elasticsearch" \/ "on" \/ "8"/],
    ['| Redis (shared) | 8 |', /rows \/\^Redis\/ \/ "8"/],
    ['| (a) distinct SKUs (10,000) |', /no row .*distinct SKUs.*section "Reservations…"/],
    ['| (a) MoMo checkout at 20/s: answer', /no row .*MoMo checkout.*section "Checkout…"/],
  ])('throws when the row "%s" is gone', (prefix, message) => {
    const edited = benchmarks
      .split('\n')
      .filter((l) => !l.startsWith(prefix))
      .join('\n');
    expect(edited).not.toBe(benchmarks);
    expect(() => readFigures(edited)).toThrow(message);
  });

  it('throws when a prose figure is gone', () => {
    expect(() => readFigures(benchmarks.replace(/writes 19 events to outboxes/, 'writes events'))).toThrow(
      /events per checkout/,
    );
  });
});

describe('formulas', () => {
  it.each([
    [100, 10, 0.7, 15],
    [70, 10, 0.7, 10],
    [7, 10, 0.7, 1],
    [0, 10, 0.7, 0],
    [1, 1000, 1, 1],
  ])('podsFor(%d, %d, %d) = %d', (load, perPod, util, pods) =>
    expect(podsFor(load, perPod, util)).toBe(pods),
  );

  it.each([
    [0, 0.7],
    [10, 0],
    [10, 1.5],
  ])('podsFor rejects per-pod %d at utilisation %d', (perPod, util) =>
    expect(() => podsFor(1, perPod, util)).toThrow(/must be positive/),
  );

  it.each([
    [100, 50, 5],
    [550, 2, 1.1],
    [0, 100, 0],
  ])("Little's law: %d/s × %d ms = %d in flight", (rate, ms, inFlight) =>
    expect(littlesLaw(rate, ms)).toBeCloseTo(inFlight, 10),
  );

  it.each([
    [0.4, 41.7, 25, 3, 25],
    [199, 41.7, 4, 3, 5],
    [0, 41.7, 0, 3, 3],
    [83.4, 41.7, 0, 1, 2],
  ])('partitions for %d events/s at %d per partition, %d pods, floor %d = %d', (ev, per, pods, floor, n) =>
    expect(partitionsNeeded(ev, per, pods, floor)).toBe(n),
  );

  it.each([
    ['500m', 0.5],
    ['100m', 0.1],
    ['1', 1],
    ['2.5', 2.5],
  ])('cores(%s) = %d', (q, n) => expect(cores(q)).toBe(n));

  it('cores rejects what is not a CPU quantity', () =>
    expect(() => cores('1Gi')).toThrow(/not a CPU quantity/));

  it('concurrent users: 300,000 a day, 15 % in the peak hour, 15 min sessions', () =>
    expect(concurrentUsers(300_000, 0.15, 15)).toBe(11_250));

  it("counts the checkout benchmark's order (COD, one line, to confirmation) as the benchmark did", () => {
    const f = readFigures(benchmarks);
    expect(orderEvents(1, { online: 0, coupon: 0, statuses: 0, through: 'confirmed' }).total).toBe(
      f.checkoutEvents.value,
    );
  });

  it('an order through to delivery adds two stock changes per line', () => {
    const events = (lines: number) =>
      orderEvents(lines, { online: 1, coupon: 0, statuses: 3, through: 'completed' }).total;
    expect(events(12) - events(2)).toBe(20);
  });

  it('renders Markdown tables with escaped pipes', () =>
    expect(mdTable(['a', 'b'], [[1, 'x|y']])).toBe('| a | b |\n|---|---|\n| 1 | x\\|y |'));
});
