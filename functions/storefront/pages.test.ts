import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { AccountPage, ForgotPage, ResetPage, SignInPage, VerifyPage, type Profile } from './pages/account';
import { BasketPage, countOf, type Cart, type CartLine } from './pages/basket';
import { CheckoutPage, type CheckoutData, type SlotWindow } from './pages/checkout';
import { Layout, MessagePage, ProductCard, nameOf, perKg, switchHref, type View } from './pages/layout';
import { OrderLive, type OrderView } from './pages/track';
import type { Lang } from './format';

const view = (over: Partial<View> = {}): View => ({
  lang: 'vi',
  here: '/',
  signedIn: false,
  assets: { js: '/assets/app.js', css: '/assets/app.css' },
  images: false,
  ...over,
});

const page = (v: View) => renderToString(h(Layout, { view: v, title: 'T', children: h('p', null, 'body') }));

/** The attributes of the first element matching `re` (a regex matching its opening tag). */
function attrsOf(out: string, re: RegExp): Record<string, string> {
  const tag = out.match(re)?.[0];
  if (!tag) throw new Error(`no tag matching ${re} in ${out}`);
  return Object.fromEntries(
    [...tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)]
      .slice(1)
      .map((m) => [m[1]!, (m[2] ?? '').replace(/&amp;/g, '&')]),
  );
}

describe('Layout', () => {
  it.each<[Lang]>([['vi'], ['en']])('sets <html lang="%s">', (lang) => {
    expect(page(view({ lang }))).toMatch(new RegExp(`^<html lang="${lang}">`));
  });

  it.each<[Lang, string, string, string]>([
    ['vi', '/', '/?lang=en', 'en'],
    ['vi', '/find?q=s%E1%BB%AFa&sort=price_asc', '/find?q=s%E1%BB%AFa&sort=price_asc&lang=en', 'en'],
    ['en', '/p/TU-1', '/p/TU-1?lang=vi', 'vi'],
    ['en', '/find?lang=en&q=rice', '/find?lang=vi&q=rice', 'vi'],
  ])('in %s on %s, the language switch goes to %s', (lang, here, href, other) => {
    const a = attrsOf(page(view({ lang, here })), /<a class="lang"[^>]*>/);
    expect(a.href).toBe(href);
    expect(a.hreflang).toBe(other);
    expect(a.lang).toBe(other);
  });

  it('keeps the language switch on the shop even for a hostile path', () => {
    for (const here of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const href = switchHref(here, 'vi');
      expect(href.startsWith('/')).toBe(true);
      expect(href.startsWith('//')).toBe(false);
    }
  });

  it('makes the search input a combobox tied to its suggestions list', () => {
    const out = page(view({ q: 'sữa' }));
    const input = attrsOf(out, /<input id="q"[^>]*>/);
    expect(input).toMatchObject({
      name: 'q',
      type: 'search',
      value: 'sữa',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': 'suggestions',
    });
    expect(attrsOf(out, /<ul id="suggestions"[^>]*>/)).toMatchObject({ role: 'listbox' });
    expect(attrsOf(out, /<label[^>]*for="q"[^>]*>/)).toBeDefined();
  });

  it('links the shop’s own assets and no inline script', () => {
    const out = page(view());
    expect(out).toContain('<link rel="stylesheet" href="/assets/app.css"/>');
    expect(out.match(/<script\b[^>]*>/g)).toEqual(['<script src="/assets/app.js" defer>']);
    expect(out).not.toMatch(/\son[a-z]+=/i);
    expect(out).not.toMatch(/\sstyle=/i);
  });

  it.each<[boolean, string, string]>([
    [false, '/account/sign-in', 'Đăng nhập'],
    [true, '/account', 'Tài khoản'],
  ])('signed in %p links to %s', (signedIn, href, text) => {
    expect(page(view({ signedIn }))).toContain(`<a href="${href}">${text}</a>`);
  });

  it('shows the basket count only when there is one', () => {
    expect(page(view({ basketCount: 3 }))).toContain(
      '<span class="count"><span class="visually-hidden">: </span>3</span>',
    );
    expect(page(view({ basketCount: 0 }))).not.toContain('class="count"');
  });

  it.each<['ok' | 'error', string]>([
    ['ok', 'status'],
    ['error', 'alert'],
  ])('shows a %s notice with role %s', (kind, role) => {
    expect(page(view({ notice: { kind, text: 'Xong' } }))).toContain(
      `<p class="notice ${kind}" role="${role}">Xong</p>`,
    );
  });
});

describe('product helpers', () => {
  it.each<[Parameters<typeof nameOf>[0], Lang, string]>([
    [{ name: 'Milk', name_en: 'Milk EN', name_vi: 'Sữa' }, 'vi', 'Sữa'],
    [{ name: 'Milk', name_en: 'Milk EN', name_vi: 'Sữa' }, 'en', 'Milk EN'],
    [{ name: 'Milk', name_en: '' }, 'en', 'Milk'],
    [{}, 'vi', ''],
  ])('nameOf(%j, %s) is %j', (p, lang, expected) => {
    expect(nameOf(p, lang)).toBe(expected);
  });

  it.each<[Parameters<typeof perKg>[0], number | undefined]>([
    [{ sku: 'a', name: 'a', price_vnd: 50000, sold_by: 'weight', price_per_kg_vnd: 120000 }, 120000],
    [{ sku: 'a', name: 'a', price_vnd: 60000, sold_by: 'weight', unit: 'g', size: 500 }, 120000],
    [{ sku: 'a', name: 'a', price_vnd: 10000, sold_by: 'weight', unit: 'g', size: 300 }, 33333],
    [{ sku: 'a', name: 'a', price_vnd: 60000, sold_by: 'piece', unit: 'g', size: 500 }, undefined],
    [{ sku: 'a', name: 'a', price_vnd: 60000, sold_by: 'weight', unit: 'ml', size: 500 }, undefined],
  ])('perKg(%j) is %p', (p, expected) => {
    expect(perKg(p)).toBe(expected);
  });

  it('a product card offers no add form when out of stock', () => {
    const p = { sku: 'TU-1', name: 'Gạo', price_vnd: 30000, sold_by: 'piece' as const };
    const render = (in_stock: boolean) =>
      renderToString(h(ProductCard, { product: { ...p, in_stock }, view: view(), idPrefix: 'x' }));
    expect(render(true)).toContain('action="/basket/add"');
    expect(render(false)).not.toContain('action="/basket/add"');
    expect(render(false)).toContain('Hết hàng');
  });

  it('escapes a hostile image URL attribute', () => {
    const out = renderToString(
      h(ProductCard, {
        product: {
          sku: 'TU-1',
          name: 'x',
          price_vnd: 1,
          sold_by: 'piece',
          image_url: 'x" onerror="alert(1)',
        },
        view: view({ images: true }),
        idPrefix: 'x',
      }),
    );
    expect(out).toContain('src="x&quot; onerror=&quot;alert(1)"');
    expect(Object.keys(attrsOf(out, /<img\b[^>]*>/))).toEqual([
      'src',
      'alt',
      'width',
      'height',
      'loading',
      'decoding',
    ]);
  });

  it('MessagePage shows its title, text and link', () => {
    const out = renderToString(
      h(MessagePage, {
        view: view(),
        title: 'Không tìm thấy trang',
        text: 'Xin lỗi',
        link: { href: '/', text: 'Về' },
      }),
    );
    expect(out).toContain('<h1>Không tìm thấy trang</h1><p>Xin lỗi</p>');
    expect(out).toContain('<a class="button" href="/">Về</a>');
  });
});

describe('CheckoutPage', () => {
  const win = (id: string, status: SlotWindow['status'], remaining = 5): SlotWindow => ({
    id,
    starts_at: '2026-12-08T11:00:00Z',
    ends_at: '2026-12-08T13:00:00Z',
    remaining,
    fee_vnd: 15000,
    status,
  });
  const data = (over: Partial<CheckoutData> = {}): CheckoutData => ({
    kind: 'delivery',
    addresses: [
      {
        id: 'addr-1',
        label: 'Nhà',
        recipient: 'Nguyễn Văn A',
        phone: '0901234567',
        street: '12 Lê Lợi',
        ward: 'Bến Nghé',
        province: 'Hồ Chí Minh',
      },
    ],
    address: 'addr-1',
    stores: [],
    methods: ['momo', 'vnpay', 'cod'],
    days: ['2026-12-08', '2026-12-09'],
    date: '2026-12-08',
    windows: [
      win('w-available', 'available'),
      win('w-few', 'few_left', 1),
      win('w-full', 'full', 0),
      win('w-closed', 'closed', 3),
    ],
    key: 'idem-key-1',
    ...over,
  });
  const slots = (out: string) => [...out.matchAll(/name="slot" value="([^"]+)"/g)].map((m) => m[1]);
  const placeButton = (out: string) => out.match(/<button type="submit" class="big"[^>]*>/)![0];

  it('offers available and few-left windows, never full or closed ones', () => {
    const out = renderToString(h(CheckoutPage, { view: view({ here: '/basket/checkout' }), data: data() }));
    expect(slots(out)).toEqual(['w-available', 'w-few']);
    expect(out).not.toContain('w-full');
    expect(out).not.toContain('w-closed');
    expect(out).toContain('18:00–20:00');
    expect(out).toContain('Còn 1 chỗ');
    expect(placeButton(out)).not.toContain('disabled');
  });

  it('says there is no window and disables the order button when every window is full or closed', () => {
    const out = renderToString(
      h(CheckoutPage, {
        view: view(),
        data: data({ windows: [win('w-full', 'full', 0), win('w-closed', 'closed')] }),
      }),
    );
    expect(slots(out)).toEqual([]);
    expect(out).toContain('Ngày này không có khung giờ.');
    expect(placeButton(out)).toContain('disabled');
  });

  it('disables the order button for a delivery without an address', () => {
    const out = renderToString(h(CheckoutPage, { view: view(), data: data({ address: undefined }) }));
    expect(placeButton(out)).toContain('disabled');
  });

  it('carries the idempotency key and labels days in the reader’s language', () => {
    const vi = renderToString(h(CheckoutPage, { view: view(), data: data() }));
    expect(vi).toContain('<input type="hidden" name="key" value="idem-key-1"/>');
    expect(vi).toContain('T3 08/12');
    const en = renderToString(h(CheckoutPage, { view: view({ lang: 'en' }), data: data() }));
    expect(en).toContain('Tue 8 Dec');
    expect(en).toContain('Fee 15,000\u00a0₫');
  });
});

describe('OrderLive', () => {
  type Sub = NonNullable<NonNullable<OrderView['picking']>[number]['substitute']>;
  const order = (state: Sub['state']): OrderView => ({
    id: 'ord-1',
    status: 'picking',
    status_labels: { en: 'Picking', vi: 'Đang soạn hàng' },
    fulfilment: { kind: 'delivery' },
    location: 'hcm-q1',
    lines: [],
    created_at: '2026-12-08T03:00:00Z',
    picking: [
      {
        sku: 'TU-1',
        name: 'Sữa tươi',
        sold_by: 'piece',
        ordered: 2,
        picked: 0,
        state: 'short',
        substitute: {
          sku: 'TU-2',
          name: 'Sữa tươi ít đường',
          amount: 2,
          state,
          price_vnd: 32000,
          deadline_at: '2026-12-08T04:00:00Z',
        },
      },
    ],
  });
  const decisions = (out: string) => [...out.matchAll(/name="decision" value="(\w+)"/g)].map((m) => m[1]);

  it('offers approve and reject forms for a proposed substitute', () => {
    const out = renderToString(h(OrderLive, { order: order('proposed'), lang: 'vi' }));
    expect(decisions(out)).toEqual(['approve', 'reject']);
    expect(out.match(/action="\/track\/ord-1\/substitutions\/TU-1"/g)).toHaveLength(2);
    expect(out).toContain('Sữa tươi ít đường');
    expect(out).toContain('32.000\u00a0₫');
    expect(out).toContain('11:00 08/12/2026');
  });

  it.each<[Sub['state'], string]>([
    ['pending', 'đang chuẩn bị'],
    ['approved', 'đã đồng ý'],
    ['rejected', 'đã từ chối'],
    ['expired', 'hết hạn trả lời: đã bỏ'],
    ['unavailable', 'không có hàng'],
  ])('offers no forms for a %s substitute, only its state', (state, text) => {
    const out = renderToString(h(OrderLive, { order: order(state), lang: 'vi' }));
    expect(decisions(out)).toEqual([]);
    expect(out).not.toContain('<form');
    expect(out).toContain(`Thay thế: ${text}`);
  });

  it('shows the status label in the reader’s language', () => {
    expect(renderToString(h(OrderLive, { order: order('approved'), lang: 'en' }))).toContain(
      'data-status="picking">Picking</span>',
    );
  });
});

describe('BasketPage', () => {
  const line = (over: Partial<CartLine> = {}): CartLine => ({
    sku: 'TU-1',
    name: 'Milk',
    name_en: 'Milk',
    name_vi: 'Sữa',
    image_url: null,
    sold_by: 'piece',
    qty: 2,
    substitution: { mode: 'best_match' },
    price_at_add_vnd: 25000,
    unit_price_vnd: 27000,
    available: 10,
    flags: { not_on_sale: false, price_changed: false, out_of_stock: false, short: false },
    ...over,
  });
  const cart = (lines: CartLine[]): Cart => ({
    id: 'c1',
    status: 'active',
    lines,
    coupons: [],
    fulfilment: null,
    quote: null,
  });
  const flags = (out: string) => [...out.matchAll(/<p class="flag">([^<]*)<\/p>/g)].map((m) => m[1]);
  const render = (lines: CartLine[], lang: Lang = 'vi') =>
    renderToString(h(BasketPage, { view: view({ lang }), cart: cart(lines) }));

  it('flags a price that changed since the line was added, with the old price', () => {
    const flagged = line({
      flags: { not_on_sale: false, price_changed: true, out_of_stock: false, short: false },
    });
    expect(flags(render([flagged]))).toEqual(['Giá đã thay đổi kể từ khi thêm (trước: 25.000\u00a0₫)']);
    expect(flags(render([flagged], 'en'))).toEqual(['Price changed since you added it (was 25,000\u00a0₫)']);
  });

  it('flags a line out of stock (and not also short)', () => {
    const out = render([
      line({
        available: 0,
        flags: { not_on_sale: false, price_changed: false, out_of_stock: true, short: true },
      }),
    ]);
    expect(flags(out)).toEqual(['Cửa hàng của bạn đã hết hàng']);
  });

  it('flags a short weighed line with grams', () => {
    const out = render(
      [
        line({
          qty: undefined,
          grams: 1500,
          sold_by: 'weight',
          available: 1200,
          flags: { not_on_sale: false, price_changed: false, out_of_stock: false, short: true },
        }),
      ],
      'en',
    );
    expect(flags(out)).toEqual(['Only 1.2\u00a0kg left']);
  });

  it('shows every flag a line has, and none for a clean line', () => {
    const out = render([
      line({
        sku: 'TU-1',
        flags: { not_on_sale: true, price_changed: true, out_of_stock: true, short: false },
      }),
      line({ sku: 'TU-2' }),
    ]);
    expect(flags(out)).toEqual([
      'Không còn bán',
      'Cửa hàng của bạn đã hết hàng',
      'Giá đã thay đổi kể từ khi thêm (trước: 25.000\u00a0₫)',
    ]);
  });

  it('says the basket is empty without a cart or lines', () => {
    expect(renderToString(h(BasketPage, { view: view() }))).toContain('Giỏ hàng đang trống.');
    expect(render([])).toContain('Giỏ hàng đang trống.');
  });

  it.each<[CartLine[], number]>([
    [[], 0],
    [[line({ qty: 3 })], 3],
    [[line({ qty: 2 }), line({ sku: 'TU-2', qty: undefined, grams: 1500 })], 3],
    [[line({ qty: undefined })], 1],
  ])('countOf counts pieces, a weighed line once (%#)', (lines, n) => {
    expect(countOf(cart(lines))).toBe(n);
  });
});

describe('password and verification pages', () => {
  const TOKEN = 'a'.repeat(43);

  it('a link token only fills a hidden field: the form spends it on submit, the link never does', () => {
    for (const out of [
      renderToString(h(ResetPage, { view: view(), token: TOKEN })),
      renderToString(h(VerifyPage, { view: view(), token: TOKEN })),
    ]) {
      expect(attrsOf(out, /<input type="hidden" name="token"[^>]*>/)).toMatchObject({ value: TOKEN });
      expect(attrsOf(out, /<form[^>]*action="\/account[^>]*>/)).toMatchObject({ method: 'post' });
      expect(out).not.toContain('name="code"');
    }
  });

  it('without a token asks for the phone and its 6-digit code, the phone filled in when known', () => {
    const out = renderToString(h(ResetPage, { view: view({ lang: 'en' }), phone: '0903123456' }));
    expect(attrsOf(out, /<input[^>]*name="phone"[^>]*>/)).toMatchObject({ value: '0903123456', type: 'tel' });
    expect(attrsOf(out, /<input[^>]*name="code"[^>]*>/)).toMatchObject({
      pattern: '[0-9]{6}',
      autocomplete: 'one-time-code',
    });
    expect(attrsOf(out, /<input[^>]*name="password"[^>]*>/)).toMatchObject({
      autocomplete: 'new-password',
      minlength: '10',
    });
    expect(out).toContain('Choose a new password');
  });

  it('labels every field of the forms in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      for (const out of [
        renderToString(h(ForgotPage, { view: view({ lang }) })),
        renderToString(h(ResetPage, { view: view({ lang }) })),
        renderToString(h(VerifyPage, { view: view({ lang }) })),
      ]) {
        const ids = [...out.matchAll(/<input[^>]*id="([^"]+)"/g)].map((m) => m[1]);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(out).toContain(`for="${id}"`);
      }
    }
    expect(renderToString(h(ForgotPage, { view: view({ lang: 'vi' }) }))).toContain('Đặt lại mật khẩu');
  });

  it('shows an error when there is one', () => {
    const out = renderToString(h(VerifyPage, { view: view({ lang: 'en' }), error: 'This link is used' }));
    expect(out).toContain('This link is used');
  });

  it('the sign-in page links to the forgotten-password page', () => {
    const out = renderToString(h(SignInPage, { view: view({ lang: 'en' }), back: '/account' }));
    expect(out).toContain('href="/account/forgot"');
    expect(out).toContain('Forgot your password?');
  });

  const profile = (over: Partial<Profile>): Profile => ({
    email: null,
    phone: null,
    name: null,
    lang: 'vi',
    dietary: [],
    substitution_default: 'best_match',
    ...over,
  });
  const account = (p: Profile) =>
    renderToString(
      h(AccountPage, { view: view({ lang: 'en', signedIn: true }), profile: p, addresses: [], orders: [] }),
    );

  it.each<[string, Partial<Profile>, string[], string[]]>([
    ['email pending', { email: 'lan@x.vn', email_verified: false }, ['value="email"'], ['value="phone"']],
    [
      'phone pending, with a code link for it',
      { phone: '+84903123456', phone_verified: false },
      ['value="phone"', 'href="/account/verify?phone=%2B84903123456"'],
      ['value="email"'],
    ],
    ['both verified', { email: 'lan@x.vn', email_verified: true }, [], ['/account/verify/resend']],
  ])('the account page offers to finish verifying: %s', (_name, over, present, absent) => {
    const out = account(profile(over));
    for (const p of present) expect(out).toContain(p);
    for (const a of absent) expect(out).not.toContain(a);
  });
});
