/**
 * The API contract, checked from outside: Schemathesis (infra/schemathesis.sh) reads the generated
 * docs/openapi.json and fuzzes every public operation through the gateway of a freshly seeded
 * platform, with the dev accounts' tokens. No answer may be a 5xx, and every status, media type and
 * body must be one the document declares for that operation. Its JUnit reports land in reports/.
 *
 * SCHEMATHESIS_EXAMPLES=<n> changes the examples per operation and phase (make test: 12).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../functions/shared/paths';
import { operationId } from './openapi';
import { startPlatform, type Platform } from './testing/hostile/platform';

const EXAMPLES = Number(process.env.SCHEMATHESIS_EXAMPLES ?? 12);
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'ignored_auth',
];
/**
 * Operations a run leaves out, with the reason: each would end the run's own session or change
 * the dev accounts it signs in with, and later operations would only see 401s.
 */
const LEFT_OUT: Record<string, string> = {
  'POST /auth/logout': "ends the run's own session",
  'POST /auth/password': "changes the run's own password and ends its other sessions",
  'PATCH /users/{id}': 'suspends or demotes the dev accounts the run signs in with',
};

let platform: Platform;
let bin: string;
let dir: string;

beforeAll(async () => {
  bin = execFileSync('bash', [join(repoRoot(), 'infra/schemathesis.sh')], { encoding: 'utf8' }).trim();
  platform = await startPlatform({
    env: {
      // Background sweeps would only slow the run down; nothing here waits for them.
      order: { ORDER_TICK_MS: '60000' },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'schemathesis-'));
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Values that name real rows, for the whole run and per group of operations (by path). */
interface Seeded {
  params: Record<string, string>;
  byPath: [regex: string, params: Record<string, string>][];
}

/**
 * Seeded rows, and a cart the caller opens now, so generated requests reach handlers instead of
 * stopping at a 404 for an id drawn at random.
 */
async function seeded(p: Platform, token: string): Promise<Seeded> {
  const one = async (sql: string) => (await p.db.pool.query(sql)).rows[0] ?? {};
  const product = await one(`SELECT sku, category_id FROM catalog.products ORDER BY sku LIMIT 1`);
  const lot = await one(`SELECT location FROM inventory.lots ORDER BY id LIMIT 1`);
  const zone = await one(`SELECT id FROM delivery.zones ORDER BY id LIMIT 1`);
  const promotion = await one(`SELECT id FROM promotions.promotions ORDER BY id LIMIT 1`);
  const customer = await one(`SELECT id FROM users.accounts WHERE email = 'lan@tuoi.local'`);
  const res = await fetch(`${p.gateway.url}/carts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status >= 300) throw new Error(`POST /carts answered ${res.status}: ${await res.text()}`);
  const cart = (await res.json()) as { id: string };
  return {
    params: {
      'path.sku': product.sku,
      'query.category': product.category_id,
      'query.location': lot.location,
    },
    byPath: [
      ['^/carts/\\{id\\}', { 'path.id': cart.id }],
      ['^/(zones|calendars)/\\{id\\}', { 'path.id': zone.id }],
      ['^/promotions/\\{id\\}', { 'path.id': promotion.id }],
      ['^/users/\\{id\\}', { 'path.id': customer.id }],
    ],
  };
}

const tomlTable = (params: Record<string, string>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`);

/** The run's config: the token only where the document asks for one, checks, seeded values. */
function config(token: string, seed: Seeded): string {
  const lines = [
    '[auth.openapi.bearer]',
    `bearer = ${JSON.stringify(token)}`,
    '',
    '[checks]',
    'enabled = false',
    ...CHECKS.map((c) => `${c}.enabled = true`),
    '',
    '[parameters]',
    ...tomlTable(seed.params),
  ];
  for (const op of Object.keys(LEFT_OUT)) {
    const [method, path] = op.split(' ') as [string, string];
    const id = operationId('user', method, path.replace(/\{(\w+)\}/g, ':$1'));
    lines.push('', '[[operations]]', `include-operation-id = "${id}"`, 'enabled = false');
  }
  for (const [regex, params] of seed.byPath)
    lines.push(
      '',
      '[[operations]]',
      `include-path-regex = ${JSON.stringify(regex)}`,
      '[operations.parameters]',
      ...tomlTable(params),
    );
  return lines.join('\n') + '\n';
}

/** Runs Schemathesis to the end; resolves with its exit code and output. */
function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: repoRoot(), env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test.each(['admin', 'customer'] as const)(
  'as %s: no 5xx, and every status, media type and body as docs/openapi.json declares',
  async (role) => {
    const file = join(dir, `${role}.toml`);
    writeFileSync(file, config(platform.tokens[role], await seeded(platform, platform.tokens[role])));
    const reports = join(repoRoot(), 'reports');
    mkdirSync(reports, { recursive: true });
    const junit = join(reports, `schemathesis-${role}.xml`);
    const { code, out } = await run([
      '--config-file',
      file,
      'run',
      'docs/openapi.json',
      '--url',
      platform.gateway.url,
      '--mode',
      'all',
      '--phases',
      'examples,coverage,fuzzing,stateful',
      '--max-examples',
      String(EXAMPLES),
      '--seed',
      '21',
      '--generation-database',
      'none',
      // One worker: Hypothesis' lambda-source cache is not thread-safe on Python 3.11 ("AST
      // constructor recursion depth mismatch" with two).
      '--workers',
      '1',
      '--request-timeout',
      '20',
      '--report',
      'junit',
      '--report-junit-path',
      junit,
      '--no-color',
    ]);
    writeFileSync(join(reports, `schemathesis-${role}.log`), out);
    if (code !== 0)
      throw new Error(`schemathesis exited with ${code}:\n${out.split('\n').slice(-120).join('\n')}`);
    // It ran: every operation of the document but those left out, each with cases.
    const xml = readFileSync(junit, 'utf8');
    const cases = [...xml.matchAll(/<testcase name="(GET|POST|PUT|PATCH|DELETE) /g)].length;
    const doc = JSON.parse(readFileSync(join(repoRoot(), 'docs/openapi.json'), 'utf8')) as {
      paths: Record<string, object>;
    };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(cases).toBe(operations - Object.keys(LEFT_OUT).length);
    console.log(`schemathesis as ${role}:\n${out.split('\n').slice(-25).join('\n')}`);
  },
  900_000,
);
