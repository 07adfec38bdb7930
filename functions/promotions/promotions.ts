/**
 * Staff use cases: promotions, coupon codes and the VAT table. Each write is one unit of work
 * that validates everything first (nothing is written on a 400/409) and emits the announcement
 * its change calls for in the same transaction.
 */
import { randomInt } from 'node:crypto';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../shared/errors';
import type { Queryable } from '../shared/db';
import type { UnitOfWork } from '../shared/unit-of-work';
import { announcement, transitionOf } from './announcements';
import { definitionProblems, priceRises, unknownSkus, type Definition } from './definition';
import type { ProjectionStore } from './projection-store';
import type { PromotionRow, PromotionStore } from './promotion-store';
import type { CouponBatchBody, CouponBody, PromotionBody, VatRatesBody } from './schemas';
import { vatTableProblems, type VatRate } from './vat';

/** Unambiguous code characters (no 0/O, 1/I/L): 8 of them carry 40 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A generated single-use code, `PREFIX-XXXX-XXXX`. */
export function generateCode(prefix: string): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix.toUpperCase()}-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** The staff use cases. */
export function promotionUseCases(deps: {
  work: UnitOfWork;
  store: PromotionStore;
  projection: ProjectionStore;
  /** Called after a committed write, so cached definitions are dropped at once. */
  changed(): void;
  now?: () => Date;
}) {
  const { work, store, projection } = deps;
  const now = deps.now ?? (() => new Date());

  async function check(db: Queryable, def: Definition): Promise<void> {
    const problems = definitionProblems(def);
    const skus = [
      ...(def.target.kind === 'skus' ? def.target.skus : []),
      ...(def.discount.kind === 'buy_x_get_y' && def.discount.get_target?.kind === 'skus'
        ? def.discount.get_target.skus
        : []),
    ];
    if (skus.length) {
      const products = await projection.products(db, skus);
      problems.push(...unknownSkus(def, new Set(products.keys())));
      const prices = new Map(
        [...products.values()].map((p) => [
          p.sku,
          p.sold_by === 'weight' ? (p.price_per_kg_vnd ?? 0) : p.price_vnd,
        ]),
      );
      problems.push(...priceRises(def, prices));
    }
    if (problems.length) throw new ValidationError('The promotion is not valid', problems);
  }

  async function locked(db: Queryable, id: string): Promise<PromotionRow> {
    const row = await store.get(db, id, true);
    if (!row) throw new NotFoundError(`No promotion ${id}`);
    return row;
  }

  return {
    async create(def: Definition, actor: string): Promise<PromotionRow> {
      return work(async ({ tx, emit, afterCommit }) => {
        await check(tx, def);
        if (!(await store.insert(tx, def, actor))) throw new ConflictError(`Promotion ${def.id} exists`);
        const at = now();
        const t = transitionOf(def, false, at, false);
        if (t) emit(announcement(t, def, await store.markAnnounced(tx, def.id, t !== 'ended'), at));
        afterCommit(deps.changed);
        return (await store.get(tx, def.id))!;
      });
    },

    /** Replaces a definition; `expected` is the version the caller read (If-Match). */
    async replace(def: Definition, actor: string, expected?: number): Promise<PromotionRow> {
      return work(async ({ tx, emit, afterCommit }) => {
        const row = await locked(tx, def.id);
        if (expected !== undefined && expected !== row.version)
          throw new PreconditionFailedError(
            `Promotion ${def.id} is at version ${row.version}, not ${expected}`,
          );
        if (row.definition.status === 'ended')
          throw new ConflictError(`Promotion ${def.id} has ended; create a new one`);
        await check(tx, def);
        if (def.global_limit && def.global_limit < row.used)
          throw new ConflictError(
            `Promotion ${def.id} has been used ${row.used} times; its limit cannot be lower`,
            {
              used: row.used,
            },
          );
        const at = now();
        const t = transitionOf(def, row.announced, at, true);
        const live = t === 'activated' || t === 'changed' || (t === undefined && row.announced);
        const version = await store.replace(tx, def, actor, live);
        if (t) emit(announcement(t, def, version, at));
        afterCommit(deps.changed);
        return (await store.get(tx, def.id))!;
      });
    },

    /** Deletes a promotion nobody has used (a used one is ended instead, for the record). */
    async remove(id: string): Promise<void> {
      await work(async ({ tx, emit, afterCommit }) => {
        const row = await locked(tx, id);
        if (row.used > 0 || (await store.hasRedemptions(tx, id)))
          throw new ConflictError(`Promotion ${id} has been used; set its status to ended instead`);
        if (row.announced) {
          const version = await store.markAnnounced(tx, id, false);
          emit(announcement('ended', row.definition, version, now(), true));
        }
        await store.delete(tx, id);
        afterCommit(deps.changed);
      });
    },

    /** Creates one code; a taken code is a 409. */
    async createCoupon(id: string, body: CouponBody) {
      return work(async ({ tx }) => {
        const row = await couponable(tx, id);
        const code = body.code.toUpperCase();
        const taken = await store.insertCoupons(tx, row.definition.id, [code], body.max_uses ?? null, null);
        if (taken.length) throw new ConflictError(`Code ${code} exists`, { code });
        return { code, promotion_id: id, max_uses: body.max_uses ?? null, uses: 0 };
      });
    },

    /** Generates `count` single-use codes (unguessable: 40 random bits each). */
    async createBatch(id: string, body: CouponBatchBody) {
      return work(async ({ tx }) => {
        await couponable(tx, id);
        const batch = `${id}:${now().toISOString()}`;
        const codes = new Set<string>();
        let missing = body.count;
        for (let round = 0; missing > 0 && round < 8; round++) {
          const fresh = new Set<string>();
          while (fresh.size < missing) {
            const c = generateCode(body.prefix);
            if (!codes.has(c)) fresh.add(c);
          }
          const taken = new Set(await store.insertCoupons(tx, id, [...fresh], 1, batch));
          for (const c of fresh) if (!taken.has(c)) codes.add(c);
          missing = body.count - codes.size;
        }
        if (missing > 0) throw new ConflictError('Could not generate unique codes; use a longer prefix');
        return { promotion_id: id, batch_id: batch, codes: [...codes].sort() };
      });
    },

    /**
     * Announces what the clock changed: promotions that started or ended by their schedule since
     * the last scan. Any number of instances may run it (SKIP LOCKED); returns how many it announced.
     */
    async announceDue(at = now()): Promise<number> {
      return work(async ({ tx, emit, afterCommit }) => {
        let n = 0;
        for (const row of await store.dueAnnouncements(tx, at, 100)) {
          const t = transitionOf(row.definition, row.announced, at, false);
          if (!t) continue;
          emit(
            announcement(
              t,
              row.definition,
              await store.markAnnounced(tx, row.definition.id, t !== 'ended'),
              at,
            ),
          );
          n++;
        }
        if (n) afterCommit(deps.changed);
        return n;
      });
    },

    /** Replaces the VAT table; `expected` is the version the caller read (If-Match). */
    async replaceVat(body: VatRatesBody, actor: string, expected?: number) {
      const rates: VatRate[] = body.rates.map((r) => ({
        category: r.category,
        rateBp: r.rate_bp,
        ...(r.from ? { from: r.from } : {}),
        ...(r.until ? { until: r.until } : {}),
        ...(r.exempt ? { exempt: true } : {}),
      }));
      const problems = vatTableProblems(rates);
      if (problems.length) throw new ValidationError('The VAT table is not valid', problems);
      return work(async ({ tx, afterCommit }) => {
        const version = await store.replaceVat(tx, rates, expected, actor);
        if (version === undefined)
          throw new PreconditionFailedError('The VAT table changed since you read it');
        afterCommit(deps.changed);
        return store.vatTable(tx);
      });
    },
  };

  async function couponable(db: Queryable, id: string): Promise<PromotionRow> {
    const row = await locked(db, id);
    if (!row.definition.requires_coupon)
      throw new ConflictError(`Promotion ${id} applies without a code; set requires_coupon to give it codes`);
    if (row.definition.status === 'ended') throw new ConflictError(`Promotion ${id} has ended`);
    return row;
  }
}

/** A body and path id as a definition. */
export const definitionOf = (id: string, body: PromotionBody): Definition => ({ id, ...body });
