import { readHttpCloudEvent } from './consumer';

const body = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('readHttpCloudEvent', () => {
  it('reads binary mode', () => {
    const event = readHttpCloudEvent({
      method: 'POST',
      url: '/cloudevents',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': '1',
        'ce-source': '/s',
        'ce-type': 't',
        'ce-partitionkey': 'k',
        'content-type': 'application/json',
      },
      body: body({ a: 1 }),
    });
    expect(event).toEqual({
      specversion: '1.0',
      id: '1',
      source: '/s',
      type: 't',
      partitionkey: 'k',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
  });

  it('reads structured mode', () => {
    const ce = { specversion: '1.0', id: '1', source: '/s', type: 't', data: { a: 1 } };
    expect(
      readHttpCloudEvent({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        body: body(ce),
      }),
    ).toEqual(ce);
  });

  it.each([
    ['no CloudEvent at all', { 'content-type': 'application/json' }, '{}', 'Not a CloudEvent'],
    ['batched mode', { 'content-type': 'application/cloudevents-batch+json' }, '[]', 'Batched'],
    ['malformed structured JSON', { 'content-type': 'application/cloudevents+json' }, '{', 'not valid JSON'],
    ['structured array', { 'content-type': 'application/cloudevents+json' }, '[1]', 'must be a JSON object'],
    [
      'malformed binary data',
      { 'ce-specversion': '1.0', 'content-type': 'application/json' },
      '{',
      'not valid JSON',
    ],
    ['binary data not JSON', { 'ce-specversion': '1.0', 'content-type': 'text/plain' }, 'hi', 'must be JSON'],
  ])('rejects %s', (_name, headers, raw, message) => {
    expect(() => readHttpCloudEvent({ method: 'POST', url: '/', headers, body: Buffer.from(raw) })).toThrow(
      message,
    );
  });
});

/** Cases from the CloudEvents 1.0 HTTP binding (3.1.3.2) and JSON format (data_base64, null). */
describe('readHttpCloudEvent: HTTP binding conformance', () => {
  const binary = (headers: Record<string, string>, raw = '{}') =>
    readHttpCloudEvent({
      method: 'POST',
      url: '/',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': '1',
        'ce-source': '/s',
        'ce-type': 't',
        'content-type': 'application/json',
        ...headers,
      },
      body: Buffer.from(raw),
    });
  const structured = (ce: Record<string, unknown>) =>
    readHttpCloudEvent({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: body({ specversion: '1.0', id: '1', source: '/s', type: 't', ...ce }),
    });

  it('percent-decodes ce-* header values (one round, UTF-8)', () => {
    expect(binary({ 'ce-time': '2026-12-06T10%3A00%3A00Z' }).time).toBe('2026-12-06T10:00:00Z');
    expect(binary({ 'ce-subject': 'Ph%E1%BB%9F%20b%C3%B2' }).subject).toBe('Phở bò');
    expect(binary({ 'ce-subject': '100%2541' }).subject).toBe('100%41'); // a single round
  });

  it('unquotes double-quoted header values (older senders) before decoding', () => {
    expect(binary({ 'ce-subject': '"a \\"b\\" c"' }).subject).toBe('a "b" c');
  });

  it.each([['%'], ['%4'], ['%zz'], ['%C3%28'], ['%FF']])(
    'refuses the malformed escape %s with a 400',
    (v) => {
      expect(() => binary({ 'ce-subject': v })).toThrow(expect.objectContaining({ status: 400 }));
    },
  );

  it('decodes a percent-encoded NUL, which the envelope check then refuses (400, not 500)', () => {
    const event = binary({ 'ce-id': 'a%00b' });
    expect(event.id).toBe('a\u0000b');
  });

  it('reads data_base64 in structured mode as the JSON it encodes', () => {
    const encoded = Buffer.from('{"a":"Phở"}').toString('base64');
    expect(structured({ datacontenttype: 'application/json', data_base64: encoded })).toEqual({
      specversion: '1.0',
      id: '1',
      source: '/s',
      type: 't',
      datacontenttype: 'application/json',
      data: { a: 'Phở' },
    });
    expect(structured({ data_base64: encoded }).data).toEqual({ a: 'Phở' });
  });

  it.each([
    ['both data and data_base64', { data: {}, data_base64: 'e30=' }, 400],
    ['data_base64 that is not Base64', { data_base64: 'e30' }, 400],
    ['data_base64 that is not a string', { data_base64: 7 }, 400],
    ['data_base64 that is not JSON', { data_base64: Buffer.from('{').toString('base64') }, 400],
    ['data_base64 of another media type', { datacontenttype: 'image/png', data_base64: 'AAAA' }, 415],
  ])('refuses %s', (_name, ce, status) => {
    expect(() => structured(ce)).toThrow(expect.objectContaining({ status }));
  });

  it('treats null attributes as unset (JSON format)', () => {
    expect(structured({ subject: null, time: null })).toEqual({
      specversion: '1.0',
      id: '1',
      source: '/s',
      type: 't',
    });
  });
});
