/**
 * Promotions' step of the checkout saga. A pricing-requested command freezes an order's price (the
 * quote POST /pricing/quote gives a trusted caller) and, in the same step, reserves one use of every
 * coupon and limited automatic promotion that price applies, so the price and the uses it counts
 * on cannot disagree; later commands commit those uses (the order is paid) or release them (held
 * ones, or committed ones too when a confirmed order is cancelled). A quote command prices lines
 * now (a substitute proposed while picking) and reserves nothing. Each command gets exactly one
 * pricing reply, emitted in the consumer's transaction. Redemption ids derive from the order, so a
 * redelivered or re-sent command replays its holds instead of taking new ones. Expected refusals
 * are replies; a broken database throws (5xx, the broker retries) and never becomes a refusal.
 */
import { pricingReplied, pricingRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import type { Tx } from '../shared/db';
import { ValidationError } from '../shared/errors';
import type { EventHandler } from '../shared/eventing/consumer';
import { sagaReplier } from '../shared/eventing/saga-reply';
import type { Customer, Promotion, Reason } from './model';
import { quote, type QuoteSources } from './quote';
import { reason } from './reasons';
import type { RedemptionRow } from './redemption-store';
import type { Redemptions, ReserveResult } from './redemptions';
import type { QuoteBody, RedemptionBody } from './schemas';

type Command = DataOf<typeof pricingRequested>;
type Price = Extract<Command, { action: 'price' }>;
type QuoteLines = Extract<Command, { action: 'quote' }>;
type Settle = Extract<Command, { action: 'commit' | 'release' }>;
type Release = Extract<Command, { action: 'release' }>;
type Reply = DataOf<typeof pricingReplied>;
/** A reply before it is stamped with the command's order, action and the time. */
type Answer = Pick<Reply, 'outcome' | 'reason' | 'quote_id' | 'quote' | 'redemption_ids'>;
type Quoted = Awaited<ReturnType<typeof quote>>;

/** What the saga handler needs: the quote's sources, the redemption use cases, the outbox's schema. */
export interface PricingSagaDeps {
  sources: QuoteSources;
  redemptions: Redemptions;
  schema: string;
  now?: () => Date;
}

/** Most coupons a command carries, and most uses a reply lists (the contract's bounds). */
const MAX_COUPONS = 5;
const MAX_USES = 20;
/** Most SKUs a reason names; the rest are counted (a reason's message is at most 500 characters). */
const NAMED = 5;

const couponUseId = (order: string, i: number) => `${order}.c${i}`;
const promotionUseId = (order: string, j: number) => `${order}.p${j}`;

/** Every id one order's uses can have: what a replay looks for. */
const candidateIds = (order: string) => [
  ...Array.from({ length: MAX_COUPONS }, (_, i) => couponUseId(order, i)),
  ...Array.from({ length: MAX_USES }, (_, j) => promotionUseId(order, j)),
];

const DONE: Answer = { outcome: 'done' };
const refused = (code: string, en: string, vi: string): Answer => ({
  outcome: 'refused',
  reason: { code, message: { en, vi } },
});
/** A promotion reason (reasons.ts) as the saga's reason. */
const refusedFor = (r: Reason): Answer => refused(r.code, r.en, r.vi);

const missing = (id: string) =>
  refused(
    'redemption_missing',
    `There is no coupon or promotion use ${id} for this order`,
    `Không có lượt dùng mã giảm giá hoặc khuyến mãi ${id} cho đơn này`,
  );
const expired = (id: string) =>
  refused(
    'redemption_expired',
    `The hold on coupon or promotion use ${id} lapsed before the order was paid`,
    `Lượt giữ mã giảm giá hoặc khuyến mãi ${id} đã hết hạn trước khi đơn được thanh toán`,
  );
const released = (id: string) =>
  refused(
    'redemption_released',
    `Coupon or promotion use ${id} was already released; it cannot be committed`,
    `Lượt dùng mã giảm giá hoặc khuyến mãi ${id} đã được huỷ; không thể xác nhận`,
  );
const committed = (id: string) =>
  refused(
    'redemption_committed',
    `Coupon or promotion use ${id} is already committed; it cannot be released`,
    `Lượt dùng mã giảm giá hoặc khuyến mãi ${id} đã được xác nhận; không thể huỷ`,
  );

/** Whether a redemption still counts against its limits. */
const counting = (r: RedemptionRow) => r.state === 'reserved' || r.state === 'committed';

/** "A, B, C and 2 more" in either language. */
function naming(items: string[], lang: 'en' | 'vi'): string {
  const named = items.slice(0, NAMED).join(', ');
  const more = items.length - NAMED;
  if (more <= 0) return named;
  return lang === 'en' ? `${named} and ${more} more` : `${named} và ${more} mã khác`;
}

/** The customer as a trusted caller states them (quoteCustomer): the saga vouches for the account. */
const customerOf = (cmd: Price): Customer => ({
  id: cmd.customer_id,
  firstOrder: cmd.first_order,
  staff: false,
  dietary: [],
});

/**
 * The quote's sources as if this order's own uses (held by an earlier run of the same command)
 * were not taken yet, so a replay prices as the first run did instead of tripping on its own holds
 * (a single-use coupon would otherwise read as used up by the very order that holds it).
 */
function withoutOwnUses(src: QuoteSources, own: readonly RedemptionRow[]): QuoteSources {
  const held = own.filter(counting);
  if (held.length === 0) return src;
  const count = (match: (r: RedemptionRow) => boolean) => held.filter(match).length;
  return {
    ...src,
    promotions: {
      ...src.promotions,
      async resolveCodes(db, codes) {
        const found = await src.promotions.resolveCodes(db, codes);
        for (const c of found.values()) c.uses = Math.max(0, c.uses - count((r) => r.code === c.code));
        return found;
      },
      async usage(db, ids, customer) {
        const u = await src.promotions.usage(db, ids, customer);
        for (const [id, n] of Object.entries(u.global))
          u.global[id] = Math.max(0, n - count((r) => r.promotion_id === id));
        for (const [id, n] of Object.entries(u.byCustomer))
          u.byCustomer[id] = Math.max(
            0,
            n - count((r) => r.promotion_id === id && r.customer_id === customer),
          );
        return u;
      },
    },
  };
}

/** The refusal of a quote the request could not make: lines not on sale, or no VAT rate for them. */
function unpriceable(cmd: Pick<Price, 'lines'>, err: ValidationError): Answer {
  if (err.errors.some((e) => e.code === 'no-vat-rate'))
    return refused(
      'pricing_unavailable',
      'The order cannot be priced: a VAT rate is missing',
      'Không thể tính giá đơn hàng: thiếu thuế suất VAT',
    );
  const skus = [
    ...new Set(
      err.errors.flatMap((e) => {
        const j = /^\/lines\/(\d+)\//.exec(e.field)?.[1];
        const line = j === undefined ? undefined : cmd.lines[Number(j)];
        return line ? [line.sku] : [];
      }),
    ),
  ];
  return refused(
    'invalid_lines',
    `Some lines of the order cannot be priced${skus.length ? `: ${naming(skus, 'en')}` : ''}`,
    `Không thể tính giá một số dòng của đơn${skus.length ? `: ${naming(skus, 'vi')}` : ''}`,
  );
}

/**
 * Quotes `body`, or says why its lines cannot be priced (unknown or inactive SKUs, no VAT rate);
 * any other failure (a broken database) throws.
 */
async function priced(
  deps: PricingSagaDeps,
  src: QuoteSources,
  body: QuoteBody,
  customer: Customer,
): Promise<{ quoted: Quoted } | { refusal: Answer }> {
  try {
    return { quoted: await quote(src, body, customer, (deps.now ?? (() => new Date()))()) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { refusal: unpriceable(body, err) };
  }
}

/** The uses the price counts on: its coupons in order, then its limited automatic promotions by id. */
function plannedUses(cmd: Price, quoted: Quoted, automatic: readonly Promotion[]): RedemptionBody[] {
  const common = { customer_id: cmd.customer_id, order_id: cmd.order_id, ttl_seconds: cmd.ttl_seconds };
  const coupons = quoted.coupons
    .filter((c) => c.status === 'applied')
    .map((c, i) => ({ ...common, id: couponUseId(cmd.order_id, i), code: c.code }));
  const applied = new Set(quoted.applied.map((a) => a.promotion_id));
  const limited = automatic
    .filter((p) => applied.has(p.id) && (p.globalLimit !== undefined || p.perCustomerLimit !== undefined))
    .map((p) => p.id)
    .sort();
  const promotions = limited.map((promotion_id, j) => ({
    ...common,
    id: promotionUseId(cmd.order_id, j),
    promotion_id,
  }));
  return [...coupons, ...promotions];
}

/** Why a reservation does not give the price its use, or undefined when it does. */
function reserveRefusal(result: ReserveResult): Answer | undefined {
  switch (result.kind) {
    case 'held':
      // A replay of a hold that lapsed (or was given back) since: the use is no longer the order's.
      return counting(result.redemption) ? undefined : expired(result.redemption.id);
    case 'refused':
      return refusedFor(result.reason);
    case 'unknown-code':
      return refusedFor(reason('unknown_code'));
    case 'unknown-promotion':
      return refusedFor(reason('not_active'));
    case 'conflict':
      return refused(
        'pricing_conflict',
        "The order's coupon and promotion uses were reserved for another price; check out again",
        'Lượt dùng mã giảm giá và khuyến mãi của đơn đã được giữ cho một mức giá khác; vui lòng đặt lại',
      );
  }
}

/** Gives back every hold among `ids` (committed uses stay: they are not this step's to undo). */
async function releaseHeld(deps: PricingSagaDeps, ids: Iterable<string>): Promise<void> {
  for (const id of new Set(ids)) await deps.redemptions.release(id, { heldOnly: true });
}

/** The quote as the order freezes it: the contract's FrozenQuote (no delivery or VAT breakdown). */
function frozen(q: Quoted): NonNullable<Reply['quote']> {
  return {
    lines: q.lines.map((l) => ({
      sku: l.sku,
      sold_by: l.sold_by,
      qty: l.qty,
      ...('grams' in l ? { grams: l.grams } : {}),
      unit_price_vnd: l.unit_price_vnd,
      list_amount_vnd: l.list_amount_vnd,
      discount_vnd: l.discount_vnd,
      total_vnd: l.total_vnd,
      vat_rate: l.vat_rate,
      vat_vnd: l.vat_vnd,
      adjustments: l.adjustments,
    })),
    totals: q.totals,
    applied: q.applied,
    priced_at: q.priced_at,
  };
}

/**
 * Prices the order, then reserves the uses the price counts on, one by one. Any refusal gives back
 * every hold of this order (taken now or by an earlier run), so nothing stays reserved after it.
 */
async function price(deps: PricingSagaDeps, cmd: Price, event: TuoiCloudEvent, tx: Tx): Promise<Answer> {
  const own = (await deps.redemptions.getMany(tx, candidateIds(cmd.order_id))).filter(
    (r) => r.order_id === cmd.order_id,
  );
  const ownIds = own.map((r) => r.id);
  // The automatic promotions the quote priced with, so the uses reserved are exactly those it applied.
  let automatic: readonly Promotion[] = [];
  const src: QuoteSources = {
    ...withoutOwnUses(deps.sources, own),
    db: tx,
    automatic: async () => (automatic = await deps.sources.automatic()),
  };
  const body = {
    lines: cmd.lines,
    location: cmd.location,
    coupon_codes: cmd.coupon_codes,
    delivery_fee_vnd: cmd.delivery_fee_vnd,
  };
  const result = await priced(deps, src, body, customerOf(cmd));
  if ('refusal' in result) {
    await releaseHeld(deps, ownIds);
    return result.refusal;
  }
  const { quoted } = result;
  const rejected = quoted.coupons.find((c) => c.status === 'rejected');
  if (rejected) {
    await releaseHeld(deps, ownIds);
    return refusedFor(rejected.reason ?? reason('unknown_code'));
  }
  const uses = plannedUses(cmd, quoted, automatic);
  if (uses.length > MAX_USES) {
    await releaseHeld(deps, ownIds);
    return refused(
      'too_many_promotions',
      'The order counts on more limited promotions than one checkout can hold',
      'Đơn hàng áp dụng nhiều khuyến mãi giới hạn hơn mức một lần thanh toán cho phép',
    );
  }
  const held: string[] = [];
  for (const use of uses) {
    const refusal = reserveRefusal(await deps.redemptions.reserve(use, event.source));
    if (refusal) {
      await releaseHeld(deps, [...held, ...ownIds]);
      return refusal;
    }
    held.push(use.id);
  }
  // Holds of an earlier run that this price no longer counts on are given back.
  await releaseHeld(
    deps,
    ownIds.filter((id) => !held.includes(id)),
  );
  return { outcome: 'done', quote: frozen(quoted), redemption_ids: held };
}

/** A quote's customer: the saga vouches for the account, whose order is already placed. */
const quoteCustomer = (cmd: QuoteLines): Customer => ({
  id: cmd.customer_id,
  firstOrder: false,
  staff: false,
  dietary: [],
});

/**
 * The quote's sources with only the automatic promotions anyone may have without a use being
 * counted: a quote reserves nothing, so it cannot count on a promotion with a global or
 * per-customer limit (the discount could pass the limit).
 */
function unlimitedOnly(src: QuoteSources, tx: Tx): QuoteSources {
  return {
    ...src,
    db: tx,
    automatic: async () =>
      (await src.automatic()).filter((p) => p.globalLimit === undefined && p.perCustomerLimit === undefined),
  };
}

/**
 * Prices lines now (a substitute proposed while picking): no coupons, no delivery fee, nothing
 * reserved, so a redelivered command simply prices again. The reply names the quote either way.
 */
async function quoteNow(deps: PricingSagaDeps, cmd: QuoteLines, tx: Tx): Promise<Answer> {
  const body = { lines: cmd.lines, location: cmd.location, coupon_codes: [], delivery_fee_vnd: 0 };
  const result = await priced(deps, unlimitedOnly(deps.sources, tx), body, quoteCustomer(cmd));
  if ('refusal' in result) return { ...result.refusal, quote_id: cmd.quote_id };
  return { outcome: 'done', quote_id: cmd.quote_id, quote: frozen(result.quoted) };
}

/** The order's redemptions among `ids`; another order's count as missing. */
async function ofOrder(deps: PricingSagaDeps, cmd: Settle, tx: Tx): Promise<Map<string, RedemptionRow>> {
  const rows = await deps.redemptions.getMany(tx, cmd.redemption_ids);
  return new Map(rows.filter((r) => r.order_id === cmd.order_id).map((r) => [r.id, r]));
}

/** Why `r` cannot be committed now, or undefined when it can (or already is). */
function commitRefusal(id: string, r: RedemptionRow | undefined, now: Date): Answer | undefined {
  if (!r) return missing(id);
  if (r.state === 'released') return released(id);
  if (r.state === 'expired') return expired(id);
  if (r.state === 'reserved' && Date.parse(r.expires_at) <= now.getTime()) return expired(id);
  return undefined;
}

/**
 * Commits every use (each emits coupon.redeemed once). All are checked first, so a refusal
 * normally leaves all of them as they were; already committed is done.
 */
async function commit(deps: PricingSagaDeps, cmd: Settle, tx: Tx): Promise<Answer> {
  const found = await ofOrder(deps, cmd, tx);
  const now = (deps.now ?? (() => new Date()))();
  for (const id of cmd.redemption_ids) {
    const refusal = commitRefusal(id, found.get(id), now);
    if (refusal) return refusal;
  }
  for (const id of cmd.redemption_ids) {
    const result = await deps.redemptions.commit(id, cmd.order_id);
    if (result.kind === 'not-found') return missing(id);
    if (result.kind === 'conflict')
      return result.redemption.state === 'released' ? released(id) : expired(id);
  }
  return { ...DONE, redemption_ids: cmd.redemption_ids };
}

/**
 * Release: done whenever nothing stays held, i.e. released now or before, never held, or lapsed.
 * A checkout's compensation only undoes holds: it is refused when a use is committed (checked
 * before any is released). With `committed` (a confirmed order cancelled before picking) committed
 * uses are given back too, so they count no more; a use already released is not given back again.
 */
async function release(deps: PricingSagaDeps, cmd: Release, tx: Tx): Promise<Answer> {
  const found = await ofOrder(deps, cmd, tx);
  const heldOnly = cmd.committed !== true;
  const settled = cmd.redemption_ids.find((id) => found.get(id)?.state === 'committed');
  if (heldOnly && settled) return committed(settled);
  for (const id of cmd.redemption_ids) {
    if (!found.has(id)) continue;
    const result = await deps.redemptions.release(id, { heldOnly });
    if (result.kind === 'conflict') return committed(id);
  }
  return { ...DONE, redemption_ids: cmd.redemption_ids };
}

/** Carries out one command and says how it went (throws only on a transient failure). */
function answer(deps: PricingSagaDeps, cmd: Command, event: TuoiCloudEvent, tx: Tx): Promise<Answer> {
  switch (cmd.action) {
    case 'price':
      return price(deps, cmd, event, tx);
    case 'quote':
      return quoteNow(deps, cmd, tx);
    case 'commit':
      return commit(deps, cmd, tx);
    case 'release':
      return release(deps, cmd, tx);
  }
}

/**
 * The pricing-requested handler. The reply's id derives from the command's, so a command re-run
 * after a failed consumer transaction replies under the same id and the order function drops it.
 */
export function pricingSagaHandler(deps: PricingSagaDeps): EventHandler {
  return sagaReplier(pricingReplied, deps.schema, (event, tx) =>
    answer(deps, event.data as Command, event, tx),
  );
}
