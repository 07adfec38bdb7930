import { readHttpCloudEvent } from './consumer';
import { classify, encodeHeaderValue, nextDelayMs, toBinaryHttp } from './dispatcher';
import { DEFAULT_DELIVERY } from '../../registry';

describe('classify (Knative delivery rules)', () => {
  it.each([
    [200, '', true, undefined],
    [202, '', true, undefined],
    [204, '', true, undefined],
    [200, '{"ok":true}', false, true],
    [400, 'bad', false, false],
    [401, '', false, false],
    [413, '', false, false],
    [415, '', false, false],
    [404, '', false, true],
    [408, '', false, true],
    [409, '', false, true],
    [429, '', false, true],
    [500, '', false, true],
    [503, '', false, true],
  ])('HTTP %i body %j → ok=%s retryable=%s', (status, body, ok, retryable) => {
    const r = classify(status, body);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.retryable).toBe(retryable);
  });
});

describe('nextDelayMs', () => {
  it('doubles from the base delay and stops after `retry` retries', () => {
    const d = { ...DEFAULT_DELIVERY, retry: 3, backoffDelayMs: 100 };
    expect([1, 2, 3, 4].map((n) => nextDelayMs(d, n))).toEqual([100, 200, 400, undefined]);
  });
  it('grows linearly when asked', () => {
    const d = { ...DEFAULT_DELIVERY, retry: 3, backoffDelayMs: 100, backoffPolicy: 'linear' as const };
    expect([1, 2, 3].map((n) => nextDelayMs(d, n))).toEqual([100, 200, 300]);
  });
});

describe('toBinaryHttp', () => {
  it('sends attributes as ce- headers and datacontenttype as Content-Type', () => {
    const out = toBinaryHttp({
      specversion: '1.0',
      id: '1',
      source: '/functions/a',
      type: 't',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
    expect(out).toEqual({
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': '1',
        'ce-source': '/functions/a',
        'ce-type': 't',
      },
      body: '{"a":1}',
    });
  });
});

describe('encodeHeaderValue (HTTP binding 3.1.3.2)', () => {
  it.each([
    ['2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z'],
    ['a b', 'a%20b'],
    ['say "hi"', 'say%20%22hi%22'],
    ['100%', '100%25'],
    ['Phở', 'Ph%E1%BB%9F'],
    ['🍜', '%F0%9F%8D%9C'],
    ['tab\there', 'tab%09here'],
    ["!#$&'()*+,/:;<=>?@[\\]^_`{|}~", "!#$&'()*+,/:;<=>?@[\\]^_`{|}~"],
  ])('%j → %j', (value, encoded) => {
    expect(encodeHeaderValue(value)).toBe(encoded);
  });

  it('round-trips through the consumer: what we send is what it reads', () => {
    const event = {
      specversion: '1.0',
      id: 'id with spaces & "quotes" 100%',
      source: '/functions/a',
      type: 't',
      subject: 'Nguyễn Văn A',
      partitionkey: 'k',
      datacontenttype: 'application/json',
      data: { a: 1 },
    } as const;
    const { headers, body } = toBinaryHttp(event as never);
    expect(readHttpCloudEvent({ method: 'POST', url: '/', headers, body: Buffer.from(body) })).toEqual(event);
  });
});
