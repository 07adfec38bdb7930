/**
 * The basket: amounts (pieces or grams), a substitution choice per line, coupons, totals with VAT,
 * and flags for prices that changed and stock that ran out since the line was added.
 */
import { money, weight } from '../format';
import { pick, t } from '../i18n';
import { AmountInput, Layout, nameOf, type View } from './layout';

export interface CartLine {
  sku: string;
  name: string | null;
  name_en: string | null;
  name_vi: string | null;
  image_url: string | null;
  sold_by: 'piece' | 'weight' | null;
  qty?: number;
  grams?: number;
  substitution: { mode: 'best_match' | 'none' | 'specific'; skus?: string[] };
  price_at_add_vnd: number;
  unit_price_vnd: number | null;
  available: number | null;
  flags: { not_on_sale: boolean; price_changed: boolean; out_of_stock: boolean; short: boolean };
}

export interface Bilingual {
  en: string;
  vi: string;
}

export interface Quote {
  lines: {
    sku: string;
    total_vnd: number;
    discount_vnd: number;
    list_amount_vnd: number;
    estimated?: boolean;
  }[];
  totals: {
    subtotal_vnd: number;
    discount_vnd: number;
    delivery_fee_vnd: number;
    delivery_discount_vnd: number;
    vat_vnd: number;
    total_vnd: number;
  };
  applied: { promotion_id: string; label: Bilingual; amount_vnd: number }[];
  coupons: { code: string; status: string; reason?: { code: string } & Bilingual }[];
}

export interface Cart {
  id: string;
  status: string;
  lines: CartLine[];
  coupons: string[];
  fulfilment: { kind: 'delivery' | 'pickup'; zone?: string; location?: string } | null;
  quote: Quote | null;
  quote_error?: string;
}

/** Pieces in a cart (a weighed line counts once): the header's basket count. */
export function countOf(cart: Cart | undefined): number {
  return cart ? cart.lines.reduce((n, l) => n + (l.grams !== undefined ? 1 : (l.qty ?? 1)), 0) : 0;
}

export function Totals(props: { quote: Quote; lang: View['lang']; heading?: string }) {
  const { quote, lang } = props;
  const tt = quote.totals;
  const estimated = quote.lines.some((l) => l.estimated);
  return (
    <section class="totals" aria-labelledby="totals">
      <h2 id="totals">{props.heading ?? t(lang, 'totals_total')}</h2>
      <dl>
        <dt>{t(lang, 'totals_subtotal')}</dt>
        <dd>{money(tt.subtotal_vnd, lang)}</dd>
        {tt.discount_vnd ? (
          <>
            <dt>{t(lang, 'totals_discount')}</dt>
            <dd>−{money(tt.discount_vnd, lang)}</dd>
          </>
        ) : null}
        <dt>{t(lang, 'totals_delivery')}</dt>
        <dd>{money(tt.delivery_fee_vnd, lang)}</dd>
        {tt.delivery_discount_vnd ? (
          <>
            <dt>{t(lang, 'totals_delivery_discount')}</dt>
            <dd>−{money(tt.delivery_discount_vnd, lang)}</dd>
          </>
        ) : null}
        <dt class="total">{t(lang, 'totals_total')}</dt>
        <dd class="total" data-total={tt.total_vnd}>
          {money(tt.total_vnd, lang)}
        </dd>
        <dt>{t(lang, 'totals_vat')}</dt>
        <dd>{money(tt.vat_vnd, lang)}</dd>
      </dl>
      {quote.applied.length === 0 ? null : (
        <>
          <h3>{t(lang, 'promotions_applied')}</h3>
          <ul>
            {quote.applied.map((a) => (
              <li>
                {pick(lang, a.label)}: −{money(a.amount_vnd, lang)}
              </li>
            ))}
          </ul>
        </>
      )}
      {estimated ? <p class="hint">{t(lang, 'totals_estimate_note')}</p> : null}
    </section>
  );
}

function Line(props: { line: CartLine; quote?: Quote; view: View }) {
  const { line: l, view } = props;
  const { lang } = view;
  const name = nameOf(
    { name: l.name ?? l.sku, name_en: l.name_en ?? undefined, name_vi: l.name_vi ?? undefined },
    lang,
  );
  const priced = props.quote?.lines.find((q) => q.sku === l.sku);
  const weighed = l.grams !== undefined;
  const amountId = `amount-${l.sku}`;
  const subId = `sub-${l.sku}`;
  const flags: string[] = [];
  if (l.flags.not_on_sale) flags.push(t(lang, 'flag_not_on_sale'));
  if (l.flags.out_of_stock) flags.push(t(lang, 'flag_out_of_stock'));
  else if (l.flags.short && l.available !== null)
    flags.push(t(lang, 'flag_short', { available: weighed ? weight(l.available, lang) : l.available }));
  if (l.flags.price_changed)
    flags.push(t(lang, 'flag_price_changed', { was: money(l.price_at_add_vnd, lang) }));
  return (
    <li class="line" data-sku={l.sku}>
      <div class="head">
        <div>
          <h3>
            <a href={`/p/${encodeURIComponent(l.sku)}`}>{name}</a>
          </h3>
          <div class="meta">
            {l.unit_price_vnd !== null
              ? weighed
                ? t(lang, 'per_kg', { price: money(l.unit_price_vnd, lang) })
                : money(l.unit_price_vnd, lang)
              : null}
          </div>
          {flags.map((f) => (
            <p class="flag">{f}</p>
          ))}
        </div>
        <div class="price">{priced ? money(priced.total_vnd, lang) : ''}</div>
      </div>
      <form method="post" action="/basket/line">
        <input type="hidden" name="sku" value={l.sku} />
        <div class="field">
          <label htmlFor={amountId}>{t(lang, weighed ? 'grams' : 'qty')}</label>
          <AmountInput id={amountId} weighed={weighed} value={weighed ? l.grams : l.qty} />
        </div>
        <div class="field">
          <label htmlFor={subId}>{t(lang, 'basket_substitution')}</label>
          <select id={subId} name="substitution" data-autosubmit>
            <option value="best_match" selected={l.substitution.mode === 'best_match'}>
              {t(lang, 'sub_best_match')}
            </option>
            <option value="none" selected={l.substitution.mode === 'none'}>
              {t(lang, 'sub_none')}
            </option>
          </select>
        </div>
        <button type="submit" class="secondary">
          {t(lang, 'basket_update')}
        </button>
      </form>
      <form method="post" action="/basket/remove">
        <input type="hidden" name="sku" value={l.sku} />
        <button type="submit" class="link" aria-label={`${t(lang, 'basket_remove')}: ${name}`}>
          {t(lang, 'basket_remove')}
        </button>
      </form>
    </li>
  );
}

export function BasketPage(props: { view: View; cart?: Cart }) {
  const { view, cart } = props;
  const { lang } = view;
  const quote = cart?.quote ?? undefined;
  if (!cart || cart.lines.length === 0)
    return (
      <Layout view={view} title={t(lang, 'basket_title')}>
        <h1>{t(lang, 'basket_title')}</h1>
        <p>{t(lang, 'basket_empty')}</p>
        <p>
          <a class="button" href="/">
            {t(lang, 'basket_continue')}
          </a>
        </p>
      </Layout>
    );
  return (
    <Layout view={view} title={t(lang, 'basket_title')}>
      <h1>{t(lang, 'basket_title')}</h1>
      <div class="two">
        <ul class="lines">
          {cart.lines.map((l) => (
            <Line line={l} quote={quote} view={view} />
          ))}
        </ul>
        <div>
          <section class="panel" aria-labelledby="coupon-h">
            <h2 id="coupon-h">{t(lang, 'coupon')}</h2>
            {(quote?.coupons ?? []).map((c) => (
              <div class="row">
                <p class={c.status === 'applied' ? '' : 'error-text'}>
                  {c.status === 'applied'
                    ? t(lang, 'coupon_applied', { code: c.code })
                    : t(lang, 'coupon_not_applied', {
                        code: c.code,
                        reason: c.reason ? pick(lang, c.reason) : c.status,
                      })}
                </p>
                <form method="post" action="/basket/coupon/remove">
                  <input type="hidden" name="code" value={c.code} />
                  <button type="submit" class="link">
                    {t(lang, 'coupon_remove', { code: c.code })}
                  </button>
                </form>
              </div>
            ))}
            <form method="post" action="/basket/coupon" class="row">
              <div class="field">
                <label htmlFor="coupon">{t(lang, 'coupon')}</label>
                <input
                  id="coupon"
                  name="code"
                  type="text"
                  autoComplete="off"
                  autoCapitalize="characters"
                  maxLength={40}
                />
              </div>
              <button type="submit" class="secondary">
                {t(lang, 'coupon_apply')}
              </button>
            </form>
          </section>
          {quote ? <Totals quote={quote} lang={lang} /> : null}
          <p>
            <a class="button big" href="/basket/checkout">
              {t(lang, 'checkout_go')}
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}
