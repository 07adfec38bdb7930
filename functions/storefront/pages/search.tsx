/** Search: results with facets and filters (category, brand, dietary, price, fresh, promotion). */
import { DIETARY_NAMES, t } from '../i18n';
import { Layout, ProductCard, type CardProduct, type View } from './layout';

export interface Facet {
  id?: string;
  value?: string;
  name?: string;
  count: number;
}

export interface SearchAnswer {
  q: string;
  total: number;
  hits: CardProduct[];
  facets: { category?: Facet[]; brand?: Facet[]; dietary?: Facet[] };
  next_cursor: string | null;
}

/** The filters the page understands, as the query string carries them. */
export interface SearchFilters {
  q: string;
  category?: string;
  brand: string[];
  dietary: string[];
  price_min?: number;
  price_max?: number;
  is_perishable?: boolean;
  on_promotion?: boolean;
  expires_soon?: boolean;
  in_stock?: boolean;
  sort?: 'relevance' | 'price_asc' | 'price_desc';
  cursor?: string;
}

function Check(props: { name: string; value: string; checked: boolean; label: string; count?: number }) {
  return (
    <label>
      <input type="checkbox" name={props.name} value={props.value} checked={props.checked} />
      <span>
        {props.label}
        {props.count !== undefined ? <span class="meta"> ({props.count})</span> : null}
      </span>
    </label>
  );
}

export function SearchPage(props: {
  view: View;
  filters: SearchFilters;
  result: SearchAnswer;
  moreHref?: string;
}) {
  const { view, filters: f, result } = props;
  const { lang } = view;
  const heading = f.q
    ? t(lang, 'search_results', {
        count: result.total.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US'),
        q: f.q,
      })
    : t(lang, 'search_all', { count: result.total.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US') });
  const categories = result.facets.category ?? [];
  const brands = result.facets.brand ?? [];
  const dietary = result.facets.dietary ?? [];
  const active =
    (f.category ? 1 : 0) +
    f.brand.length +
    f.dietary.length +
    [f.price_min, f.price_max, f.is_perishable, f.on_promotion, f.expires_soon, f.in_stock, f.sort].filter(
      (v) => v !== undefined,
    ).length;
  return (
    <Layout view={view} title={f.q || t(lang, 'search_title')}>
      <h1 aria-live="polite">{heading}</h1>
      <div class="layout">
        <details class="filters" open={active > 0}>
          <summary>
            {t(lang, 'filters')}
            {active > 0 ? ` (${active})` : ''}
          </summary>
          <form method="get" action="/find" aria-label={t(lang, 'filters')}>
            <input type="hidden" name="q" value={f.q} />
            <div class="field">
              <label htmlFor="sort">{t(lang, 'sort')}</label>
              <select id="sort" name="sort" data-autosubmit>
                {(['relevance', 'price_asc', 'price_desc'] as const).map((s) => (
                  <option value={s} selected={(f.sort ?? 'relevance') === s}>
                    {t(lang, `sort_${s}`)}
                  </option>
                ))}
              </select>
            </div>
            {categories.length === 0 ? null : (
              <div class="field">
                <label htmlFor="category">{t(lang, 'filter_category')}</label>
                <select id="category" name="category">
                  <option value="">—</option>
                  {categories.map((c) => (
                    <option value={c.id} selected={c.id === f.category}>
                      {`${c.name} (${c.count})`}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <fieldset>
              <legend>{t(lang, 'filters')}</legend>
              <div class="opts">
                <Check
                  name="on_promotion"
                  value="true"
                  checked={!!f.on_promotion}
                  label={t(lang, 'filter_promotion')}
                />
                <Check
                  name="expires_soon"
                  value="true"
                  checked={!!f.expires_soon}
                  label={t(lang, 'filter_expiring')}
                />
                <Check
                  name="is_perishable"
                  value="true"
                  checked={!!f.is_perishable}
                  label={t(lang, 'filter_perishable')}
                />
                <Check
                  name="in_stock"
                  value="true"
                  checked={!!f.in_stock}
                  label={t(lang, 'filter_in_stock')}
                />
              </div>
            </fieldset>
            {dietary.length === 0 ? null : (
              <fieldset>
                <legend>{t(lang, 'filter_dietary')}</legend>
                <div class="opts">
                  {dietary.map((d) => (
                    <Check
                      name="dietary"
                      value={d.value ?? ''}
                      checked={f.dietary.includes(d.value ?? '')}
                      label={DIETARY_NAMES[d.value ?? '']?.[lang] ?? d.value ?? ''}
                      count={d.count}
                    />
                  ))}
                </div>
              </fieldset>
            )}
            {brands.length === 0 ? null : (
              <fieldset>
                <legend>{t(lang, 'filter_brand')}</legend>
                <div class="opts">
                  {brands.slice(0, 12).map((b) => (
                    <Check
                      name="brand"
                      value={b.value ?? ''}
                      checked={f.brand.includes(b.value ?? '')}
                      label={b.value ?? ''}
                      count={b.count}
                    />
                  ))}
                </div>
              </fieldset>
            )}
            <fieldset>
              <legend>{t(lang, 'filter_price')}</legend>
              <div class="row">
                <div class="field">
                  <label htmlFor="price_min">{t(lang, 'filter_price_min')}</label>
                  <input
                    id="price_min"
                    name="price_min"
                    type="number"
                    inputMode="numeric"
                    min={0}
                    step={1000}
                    value={f.price_min ?? ''}
                  />
                </div>
                <div class="field">
                  <label htmlFor="price_max">{t(lang, 'filter_price_max')}</label>
                  <input
                    id="price_max"
                    name="price_max"
                    type="number"
                    inputMode="numeric"
                    min={0}
                    step={1000}
                    value={f.price_max ?? ''}
                  />
                </div>
              </div>
            </fieldset>
            <div class="row">
              <button type="submit">{t(lang, 'filter_apply')}</button>
              <a href={`/find?q=${encodeURIComponent(f.q)}`}>{t(lang, 'filter_clear')}</a>
            </div>
          </form>
        </details>
        <div>
          {result.hits.length === 0 ? (
            <p>{t(lang, 'search_none')}</p>
          ) : (
            <ul class="grid">
              {result.hits.map((p) => (
                <ProductCard product={p} view={view} idPrefix="hit" />
              ))}
            </ul>
          )}
          {props.moreHref ? (
            <p>
              <a class="button secondary" href={props.moreHref}>
                {t(lang, 'more')}
              </a>
            </p>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}
