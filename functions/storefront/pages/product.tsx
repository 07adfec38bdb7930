/** Product detail: both languages' text, price per kg for weighed items, stock at my store. */
import { money, weight } from '../format';
import { t } from '../i18n';
import { AddForm, Badges, Layout, Thumb, type CardProduct, type View } from './layout';

export interface ProductDetail extends CardProduct {
  status: string;
  description?: string;
  description_en?: string;
  description_vi?: string;
  category_path: { id: string; name: string }[];
  shelf_life_days?: number | null;
  is_perishable?: boolean;
  image_urls?: string[];
}

export interface StockAt {
  location: string;
  name: string;
  available: number;
}

/** Stock in the product's own unit: grams for weighed products, else pieces. */
function stockAmount(p: ProductDetail, available: number, lang: View['lang']): string {
  return p.sold_by === 'weight' || p.unit === 'g' ? weight(available, lang) : String(available);
}

export function ProductPage(props: {
  view: View;
  product: ProductDetail;
  mine?: StockAt;
  others: StockAt[];
}) {
  const { view, product: p, mine } = props;
  const { lang } = view;
  const name = (lang === 'vi' ? p.name_vi : p.name_en) || p.name;
  const description = (lang === 'vi' ? p.description_vi : p.description_en) || p.description;
  const kg = p.price_per_kg_vnd ?? undefined;
  const card: CardProduct = { ...p, name, image_url: p.image_urls?.[0] ?? p.image_url ?? null };
  return (
    <Layout view={view} title={name}>
      <nav aria-label={t(lang, 'filter_category')}>
        <ol class="badges">
          {p.category_path.map((c) => (
            <li>
              <a href={`/find?category=${encodeURIComponent(c.id)}`}>{c.name}</a>
            </li>
          ))}
        </ol>
      </nav>
      <article class="product">
        <Thumb product={card} name={name} images={view.images} />
        <div>
          <h1>{name}</h1>
          {p.brand ? (
            <p class="meta">
              {t(lang, 'product_brand')}: {p.brand}
            </p>
          ) : null}
          <p>
            <span class="price">{money(p.price_vnd, lang)}</span>
            {p.sold_by === 'weight' && p.size ? <span class="meta"> / {weight(p.size, lang)}</span> : null}
          </p>
          {kg ? <p class="meta">{t(lang, 'per_kg', { price: money(kg, lang) })}</p> : null}
          <Badges product={{ ...card, in_stock: mine ? mine.available > 0 : p.in_stock }} lang={lang} />
          {p.sold_by === 'weight' ? (
            <p class="hint">
              <strong>{t(lang, 'sold_by_weight')}.</strong> {t(lang, 'product_weighed_note')}
            </p>
          ) : null}
          {p.shelf_life_days ? (
            <p class="meta">{t(lang, 'product_shelf_life', { days: p.shelf_life_days })}</p>
          ) : null}
          <section class="panel" aria-labelledby="stock">
            <h2 id="stock">{t(lang, 'product_stock', { store: mine?.name ?? '—' })}</h2>
            <p>
              {mine && mine.available > 0
                ? t(lang, 'product_stock_left', { amount: stockAmount(p, mine.available, lang) })
                : t(lang, 'product_stock_none')}
            </p>
            {props.others.length === 0 ? null : (
              <>
                <h3>{t(lang, 'product_other_stores')}</h3>
                <ul class="stock">
                  {props.others.map((s) => (
                    <li>
                      <span>{s.name}</span>
                      <span>
                        {s.available > 0
                          ? t(lang, 'product_stock_left', { amount: stockAmount(p, s.available, lang) })
                          : t(lang, 'badge_out_of_stock')}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {/* Out of stock everywhere: nothing to add. Elsewhere only: the basket says so for its store. */}
          {[mine, ...props.others].every((s) => !s || s.available <= 0) ? null : (
            <AddForm product={card} lang={lang} back={view.here} idPrefix="product" />
          )}
          {description ? <p>{description}</p> : null}
          <p class="meta" lang={lang === 'vi' ? 'en' : 'vi'}>
            {lang === 'vi' ? p.name_en : p.name_vi}
          </p>
        </div>
      </article>
    </Layout>
  );
}
