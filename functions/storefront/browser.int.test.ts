/**
 * The shop in a real browser (Debian's Chromium driven by playwright-core) on the whole platform:
 * every function in its own process behind the gateway, events through the local router, MoMo by
 * its simulator. A shopper searches "sua tuoi" with the typeahead, fills a guest basket (a weighed
 * line too), registers (the guest basket joins the account), applies a coupon, checks out with a
 * delivery window and pays in the MoMo simulator; staff pick with a substitution the shopper
 * approves in the shop; the order is delivered and completes, the page following it live. Also:
 * the language switch, a window that fills while the shopper chooses, a declined payment. Every
 * page passes axe-core with no serious or critical violation; the main pages are photographed at a
 * phone and a desktop size into docs/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startPlatform, type Platform } from '../../scripts/testing/hostile/platform';
import { productBody, weightedBody } from '../catalog/testing';
import {
  caller,
  eveningWindow,
  MOMO_ENV,
  paymentSimulatorsOff,
  paymentSimulatorsTo,
  sleep,
  stocked,
  STRIPE_ENV,
  STRIPE_SIM,
  VNPAY_ENV,
  type Call,
} from '../order/testing/shoppers';
import { repoRoot } from '../shared/paths';
import { addDays, localDateOf } from '../shared/vietnam-time';

/** Debian's Chromium, installed by infra/chromium.sh when missing (CHROMIUM_PATH overrides it). */
const chromiumPath = () =>
  process.env.CHROMIUM_PATH ??
  execFileSync('bash', [join(repoRoot(), 'infra/chromium.sh')], {
    encoding: 'utf8',
    timeout: 600_000,
  }).trim();
const SHOTS = join(repoRoot(), 'docs/screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
/** The shop's card form: Stripe.js as the Stripe simulator serves it. */
const CARD_ENV = {
  STOREFRONT_STRIPE_PUBLISHABLE_KEY: 'pk_test_tuoi',
  STOREFRONT_STRIPE_JS_URL: `${STRIPE_SIM}/v3/`,
  STOREFRONT_STRIPE_API_ORIGIN: STRIPE_SIM,
};
const SKU = { milk: 'TU-930001', pork: 'TU-930002', sub: 'TU-930003', tea: 'TU-930004' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let platform: Platform;
let browser: Browser;
let api: Call;
let staff: string;
let gw: string;
/** The registered shopper's browser (phone, Vietnamese), kept for the later tests. */
let phone: BrowserContext;
const email = `shopper-${Date.now()}@example.vn`;
const password = 'rau-muong-xao-toi-2026';

/** Page text with no-break spaces as plain spaces (prices are `125.000\u00a0₫`). */
const text = async (page: Page, selector = 'main') =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\u00a0/g, ' ');

/** No serious or critical WCAG 2.1 A/AA violation on the page as it is now. */
async function accessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** Submits the form `button` belongs to and waits for the page it leads to. */
async function submit(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** The order as staff read it, once `done` holds (30 s at most). */
async function orderWhen(id: string, done: (o: Json) => boolean): Promise<Json> {
  const stop = Date.now() + 30_000;
  for (;;) {
    const o = (await api('GET', `/orders/${id}`, { token: staff })).body;
    if (done(o) || Date.now() > stop) return o;
    await sleep(200);
  }
}

/** Waits until the order page's live section shows `status` (the page refreshes it by itself). */
async function liveStatus(page: Page, status: string): Promise<void> {
  await page.locator(`[data-live] [data-status="${status}"]`).waitFor({ timeout: 30_000 });
}

const tomorrow = () => addDays(localDateOf(new Date()), 1);

/**
 * The first link to `path` in an email the platform sent `to` (the notification function's dev
 * outbox, as `make dev` shows it), once one arrives that `seen` does not hold yet (30 s at most).
 */
async function linkInEmail(to: string, path: string, seen: string[] = []): Promise<string> {
  const escaped = path.replace(/[/?]/g, (c) => `\\${c}`);
  const stop = Date.now() + 30_000;
  for (;;) {
    const box = await api('GET', `/notifications/dev/outbox?to=${encodeURIComponent(to)}`);
    const links = ((box.body as Json).messages as Json[])
      .filter((m) => m.channel === 'email')
      .flatMap((m) => String(m.text).match(new RegExp(`https?://\\S+${escaped}\\S+`, 'g')) ?? [])
      .filter((l) => !seen.includes(l));
    if (links[0]) return links[0];
    if (Date.now() > stop) throw new Error(`no email to ${to} with a link to ${path}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform({
    events: true,
    env: {
      payment: { ...MOMO_ENV, ...VNPAY_ENV, ...STRIPE_ENV },
      storefront: CARD_ENV,
      order: { ORDER_TICK_MS: '200', ORDER_SUBSTITUTION_WINDOW_S: '300' },
    },
  });
  gw = platform.gateway.url;
  api = caller(gw);
  staff = platform.tokens.staff;
  await paymentSimulatorsTo(gw);
  // Priced at 1,000 ₫, the shop's own milk is the first "sua tuoi" hit by price.
  await stocked(api, staff, productBody(SKU.milk, { price_vnd: 1_000 }), 50);
  await stocked(api, staff, weightedBody(SKU.pork), 20_000);
  await stocked(
    api,
    staff,
    productBody(SKU.sub, { price_vnd: 1_200, name_vi: 'Sữa tươi thay thế', name_en: 'Replacement milk' }),
    50,
  );
  await stocked(
    api,
    staff,
    productBody(SKU.tea, { price_vnd: 250_000, name_vi: 'Trà ô long', name_en: 'Oolong tea' }),
    50,
  );
  browser = await chromium.launch({ executablePath: chromiumPath() });
}, 300_000);

afterAll(async () => {
  await paymentSimulatorsOff();
  await browser?.close();
  await platform?.stop();
}, 60_000);

describe('the shop in a browser', () => {
  it('search → guest basket with a weighed line → register (basket merged) → coupon → window → MoMo → substitution approved → delivered', async () => {
    phone = await browser.newContext({ ...PHONE, locale: 'vi-VN', baseURL: gw });
    const page = await phone.newPage();

    // Home, in Vietnamese for a Vietnamese browser.
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await text(page, 'h1')).toBe('Thực phẩm tươi, giao trong ngày');
    await accessible(page, 'home');
    await shoot(page, 'home-phone');
    // The shopper's store (the select submits itself).
    await Promise.all([page.waitForNavigation(), page.selectOption('#store', 'ch-quan-1')]);
    expect(await page.inputValue('#store')).toBe('ch-quan-1');

    // The typeahead offers products while typing; Enter searches.
    const box = page.locator('#q');
    await box.pressSequentially('sua tuoi', { delay: 40 });
    await page.locator('#suggestions [role="option"]').first().waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await Promise.all([page.waitForURL(/\/find\?q=sua\+tuoi/), box.press('Enter')]);
    expect(await text(page, 'h1')).toMatch(/sản phẩm cho “sua tuoi”/);

    // Cheapest first (the sort submits itself); two of the shop's milk into a guest basket.
    await page.locator('summary', { hasText: 'Bộ lọc' }).click();
    await Promise.all([page.waitForURL(/sort=price_asc/), page.selectOption('#sort', 'price_asc')]);
    await accessible(page, 'search');
    await shoot(page, 'search-phone');
    const milk = page.locator('li.card', { hasText: `Sữa tươi ${SKU.milk}` });
    await milk.locator('input[name="qty"]').fill('2');
    await submit(page, milk.getByRole('button', { name: /Thêm vào giỏ/ }));
    expect(await text(page, '.notice')).toBe('Đã thêm vào giỏ hàng.');

    // A weighed product: price per kg, stock, and grams to add.
    await page.goto(`/p/${SKU.pork}`);
    const product = await text(page);
    expect(product).toContain(`Ba chỉ heo ${SKU.pork}`);
    expect(product).toContain('180.000 ₫/kg');
    expect(product).toContain('Bán theo cân');
    expect(product).toContain('Tồn kho tại Cửa hàng Quận 1');
    expect(product).toContain('Còn 20 kg');
    await accessible(page, 'product');
    await shoot(page, 'product-phone');
    await page.locator('input[name="grams"]').fill('1200');
    await submit(page, page.getByRole('button', { name: /Thêm vào giỏ/ }));

    await page.goto('/basket');
    expect(await page.locator('li.line').count()).toBe(2);

    // Checkout asks a guest to sign in or register; registering keeps the basket.
    await page.goto('/basket/checkout');
    await Promise.all([
      page.waitForURL(/\/account\/register/),
      page.getByRole('link', { name: 'Đăng ký' }).click(),
    ]);
    await accessible(page, 'register');
    await page.fill('#reg-name', 'Chị Lan');
    await page.fill('#reg-identifier', email);
    await page.fill('#reg-password', password);
    await submit(page, page.getByRole('button', { name: 'Tạo tài khoản' }));
    expect(page.url()).toContain('/basket/checkout');
    expect(await text(page, '.notice')).toContain('Giỏ hàng trước khi đăng nhập đã được gộp vào tài khoản.');

    await page.goto('/basket');
    const lines = await page
      .locator('li.line')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')));
    expect(lines.sort()).toEqual([SKU.milk, SKU.pork].sort());
    expect(await page.inputValue(`#amount-${SKU.pork}`)).toBe('1200');

    // The first-order coupon (50,000 ₫ off from 200,000 ₫).
    await page.fill('#coupon', 'chaobanmoi');
    await submit(page, page.getByRole('button', { name: 'Áp dụng' }));
    expect(await text(page)).toContain('Đã áp dụng mã CHAOBANMOI');
    const basketText = await text(page, '.totals');
    expect(basketText).toContain('Giảm giá');
    expect(basketText).toContain('trong đó VAT');
    await accessible(page, 'basket');
    await shoot(page, 'basket-phone');

    // Checkout: an address, tomorrow's first window, MoMo.
    await page.goto('/basket/checkout');
    await page.fill('#co-recipient', 'Chị Lan');
    await page.fill('#co-phone', '0901234567');
    await page.fill('#co-street', '12 Lê Lợi');
    await page.fill('#co-ward', 'Phường Bến Thành');
    await submit(page, page.getByRole('button', { name: 'Lưu địa chỉ' }));
    expect(page.url()).toMatch(/address=[0-9a-f-]{36}/);
    await Promise.all([
      page.waitForURL(new RegExp(`date=${tomorrow()}`)),
      page.locator(`.days a[href*="date=${tomorrow()}"]`).click(),
    ]);
    const window = page.locator('label.window').first();
    expect(await window.textContent()).toMatch(/Còn \d+ chỗ/);
    await window.locator('input').check();
    expect(await page.isChecked('input[name="payment"][value="momo"]')).toBe(true);
    await accessible(page, 'checkout');
    await shoot(page, 'checkout-phone');
    await submit(page, page.getByRole('button', { name: 'Đặt hàng' }));
    const orderUrl = page.url();
    expect(orderUrl).toMatch(/\/track\/[^/?]+$/);
    const id = decodeURIComponent(orderUrl.split('/track/')[1]!);
    await liveStatus(page, 'awaiting_payment');

    // Pay in the MoMo simulator; it sends the shopper back to the order page.
    await Promise.all([page.waitForURL(/\/v2\/gateway\/pay/), page.locator('a[data-pay="momo"]').click()]);
    await Promise.all([page.waitForURL(/\/track\//), page.click('#approve')]);
    await liveStatus(page, 'confirmed');
    expect(await text(page, '[data-live]')).toContain('Đã xác nhận');
    await accessible(page, 'order');

    // Staff pick: the milk is short and a replacement is proposed; the pork weighs 1,150 g.
    const staffPost = async (path: string, json?: unknown) => {
      const a = await api('POST', path, { token: staff, ...(json === undefined ? {} : { json }) });
      expect([path, a.status]).toEqual([path, 200]);
    };
    await staffPost(`/orders/${id}/picking`);
    await staffPost(`/orders/${id}/lines/${SKU.milk}/short`, { substitute: { sku: SKU.sub, qty: 2 } });
    await staffPost(`/orders/${id}/lines/${SKU.pork}/pick`, { grams: 1150 });
    // The page shows the proposal by itself; the shopper accepts it.
    const accept = page.getByRole('button', { name: 'Đồng ý thay' });
    await accept.waitFor({ timeout: 30_000 });
    await shoot(page, 'order-phone');
    await submit(page, accept);
    expect(await text(page, '.notice')).toBe('Cảm ơn, chúng tôi đã nhận câu trả lời.');
    expect((await orderWhen(id, (o) => o.picking?.[0]?.substitute?.state === 'approved')).picking).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sku: SKU.milk,
          substitute: expect.objectContaining({ state: 'approved' }),
        }),
      ]),
    );

    // Packed at the final amount, delivered by the store's rider: completed, on the page too.
    await staffPost(`/orders/${id}/pack`);
    const packed = await orderWhen(id, (o) => !!o.tracking?.carrier);
    expect(packed.tracking.carrier).toBe('own_fleet');
    const trip = `/deliveries/${packed.tracking.delivery_id}/status`;
    await staffPost(trip, { status: 'picked_up' });
    await staffPost(trip, { status: 'delivered' });
    await liveStatus(page, 'completed');
    const done = await text(page, '[data-live]');
    expect(done).toContain('Hoàn tất');
    expect(done).toContain('Hoá đơn cuối');
    expect(await page.getAttribute('[data-live]', 'data-final')).toBe('true');

    // The account lists the order.
    await page.goto('/account');
    expect(await text(page)).toContain(id);
    await accessible(page, 'account');
    await shoot(page, 'account-phone');

    // The same pages at a desktop size, signed in as the same shopper.
    const desktop = await browser.newContext({
      ...DESKTOP,
      locale: 'vi-VN',
      baseURL: gw,
      storageState: await phone.storageState(),
    });
    const wide = await desktop.newPage();
    for (const [name, path] of [
      ['home', '/'],
      ['search', '/find?q=sua+tuoi'],
      ['product', `/p/${SKU.pork}`],
      ['order', `/track/${encodeURIComponent(id)}`],
      ['account', '/account'],
    ] as const) {
      await wide.goto(path);
      await accessible(wide, `${name} (desktop)`);
      await shoot(wide, `${name}-desktop`);
    }
    await desktop.close();
  }, 300_000);

  it('switches between Vietnamese and English and remembers the choice; an English browser starts in English', async () => {
    const ctx = await browser.newContext({ ...PHONE, locale: 'vi-VN', baseURL: gw });
    const page = await ctx.newPage();
    await page.goto('/find?q=sua+tuoi');
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await Promise.all([
      page.waitForURL(/lang=en/),
      page.getByRole('link', { name: 'Switch to English' }).click(),
    ]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await text(page, 'h1')).toMatch(/products for “sua tuoi”/);
    expect(page.url()).toContain('q=sua+tuoi');
    // Remembered: the next page, without ?lang, is English too.
    await page.goto('/basket');
    expect(await text(page, 'h1')).toBe('Your basket');
    await page.goto(`/p/${SKU.pork}`);
    expect((await text(page)).replace(/\s+/g, ' ')).toContain('180,000 ₫/kg');
    await accessible(page, 'product (en)');
    await ctx.close();

    const english = await browser.newContext({ ...PHONE, locale: 'en-US', baseURL: gw });
    const en = await english.newPage();
    await en.goto('/');
    expect(await en.getAttribute('html', 'lang')).toBe('en');
    expect(await text(en, 'h1')).toBe('Fresh groceries, delivered today');
    await accessible(en, 'home (en)');
    await english.close();
  }, 120_000);

  it('a window that fills while the shopper chooses is no longer offered, and the order is not placed', async () => {
    // Tomorrow's only window in the shopper's zone has one place left.
    const slot = await eveningWindow(api, staff, 'hcm-quan-1', 1);

    const page = await phone.newPage();
    await page.goto(`/p/${SKU.tea}`);
    await submit(page, page.getByRole('button', { name: /Thêm vào giỏ/ }));
    await page.goto(`/basket/checkout?kind=delivery&date=${tomorrow()}`);
    const offered = page.locator(`label.window[data-window="${slot}"]`);
    await offered.locator('input').check();

    // Someone else takes the last place.
    const hold = await api('POST', '/slot-holds', {
      token: platform.tokens.customer,
      json: { id: `e2e-full-${Date.now()}`, slot },
    });
    expect(hold.status).toBe(201);

    await submit(page, page.getByRole('button', { name: 'Đặt hàng' }));
    expect(page.url()).toContain('/basket/checkout');
    expect(await text(page, '.notice')).toBe('Khung giờ này vừa kín chỗ. Vui lòng chọn khung khác.');
    expect(await page.locator(`label.window[data-window="${slot}"]`).count()).toBe(0);
    expect(await text(page)).toContain('Ngày này không có khung giờ.');
    await accessible(page, 'checkout (full)');
    await page.close();
  }, 120_000);

  it('a declined MoMo payment cancels the order and says why', async () => {
    // A window with room again.
    await eveningWindow(api, staff, 'hcm-quan-1', 20);
    const page = await phone.newPage();
    await page.goto(`/basket/checkout?kind=delivery&date=${tomorrow()}`);
    await page.locator('label.window input').first().check();
    await submit(page, page.getByRole('button', { name: 'Đặt hàng' }));
    expect(page.url()).toMatch(/\/track\//);
    await Promise.all([page.waitForURL(/\/v2\/gateway\/pay/), page.locator('a[data-pay="momo"]').click()]);
    await Promise.all([page.waitForURL(/\/track\//), page.click('#decline')]);
    await liveStatus(page, 'cancelled');
    const live = await text(page, '[data-live]');
    expect(live).toContain('Đã huỷ');
    expect(live).toMatch(/Đã huỷ: .+/);
    await accessible(page, 'order (declined)');
    await page.close();
  }, 120_000);
  it('the links in the welcome and password emails open pages that work: verify the email, then a new password', async () => {
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-US', baseURL: gw });
    const page = await ctx.newPage();
    const address = `forgetful-${Date.now()}@example.vn`;
    await page.goto('/account/register');
    await page.fill('#reg-name', 'Minh');
    await page.fill('#reg-identifier', address);
    await page.fill('#reg-password', password);
    await submit(page, page.getByRole('button', { name: 'Create account' }));
    await page.goto('/account');
    expect(await text(page, 'section[aria-labelledby="verify"]')).toContain(
      'Your email address is not verified yet.',
    );

    // The welcome email's link asks before it spends the token (mail scanners open links).
    const verify = await linkInEmail(address, '/account/verify?token=');
    expect(verify.startsWith(`${gw}/`)).toBe(true);
    await page.goto(verify);
    await accessible(page, 'verify');
    await submit(page, page.getByRole('button', { name: 'Confirm my email' }));
    expect(page.url()).toMatch(/\/account$/);
    expect(await text(page, '.notice')).toBe('Your email address is verified.');
    expect(await page.locator('section[aria-labelledby="verify"]').count()).toBe(0);
    // Spent: the same link again is refused, and says what to do.
    await page.goto(verify);
    await submit(page, page.getByRole('button', { name: 'Confirm my email' }));
    expect(await text(page, '.notice')).toMatch(/not valid, was used already or has expired/);

    // Forgotten password: the sign-in page → the form → the email's link → a new password.
    await page.goto('/account');
    await submit(page, page.getByRole('button', { name: 'Sign out' }));
    await page.goto('/account/sign-in');
    await Promise.all([
      page.waitForURL(/\/account\/forgot/),
      page.getByRole('link', { name: 'Forgot your password?' }).click(),
    ]);
    await accessible(page, 'forgot');
    await page.fill('#forgot-identifier', address);
    await submit(page, page.getByRole('button', { name: 'Send' }));
    expect(await text(page)).toContain(`If an account uses ${address}, we have sent it a link`);
    const reset = await linkInEmail(address, '/account/reset?token=');
    await page.goto(reset);
    await accessible(page, 'reset');
    const renewed = 'canh-chua-ca-loc-2026';
    await page.fill('#reset-password', 'short');
    await page.locator('#reset-password').evaluate((el) => el.removeAttribute('minlength'));
    await submit(page, page.getByRole('button', { name: 'Save the new password' }));
    expect(await page.locator('.notice').count()).toBe(1); // the policy's refusal, token kept
    await page.fill('#reset-password', renewed);
    await submit(page, page.getByRole('button', { name: 'Save the new password' }));
    expect(page.url()).toMatch(/\/account\/sign-in$/);
    expect(await text(page, '.notice')).toMatch(/^Your password is changed/);
    await page.fill('#identifier', address);
    await page.fill('#password', password);
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(await text(page, '.notice')).toBe('Wrong email, phone or password.');
    await page.fill('#identifier', address);
    await page.fill('#password', renewed);
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(page.url()).toMatch(/\/account$/);
    await ctx.close();
  }, 120_000);

  it('pays with VNPay on its page, by card with Stripe.js (a declined card first), and cash on delivery is confirmed at once', async () => {
    const page = await phone.newPage();
    const order = async (method: 'vnpay' | 'cod' | 'stripe') => {
      await page.goto(`/p/${SKU.tea}`);
      await submit(page, page.getByRole('button', { name: /Thêm vào giỏ/ }));
      await page.goto(`/basket/checkout?kind=delivery&date=${tomorrow()}`);
      await page.locator('label.window input').first().check();
      await page.check(`input[name="payment"][value="${method}"]`);
      await submit(page, page.getByRole('button', { name: 'Đặt hàng' }));
      expect(page.url()).toMatch(/\/track\//);
    };
    await order('vnpay');
    await Promise.all([page.waitForURL(/vpcpay/), page.locator('a[data-pay="vnpay"]').click()]);
    await Promise.all([page.waitForURL(/\/track\//), page.click('button[name="approve"]')]);
    await liveStatus(page, 'confirmed');
    await order('stripe');
    const cardField = page.locator('#card-element input');
    await cardField.fill('4000 0000 0000 0002');
    await page.getByRole('button', { name: /Thanh toán ngay/ }).click();
    await page.locator('#card-error', { hasText: /declined/ }).waitFor();
    await accessible(page, 'order (card)');
    // A decline ends that payment, so the order is cancelled and the card form goes away.
    await liveStatus(page, 'cancelled');
    await page.locator('form[data-card]').waitFor({ state: 'detached' });
    await order('stripe');
    await cardField.fill('4242 4242 4242 4242');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: /Thanh toán ngay/ }).click(),
    ]);
    await liveStatus(page, 'confirmed');
    await order('cod');
    await liveStatus(page, 'confirmed');
    expect(await page.locator('a[data-pay]').count()).toBe(0);
    await page.close();
  }, 120_000);
});
