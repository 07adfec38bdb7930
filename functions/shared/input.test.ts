import { Type } from '@sinclair/typebox';
import { handleHttp, route, type HttpApp } from './http';
import { cleanJson, jsonDepthExceeds, textProblem } from './input';

describe('textProblem', () => {
  it.each([
    ['plain text', 'Nguyễn Văn A', undefined],
    ['emoji (a surrogate pair)', 'rau 🥬', undefined],
    ['NUL', 'sua\u0000tuoi', /NUL/],
    ['a lone high surrogate', 'a\ud800b', /surrogate/],
    ['a lone low surrogate', '\udc00', /surrogate/],
    ['swapped surrogates', '\udc00\ud800', /surrogate/],
  ])('%s', (_name, value, problem) => {
    const got = textProblem(value);
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeUndefined();
  });
});

describe('jsonDepthExceeds', () => {
  it.each([
    ['flat', '{"a":1}', false],
    ['32 deep', '['.repeat(32) + ']'.repeat(32), false],
    ['33 deep', '['.repeat(33) + ']'.repeat(33), true],
    ['brackets inside strings', JSON.stringify({ a: '[[[['.repeat(100) }), false],
    ['escaped quotes in strings', JSON.stringify({ a: '\\"[[[[' }), false],
    ['10,000 deep', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), true],
  ])('%s', (_name, text, deep) => expect(jsonDepthExceeds(text)).toBe(deep));
});

describe('cleanJson', () => {
  it('normalises every string and key to NFC', () => {
    const nfd = 'Nguye\u0302\u0303n';
    const { value, issues } = cleanJson({ name: nfd, tags: [nfd], [nfd]: 1 });
    expect(issues).toEqual([]);
    expect(value).toEqual({ name: 'Nguyễn', tags: ['Nguyễn'], Nguyễn: 1 });
  });

  it('refuses integers beyond ±2^53, keeps the rest', () => {
    const { issues } = cleanJson({ a: 2 ** 53, b: 1e21, c: -1e308, ok: [2 ** 53 - 1, 1.5, -0, 2 ** 31] });
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['/a', 'range'],
      ['/b', 'range'],
      ['/c', 'range'],
    ]);
  });

  it('names every bad field by its JSON pointer', () => {
    const { issues } = cleanJson(
      JSON.parse('{"a":{"b":["ok","x\\u0000"]},"c/d":"\\ud800","__proto__":{},"constructor":1}'),
    );
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['/a/b/1', 'text'],
      ['/c~1d', 'text'],
      ['/__proto__', 'reserved'],
      ['/constructor', 'reserved'],
    ]);
  });
});

describe('the pipeline applies it everywhere', () => {
  const seen: unknown[] = [];
  const app: HttpApp = {
    name: 't',
    maxBodyBytes: 1_000_000,
    ready: async () => undefined,
    draining: () => false,
    routes: [
      route({
        method: 'POST',
        path: '/things/:id',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
        handle: async (req) => {
          seen.push(req.body);
          return { status: 201, body: { name: req.body.name, q: req.query } };
        },
      }),
    ],
  };
  const id = '0a4d55a8-d1b5-4c4b-8e55-6f1a9e1c2b3d';
  const post = (url: string, body: string) =>
    handleHttp(app, {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body),
    });

  beforeEach(() => (seen.length = 0));

  it.each([
    ['NUL in the body', `/things/${id}`, '{"name":"a\\u0000"}', '/name'],
    ['a lone surrogate in the body', `/things/${id}`, '{"name":"\\ud800"}', '/name'],
    ['__proto__ in the body', `/things/${id}`, '{"name":"a","__proto__":{"x":1}}', '/__proto__'],
    ['NUL in the query', `/things/${id}?brand=sua%00tuoi`, '{"name":"a"}', '/brand'],
    ['NUL in a path param', `/things/a%00b`, '{"name":"a"}', '/id'],
    ['a path id of the wrong shape', `/things/------------------------------------`, '{"name":"a"}', '/id'],
  ])('refuses %s with 400 naming the field, before the handler', async (_name, url, body, field) => {
    const res = await post(url, body);
    expect(res.status).toBe(400);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect(seen).toEqual([]);
  });

  it('refuses a 10,000-deep body with 400', async () => {
    const res = await post(`/things/${id}`, '['.repeat(10_000) + ']'.repeat(10_000));
    expect(res.status).toBe(400);
  });

  it('refuses a target it cannot read with 400', async () => {
    expect((await post('http://x:99999/', '{}')).status).toBe(400);
  });

  it('hands the handler NFC text from the body and the query', async () => {
    const res = await post(`/things/${id}?who=Nguye%CC%82%CC%83n`, '{"name":"Nguye\\u0302\\u0303n"}');
    expect(res).toMatchObject({ status: 201, body: { name: 'Nguyễn', q: { who: 'Nguyễn' } } });
  });
});
