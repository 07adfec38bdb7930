/**
 * An order as its customer follows it: status, payment still to make, substitution proposals to
 * approve or reject, the final bill, and the delivery's carrier, ETA and tracking link. The live
 * part is one fragment the page's script fetches again every few seconds (`/track/:id/live`).
 */
import { amount, money, signedMoney, when, windowTimes, type Lang } from '../format';
import { pick, t, type MessageKey } from '../i18n';
import { Layout, type View } from './layout';

type Bilingual = { en: string; vi: string };

export interface OrderView {
  id: string;
  status: string;
  status_labels: Bilingual;
  fulfilment: {
    kind: 'delivery' | 'pickup';
    window?: { starts_at: string; ends_at: string; fee_vnd: number };
    address?: { street?: string; ward?: string; recipient?: string };
  };
  location: string;
  lines: { sku: string; name: Bilingual; sold_by: 'piece' | 'weight'; qty?: number; grams?: number }[];
  payment?: {
    id: string;
    rail: string;
    next_action?: string | null;
    redirect_url?: string;
    amount_vnd?: number | null;
  };
  total_vnd?: number | null;
  reason?: { code: string; message: Bilingual };
  created_at: string;
  picking?: {
    sku: string;
    name: string;
    sold_by: 'piece' | 'weight';
    ordered: number;
    picked: number;
    state: 'open' | 'picked' | 'short';
    substitute?: {
      sku: string;
      name: string;
      amount: number;
      state: 'pending' | 'proposed' | 'approved' | 'rejected' | 'expired' | 'unavailable';
      price_vnd?: number;
      deadline_at?: string;
    };
  }[];
  bill?: {
    lines: {
      sku: string;
      name: Bilingual;
      charged_vnd: number;
      difference_vnd: number;
      sold_by: string;
      picked: number;
    }[];
    delivery_vnd: number;
    total_vnd: number;
    difference_vnd: number;
  };
  final_vnd?: number;
  captured_vnd?: number;
  refund_vnd?: number;
  tracking?: {
    carrier?: string;
    status?: string;
    tracking_url?: string | null;
    eta_at?: string | null;
    ready_at?: string;
  };
}

/** A link from the API only when it is http(s): never `javascript:` or `data:`. */
export function webLink(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Statuses after which nothing changes by itself: the page stops refreshing. */
export const FINAL_STATUSES = new Set(['completed', 'cancelled', 'refunded', 'partially_refunded']);

function pieces(sold: 'piece' | 'weight', n: number, lang: Lang): string {
  return sold === 'weight' ? amount({ grams: n }, lang) : amount({ qty: n }, lang);
}

/** The part of the order page that changes while the shopper watches. */
export function OrderLive(props: { order: OrderView; lang: Lang }) {
  const { order: o, lang } = props;
  const cancelled = o.status === 'cancelled';
  const payUrl =
    o.status === 'awaiting_payment' && o.payment?.next_action === 'redirect'
      ? webLink(o.payment.redirect_url)
      : undefined;
  return (
    <>
      <p>
        {t(lang, 'order_status')}:{' '}
        <span class={cancelled ? 'status cancelled' : 'status'} data-status={o.status}>
          {pick(lang, o.status_labels, o.status)}
        </span>
      </p>
      {cancelled && o.reason ? (
        <p class="error-text">
          {t(lang, 'order_cancelled_reason', { reason: pick(lang, o.reason.message) })}
        </p>
      ) : null}
      {payUrl ? (
        <div class="row">
          <a class="button" href={payUrl} data-pay={o.payment!.rail}>
            {t(lang, 'order_pay_again')}
            {o.payment!.amount_vnd ? ` (${money(o.payment!.amount_vnd, lang)})` : ''}
          </a>
          <form method="post" action={`/track/${encodeURIComponent(o.id)}/paid`}>
            <button type="submit" class="secondary">
              {t(lang, 'order_check_payment')}
            </button>
          </form>
        </div>
      ) : null}
      {(o.picking ?? []).some((p) => p.state !== 'open' || p.substitute) ? (
        <section aria-labelledby="picking">
          <h2 id="picking">{t(lang, 'order_picking')}</h2>
          <ul class="lines">
            {(o.picking ?? []).map((p) => (
              <li class="line" data-sku={p.sku}>
                <div class="head">
                  <span>{p.name}</span>
                  <span class="meta">
                    {p.state === 'short'
                      ? t(lang, 'order_line_short')
                      : p.state === 'picked'
                        ? t(lang, 'order_line_picked', { amount: pieces(p.sold_by, p.picked, lang) })
                        : ''}
                  </span>
                </div>
                {p.substitute?.state === 'proposed' ? (
                  <div class="proposal" role="group" aria-labelledby={`sub-${p.sku}`}>
                    <h3 id={`sub-${p.sku}`}>{t(lang, 'order_sub_title')}</h3>
                    <p>
                      {t(lang, 'order_sub_text', {
                        sku_name: p.name,
                        sub: p.substitute.name,
                        amount: pieces(p.sold_by, p.substitute.amount, lang),
                        price: money(p.substitute.price_vnd ?? 0, lang),
                        deadline: p.substitute.deadline_at ? when(p.substitute.deadline_at, lang) : '—',
                      })}
                    </p>
                    <div class="row">
                      <form
                        method="post"
                        action={`/track/${encodeURIComponent(o.id)}/substitutions/${encodeURIComponent(p.sku)}`}
                      >
                        <input type="hidden" name="decision" value="approve" />
                        <button type="submit">{t(lang, 'order_sub_approve')}</button>
                      </form>
                      <form
                        method="post"
                        action={`/track/${encodeURIComponent(o.id)}/substitutions/${encodeURIComponent(p.sku)}`}
                      >
                        <input type="hidden" name="decision" value="reject" />
                        <button type="submit" class="secondary">
                          {t(lang, 'order_sub_reject')}
                        </button>
                      </form>
                    </div>
                  </div>
                ) : p.substitute ? (
                  <p class="meta">
                    {p.substitute.name}:{' '}
                    {t(lang, 'order_sub_state', {
                      state: t(lang, `sub_state_${p.substitute.state}` as MessageKey),
                    })}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {o.bill ? (
        <section aria-labelledby="bill">
          <h2 id="bill">{t(lang, 'order_bill')}</h2>
          <table>
            <tbody>
              {o.bill.lines.map((l) => (
                <tr>
                  <td>{pick(lang, l.name, l.sku)}</td>
                  <td class="num">{money(l.charged_vnd, lang)}</td>
                  <td class="num meta">{l.difference_vnd ? signedMoney(l.difference_vnd, lang) : ''}</td>
                </tr>
              ))}
              <tr>
                <td>{t(lang, 'totals_delivery')}</td>
                <td class="num">{money(o.bill.delivery_vnd, lang)}</td>
                <td />
              </tr>
              <tr>
                <th scope="row">{t(lang, 'order_total')}</th>
                <td class="num">
                  <strong>{money(o.bill.total_vnd, lang)}</strong>
                </td>
                <td class="num meta">
                  <span class="visually-hidden">{t(lang, 'order_bill_difference')}: </span>
                  {signedMoney(o.bill.difference_vnd, lang)}
                </td>
              </tr>
            </tbody>
          </table>
        </section>
      ) : null}
      {o.tracking ? (
        <section aria-labelledby="delivery">
          <h2 id="delivery">{t(lang, 'order_tracking')}</h2>
          {o.tracking.carrier ? <p>{t(lang, 'order_carrier', { carrier: o.tracking.carrier })}</p> : null}
          {o.tracking.eta_at ? <p>{t(lang, 'order_eta', { at: when(o.tracking.eta_at, lang) })}</p> : null}
          {o.tracking.ready_at ? (
            <p>{t(lang, 'order_ready_at', { at: when(o.tracking.ready_at, lang) })}</p>
          ) : null}
          {webLink(o.tracking.tracking_url) ? (
            <p>
              <a href={webLink(o.tracking.tracking_url)} rel="noopener noreferrer" target="_blank">
                {t(lang, 'order_track_link')}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

/** The card form's settings: Stripe.js, the publishable key and the PaymentIntent's client secret. */
export interface CardForm {
  key: string;
  jsUrl: string;
  secret: string;
}

/** Pay by card with Stripe.js (the card field is Stripe's own); the page reloads once it is paid. */
function CardPayment(props: { order: OrderView; card: CardForm; lang: Lang }) {
  const { order: o, card, lang } = props;
  return (
    <section class="panel" aria-labelledby="card-h">
      <h2 id="card-h">{t(lang, 'pay_stripe')}</h2>
      <script src={card.jsUrl} />
      <form
        method="post"
        action={`/track/${encodeURIComponent(o.id)}/paid`}
        data-card
        data-key={card.key}
        data-secret={card.secret}
        data-done={`/track/${encodeURIComponent(o.id)}`}
        data-unavailable={t(lang, 'card_unavailable')}
      >
        <div class="field">
          <span id="card-label" class="label">
            {t(lang, 'card_number')}
          </span>
          <div id="card-element" class="card-element" aria-labelledby="card-label" />
        </div>
        <p id="card-error" class="error-text" role="alert" />
        <button type="submit" class="big">
          {t(lang, 'order_pay_again')}
          {o.payment?.amount_vnd ? ` (${money(o.payment.amount_vnd, lang)})` : ''}
        </button>
      </form>
    </section>
  );
}

export function OrderPage(props: { view: View; order: OrderView; card?: CardForm }) {
  const { view, order: o } = props;
  const { lang } = view;
  const w = o.fulfilment.window;
  const held = o.payment?.amount_vnd ?? o.total_vnd;
  return (
    <Layout view={view} title={t(lang, 'order_title', { id: o.id })}>
      <h1>{t(lang, 'order_title', { id: o.id })}</h1>
      <p class="meta">
        {t(lang, 'order_placed_at', { at: when(o.created_at, lang) })}
        {w
          ? ` · ${t(lang, 'order_window', { window: `${windowTimes(w.starts_at, w.ends_at)} ${when(w.starts_at, lang).split(' ').pop()}` })}`
          : ''}
      </p>
      <section
        class="panel"
        aria-live="polite"
        data-live={`/track/${encodeURIComponent(o.id)}/live`}
        data-final={String(FINAL_STATUSES.has(o.status))}
      >
        <OrderLive order={o} lang={lang} />
      </section>
      {props.card ? <CardPayment order={o} card={props.card} lang={lang} /> : null}
      <p class="hint">{FINAL_STATUSES.has(o.status) ? '' : t(lang, 'order_live')}</p>
      <section class="panel" aria-labelledby="items">
        <h2 id="items">{t(lang, 'order_lines')}</h2>
        <table>
          <tbody>
            {o.lines.map((l) => (
              <tr>
                <td>{pick(lang, l.name, l.sku)}</td>
                <td class="num">{amount(l, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl class="totals">
          {held ? (
            <>
              <dt>{t(lang, 'order_held')}</dt>
              <dd>{money(held, lang)}</dd>
            </>
          ) : null}
          {o.captured_vnd ? (
            <>
              <dt>{t(lang, 'order_charged')}</dt>
              <dd>{money(o.captured_vnd, lang)}</dd>
            </>
          ) : null}
          {o.refund_vnd ? (
            <>
              <dt>{t(lang, 'order_refunded')}</dt>
              <dd>{money(o.refund_vnd, lang)}</dd>
            </>
          ) : null}
        </dl>
      </section>
    </Layout>
  );
}
