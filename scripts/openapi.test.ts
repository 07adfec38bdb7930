import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { contracts } from '../events';
import { registry } from '../functions/registry';
import { repoRoot } from '../functions/shared/paths';
import { docsEnv, routeTables, type FunctionRoutes } from './lib/route-walk';
import { documentText, isWebhook, operationId, renderContracts, toJsonSchema } from './openapi';

let tables: FunctionRoutes[];
let docs: Record<string, Record<string, unknown>>;
beforeAll(async () => {
  tables = await routeTables(
    docsEnv,
    registry.filter((fn) => !fn.pages),
  );
  docs = await renderContracts();
}, 60_000);

type Paths = Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
const operations = (doc: Record<string, unknown>) =>
  Object.entries(doc.paths as Paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );

describe('the committed contracts', () => {
  it.each(['openapi.json', 'openapi-webhooks.json', 'asyncapi.json'])(
    'docs/%s is up to date with the code (run `make docs`)',
    (name) => {
      expect(readFileSync(join(repoRoot(), 'docs', name), 'utf8')).toBe(documentText(docs[name]!));
    },
  );

  it('lint clean with Redocly (OpenAPI 3.1 and AsyncAPI 3, rules in redocly.yaml)', () => {
    // Throws with the report when any rule set to error fails.
    const out = execFileSync('npx', ['redocly', 'lint', '--format=stylish'], {
      cwd: repoRoot(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    expect(out).not.toMatch(/error/i);
  });

  it('AsyncAPI parses with no error, with a message for every event type and every subscription', async () => {
    const { document, diagnostics } = await new Parser().parse(
      readFileSync(join(repoRoot(), 'docs/asyncapi.json'), 'utf8'),
    );
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
    expect(document!.version()).toBe('3.0.0');
    const names = document!
      .allMessages()
      .all()
      .map((m) => m.name());
    expect(new Set(names)).toEqual(new Set(contracts.map((c) => c.type)));
    const receives = document!.operations().filterByReceive().length;
    expect(receives).toBe(registry.reduce((n, fn) => n + fn.subscriptions.length, 0));
  });
});

describe('the OpenAPI documents', () => {
  it("have every route once: the API host the public ones, the webhook host the providers' ones", () => {
    const expected = (webhooks: boolean) =>
      tables
        .flatMap(({ fn, routes }) => routes.filter((r) => isWebhook(fn, r.path) === webhooks))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
        .sort();
    const listed = (doc: Record<string, unknown>) =>
      operations(doc)
        .map((o) => `${o.method} ${o.path}`)
        .sort();
    expect(listed(docs['openapi.json']!)).toEqual(expected(false));
    expect(listed(docs['openapi-webhooks.json']!)).toEqual(expected(true));
    expect(listed(docs['openapi-webhooks.json']!).length).toBeGreaterThan(0);
  });

  it('require a token, with its scope, exactly where the route has a guard', () => {
    for (const { fn, routes } of tables)
      for (const r of routes) {
        const label = `${fn.name} ${r.method} ${r.path}`;
        if (r.guard) expect({ label, auth: r.auth?.required }).toEqual({ label, auth: true });
        const doc = isWebhook(fn, r.path) ? docs['openapi-webhooks.json']! : docs['openapi.json']!;
        const op = (doc.paths as Paths)[r.path.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!;
        const expected = !r.auth
          ? []
          : r.auth.required
            ? [{ bearer: r.auth.scope ? [r.auth.scope] : [] }]
            : [{}, { bearer: [] }];
        expect({ label, security: op.security }).toEqual({ label, security: expected });
      }
  });

  it('document every route: a summary and its success answers', () => {
    const missing = tables.flatMap(({ fn, routes }) =>
      routes
        .filter((r) => !r.doc || Object.keys(r.doc.responses).length === 0)
        .map((r) => `${fn.name} ${r.method} ${r.path}`),
    );
    expect(missing).toEqual([]);
  });

  it('answer every error as problem+json, a 401 and 403 wherever a token is needed', () => {
    for (const { path, method, op } of operations(docs['openapi.json']!)) {
      expect(op.responses['5XX']).toEqual({ $ref: '#/components/responses/ServerProblem' });
      if (op.security.length > 0 && Object.keys(op.security[0] as object).length > 0)
        expect({ path, method, has: ['401', '403'].every((s) => s in op.responses) }).toEqual({
          path,
          method,
          has: true,
        });
    }
  });
});

describe('toJsonSchema', () => {
  it('turns a draft-07 tuple into 2020-12 prefixItems, and leaves the TypeBox schema as it was', () => {
    const point = Type.Tuple([Type.Number({ minimum: -180 }), Type.Number({ maximum: 90 })]);
    const before = JSON.stringify(point);
    expect(toJsonSchema(Type.Array(point))).toEqual({
      type: 'array',
      items: {
        type: 'array',
        prefixItems: [
          { type: 'number', minimum: -180 },
          { type: 'number', maximum: 90 },
        ],
        items: false,
        minItems: 2,
        maxItems: 2,
      },
    });
    expect(JSON.stringify(point)).toBe(before);
  });

  it.each([
    [
      'literals of one type → enum',
      Type.Union([Type.Literal('a'), Type.Literal('b')]),
      { type: 'string', enum: ['a', 'b'] },
    ],
    [
      'a nullable string stays anyOf',
      Type.Union([Type.String(), Type.Null()]),
      { anyOf: [{ type: 'string' }, { type: 'null' }] },
    ],
    [
      'nested in properties',
      Type.Object({ s: Type.Union([Type.Literal(1), Type.Literal(2)]) }),
      { type: 'object', required: ['s'], properties: { s: { type: 'number', enum: [1, 2] } } },
    ],
  ])('%s', (_label, schema, expected) => {
    expect(toJsonSchema(schema)).toEqual(expected);
  });
});

describe('operationId', () => {
  it.each([
    ['order', 'GET', '/orders/:id/lines/:sku', 'order.getOrdersByIdLinesBySku'],
    ['user', 'GET', '/.well-known/jwks.json', 'user.getWellKnownJwksJson'],
    ['promotions', 'POST', '/coupon-redemptions', 'promotions.postCouponRedemptions'],
  ])('%s %s %s → %s', (fn, method, path, id) => {
    expect(operationId(fn, method, path)).toBe(id);
  });
});
