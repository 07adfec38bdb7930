/** Home: the promotions live now, expiring-soon deals at the shopper's store, best sellers. */
import { money } from '../format';
import { pick, t } from '../i18n';
import { Layout, ProductCard, type CardProduct, type View } from './layout';

export interface ActivePromotion {
  id: string;
  name: { en: string; vi: string };
  label: { en: string; vi: string };
  min_order_value_vnd: number | null;
  first_order: boolean;
}

export interface StoreOption {
  id: string;
  name_en: string;
  name_vi: string;
}

export interface HomeData {
  promotions: ActivePromotion[];
  expiring: CardProduct[];
  promoted: CardProduct[];
  popular: CardProduct[];
  stores: StoreOption[];
  store: string;
}

export function HomePage(props: { view: View; data: HomeData }) {
  const { view, data } = props;
  const { lang } = view;
  const shelf = (title: string, id: string, items: CardProduct[]) =>
    items.length === 0 ? null : (
      <section aria-labelledby={id}>
        <h2 id={id}>{title}</h2>
        <ul class="grid">
          {items.map((p) => (
            <ProductCard product={p} view={view} idPrefix={id} />
          ))}
        </ul>
      </section>
    );
  return (
    <Layout view={view} title={t(lang, 'home_title')}>
      <h1>{t(lang, 'tagline')}</h1>
      <form method="post" action="/store" class="row">
        <input type="hidden" name="back" value="/" />
        <div class="field">
          <label htmlFor="store">{t(lang, 'home_store')}</label>
          <select id="store" name="store" data-autosubmit>
            {data.stores.map((s) => (
              <option value={s.id} selected={s.id === data.store}>
                {lang === 'vi' ? s.name_vi : s.name_en}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary" data-autosubmit-button>
          {t(lang, 'home_store_change')}
        </button>
      </form>
      {data.promotions.length === 0 ? null : (
        <section aria-labelledby="promotions">
          <h2 id="promotions">{t(lang, 'home_promotions')}</h2>
          <ul class="promos">
            {data.promotions.map((p) => (
              <li class="promo">
                <strong>{pick(lang, p.label)}</strong>
                <span>{pick(lang, p.name)}</span>
                {p.min_order_value_vnd ? (
                  <div>{t(lang, 'min_order', { amount: money(p.min_order_value_vnd, lang) })}</div>
                ) : null}
                {p.first_order ? <div>{t(lang, 'first_order')}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      )}
      {shelf(t(lang, 'home_expiring'), 'expiring', data.expiring)}
      {shelf(t(lang, 'home_promoted'), 'promoted', data.promoted)}
      {shelf(t(lang, 'home_popular'), 'popular', data.popular)}
    </Layout>
  );
}
