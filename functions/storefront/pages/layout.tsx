/**
 * The frame of every page and the pieces pages share: header with the search combobox, basket and
 * language switch, the notice from the last action, product cards with their add form.
 */
import type { ComponentChildren } from 'preact';
import { money, weight, type Lang } from '../format';
import { DIETARY_NAMES, t } from '../i18n';
import type { Notice } from '../session';

/** What every page knows about the request it answers. */
export interface View {
  lang: Lang;
  /** The path and query of this page (the language switch and forms come back here). */
  here: string;
  signedIn: boolean;
  /** Items in the basket, when known. */
  basketCount?: number;
  notice?: Notice;
  assets: { js: string; css: string };
  /** Show product photos (off where their host cannot be reached, e.g. offline dev). */
  images: boolean;
  /** The search box's text. */
  q?: string;
}

/** The search box's combobox role (preact's typings only allow it on inputs with a `list`). */
const COMBOBOX: Record<string, string> = {
  role: 'combobox',
  'aria-autocomplete': 'list',
  'aria-expanded': 'false',
  'aria-controls': 'suggestions',
  'data-suggest': '/find/suggest',
};

/** The same page in the other language. */
export function switchHref(here: string, lang: Lang): string {
  const url = new URL(here, 'http://shop.invalid');
  url.searchParams.set('lang', lang === 'vi' ? 'en' : 'vi');
  return url.pathname + url.search;
}

export function Layout(props: { view: View; title: string; children: ComponentChildren }) {
  const { view } = props;
  const { lang } = view;
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t(lang, 'brand')}`}</title>
        <meta name="description" content={t(lang, 'tagline')} />
        <meta name="theme-color" content="#17692f" />
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={view.assets.css} />
        <script src={view.assets.js} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {t(lang, 'skip')}
        </a>
        <header class="top">
          <div class="bar-wrap">
            <div class="bar">
              <a class="logo" href="/">
                {t(lang, 'brand')}
              </a>
              <nav class="main" aria-label={t(lang, 'nav_main')}>
                <ul>
                  <li>
                    <a href="/basket">
                      {t(lang, 'nav_basket')}
                      {view.basketCount ? (
                        <span class="count">
                          <span class="visually-hidden">: </span>
                          {view.basketCount}
                        </span>
                      ) : null}
                    </a>
                  </li>
                  <li>
                    <a href={view.signedIn ? '/account' : '/account/sign-in'}>
                      {t(lang, view.signedIn ? 'nav_account' : 'nav_sign_in')}
                    </a>
                  </li>
                  <li>
                    <a
                      class="lang"
                      href={switchHref(view.here, lang)}
                      hrefLang={other}
                      lang={other}
                      aria-label={t(lang, 'lang_switch_label')}
                    >
                      {t(lang, 'lang_switch')}
                    </a>
                  </li>
                </ul>
              </nav>
            </div>
            <form class="search" role="search" action="/find" method="get">
              <label class="visually-hidden" htmlFor="q">
                {t(lang, 'search_label')}
              </label>
              <input
                id="q"
                name="q"
                type="search"
                value={view.q ?? ''}
                placeholder={t(lang, 'search_placeholder')}
                autoComplete="off"
                {...COMBOBOX}
              />
              <ul
                id="suggestions"
                class="suggest"
                role="listbox"
                aria-label={t(lang, 'suggestions')}
                hidden
              />
              <button type="submit">{t(lang, 'search_button')}</button>
            </form>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {view.notice ? <NoticeBox notice={view.notice} /> : null}
          {props.children}
        </main>
        <footer>{t(lang, 'footer')}</footer>
      </body>
    </html>
  );
}

export function NoticeBox(props: { notice: Notice }) {
  return (
    <p class={`notice ${props.notice.kind}`} role={props.notice.kind === 'error' ? 'alert' : 'status'}>
      {props.notice.text}
    </p>
  );
}

/** A product as lists show it (search hits and catalog cards share these fields). */
export interface CardProduct {
  sku: string;
  name: string;
  name_en?: string;
  name_vi?: string;
  brand?: string | null;
  price_vnd: number;
  price_per_kg_vnd?: number | null;
  unit?: string;
  size?: number;
  sold_by: 'piece' | 'weight';
  image_url?: string | null;
  in_stock?: boolean;
  expires_soon?: boolean;
  badges?: string[];
  on_promotion?: boolean;
  dietary?: string[];
  promotions?: { id: string; label_en?: string; label_vi?: string; label?: string }[];
}

/** The product's name in the reader's language. */
export function nameOf(p: { name?: string; name_en?: string; name_vi?: string }, lang: Lang): string {
  return (lang === 'vi' ? p.name_vi : p.name_en) || p.name || '';
}

/** Price per kilogram of a weighed product, from its pack price when the API gives none. */
export function perKg(p: CardProduct): number | undefined {
  if (p.price_per_kg_vnd) return p.price_per_kg_vnd;
  if (p.sold_by === 'weight' && p.unit === 'g' && p.size) return Math.round((p.price_vnd * 1000) / p.size);
  return undefined;
}

export function Thumb(props: {
  product: { image_url?: string | null; sku: string };
  name: string;
  images: boolean;
}) {
  const { product, name } = props;
  if (props.images && product.image_url)
    return (
      <div class="thumb">
        <img src={product.image_url} alt="" width={320} height={240} loading="lazy" decoding="async" />
      </div>
    );
  const initials = name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w.charAt(0))
    .join('')
    .toUpperCase();
  return (
    <div class="thumb" aria-hidden="true">
      {initials}
    </div>
  );
}

export function Badges(props: { product: CardProduct; lang: Lang }) {
  const { product: p, lang } = props;
  const items: { text: string; diet?: boolean }[] = [];
  if (p.expires_soon || p.badges?.includes('expires-soon'))
    items.push({ text: t(lang, 'badge_expires_soon') });
  for (const promo of p.promotions ?? [])
    items.push({ text: (lang === 'vi' ? promo.label_vi : promo.label_en) || promo.label || '' });
  if (!p.promotions?.length && (p.on_promotion || p.badges?.includes('promoted')))
    items.push({ text: t(lang, 'badge_promoted') });
  for (const d of p.dietary ?? []) {
    const name = DIETARY_NAMES[d];
    if (name) items.push({ text: name[lang], diet: true });
  }
  if (p.in_stock === false) items.push({ text: t(lang, 'badge_out_of_stock') });
  if (items.length === 0) return null;
  return (
    <ul class="badges">
      {items
        .filter((i) => i.text)
        .map((i) => (
          <li class={i.diet ? 'badge diet' : 'badge'}>{i.text}</li>
        ))}
    </ul>
  );
}

/** How much of a product: pieces, or grams (in steps of 50) for a weighed product. */
export function AmountInput(props: { id: string; weighed: boolean; value: number | undefined }) {
  return props.weighed ? (
    <input
      id={props.id}
      name="grams"
      type="number"
      inputMode="numeric"
      min={50}
      max={20000}
      step={50}
      value={props.value}
    />
  ) : (
    <input id={props.id} name="qty" type="number" inputMode="numeric" min={1} max={99} value={props.value} />
  );
}

/** The form that puts a product in the basket: pieces, or grams for a weighed product. */
export function AddForm(props: { product: CardProduct; lang: Lang; back: string; idPrefix: string }) {
  const { product: p, lang } = props;
  const weighed = p.sold_by === 'weight';
  const id = `${props.idPrefix}-${p.sku}`;
  const name = nameOf(p, lang);
  return (
    <form method="post" action="/basket/add">
      <input type="hidden" name="sku" value={p.sku} />
      <input type="hidden" name="back" value={props.back} />
      <label class="visually-hidden" htmlFor={id}>
        {`${t(lang, weighed ? 'grams' : 'qty')}: ${name}`}
      </label>
      <AmountInput
        id={id}
        weighed={weighed}
        value={weighed ? (p.size && p.unit === 'g' ? p.size : 500) : 1}
      />
      <button type="submit" aria-label={`${t(lang, 'add_to_basket')}: ${name}`}>
        {t(lang, 'add')}
      </button>
    </form>
  );
}

export function ProductCard(props: { product: CardProduct; view: View; idPrefix: string }) {
  const { product: p, view } = props;
  const { lang } = view;
  const name = nameOf(p, lang);
  const kg = perKg(p);
  return (
    <li class="card">
      <Thumb product={p} name={name} images={view.images} />
      <h3>
        <a href={`/p/${encodeURIComponent(p.sku)}`}>{name}</a>
      </h3>
      <div>
        <span class="price">{money(p.price_vnd, lang)}</span>
        {p.sold_by === 'weight' && p.size ? <span class="per-kg"> / {weight(p.size, lang)}</span> : null}
      </div>
      {kg ? <div class="per-kg">{t(lang, 'per_kg', { price: money(kg, lang) })}</div> : null}
      <Badges product={p} lang={lang} />
      {p.in_stock === false ? null : (
        <AddForm product={p} lang={lang} back={view.here} idPrefix={props.idPrefix} />
      )}
    </li>
  );
}

/** A page that only says something: not found, an error, a confirmation. */
export function MessagePage(props: {
  view: View;
  title: string;
  text: string;
  link?: { href: string; text: string };
}) {
  return (
    <Layout view={props.view} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      {props.link ? (
        <p>
          <a class="button" href={props.link.href}>
            {props.link.text}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
