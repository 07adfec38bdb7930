import fc from 'fast-check';
import { ForbiddenError, MalformedRequestError, UnsupportedMediaTypeError } from '../shared/errors';
import type { HttpRequest } from '../shared/http';
import { COOKIE } from './session';
import { Shop, safeBack, tokenExpiry, type ShopDeps } from './shop';

const NOW = new Date('2026-12-08T03:00:00Z');

function deps(over: Partial<ShopDeps> = {}): ShopDeps {
  return {
    api: {
      call: () => {
        throw new Error('the API must not be called');
      },
      close: () => {},
    },
    assets: { urls: { js: '/a.js', css: '/a.css' }, serve: () => undefined },
    secureCookies: false,
    images: false,
    imageOrigins: [],
    now: () => NOW,
    ...over,
  };
}

function request(
  over: {
    method?: string;
    path?: string;
    query?: Record<string, string>;
    headers?: Record<string, string | undefined>;
    body?: string;
  } = {},
): HttpRequest<unknown, Record<string, string>> {
  return {
    method: over.method ?? 'POST',
    path: over.path ?? '/basket/add',
    params: {},
    query: over.query ?? {},
    headers: over.headers ?? {},
    body: undefined,
    rawBody: Buffer.from(over.body ?? '', 'utf8'),
    requestId: 'req-1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    lang: 'vi',
    remoteAddress: '10.0.0.1',
  };
}

const FORM = 'application/x-www-form-urlencoded';

const jwt = (claims: unknown) =>
  [
    Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    'c2lnbmF0dXJl',
  ].join('.');

describe('safeBack', () => {
  it.each<[string, string | undefined, string]>([
    ['a local path', '/basket', '/basket'],
    ['a path with a query', '/find?q=s%E1%BB%AFa&sort=price_asc', '/find?q=s%E1%BB%AFa&sort=price_asc'],
    ['a path with a fragment', '/p/TU-1#stock', '/p/TU-1#stock'],
    ['the root', '/', '/'],
    ['nothing', undefined, '/'],
    ['an empty string', '', '/'],
    ['an absolute URL', 'https://evil.example/', '/'],
    ['a javascript: URL', 'javascript:alert(1)', '/'],
    ['a protocol-relative URL', '//evil.example', '/'],
    ['a backslash trick', '/\\evil.example', '/'],
    ['a relative path', 'basket', '/'],
    ['a path with a tab', '/\t/evil.example', '/'],
    ['a path with a newline', '/basket\nSet-Cookie: x=1', '/'],
    ['a path with a carriage return', '/basket\r', '/'],
    ['a path with a NUL', '/basket\u0000', '/'],
    ['a path with DEL', '/basket\u007f', '/'],
    ['a path with a C1 control', '/basket\u0085', '/'],
    ['a path over 500 characters', `/${'a'.repeat(500)}`, '/'],
  ])('%s → %j', (_what, value, expected) => {
    expect(safeBack(value)).toBe(expected);
  });

  it('accepts a path of exactly 500 characters', () => {
    const path = `/${'a'.repeat(499)}`;
    expect(safeBack(path)).toBe(path);
  });

  it('gives the fallback it is told', () => {
    expect(safeBack('//evil.example', '/account')).toBe('/account');
    expect(safeBack(undefined, '/basket')).toBe('/basket');
    expect(safeBack('/find', '/basket')).toBe('/find');
  });

  it('always gives a local path: starts with "/", never "//" or "/\\" (property)', () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 600 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }).map((s) => `/${s}`),
      fc.string({ maxLength: 50 }).map((s) => `//${s}`),
      fc.string({ maxLength: 50 }).map((s) => `/\\${s}`),
      fc.constantFrom('https://evil', '//evil', '/\\evil', '\\\\evil', '/\t/evil', ' /evil', 'http:/evil'),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        const out = safeBack(value);
        expect(out.startsWith('/')).toBe(true);
        expect(out.startsWith('//')).toBe(false);
        expect(out.startsWith('/\\')).toBe(false);
        expect(/\p{Cc}/u.test(out)).toBe(false);
        expect(out.length).toBeLessThanOrEqual(500);
        // what it keeps, it keeps unchanged; anything else is home
        expect([value, '/']).toContain(out);
        // and a browser resolves it on the shop's own origin
        expect(new URL(out, 'https://shop.tuoi.vn').origin).toBe('https://shop.tuoi.vn');
      }),
    );
  });
});

describe('tokenExpiry', () => {
  it.each<[string, string, number | undefined]>([
    ['a JWT with exp', jwt({ sub: 'u1', exp: 1796700000 }), 1796700000],
    ['a JWT with a fractional exp', jwt({ exp: 1796700000.5 }), 1796700000.5],
    ['a JWT without exp', jwt({ sub: 'u1' }), undefined],
    ['a JWT with a string exp', jwt({ exp: '1796700000' }), undefined],
    ['a JWT whose payload is null', jwt(null), undefined],
    ['a JWT whose payload is a number', jwt(5), undefined],
    ['an opaque token', 'rt_0123456789abcdef', undefined],
    ['an empty string', '', undefined],
    ['a token with an empty payload', 'a..c', undefined],
    ['a payload that is not base64url JSON', 'a.!!!not-json!!!.c', undefined],
    ['a payload of JSON garbage', `a.${Buffer.from('{"exp":').toString('base64url')}.c`, undefined],
  ])('%s → %p', (_what, token, expected) => {
    expect(tokenExpiry(token)).toBe(expected);
  });

  it('never throws, whatever the token (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const exp = tokenExpiry(`${a}.${b}`);
        expect(exp === undefined || typeof exp === 'number').toBe(true);
      }),
    );
  });

  it('reads exp back from any JWT-shaped token (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (exp) => {
        expect(tokenExpiry(jwt({ sub: 'x', exp }))).toBe(exp);
      }),
    );
  });
});

describe('Shop#form', () => {
  const shop = (headers: Record<string, string | undefined>, body = 'sku=TU-1&qty=2&back=%2Fbasket') =>
    new Shop(deps(), request({ headers, body }));

  it('accepts a same-origin form behind the proxy (Origin matches X-Forwarded-Host) and parses it', () => {
    const form = shop({
      origin: 'https://shop.tuoi.vn',
      'x-forwarded-host': 'shop.tuoi.vn',
      host: 'storefront.default.svc.cluster.local',
      'sec-fetch-site': 'same-origin',
      'content-type': FORM,
    }).form();
    expect(form.get('sku')).toBe('TU-1');
    expect(form.get('qty')).toBe('2');
    expect(form.get('back')).toBe('/basket');
  });

  it('accepts Origin matching Host when there is no proxy header, with a charset parameter', () => {
    const form = shop(
      { origin: 'http://localhost:8080', host: 'localhost:8080', 'content-type': `${FORM}; charset=UTF-8` },
      'name=Nguy%E1%BB%85n+V%C4%83n+A',
    ).form();
    expect(form.get('name')).toBe('Nguyễn Văn A');
  });

  it.each<[string, Record<string, string>]>([
    ['no Origin nor Sec-Fetch-Site (an older browser)', { 'content-type': FORM }],
    ['Sec-Fetch-Site: none (typed by the user)', { 'sec-fetch-site': 'none', 'content-type': FORM }],
    ['Sec-Fetch-Site: same-origin without Origin', { 'sec-fetch-site': 'same-origin', 'content-type': FORM }],
    ['an upper-case content type', { 'content-type': 'Application/X-WWW-Form-Urlencoded' }],
  ])('accepts %s', (_what, headers) => {
    expect(shop(headers).form().get('sku')).toBe('TU-1');
  });

  it.each<[string, Record<string, string>]>([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', host: 'shop.tuoi.vn' }],
    [
      'Sec-Fetch-Site: same-site (a sibling subdomain)',
      { 'sec-fetch-site': 'same-site', host: 'shop.tuoi.vn' },
    ],
    [
      'cross-site even with a matching Origin',
      { 'sec-fetch-site': 'cross-site', origin: 'https://shop.tuoi.vn', host: 'shop.tuoi.vn' },
    ],
    ['a foreign Origin', { origin: 'https://evil.example', host: 'shop.tuoi.vn' }],
    [
      'a foreign Origin that matches Host but not X-Forwarded-Host',
      { origin: 'https://internal', host: 'internal', 'x-forwarded-host': 'shop.tuoi.vn' },
    ],
    ['an Origin on another port', { origin: 'https://shop.tuoi.vn:8443', host: 'shop.tuoi.vn' }],
    ['a look-alike Origin', { origin: 'https://shop.tuoi.vn.evil.example', host: 'shop.tuoi.vn' }],
    ['Origin: null (a sandboxed frame or a data: page)', { origin: 'null', host: 'shop.tuoi.vn' }],
    ['an Origin that is not a URL', { origin: 'not a url', host: 'shop.tuoi.vn' }],
    ['an Origin without any Host to compare with', { origin: 'https://shop.tuoi.vn' }],
  ])('refuses %s with a ForbiddenError', (_what, headers) => {
    expect(() => shop({ ...headers, 'content-type': FORM }).form()).toThrow(ForbiddenError);
  });

  it.each<[string, string | undefined]>([
    ['JSON', 'application/json'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['plain text', 'text/plain'],
    ['a look-alike type', 'application/x-www-form-urlencodedx'],
    ['no content type', undefined],
  ])('refuses %s with an UnsupportedMediaTypeError', (_what, type) => {
    const headers = { origin: 'https://shop.tuoi.vn', host: 'shop.tuoi.vn', 'content-type': type };
    expect(() => shop(headers).form()).toThrow(UnsupportedMediaTypeError);
  });

  it('checks the origin before the content type (a cross-site JSON post is a 403, not a 415)', () => {
    expect(() =>
      shop({
        origin: 'https://evil.example',
        host: 'shop.tuoi.vn',
        'content-type': 'application/json',
      }).form(),
    ).toThrow(ForbiddenError);
  });

  it('refuses a form holding a NUL character', () => {
    expect(() => shop({ 'content-type': FORM }, 'sku=TU-1\u0000').form()).toThrow(MalformedRequestError);
  });

  it('does not call the API to check a form', () => {
    const call = jest.fn();
    const s = new Shop(
      deps({ api: { call, close: () => {} } }),
      request({ headers: { 'content-type': FORM }, body: 'a=1' }),
    );
    s.form();
    expect(call).not.toHaveBeenCalled();
  });
});

describe('Shop: language and cookies', () => {
  const get = (query: Record<string, string>, headers: Record<string, string> = {}) =>
    new Shop(deps(), request({ method: 'GET', path: '/find', query, headers }));

  it('?lang=en picks English and remembers it in a tuoi_lang cookie for a year', () => {
    const s = get({ lang: 'en' }, { 'accept-language': 'vi' });
    expect(s.lang).toBe('en');
    expect(s.cookies).toEqual(['tuoi_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly']);
  });

  it('sets no cookie when ?lang repeats the remembered choice', () => {
    const s = get({ lang: 'en' }, { cookie: `${COOKIE.lang}=en` });
    expect(s.lang).toBe('en');
    expect(s.cookies).toEqual([]);
  });

  it('sets no cookie for an unknown ?lang, and uses the remembered one', () => {
    const s = get({ lang: 'fr' }, { cookie: `${COOKIE.lang}=en` });
    expect(s.lang).toBe('en');
    expect(s.cookies).toEqual([]);
  });

  it('uses the browser language without setting a cookie', () => {
    const s = get({}, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(s.lang).toBe('en');
    expect(s.cookies).toEqual([]);
  });

  it('is Vietnamese for a browser that says nothing', () => {
    expect(get({}).lang).toBe('vi');
  });

  it('marks the cookie Secure when the shop runs over HTTPS', () => {
    const s = new Shop(deps({ secureCookies: true }), request({ query: { lang: 'vi' } }));
    expect(s.cookies).toEqual(['tuoi_lang=vi; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly; Secure']);
  });

  it('clears the notice cookie once it has read the notice', () => {
    const notice = encodeURIComponent(JSON.stringify({ kind: 'ok', text: 'Đã thêm vào giỏ hàng.' }));
    const s = get({}, { cookie: `${COOKIE.notice}=${notice}` });
    expect(s.session.notice).toEqual({ kind: 'ok', text: 'Đã thêm vào giỏ hàng.' });
    expect(s.cookies).toEqual(['tuoi_notice=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly']);
  });

  it('sets no cookies for a plain request', () => {
    expect(get({}, { cookie: `${COOKIE.store}=hcm-q1` }).cookies).toEqual([]);
  });

  it('is signed in with an access or a refresh token', () => {
    const token = jwt({ exp: NOW.getTime() / 1000 + 600 });
    expect(get({}, { cookie: `${COOKIE.access}=${token}` }).signedIn).toBe(true);
    expect(get({}, { cookie: `${COOKIE.refresh}=rt_0123456789abcdef` }).signedIn).toBe(true);
    expect(get({}).signedIn).toBe(false);
  });

  it('uses a fresh access token without calling the API', async () => {
    const token = jwt({ exp: NOW.getTime() / 1000 + 600 });
    await expect(get({}, { cookie: `${COOKIE.access}=${token}` }).token()).resolves.toBe(token);
  });

  it('writes a notice for the next page as a one-minute cookie', () => {
    const s = get({});
    s.notice('ok', 'Saved.');
    expect(s.cookies).toEqual([
      `tuoi_notice=${encodeURIComponent('{"kind":"ok","text":"Saved."}')}; Path=/; Max-Age=60; SameSite=Lax; HttpOnly`,
    ]);
  });

  it('builds the page view: the path without lang, the assets and the notice', async () => {
    const notice = encodeURIComponent(JSON.stringify({ kind: 'error', text: 'No.' }));
    const s = new Shop(
      deps(),
      request({
        method: 'GET',
        path: '/find',
        query: { q: 'sữa', lang: 'en' },
        headers: { cookie: `${COOKIE.notice}=${notice}` },
      }),
    );
    await expect(s.view()).resolves.toEqual({
      lang: 'en',
      here: '/find?q=s%E1%BB%AFa',
      signedIn: false,
      basketCount: 0,
      notice: { kind: 'error', text: 'No.' },
      assets: { js: '/a.js', css: '/a.css' },
      images: false,
    });
  });
});
