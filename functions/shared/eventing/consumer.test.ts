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
