/**
 * Storefront first-load benchmark: Lighthouse 12.8.2 (`npx -y lighthouse@12.8.2`, not a dependency:
 * 185 MB, and 13.x needs Node 22) on Chromium (`CHROME_PATH`, default /usr/bin/chromium) loads the
 * home, search and product pages of the storefront through the gateway, its default mobile profile
 * with simulated throttling (Moto G Power class, 150 ms RTT, 1.6 Mbps, CPU ×4), performance only,
 * 3 runs per page (`BENCH_RUNS`), medians. The product is the first on the search page. Prints
 * Markdown: LCP, FCP, TBT, Speed Index, score, bytes transferred (total, JS, CSS, document), the LCP
 * element, and the budgets (LCP ≤ 2,000 ms, JS ≤ 25 KB, CSS ≤ 15 KB transferred) met or not, which
 * it does not assert. Unlike the other benchmarks it starts nothing: it measures the platform a
 * shopper would hit, `make dev` (or `BENCH_STOREFRONT_URL`), and exits 2 when that does not answer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = (process.env.BENCH_STOREFRONT_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LIGHTHOUSE = 'lighthouse@12.8.2';
const BUDGET = { lcpMs: 2_000, jsKB: 25, cssKB: 15 };

interface Run {
  lcp: number;
  fcp: number;
  tbt: number;
  si: number;
  score: number;
  total: number;
  js: number;
  css: number;
  doc: number;
  lcpElement: string;
}

interface Audit {
  numericValue?: number;
  details?: { items?: Record<string, unknown>[] };
}

/** One Lighthouse run of `url`: its report, read from a scratch file. */
function lighthouse(url: string, dir: string): Promise<Record<string, unknown>> {
  const out = join(dir, 'report.json');
  const args = ['-y', LIGHTHOUSE, url, '--only-categories=performance', '--output=json'];
  args.push(`--output-path=${out}`, '--chrome-flags=--headless=new --no-sandbox', '--quiet');
  const env = { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' };
  return new Promise((resolve, reject) =>
    execFile('npx', args, { env, timeout: 180_000, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`lighthouse ${url}: ${err.message}\n${stderr}`));
      const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      const runtimeError = report.runtimeError as { message?: string } | undefined;
      if (runtimeError) return reject(new Error(`lighthouse ${url}: ${runtimeError.message}`));
      resolve(report);
    }),
  );
}

/** The LCP element as `<tag>` and its label, from the audit's table (inside a list since 12.x). */
function lcpElement(audit: Audit | undefined): string {
  const items = audit?.details?.items ?? [];
  const table = (items[0]?.items as Record<string, unknown>[] | undefined) ?? items;
  const node = table[0]?.node as { snippet?: string; nodeLabel?: string } | undefined;
  if (!node) return '–';
  const tag = /^<([a-z0-9-]+)/i.exec(node.snippet ?? '')?.[1] ?? '?';
  const label = (node.nodeLabel ?? '').replace(/\s+/g, ' ').replace(/\|/g, '/');
  return `\`<${tag}>\` ${label.length > 30 ? `${label.slice(0, 30)}…` : label}`;
}

function figures(report: Record<string, unknown>): Run {
  const audits = report.audits as Record<string, Audit>;
  const value = (id: string) => {
    const v = audits[id]?.numericValue;
    if (typeof v !== 'number') throw new Error(`lighthouse: no figure for ${id}`);
    return v;
  };
  const bytes = (type: string) =>
    Number(
      audits['resource-summary']?.details?.items?.find((i) => i.resourceType === type)?.transferSize ?? 0,
    );
  const categories = report.categories as { performance: { score: number } };
  return {
    lcp: value('largest-contentful-paint'),
    fcp: value('first-contentful-paint'),
    tbt: value('total-blocking-time'),
    si: value('speed-index'),
    score: Math.round(categories.performance.score * 100),
    total: value('total-byte-weight'),
    js: bytes('script'),
    css: bytes('stylesheet'),
    doc: bytes('document'),
    lcpElement: lcpElement(audits['largest-contentful-paint-element']),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ms = (v: number) => Math.round(v).toLocaleString('en');
const kb = (v: number) => (v / 1024).toFixed(1);

/** Exits 2 unless the storefront answers; returns the first product path of the search page. */
async function productPath(): Promise<string> {
  try {
    const res = await fetch(`${BASE}/find?q=sua%20tuoi`, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    if (!res.ok) throw new Error(`GET /find: ${res.status}`);
    return /href="(\/p\/[^"?#]+)"/.exec(html)?.[1] ?? '/p/TU-047457';
  } catch (err) {
    console.error(
      `The storefront does not answer at ${BASE} (${(err as Error).message}).\n` +
        'This benchmark measures the running platform: start it with `make dev` in another terminal ' +
        '(or set BENCH_STOREFRONT_URL), then run it again.',
    );
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const pages = [
    ['home', '/'],
    ['search', '/find?q=sua%20tuoi'],
    ['product', await productPath()],
  ] as const;
  const dir = mkdtempSync(join(tmpdir(), 'bench-storefront-'));
  const rows: { page: string; path: string; f: Run }[] = [];
  try {
    for (const [page, path] of pages) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(figures(await lighthouse(`${BASE}${path}`, dir)));
        console.error(`${page} run ${i + 1}/${RUNS}: LCP ${ms(runs[i]!.lcp)} ms`);
      }
      const m = (k: Exclude<keyof Run, 'lcpElement'>) => median(runs.map((r) => r[k]));
      const f: Run = {
        lcp: m('lcp'),
        fcp: m('fcp'),
        tbt: m('tbt'),
        si: m('si'),
        score: m('score'),
        total: m('total'),
        js: m('js'),
        css: m('css'),
        doc: m('doc'),
        lcpElement: runs.find((r) => r.lcp === m('lcp'))?.lcpElement ?? runs[0]!.lcpElement,
      };
      rows.push({ page, path, f });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    `\nStorefront first load at ${BASE}: ${LIGHTHOUSE}, mobile, simulated throttling, median of ${RUNS} runs (KB = 1,024 bytes transferred)\n`,
  );
  console.log(
    '| page | path | LCP ms | FCP ms | TBT ms | Speed Index ms | score | total KB | JS KB | CSS KB | document KB | LCP element |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { page, path, f } of rows)
    console.log(
      `| ${page} | \`${path}\` | ${ms(f.lcp)} | ${ms(f.fcp)} | ${ms(f.tbt)} | ${ms(f.si)} | ${f.score} | ` +
        `${kb(f.total)} | ${kb(f.js)} | ${kb(f.css)} | ${kb(f.doc)} | ${f.lcpElement} |`,
    );

  const verdict = (ok: boolean, figure: string) => `${ok ? 'met' : '**not met**'} (${figure})`;
  console.log(
    `\n| page | LCP ≤ ${ms(BUDGET.lcpMs)} ms | JS ≤ ${BUDGET.jsKB} KB | CSS ≤ ${BUDGET.cssKB} KB |\n|---|---|---|---|`,
  );
  for (const { page, f } of rows)
    console.log(
      `| ${page} | ${verdict(f.lcp <= BUDGET.lcpMs, `${ms(f.lcp)} ms`)} | ` +
        `${verdict(f.js <= BUDGET.jsKB * 1024, `${kb(f.js)} KB`)} | ${verdict(f.css <= BUDGET.cssKB * 1024, `${kb(f.css)} KB`)} |`,
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
