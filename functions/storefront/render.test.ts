import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { h } from 'preact';
import { html, securityHeaders, seeOther } from './render';
import { ProductCard, MessagePage, type CardProduct, type View } from './pages/layout';
import { ProductPage, type ProductDetail } from './pages/product';

const view = (over: Partial<View> = {}): View => ({
  lang: 'vi',
  here: '/',
  signedIn: false,
  assets: { js: '/assets/app.0123456789ab.js', css: '/assets/app.0123456789ab.css' },
  images: false,
  ...over,
});

const HOSTILE = ['<script>alert(1)</script>', '"><img onerror=x>', "'><svg onload=alert(1)>"];

const card = (name: string): CardProduct => ({
  sku: 'TU-1',
  name,
  name_en: name,
  name_vi: name,
  brand: name,
  price_vnd: 25000,
  sold_by: 'piece',
  in_stock: true,
  promotions: [{ id: 'p1', label_en: name, label_vi: name }],
});

const detail = (name: string): ProductDetail => ({
  ...card(name),
  status: 'active',
  description_vi: name,
  description_en: name,
  category_path: [{ id: 'dairy', name }],
});

/** The decoded text of an html() answer. */
function text(res: { body?: unknown; headers?: Record<string, string> }): string {
  const body = res.body as Buffer;
  const enc = res.headers?.['content-encoding'];
  return (enc === 'br' ? brotliDecompressSync(body) : enc === 'gzip' ? gunzipSync(body) : body).toString(
    'utf8',
  );
}

function expectNoInjection(out: string) {
  expect(out).not.toMatch(/<script>alert/i);
  expect(out).not.toMatch(/<img onerror/i);
  expect(out).not.toMatch(/<svg onload/i);
  // no attribute broken out of: every `"` inside a tag closes an attribute that opened it
  expect(out).not.toContain('"><img');
}

describe('html: escaping', () => {
  it.each(HOSTILE)('escapes a hostile name %j in a product card', (name) => {
    const out = text(
      html(h(ProductCard, { product: card(name), view: view(), idPrefix: 'home' }), {
        lang: 'vi',
        acceptEncoding: undefined,
        imageOrigins: [],
      }),
    );
    expectNoInjection(out);
    // the name is shown as text: "&", "<" and '"' escaped (a ">" alone opens nothing)
    expect(out).toContain(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'));
    expect(out.match(/<(script|img|svg)\b/gi)).toBeNull();
  });

  it.each(HOSTILE)('escapes a hostile name %j on a product page (title, heading, labels, links)', (name) => {
    for (const lang of ['vi', 'en'] as const) {
      const out = text(
        html(
          h(ProductPage, {
            view: view({ lang, q: name, here: '/p/TU-1' }),
            product: detail(name),
            mine: { location: 'hcm-q1', name, available: 3 },
            others: [{ location: 'hn-1', name, available: 0 }],
          }),
          { lang, acceptEncoding: 'br', imageOrigins: [] },
        ),
      );
      expect(out.startsWith('<!doctype html><html lang=')).toBe(true);
      expectNoInjection(out);
      // the only script is the shop's own bundle; there are no images (images are off)
      expect(out.match(/<script\b[^>]*>/gi)).toEqual(['<script src="/assets/app.0123456789ab.js" defer>']);
      expect(out.match(/<(img|svg)\b/gi)).toBeNull();
      expect(out).toContain(
        `<h1>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</h1>`,
      );
    }
  });

  it('escapes a hostile notice', () => {
    const out = text(
      html(
        h(MessagePage, {
          view: view({ notice: { kind: 'error', text: '<script>alert(1)</script>' } }),
          title: 'x',
          text: '"><img onerror=x>',
        }),
        { lang: 'vi', acceptEncoding: undefined, imageOrigins: [] },
      ),
    );
    expectNoInjection(out);
  });
});

describe('html: headers', () => {
  const small = h('p', null, 'xin chào');
  const big = h('p', null, 'Thực phẩm tươi '.repeat(200));

  it('sets the content type, caching, vary, language and security headers', () => {
    const res = html(small, { lang: 'en', acceptEncoding: undefined, imageOrigins: [] });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-cache',
      vary: 'Cookie, Accept-Language, Accept-Encoding',
      'content-language': 'en',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    expect(
      html(small, { lang: 'vi', acceptEncoding: undefined, imageOrigins: [] }).headers!['content-language'],
    ).toBe('vi');
  });

  it('sets a strict CSP: own origin only, no inline script or style, no framing', () => {
    const csp = html(small, { lang: 'vi', acceptEncoding: undefined, imageOrigins: [] }).headers![
      'content-security-policy'
    ]!;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('*');
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'object-src': "'none'",
    });
  });

  it('adds the image origins to img-src only', () => {
    const csp = securityHeaders(['https://img.tuoi.vn', 'https://cdn.example'])['content-security-policy']!;
    expect(csp).toContain("img-src 'self' data: https://img.tuoi.vn https://cdn.example;");
    expect(csp.split('; ').filter((d) => d.includes('img.tuoi.vn'))).toHaveLength(1);
  });

  it.each<[string, string | undefined, boolean, string | undefined]>([
    ['a big page with brotli', 'gzip, br', true, 'br'],
    ['a big page with gzip', 'gzip', true, 'gzip'],
    ['a big page without Accept-Encoding', undefined, true, undefined],
    ['a big page when only deflate is accepted', 'deflate', true, undefined],
    ['a small page, even with brotli accepted', 'br', false, undefined],
    ['a small page, even with gzip accepted', 'gzip', false, undefined],
  ])('compresses %s → %j', (_what, accept, isBig, encoding) => {
    const node = isBig ? big : small;
    const res = html(node, { lang: 'vi', acceptEncoding: accept, imageOrigins: [] });
    expect(res.headers!['content-encoding']).toBe(encoding);
    const out = text(res);
    expect(out).toBe(
      `<!doctype html>${isBig ? `<p>${'Thực phẩm tươi '.repeat(200)}</p>` : '<p>xin chào</p>'}`,
    );
    if (encoding) expect((res.body as Buffer).length).toBeLessThan(Buffer.byteLength(out));
  });

  it('compresses only past 1 KiB', () => {
    // '<!doctype html><p>' + n × 'a' + '</p>' is 22 + n bytes
    const of = (n: number) =>
      html(h('p', null, 'a'.repeat(n)), { lang: 'vi', acceptEncoding: 'br', imageOrigins: [] }).headers![
        'content-encoding'
      ];
    expect(of(1024 - 22)).toBeUndefined();
    expect(of(1025 - 22)).toBe('br');
  });

  it('renders a fragment without the doctype', () => {
    const res = html(small, { lang: 'vi', acceptEncoding: undefined, imageOrigins: [], fragment: true });
    expect(text(res)).toBe('<p>xin chào</p>');
  });

  it('carries the cookies, the status and extra headers', () => {
    const cookies = ['tuoi_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly'];
    const res = html(small, {
      lang: 'en',
      status: 404,
      acceptEncoding: undefined,
      imageOrigins: [],
      cookies,
      headers: { 'retry-after': '5' },
    });
    expect(res.status).toBe(404);
    expect(res.cookies).toEqual(cookies);
    expect(res.headers!['retry-after']).toBe('5');
  });

  it('sends no cookies field when there are none', () => {
    expect(
      html(small, { lang: 'en', acceptEncoding: undefined, imageOrigins: [], cookies: [] }),
    ).not.toHaveProperty('cookies');
  });
});

describe('seeOther', () => {
  it('is a 303 that is never cached, with the cookies', () => {
    expect(seeOther('/basket', ['a=1'])).toEqual({
      status: 303,
      headers: { location: '/basket', 'cache-control': 'no-store' },
      cookies: ['a=1'],
    });
    expect(seeOther('/')).toEqual({ status: 303, headers: { location: '/', 'cache-control': 'no-store' } });
  });
});
