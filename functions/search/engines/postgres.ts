/**
 * The PostgreSQL search engine (embedded default): searches `search.documents` directly with
 * folded full-text (GIN), spelling corrections from an in-memory vocabulary, and the shared score.
 * Its index is the documents table itself, so `index` and `rebuild` have nothing to copy.
 */
import type { Pool } from 'pg';
import { SKU_PATTERN } from '../../../events';
import { pingDatabase } from '../../shared/db';
import type { EngineResult, SearchDocument, SearchEngine, SearchQuery, Suggestion } from '../ports';
import type { DocPromotion } from '../promotions';
import { documentStore } from '../store';
import { Vocabulary } from '../spelling';
import { fold, tokenize } from '../text';
import { planWords, searchSql, suggestSql } from './postgres-query';

const SKU = new RegExp(SKU_PATTERN);

interface HitRow {
  doc: SearchDocument;
  in_stock: boolean;
  expires_soon: boolean;
  promotions: DocPromotion[];
  popularity: number;
  version: number;
  score: number;
}

/** Options of the PostgreSQL engine. */
export interface PostgresEngineOptions {
  pool: Pool;
  schema: string;
  /** How often the spelling vocabulary is reloaded from the table (other instances index too). */
  vocabularyRefreshMs?: number;
}

/** Creates the PostgreSQL engine. */
export function createPostgresEngine(opts: PostgresEngineOptions): SearchEngine {
  const store = documentStore(opts.schema);
  const refreshMs = opts.vocabularyRefreshMs ?? 60_000;
  let vocab: Vocabulary | undefined;
  let loadedAt = 0;
  let loading: Promise<Vocabulary> | undefined;

  async function vocabulary(): Promise<Vocabulary> {
    if (vocab && Date.now() - loadedAt < refreshMs) return vocab;
    loading ??= store
      .vocabulary(opts.pool)
      .then((words) => {
        vocab = new Vocabulary(words);
        loadedAt = Date.now();
        return vocab;
      })
      .finally(() => (loading = undefined));
    // A stale vocabulary is fine while a fresh one loads.
    return vocab ?? loading;
  }

  return {
    name: 'postgres',

    async search(query: SearchQuery): Promise<EngineResult> {
      const v = query.text ? await vocabulary() : undefined;
      const words = v
        ? planWords(query.text, (w) => v.corrections(w, v.has(w) ? 2 : 5).map((c) => c.word))
        : [];
      const upper = query.text.toUpperCase();
      const sku = SKU.test(upper) ? upper : null;
      const sql = searchSql(opts.schema, query, words, sku);
      const { rows } = await opts.pool.query(sql.text, sql.values);
      const r = rows[0] as {
        total: number;
        hits: HitRow[];
        category: { value: string; count: number }[];
        dietary: { value: string; count: number }[];
        brand: { value: string; count: number }[];
        price: { value: string; count: number }[];
      };
      const result: EngineResult = {
        total: r.total,
        hits: r.hits.map((h) => ({
          doc: {
            ...h.doc,
            in_stock: h.in_stock,
            expires_soon: h.expires_soon,
            promotions: h.promotions,
            popularity: h.popularity,
            version: h.version,
          },
          score: h.score,
        })),
        facets: { category: r.category, dietary: r.dietary, brand: r.brand, price: r.price },
      };
      if (v && words.length > 0) {
        const folded = tokenize(query.text).map(fold);
        const exactHit = r.total > 0 && folded.every((w) => v.has(w));
        if (!exactHit) {
          const suggestion = v.didYouMean(folded);
          if (suggestion) result.suggestion = suggestion;
        }
      }
      return result;
    },

    async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
      const sql = suggestSql(opts.schema, prefix, limit);
      if (!sql) return [];
      const { rows } = await opts.pool.query<Suggestion>(sql.text, sql.values);
      return rows;
    },

    async index(docs) {
      // The table is the index; only teach the vocabulary the new words.
      if (vocab)
        vocab.add(
          docs
            .filter((d) => !d.deleted)
            .flatMap((d) => tokenize(`${d.name_vi} ${d.name_en} ${d.brand}`).map(fold)),
        );
    },

    async rebuild(_batches, onProgress) {
      // The documents table is the index: nothing to copy, only fresh statistics and vocabulary.
      await opts.pool.query(`ANALYZE ${opts.schema}.documents`);
      const { rows } = await opts.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${opts.schema}.documents WHERE NOT deleted`,
      );
      vocab = undefined;
      onProgress?.({ indexed: rows[0]!.n });
      return { indexed: rows[0]!.n };
    },

    async refresh() {
      vocab = undefined;
    },

    ready: () => pingDatabase(opts.pool),
    close: async () => {},
  };
}
