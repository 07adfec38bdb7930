/**
 * Builds the PostgreSQL search SQL from a query: a folded full-text match with typo corrections and
 * an as-you-type last word, a score that follows the shared relevance rules, filters and facets.
 * Lexemes are words of letters and digits only (see `tokenize`), so they cannot break out of a
 * tsquery; every value still travels as a bind parameter.
 */
import { ident } from '../../shared/db';
import { PRICE_EDGES, type SearchFilters, type SearchQuery } from '../ports';
import { fold, tokenize } from '../text';

/** A parameterised SQL statement. */
export interface Sql {
  text: string;
  values: unknown[];
}

/** Per query word: as typed (lower-case, accents kept), folded, and spelling corrections. */
export interface PlannedWord {
  exact: string;
  folded: string;
  corrections: string[];
}

/** Splits query text into planned words, asking `correct` for the corrections of each folded word. */
export function planWords(text: string, correct: (folded: string) => string[]): PlannedWord[] {
  return tokenize(text)
    .slice(0, 12)
    .map((exact) => {
      const folded = fold(exact);
      return { exact, folded, corrections: correct(folded).filter((c) => c !== folded) };
    });
}

const q = (lexeme: string, suffix = '') => `'${lexeme}'${suffix}`;
const or = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`);

/** tsqueries of a plan: the match (AND of alternatives) and the pieces the score is made of. */
export function tsQueries(words: PlannedWord[]) {
  const last = words.length - 1;
  // As on Elasticsearch: a word as typed matches any field, descriptions included; corrections and
  // the as-you-type prefix only names, brand and categories (a prefix of "na" is not "nắng" in
  // "tránh ánh nắng", which every description says).
  const alternatives = words.map((w, i) =>
    or([
      q(w.folded),
      ...w.corrections.map((c) => q(c, ':ABC')),
      ...(i === last ? [q(w.folded, ':*ABC')] : []),
    ]),
  );
  return {
    match: alternatives.join(' & '),
    exactNames: or(words.map((w) => q(w.exact, ':A'))),
    foldedNames: or(words.map((w) => q(w.folded, ':A'))),
    looseNames: or(
      words.flatMap((w, i) => [
        ...w.corrections.map((c) => q(c, ':A')),
        ...(i === last ? [q(w.folded, ':*A')] : []),
      ]),
    ),
    foldedOther: or(words.map((w) => q(w.folded, ':BC'))),
    looseOther: or(
      words.flatMap((w, i) => [
        ...w.corrections.map((c) => q(c, ':BC')),
        ...(i === last ? [q(w.folded, ':*BC')] : []),
      ]),
    ),
    phrase:
      words.length > 1 ? words.map((w, i) => q(w.folded, i === last ? ':*A' : ':A')).join(' <-> ') : null,
    exactPhrase: words.length > 1 ? words.map((w) => q(w.exact, ':A')).join(' <-> ') : null,
  };
}

/** A document carries a promotion live at the statement's time (null bounds are open). */
const LIVE_PROMOTION = `(d.promotions <> '[]'::jsonb AND EXISTS (
  SELECT 1 FROM jsonb_array_elements(d.promotions) lp
  WHERE coalesce((lp->>'starts_at')::timestamptz <= now(), true)
    AND coalesce((lp->>'ends_at')::timestamptz > now(), true)))`;

function filterSql(f: SearchFilters, values: unknown[]): string[] {
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = ['NOT d.deleted'];
  if (f.category) where.push(`d.category_ids @> ARRAY[${p(f.category)}]::text[]`);
  if (f.dietary.length) where.push(`d.dietary @> ${p(f.dietary)}::text[]`);
  if (f.tags.length) where.push(`d.tags @> ${p(f.tags)}::text[]`);
  if (f.brand.length) where.push(`d.brand = ANY(${p(f.brand)}::text[])`);
  if (f.price_min !== undefined) where.push(`d.price_vnd >= ${p(f.price_min)}`);
  if (f.price_max !== undefined) where.push(`d.price_vnd <= ${p(f.price_max)}`);
  if (f.is_perishable !== undefined) where.push(`d.is_perishable = ${p(f.is_perishable)}`);
  if (f.expires_soon !== undefined) where.push(`d.expires_soon = ${p(f.expires_soon)}`);
  if (f.in_stock !== undefined) where.push(`d.in_stock = ${p(f.in_stock)}`);
  if (f.on_promotion !== undefined) where.push(f.on_promotion ? LIVE_PROMOTION : `NOT ${LIVE_PROMOTION}`);
  return where;
}

const ORDER: Record<SearchQuery['sort'], (lang: 'en' | 'vi') => string> = {
  relevance: () => 'score DESC, popularity DESC, sku',
  price_asc: () => 'price_vnd, sku',
  price_desc: () => 'price_vnd DESC, sku',
  name: (lang) => (lang === 'vi' ? 'name_sort_vi, sku' : 'name_sort_en, sku'),
  newest: () => 'created_at DESC, sku',
  popular: () => 'popularity DESC, sku',
};

/** The one statement that answers a search: page of hits, total and facets as one JSON row. */
export function searchSql(schema: string, query: SearchQuery, words: PlannedWord[], sku: string | null): Sql {
  const s = ident(schema);
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = filterSql(query.filters, values);
  let score = '0::float8';
  if (words.length > 0) {
    const t = tsQueries(words);
    const ts = (text: string) => `to_tsquery('simple', ${p(text)})`;
    const rank = (col: string, text: string) => `ts_rank('{0.05,0.5,0.6,1}', d.${col}, ${ts(text)}, 0)`;
    const parts = [
      `4 * ${rank('tsv_exact', t.exactNames)}`,
      `3 * ${rank('tsv_names', t.foldedNames)}`,
      `2 * ${rank('tsv_names', t.foldedOther)}`,
    ];
    if (t.looseNames !== '()') parts.push(`1.5 * ${rank('tsv_names', t.looseNames)}`);
    if (t.looseOther !== '()') parts.push(`0.5 * ${rank('tsv_names', t.looseOther)}`);
    if (t.phrase) parts.push(`CASE WHEN d.tsv_names @@ ${ts(t.phrase)} THEN 4 ELSE 0 END`);
    if (t.exactPhrase) parts.push(`CASE WHEN d.tsv_exact @@ ${ts(t.exactPhrase)} THEN 1 ELSE 0 END`);
    parts.push(`CASE WHEN d.brand_folded = ${p(words.map((w) => w.folded).join(' '))} THEN 3 ELSE 0 END`);
    const skuMatch = sku ? `d.sku = ${p(sku)}` : 'false';
    parts.push(`CASE WHEN ${skuMatch} THEN 100 ELSE 0 END`);
    score = `(${parts.join(' + ')}) * CASE WHEN d.in_stock THEN 1 ELSE 0.5 END * (1 + 0.02 * ln(1 + d.popularity))`;
    where.push(`(d.tsv_folded @@ ${ts(t.match)} OR ${skuMatch})`);
  }
  const order = ORDER[query.sort](query.lang);
  const edges = PRICE_EDGES.map((e) => String(e));
  const text = `
    -- Matches without their documents: only the page's documents are read (they are TOASTed).
    WITH m AS MATERIALIZED (
      SELECT d.sku, d.in_stock, d.expires_soon, d.popularity, d.version, d.price_vnd, d.category_id,
             d.dietary, d.brand, d.created_at, d.name_sort_en, d.name_sort_vi, d.promotions, ${score} AS score
      FROM ${s}.documents d WHERE ${where.join(' AND ')}
    )
    SELECT
      (SELECT count(*) FROM m)::int AS total,
      (SELECT coalesce(json_agg(json_build_object('doc', (SELECT x.doc FROM ${s}.documents x WHERE x.sku = h.sku), 'in_stock', h.in_stock, 'expires_soon', h.expires_soon,
          'promotions', h.promotions, 'popularity', h.popularity, 'version', h.version, 'score', h.score)), '[]')
         FROM (SELECT * FROM m ORDER BY ${order} LIMIT ${p(query.limit)} OFFSET ${p(query.offset)}) h) AS hits,
      (SELECT coalesce(json_agg(json_build_object('value', v, 'count', c)), '[]')
         FROM (SELECT category_id v, count(*)::int c FROM m GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) x) AS category,
      (SELECT coalesce(json_agg(json_build_object('value', v, 'count', c)), '[]')
         FROM (SELECT unnest(dietary) v, count(*)::int c FROM m GROUP BY 1 ORDER BY 2 DESC, 1) x) AS dietary,
      (SELECT coalesce(json_agg(json_build_object('value', v, 'count', c)), '[]')
         FROM (SELECT brand v, count(*)::int c FROM m GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20) x) AS brand,
      (SELECT coalesce(json_agg(json_build_object('value', v, 'count', c)), '[]')
         FROM (SELECT (${p(edges)}::text[])[width_bucket(price_vnd, ${p(PRICE_EDGES)}::bigint[])] v, count(*)::int c
               FROM m GROUP BY 1) x) AS price`;
  return { text, values };
}

/** Typeahead: names whose words start with the typed ones, in order; exact-accent prefixes first. */
export function suggestSql(schema: string, prefix: string, limit: number): Sql | null {
  const words = tokenize(prefix).slice(0, 8);
  if (words.length === 0) return null;
  const last = words.length - 1;
  const phrase = (form: (w: string) => string) =>
    words.map((w, i) => q(form(w), i === last ? ':*A' : ':A')).join(' <-> ');
  const s = ident(schema);
  return {
    text: `SELECT sku, doc->>'name_en' AS name_en, doc->>'name_vi' AS name_vi, category_id
           FROM ${s}.documents d
           WHERE NOT deleted AND tsv_folded @@ to_tsquery('simple', $1)
           ORDER BY (tsv_exact @@ to_tsquery('simple', $2)) DESC, in_stock DESC, popularity DESC, length(name_vi), sku
           LIMIT $3`,
    values: [phrase(fold), phrase((w) => w), limit],
  };
}
