/**
 * The hostile-input harness checked against itself: a suite that never fails proves nothing, so a
 * fake function that breaks each rule must be caught, every corpus string must reach a slot, and
 * the generated baselines must pass the real schemas.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import { contractFor } from '../../../events';
import { schemaIssues } from '../../../events/check';
import type { FunctionSpec } from '../../../functions/registry';
import { ProductWrite } from '../../../functions/catalog/write-schema';
import { ReserveBody } from '../../../functions/inventory/schemas';
import { casesFor, percentEncode, type HostileCase } from './cases';
import { naughtyStrings } from './corpus';
import { eventCasesFor, validDataByVariant } from './events';
import { coverageProblems, type WalkedRoute } from './routes';
import { validSample, setAt, slotsOf } from './schema-values';
import { curlOf, judge, runCases } from './send';

const fn: FunctionSpec = {
  name: 'fake',
  description: 'test double',
  trigger: 'http',
  routes: ['/things'],
  subscriptions: [],
  scaling: 'standard',
  uses: [],
};

const route = (over: Partial<WalkedRoute> = {}): WalkedRoute => ({
  fn,
  method: 'POST',
  path: '/things/:id',
  params: ['id'],
  body: Type.Object(
    { name: Type.String({ maxLength: 20 }), qty: Type.Integer({ minimum: 1, maximum: 9 }) },
    { additionalProperties: false },
  ),
  guarded: false,
  ...over,
});

describe('judge', () => {
  it.each([
    [{ status: 200, contentType: 'application/json', body: '{}' }, undefined],
    [{ status: 400, contentType: 'application/problem+json', body: '{"status":400}' }, undefined],
    [{ status: 500, contentType: 'application/problem+json', body: '{"status":500}' }, '5xx'],
    [{ status: 502, contentType: 'text/html', body: '<h1>' }, '5xx'],
    [{ status: 415, contentType: 'text/html', body: '<h1>' }, 'not problem+json'],
    [{ status: 400, contentType: 'application/problem+json', body: '{"status":"400"}' }, 'status mismatch'],
    [{ status: 400, contentType: 'application/problem+json', body: 'not json' }, 'not problem+json'],
    [{ status: 0, contentType: '', body: '', error: 'socket hang up' }, 'no answer'],
  ])('%j → %s', (answer, rule) => {
    expect(judge(answer)).toBe(rule);
  });
});

describe('cases', () => {
  it('puts every corpus string into some slot of a route', () => {
    const cases = casesFor(route(), { hints: {}, seed: 1, generated: 0 });
    const labels = cases.map((c) => c.label).join('\n');
    for (const s of naughtyStrings().slice(0, 60)) expect(labels).toContain(JSON.stringify(s).slice(0, 40));
  });

  it('sends lone surrogates in paths as WTF-8 and keeps pairs as UTF-8', () => {
    expect(percentEncode('\ud800')).toBe('%ED%A0%80');
    expect(percentEncode('😀/')).toBe('%F0%9F%98%80%2F');
  });

  it('starts from bodies the real schemas accept, with hints where they fit', () => {
    for (const schema of [ProductWrite, ReserveBody])
      expect(schemaIssues(schema, validSample(schema, 7, { location: 'ch-quan-1' }))).toEqual([]);
    expect(validSample(ReserveBody, 7, { location: 'ch-quan-1' })).toMatchObject({ location: 'ch-quan-1' });
  });

  it('keeps the hints that fit and skips one that does not', () => {
    const sample = validSample(ReserveBody, 7, { location: 'ch-quan-1', id: 'not an id' }) as { id: string };
    expect(sample).toMatchObject({ location: 'ch-quan-1' });
    expect(sample.id).not.toBe('not an id');
  });

  it('finds nested slots and replaces one without touching the rest', () => {
    expect(slotsOf(ReserveBody).map((s) => s.pointer)).toEqual(
      expect.arrayContaining(['/lines', '/lines/0', '/lines/0/sku', '/lines/0/qty', '/owner']),
    );
    expect(setAt({ a: [{ b: 1, c: 2 }] }, '/a/0/b', '\u0000')).toEqual({ a: [{ b: '\u0000', c: 2 }] });
    expect(JSON.stringify(setAt({}, '/__proto__', 1))).toBe('{"__proto__":1}');
  });

  it("takes a union's slots from the variant being sent, and attacks every command variant", () => {
    const Command = Type.Union([
      Type.Object({
        action: Type.Literal('reserve'),
        lines: Type.Array(Type.Object({ sku: Type.String() })),
      }),
      Type.Object({ action: Type.Literal('release'), reservation_id: Type.String() }),
    ]);
    const pointers = (v?: unknown) => slotsOf(Command, '', v).map((s) => s.pointer);
    expect(pointers()).toEqual(['/action', '/lines', '/lines/0', '/lines/0/sku']);
    expect(pointers({ action: 'release', reservation_id: 'r1' })).toEqual(['/action', '/reservation_id']);
    expect(
      slotsOf(Type.Object({ c: Command }), '', { c: { action: 'release', reservation_id: 'r1' } }).map(
        (s) => s.pointer,
      ),
    ).toEqual(['/c', '/c/action', '/c/reservation_id']);
    // The stock command has fixtures for reserve, release and restock, none for commit: drawn from its schema.
    const type = 'io.tuoi.order.saga.stock-requested.v1';
    const variants = validDataByVariant(type, contractFor(type)!.data) as { action: string }[];
    expect(variants.map((d) => d.action)).toEqual(['reserve', 'commit', 'release', 'restock']);
    for (const d of variants) expect(schemaIssues(contractFor(type)!.data, d)).toEqual([]);
    const labels = eventCasesFor({ ...fn, name: 'inventory' }, type, ['x'], false).map((c) => c.label);
    for (const slot of ['"reserve" /lines/0/sku', '"commit" /reservation_id', '"release" /reservation_id'])
      expect(labels.some((l) => l.startsWith(`data ${slot} = `))).toBe(true);
  });

  it('writes a curl command that carries unprintable bytes', () => {
    const c: HostileCase = {
      route: route(),
      label: 'x',
      method: 'POST',
      target: '/things/a%00',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"name":"\u0000\'"}'),
      caller: 'admin',
    };
    expect(curlOf(c)).toBe(
      `curl -i --path-as-is -X POST 'http://127.0.0.1:8080/things/a%00' -H 'content-type: application/json' -H "authorization: Bearer $ADMIN_TOKEN" --data-binary $'{"name":"\\x00\\'"}'`,
    );
  });
});

describe('coverage', () => {
  it('names a public prefix without routes and a route outside the prefixes', () => {
    const other = { ...fn, routes: ['/things', '/stuff'] };
    expect(
      coverageProblems([route({ fn: other }), route({ fn: other, path: '/elsewhere' })], [other]),
    ).toEqual([
      'fake: prefix /stuff has no route the walker found',
      'fake: POST /elsewhere is outside its public prefixes',
    ]);
  });
});

describe('runCases against a function that breaks every rule', () => {
  let server: Server;
  let base = '';
  let rows = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (body.includes('\\u0000')) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        } else if (body.includes('"qty":9')) {
          rows++; // a refused write that changed data anyway
          res.writeHead(409, { 'content-type': 'application/problem+json' }).end('{"status":409}');
        } else if (req.url?.includes('%ED%A0%80')) {
          res.writeHead(400, { 'content-type': 'text/html' }).end('<p>bad</p>');
        } else res.writeHead(400, { 'content-type': 'application/problem+json' }).end('{"status":400}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reports the 5xx, the non-problem error and the write that changed data', async () => {
    const cases = casesFor(route(), { hints: {}, seed: 3, generated: 0 }).filter((c) =>
      ['"\\u0000"', '"\\ud800"'].some((needle) => c.label.includes(needle)),
    );
    cases.push({ ...cases[0]!, label: 'qty 9', body: Buffer.from('{"name":"a","qty":9}') });
    const report = await runCases(base, cases, { admin: 't' }, async () => ({ things: String(rows) }));
    const rules = new Set(report.failures.map((f) => f.rule));
    expect(rules).toEqual(new Set(['5xx', 'not problem+json', 'write changed data']));
    expect(report.failures.find((f) => f.rule === 'write changed data')?.detail).toBe('things');
  });
});
