import fc from 'fast-check';
import {
  COOKIE,
  cartIdOf,
  parseCookies,
  readSession,
  setCookie,
  shopLanguage,
  type Session,
} from './session';
import type { Lang } from './format';

const CART_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const CART_TOKEN = `${CART_ID}.abcdefghijklmnop_-XY`;
const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNpZw';
const REFRESH = 'rt_0123456789abcdefABCDEF';

describe('parseCookies', () => {
  it.each<[string, string | undefined, Record<string, string>]>([
    ['no header', undefined, {}],
    ['an empty header', '', {}],
    ['one pair', 'a=1', { a: '1' }],
    ['pairs with spaces', ' a = 1 ;  b=2 ', { a: '1', b: '2' }],
    ['an empty value', 'a=', { a: '' }],
    ['a value holding "="', 'a=x=y==', { a: 'x=y==' }],
    ['percent-encoded values', 'a=%7B%22k%22%3A1%7D; b=Ti%E1%BA%BFng', { a: '{"k":1}', b: 'Tiếng' }],
    ['a pair without "=" skipped', 'junk; a=1', { a: '1' }],
    ['a pair without a name skipped', '=1; a=2', { a: '2' }],
    ['empty parts skipped', ';;a=1;;', { a: '1' }],
    ['the first of a repeated name', 'a=1; a=2; b=3; b=4', { a: '1', b: '3' }],
    ['bad percent-encoding ignored', 'a=%E0%A4%A; b=%zz; c=ok', { c: 'ok' }],
    ['a lone "%" ignored', 'a=%; b=1', { b: '1' }],
  ])('reads %s', (_what, header, expected) => {
    expect(parseCookies(header)).toEqual(expected);
  });

  it('never throws, whatever the header (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (header) => {
        const out = parseCookies(header);
        for (const [name, value] of Object.entries(out)) {
          expect(typeof value).toBe('string');
          expect(name).toBe(name.trim());
        }
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (header) => void parseCookies(header)));
  });

  // Names of Object.prototype members (constructor, toString, valueOf...) are left out: parseCookies
  // drops such cookies (`name in out` sees the prototype), a known deviation reported separately.
  it('reads back what it is given, first of each name (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((n) => !(n in {}));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 30 })), { maxLength: 10 }), (pairs) => {
        const header = pairs.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ');
        const expected: Record<string, string> = {};
        for (const [n, v] of pairs) if (!(n in expected)) expected[n] = v;
        expect(parseCookies(header)).toEqual(expected);
      }),
    );
  });

  it('does not let a cookie named __proto__ change the result object', () => {
    const out = parseCookies('__proto__=x; a=1');
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.a).toBe('1');
  });

  it('keeps cookies named like Object.prototype members and skips empty names', () => {
    expect({ ...parseCookies('constructor=1; toString=2; valueOf=3') }).toEqual({
      constructor: '1',
      toString: '2',
      valueOf: '3',
    });
    expect({ ...parseCookies('a=2; =1;  =3') }).toEqual({ a: '2' });
  });
});

describe('readSession', () => {
  const cookie = (pairs: Record<string, string>) =>
    Object.entries(pairs)
      .map(([n, v]) => `${n}=${encodeURIComponent(v)}`)
      .join('; ');

  it('reads every value the shop writes', () => {
    expect(
      readSession(
        cookie({
          [COOKIE.access]: ACCESS,
          [COOKIE.refresh]: REFRESH,
          [COOKIE.cart]: CART_TOKEN,
          [COOKIE.lang]: 'en',
          [COOKIE.store]: 'hcm-q1',
          [COOKIE.notice]: JSON.stringify({ kind: 'ok', text: 'Đã thêm vào giỏ hàng.' }),
          other: 'x',
        }),
      ),
    ).toEqual<Session>({
      access: ACCESS,
      refresh: REFRESH,
      cartToken: CART_TOKEN,
      lang: 'en',
      store: 'hcm-q1',
      notice: { kind: 'ok', text: 'Đã thêm vào giỏ hàng.' },
    });
  });

  it('is empty without cookies', () => {
    expect(readSession(undefined)).toEqual({});
    expect(readSession('')).toEqual({});
  });

  it.each<[string, string, string]>([
    ['an access token too short', COOKIE.access, 'abc'],
    ['an access token with a space', COOKIE.access, 'abcdefghij klmnopqrs'],
    ['an access token with "<"', COOKIE.access, '<script>alert(1)</script>'],
    ['an access token over 4096 characters', COOKIE.access, 'a'.repeat(4097)],
    ['a refresh token with a quote', COOKIE.refresh, 'abcdefghijklmnop"q'],
    ['a cart token without a secret', COOKIE.cart, CART_ID],
    ['a cart token with a short secret', COOKIE.cart, `${CART_ID}.short`],
    ['a cart token with an upper-case id', COOKIE.cart, `${CART_ID.toUpperCase()}.abcdefghijklmnop`],
    ['a cart token that is not a uuid', COOKIE.cart, 'cart-1.abcdefghijklmnopqrst'],
    ['a cart token with a trailing newline', COOKIE.cart, `${CART_TOKEN}\n`],
    ['an unknown language', COOKIE.lang, 'fr'],
    ['a language in upper case', COOKIE.lang, 'EN'],
    ['a language with a suffix', COOKIE.lang, 'en-US'],
    ['a store with upper case', COOKIE.store, 'HCM'],
    ['a store with a slash', COOKIE.store, '../admin'],
    ['an empty store', COOKIE.store, ''],
    ['a store over 64 characters', COOKIE.store, 'a'.repeat(65)],
  ])('ignores %s', (_what, name, value) => {
    expect(readSession(`${name}=${encodeURIComponent(value)}`)).toEqual({});
  });

  it('accepts the longest allowed values', () => {
    expect(readSession(`${COOKIE.access}=${'a'.repeat(4096)}`).access).toHaveLength(4096);
    expect(readSession(`${COOKIE.store}=${'a'.repeat(64)}`).store).toHaveLength(64);
    expect(readSession(`${COOKIE.cart}=${CART_ID}.${'a'.repeat(128)}`).cartToken).toBeDefined();
    expect(readSession(`${COOKIE.cart}=${CART_ID}.${'a'.repeat(129)}`).cartToken).toBeUndefined();
  });

  it('keeps valid cookies when others are invalid', () => {
    expect(readSession(`${COOKIE.lang}=fr; ${COOKIE.store}=hn-1; ${COOKIE.access}=x`)).toEqual({
      store: 'hn-1',
    });
  });

  it.each<[string, string, Session['notice']]>([
    ['an ok notice', JSON.stringify({ kind: 'ok', text: 'Saved.' }), { kind: 'ok', text: 'Saved.' }],
    ['an error notice', JSON.stringify({ kind: 'error', text: 'No.' }), { kind: 'error', text: 'No.' }],
    ['an empty text', JSON.stringify({ kind: 'ok', text: '' }), { kind: 'ok', text: '' }],
    [
      'only kind and text of a notice',
      JSON.stringify({ kind: 'ok', text: 'Hi', html: '<b>x</b>' }),
      { kind: 'ok', text: 'Hi' },
    ],
    [
      'a long text cut to 500 characters',
      JSON.stringify({ kind: 'ok', text: 'x'.repeat(600) }),
      { kind: 'ok', text: 'x'.repeat(500) },
    ],
    ['garbage', '{not json', undefined],
    ['a JSON string', JSON.stringify('ok'), undefined],
    ['JSON null', 'null', undefined],
    ['a JSON number', '42', undefined],
    ['a JSON array', '[1,2]', undefined],
    ['an unknown kind', JSON.stringify({ kind: 'warn', text: 'x' }), undefined],
    ['a text that is not a string', JSON.stringify({ kind: 'ok', text: 42 }), undefined],
    ['a missing text', JSON.stringify({ kind: 'ok' }), undefined],
  ])('reads %s', (_what, value, expected) => {
    const s = readSession(`${COOKIE.notice}=${encodeURIComponent(value)}`);
    expect(s.notice).toEqual(expected);
  });

  it('never throws, whatever the notice cookie holds (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (value) => {
        const s = readSession(`${COOKIE.notice}=${encodeURIComponent(value)}`);
        if (s.notice) {
          expect(['ok', 'error']).toContain(s.notice.kind);
          expect(typeof s.notice.text).toBe('string');
          expect(s.notice.text.length).toBeLessThanOrEqual(500);
        }
      }),
    );
  });
});

describe('cartIdOf', () => {
  it.each<[string, string]>([
    [CART_TOKEN, CART_ID],
    ['abc.def.ghi', 'abc'],
    ['.secret', ''],
  ])('cartIdOf(%j) is %j', (token, id) => {
    expect(cartIdOf(token)).toBe(id);
  });
});

describe('setCookie', () => {
  const attrs = (header: string) => header.split('; ');

  it('writes a long-lived, HttpOnly, SameSite=Lax cookie for the whole site', () => {
    expect(setCookie('tuoi_lang', 'en', { maxAge: 31536000, secure: false })).toBe(
      'tuoi_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly',
    );
  });

  it('adds Secure only when asked', () => {
    expect(attrs(setCookie('a', 'b', { maxAge: 60, secure: true }))).toContain('Secure');
    expect(attrs(setCookie('a', 'b', { maxAge: 60, secure: false }))).not.toContain('Secure');
  });

  it('leaves HttpOnly out only when told httpOnly: false', () => {
    expect(attrs(setCookie('a', 'b', { maxAge: 60, secure: true, httpOnly: true }))).toContain('HttpOnly');
    expect(attrs(setCookie('a', 'b', { maxAge: 60, secure: true, httpOnly: false }))).not.toContain(
      'HttpOnly',
    );
  });

  it('deletes with Max-Age=0 and an empty value', () => {
    expect(setCookie(COOKIE.notice, '', { maxAge: 0, secure: true })).toBe(
      'tuoi_notice=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly; Secure',
    );
  });

  it('percent-encodes the value so ";", "," and spaces cannot add attributes', () => {
    const header = setCookie('n', 'x; Domain=evil.example, y z', { maxAge: 1, secure: false });
    expect(header.startsWith('n=x%3B%20Domain%3Devil.example%2C%20y%20z; ')).toBe(true);
    expect(attrs(header).some((a) => a.startsWith('Domain'))).toBe(false);
  });

  it('writes values parseCookies and readSession read back (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const value = JSON.stringify({ kind: 'ok', text });
        const header = setCookie(COOKIE.notice, value, { maxAge: 60, secure: true });
        const pair = header.split('; ')[0]!;
        expect(parseCookies(pair)[COOKIE.notice]).toBe(value);
        expect(readSession(pair).notice).toEqual({ kind: 'ok', text: text.slice(0, 500) });
      }),
    );
  });
});

describe('shopLanguage', () => {
  it.each<[string | undefined, Lang | undefined, string | undefined, Lang]>([
    // an explicit ?lang wins over everything
    ['en', 'vi', 'vi', 'en'],
    ['vi', 'en', 'en-US,en;q=0.9', 'vi'],
    ['en', undefined, undefined, 'en'],
    // an unknown ?lang is ignored
    ['fr', 'en', 'vi', 'en'],
    ['EN', undefined, undefined, 'vi'],
    ['', undefined, 'en', 'en'],
    // then the remembered choice
    [undefined, 'en', 'vi-VN', 'en'],
    [undefined, 'vi', 'en-US', 'vi'],
    // then the browser's languages, by q-value
    [undefined, undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, undefined, 'vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    [undefined, undefined, 'en;q=0.5, vi;q=0.8', 'vi'],
    [undefined, undefined, 'vi;q=0.2, en;q=0.9', 'en'],
    [undefined, undefined, 'fr-FR, fr;q=0.9, en;q=0.5', 'en'],
    [undefined, undefined, 'en;q=0, fr', 'vi'],
    [undefined, undefined, 'EN-gb', 'en'],
    // Vietnamese by default
    [undefined, undefined, undefined, 'vi'],
    [undefined, undefined, '', 'vi'],
    [undefined, undefined, 'fr-FR, de;q=0.8', 'vi'],
    [undefined, undefined, '*', 'vi'],
    [undefined, undefined, 'ja, zh-CN;q=0.9', 'vi'],
  ])('?lang=%j, remembered %j, Accept-Language %j → %s', (explicit, remembered, accept, expected) => {
    expect(shopLanguage(explicit, remembered, accept)).toBe(expected);
  });

  it('always answers en or vi (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.constantFrom<Lang>('en', 'vi'), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (explicit, remembered, accept) => {
          expect(['en', 'vi']).toContain(shopLanguage(explicit, remembered, accept));
        },
      ),
    );
  });
});
