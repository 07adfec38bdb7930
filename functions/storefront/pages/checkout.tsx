/**
 * Checkout on one page: delivery to an address or pickup at a store, a calendar of windows with
 * the places left and their fees, the payment method, and one button. Full windows are not
 * offered. The form carries an idempotency key, so a double submit places one order.
 */
import { dayLabel, money, windowTimes } from '../format';
import { t } from '../i18n';
import { Totals, type Quote } from './basket';
import { Layout, type View } from './layout';
import { AddressFields } from './account';

export interface Address {
  id: string;
  label: string | null;
  recipient: string;
  phone: string;
  street: string;
  ward: string;
  province: string;
  is_default?: boolean;
}

export interface SlotWindow {
  id: string;
  starts_at: string;
  ends_at: string;
  remaining: number;
  fee_vnd: number;
  status: 'available' | 'few_left' | 'full' | 'closed';
}

/** A way to pay (the payment function's rails). */
export type PaymentMethod = 'momo' | 'vnpay' | 'cod' | 'stripe';

export interface CheckoutData {
  kind: 'delivery' | 'pickup';
  addresses: Address[];
  address?: string;
  stores: { id: string; name: string }[];
  store?: string;
  days: string[];
  date: string;
  windows: SlotWindow[];
  closed?: string;
  /** Why the windows could not be listed (an address outside every zone). */
  windowsError?: string;
  quote?: Quote;
  key: string;
  /** The ways to pay this shop offers. */
  methods: PaymentMethod[];
  /** The window to keep selected after an error. */
  slot?: string;
  payment?: string;
}

/** A checkout URL with the choices so far. */
function href(
  d: CheckoutData,
  change: Partial<Pick<CheckoutData, 'kind' | 'date' | 'address' | 'store'>>,
): string {
  const next = { kind: d.kind, date: d.date, address: d.address, store: d.store, ...change };
  const p = new URLSearchParams();
  p.set('kind', next.kind);
  p.set('date', next.date);
  if (next.kind === 'delivery' && next.address) p.set('address', next.address);
  if (next.kind === 'pickup' && next.store) p.set('store', next.store);
  return `/basket/checkout?${p}`;
}

export function CheckoutPage(props: { view: View; data: CheckoutData }) {
  const { view, data: d } = props;
  const { lang } = view;
  const open = d.windows.filter((w) => w.status === 'available' || w.status === 'few_left');
  return (
    <Layout view={view} title={t(lang, 'checkout_title')}>
      <h1>{t(lang, 'checkout_title')}</h1>
      <div class="two">
        <div>
          <section class="panel" aria-labelledby="how">
            <h2 id="how">{t(lang, 'checkout_how')}</h2>
            <ul class="days">
              <li>
                <a
                  href={href(d, { kind: 'delivery' })}
                  aria-current={d.kind === 'delivery' ? 'date' : undefined}
                >
                  {t(lang, 'checkout_delivery')}
                </a>
              </li>
              <li>
                <a href={href(d, { kind: 'pickup' })} aria-current={d.kind === 'pickup' ? 'date' : undefined}>
                  {t(lang, 'checkout_pickup')}
                </a>
              </li>
            </ul>
            {d.kind === 'delivery' ? (
              <form method="get" action="/basket/checkout">
                <input type="hidden" name="kind" value="delivery" />
                <input type="hidden" name="date" value={d.date} />
                {d.addresses.length === 0 ? null : (
                  <fieldset class="choices">
                    <legend>{t(lang, 'checkout_address')}</legend>
                    {d.addresses.map((a) => (
                      <label>
                        <input
                          type="radio"
                          name="address"
                          value={a.id}
                          checked={a.id === d.address}
                          data-autosubmit
                        />
                        <span>
                          {a.label ? <strong>{a.label}: </strong> : null}
                          {`${a.recipient}, ${a.street}, ${a.ward}`}
                        </span>
                      </label>
                    ))}
                    <button type="submit" class="secondary" data-autosubmit-button>
                      {t(lang, 'checkout_show_windows')}
                    </button>
                  </fieldset>
                )}
              </form>
            ) : (
              <form method="get" action="/basket/checkout" class="row">
                <input type="hidden" name="kind" value="pickup" />
                <input type="hidden" name="date" value={d.date} />
                <div class="field">
                  <label htmlFor="pickup-store">{t(lang, 'checkout_store')}</label>
                  <select id="pickup-store" name="store" data-autosubmit>
                    {d.stores.map((s) => (
                      <option value={s.id} selected={s.id === d.store}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" class="secondary" data-autosubmit-button>
                  {t(lang, 'checkout_show_windows')}
                </button>
              </form>
            )}
            {d.kind === 'delivery' ? (
              <details open={d.addresses.length === 0}>
                <summary>{t(lang, 'checkout_new_address')}</summary>
                <form method="post" action="/account/addresses">
                  <input type="hidden" name="back" value={href(d, {})} />
                  <AddressFields lang={lang} prefix="co" />
                  <button type="submit">{t(lang, 'address_add')}</button>
                </form>
              </details>
            ) : null}
          </section>
          <form method="post" action="/basket/checkout">
            <input type="hidden" name="key" value={d.key} />
            <input type="hidden" name="kind" value={d.kind} />
            <input type="hidden" name="date" value={d.date} />
            {d.kind === 'delivery' && d.address ? (
              <input type="hidden" name="address" value={d.address} />
            ) : null}
            {d.kind === 'pickup' && d.store ? <input type="hidden" name="store" value={d.store} /> : null}
            <section class="panel" aria-labelledby="when">
              <h2 id="when">
                {t(lang, d.kind === 'delivery' ? 'checkout_window' : 'checkout_pickup_window')}
              </h2>
              <nav aria-label={t(lang, 'checkout_window')}>
                <ul class="days">
                  {d.days.map((day) => (
                    <li>
                      <a href={href(d, { date: day })} aria-current={day === d.date ? 'date' : undefined}>
                        {dayLabel(day, lang)}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {d.windowsError ? (
                <p class="error-text">{d.windowsError}</p>
              ) : d.closed ? (
                <p>{t(lang, 'checkout_closed', { reason: d.closed })}</p>
              ) : open.length === 0 ? (
                <p>{t(lang, 'checkout_no_windows')}</p>
              ) : (
                <fieldset class="windows">
                  <legend class="visually-hidden">{dayLabel(d.date, lang)}</legend>
                  {open.map((w) => (
                    <label class="window" data-window={w.id}>
                      <input type="radio" name="slot" value={w.id} checked={w.id === d.slot} required />{' '}
                      <strong>{windowTimes(w.starts_at, w.ends_at)}</strong>
                      <span class="meta">{t(lang, 'window_left', { n: w.remaining })}</span>
                      <br />
                      <span class="meta">
                        {w.fee_vnd
                          ? t(lang, 'window_fee', { fee: money(w.fee_vnd, lang) })
                          : t(lang, 'window_free')}
                      </span>
                    </label>
                  ))}
                </fieldset>
              )}
            </section>
            <section class="panel" aria-labelledby="pay">
              <fieldset class="choices">
                <legend>
                  <h2 id="pay">{t(lang, 'checkout_payment')}</h2>
                </legend>
                {d.methods.map((m) => (
                  <label>
                    <input
                      type="radio"
                      name="payment"
                      value={m}
                      checked={(d.payment ?? 'momo') === m}
                      required
                    />
                    <span>{t(lang, `pay_${m}`)}</span>
                  </label>
                ))}
              </fieldset>
            </section>
            <button
              type="submit"
              class="big"
              disabled={open.length === 0 || (d.kind === 'delivery' && !d.address)}
            >
              {t(lang, 'checkout_place')}
            </button>
          </form>
        </div>
        <div>{d.quote ? <Totals quote={d.quote} lang={lang} /> : null}</div>
      </div>
    </Layout>
  );
}

export function SignInFirst(props: { view: View }) {
  const { lang } = props.view;
  return (
    <Layout view={props.view} title={t(lang, 'checkout_title')}>
      <h1>{t(lang, 'checkout_title')}</h1>
      <p>{t(lang, 'checkout_sign_in')}</p>
      <p class="row">
        <a class="button" href="/account/sign-in?back=/basket/checkout">
          {t(lang, 'nav_sign_in')}
        </a>
        <a class="button secondary" href="/account/register?back=/basket/checkout">
          {t(lang, 'register_title')}
        </a>
      </p>
    </Layout>
  );
}
