import { Type } from '@sinclair/typebox';
import { handleHttp, pickLanguage, route, type HttpApp, type IncomingHttp } from './http';
import { ConflictError } from './errors';

function app(overrides: Partial<HttpApp> = {}): HttpApp {
  return {
    name: 'test',
    maxBodyBytes: 64,
    ready: async () => undefined,
    draining: () => false,
    routes: [
      route({
        method: 'POST',
        path: '/things',
        body: Type.Object(
          { name: Type.String({ minLength: 2 }), qty: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        handle: async (req) => ({ status: 201, body: { got: req.body, lang: req.lang } }),
      }),
      route({
        method: 'GET',
        path: '/things/:id',
        handle: async (req) => ({ status: 200, body: { id: req.params.id } }),
      }),
      route({
        method: 'DELETE',
        path: '/things/:id',
        handle: async () => {
          throw new ConflictError('Already shipped');
        },
      }),
      route({
        method: 'PUT',
        path: '/boom',
        handle: async () => {
          throw new Error('secret internals');
        },
      }),
    ],
    ...overrides,
  };
}

const json = (body: string, headers: Record<string, string> = {}): IncomingHttp => ({
  method: 'POST',
  url: '/things',
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(body),
});

describe('handleHttp', () => {
  it.each([
    ['malformed JSON', json('{"name": "x"'), 400, 'malformed'],
    [
      'wrong content type',
      json('name=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported-media-type',
    ],
    ['no content type', { ...json('{}'), headers: {} }, 415, 'unsupported-media-type'],
    ['oversized body', json(JSON.stringify({ name: 'x'.repeat(100), qty: 1 })), 413, 'payload-too-large'],
    ['schema-invalid body', json('{"name":"x","qty":0,"extra":true}'), 400, 'validation'],
    [
      'unknown path',
      { method: 'GET', url: '/nothing', headers: {}, body: Buffer.alloc(0) },
      404,
      'not-found',
    ],
    [
      'wrong method',
      { method: 'PATCH', url: '/things/1', headers: {}, body: Buffer.alloc(0) },
      405,
      'method-not-allowed',
    ],
    ['conflict', { method: 'DELETE', url: '/things/1', headers: {}, body: Buffer.alloc(0) }, 409, 'conflict'],
  ])('%s → %i problem+json', async (_name, incoming, status, kind) => {
    const res = await handleHttp(app(), incoming);
    expect(res.status).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: `https://tuoi.vn/problems/${kind}`, status });
  });

  it('lists every invalid field as a JSON pointer', async () => {
    const res = await handleHttp(app(), json('{"name":"x","qty":0,"extra":true}'));
    const fields = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['/extra', '/name', '/qty']);
  });

  it('says which methods are allowed on 405', async () => {
    const res = await handleHttp(app(), {
      method: 'PATCH',
      url: '/things/1',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(res.headers?.allow).toBe('GET, HEAD, DELETE');
  });

  it('answers HEAD with the GET route, and refuses it where there is no GET', async () => {
    const head = (url: string) =>
      handleHttp(app(), { method: 'HEAD', url, headers: {}, body: Buffer.alloc(0) });
    const res = await head('/things/7');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '7' }); // the host sends its length, not the body
    const refused = await head('/boom');
    expect(refused.status).toBe(405);
    expect(refused.headers?.allow).toBe('PUT');
    expect((await head('/healthz')).status).toBe(200);
  });

  it('hides internals of unexpected errors behind an opaque 500', async () => {
    const res = await handleHttp(app(), { method: 'PUT', url: '/boom', headers: {}, body: Buffer.alloc(0) });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('serves a valid request, with params decoded and language picked', async () => {
    const res = await handleHttp(
      app(),
      json('{"name":"rau muống","qty":2}', { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' }),
    );
    expect(res).toMatchObject({ status: 201, body: { got: { name: 'rau muống', qty: 2 }, lang: 'vi' } });
    const get = await handleHttp(app(), {
      method: 'GET',
      url: '/things/c%C3%A0%20chua/',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(get.body).toEqual({ id: 'cà chua' });
  });

  it('answers problems in Vietnamese when asked', async () => {
    const res = await handleHttp(app(), {
      method: 'GET',
      url: '/nothing?lang=vi',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(res.body).toMatchObject({ title: 'Không tìm thấy' });
    expect(res.headers?.['content-language']).toBe('vi');
  });

  it('echoes a valid request id and traceparent and replaces invalid ones', async () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const kept = await handleHttp(app(), {
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-1', traceparent: tp },
      body: Buffer.alloc(0),
    });
    expect(kept.headers).toMatchObject({ 'x-request-id': 'abc-1', traceparent: tp });
    const replaced = await handleHttp(app(), {
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': '<script>', traceparent: 'junk' },
      body: Buffer.alloc(0),
    });
    expect(replaced.headers?.['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.headers?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('reports readiness from dependencies and while draining', async () => {
    const get = { method: 'GET', url: '/readyz', headers: {}, body: Buffer.alloc(0) };
    expect((await handleHttp(app(), get)).status).toBe(200);
    const down = app({
      ready: async () => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
    });
    expect((await handleHttp(down, get)).status).toBe(503);
    expect((await handleHttp(app({ draining: () => true }), get)).status).toBe(503);
  });
});

describe('pickLanguage', () => {
  it.each([
    ['', undefined, 'en'],
    ['lang=vi', 'en', 'vi'],
    ['lang=fr', 'vi', 'vi'],
    ['', 'fr-FR, vi;q=0.8, en;q=0.7', 'vi'],
    ['', 'en-US,en;q=0.9,vi;q=0.1', 'en'],
    ['', 'vi;q=0', 'en'],
  ])('?%s with Accept-Language %s → %s', (query, header, want) => {
    expect(pickLanguage(new URLSearchParams(query), header)).toBe(want);
  });
});
