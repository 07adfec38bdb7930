/**
 * Inventory's step of the checkout saga: a stock-requested command reserves an order's stock
 * (through the batcher, so saga and HTTP buyers of a hot SKU share group commits), commits it,
 * releases it, or puts units of a committed reservation back on the shelf (restock), and answers
 * with exactly one stock reply, emitted in the consumer's transaction. A reservation commits in its
 * batch's transaction first; a commit, release or restock runs in the consumer's transaction, with
 * its reply. Every action is idempotent by reservation id (a restock by its restock id too), so a
 * redelivered command does the same thing once and produces the same reply id. Expected refusals
 * are replies; a broken database throws (5xx, the broker retries) and never becomes a refusal.
 */
import { stockReplied, stockRequested, type DataOf, type TuoiCloudEvent } from '../../events';
import type { Tx } from '../shared/db';
import type { FieldError } from '../shared/errors';
import type { EventHandler } from '../shared/eventing/consumer';
import { sagaReplier } from '../shared/eventing/saga-reply';
import { requestHash, type ReserveOutcome, type ReserveRequest, type Shortfall } from './domain';
import type { CloseResult, Reservations, RestockResult } from './ports';

type Command = DataOf<typeof stockRequested>;
type Reserve = Extract<Command, { action: 'reserve' }>;
type Restock = Extract<Command, { action: 'restock' }>;
type Reply = DataOf<typeof stockReplied>;
/** A reply before it is stamped with the command's order, reservation and the time. */
type Answer = Pick<Reply, 'outcome' | 'reason' | 'shortfall' | 'restock_id' | 'restocked'>;

/** What the saga handler needs: the batcher's submit, closing and restocking reservations, the outbox's schema. */
export interface StockSagaDeps {
  /** Submits a reservation to the batcher (group commit). */
  reserve(req: ReserveRequest): Promise<ReserveOutcome>;
  /**
   * Reservations closed or restocked inside `tx` (the consumer's): no second connection is taken
   * while the consumer holds one, and the commit, release or restock exists iff its reply does.
   */
  reservationsIn(tx: Tx): Pick<Reservations, 'close' | 'restock'>;
  schema: string;
}

/** Most SKUs a reason names; the rest are counted (a reason's message is at most 500 characters). */
const NAMED = 5;

const DONE: Answer = { outcome: 'done' };
const refused = (code: string, en: string, vi: string, shortfall?: Reply['shortfall']): Answer => ({
  outcome: 'refused',
  reason: { code, message: { en, vi } },
  ...(shortfall ? { shortfall } : {}),
});

/** "A, B, C and 2 more" in either language. */
function naming(items: string[], lang: 'en' | 'vi'): string {
  const named = items.slice(0, NAMED).join(', ');
  const more = items.length - NAMED;
  if (more <= 0) return named;
  return lang === 'en' ? `${named} and ${more} more` : `${named} và ${more} mã khác`;
}

/** What is wrong with a reserve command's lines before any stock is looked at: a SKU listed twice. */
function duplicateSkus(lines: Reserve['lines']): string[] {
  const seen = new Set<string>();
  return [...new Set(lines.filter((l) => seen.has(l.sku) || !seen.add(l.sku)).map((l) => l.sku))];
}

/** The domain's shortfall in the contract's words (`requested` is what the order wanted). */
const shortfallOf = (lines: Shortfall[]) =>
  lines.map((l) => ({ sku: l.sku, wanted: l.requested, available: Math.max(0, l.available) }));

/** The refusal of invalid lines: an unknown location, or SKUs inventory does not (or no longer) sell. */
function invalidLines(cmd: Reserve, errors: FieldError[]): Answer {
  const skus = errors.flatMap((e) => {
    const j = /^\/lines\/(\d+)\/sku$/.exec(e.field)?.[1];
    const line = j === undefined ? undefined : cmd.lines[Number(j)];
    return line ? [line.sku] : [];
  });
  const place = errors.some((e) => e.field === '/location');
  const en = [
    ...(place ? [`no location ${cmd.location}`] : []),
    ...(skus.length ? [`not sold: ${naming(skus, 'en')}`] : []),
  ];
  const vi = [
    ...(place ? [`không có địa điểm ${cmd.location}`] : []),
    ...(skus.length ? [`không còn bán: ${naming(skus, 'vi')}`] : []),
  ];
  return refused(
    'invalid_lines',
    `The order's lines cannot be reserved (${en.join('; ') || 'invalid request'})`,
    `Không thể giữ hàng cho đơn (${vi.join('; ') || 'yêu cầu không hợp lệ'})`,
  );
}

/** A reservation outcome as the saga's answer. */
function reserveAnswer(cmd: Reserve, outcome: ReserveOutcome): Answer {
  switch (outcome.kind) {
    case 'held':
      return DONE;
    case 'refused': {
      const short = outcome.shortfall.map((s) => s.sku);
      return refused(
        'out_of_stock',
        `Not enough stock for ${naming(short, 'en')}`,
        `Không đủ hàng cho ${naming(short, 'vi')}`,
        shortfallOf(outcome.shortfall),
      );
    }
    case 'invalid':
      return invalidLines(cmd, outcome.errors);
    case 'conflict':
      return refused(
        'reservation_conflict',
        `Reservation ${cmd.reservation_id} already exists with a different request`,
        `Mã giữ hàng ${cmd.reservation_id} đã được dùng cho một yêu cầu khác`,
      );
    case 'released':
      // The order already gave this step up and released it: nothing is held.
      return refused(
        'reservation_released',
        `Reservation ${cmd.reservation_id} was released before it was made; nothing is held`,
        `Mã giữ hàng ${cmd.reservation_id} đã được huỷ trước khi giữ hàng; không có hàng nào bị giữ`,
      );
  }
}

/** Reserves the order's lines at its store under owner `order:<id>`, through the batcher. */
async function reserve(deps: StockSagaDeps, cmd: Reserve, event: TuoiCloudEvent): Promise<Answer> {
  const dups = duplicateSkus(cmd.lines);
  if (dups.length)
    return refused(
      'invalid_lines',
      `Each SKU may appear on one line only: ${naming(dups, 'en')}`,
      `Mỗi mã chỉ được có trên một dòng: ${naming(dups, 'vi')}`,
    );
  // Hashed like the HTTP route's requests, so a redelivery (or a re-sent command) replays the hold.
  const request = {
    owner: `order:${cmd.order_id}`,
    location: cmd.location,
    lines: cmd.lines,
    ttl_seconds: cmd.ttl_seconds,
    allow_partial: false,
  };
  const outcome = await deps.reserve({
    id: cmd.reservation_id,
    owner: request.owner,
    location: request.location,
    lines: request.lines,
    ttlSeconds: request.ttl_seconds,
    allowPartial: false,
    hash: requestHash(request),
    actor: event.source,
    correlationId: cmd.order_id,
  });
  return reserveAnswer(cmd, outcome);
}

/** Commit: done once committed (now or before); refused when the hold lapsed, was released or never was. */
function commitAnswer(id: string, closed: CloseResult): Answer {
  if (closed.outcome === 'missing')
    return refused(
      'reservation_missing',
      `There is no reservation ${id} to commit`,
      `Không có giữ hàng ${id} để xác nhận`,
    );
  if (closed.outcome !== 'refused') return DONE;
  if (closed.reservation.status === 'expired')
    return refused(
      'reservation_expired',
      `Reservation ${id} expired before the order was paid; its stock went back on sale`,
      `Giữ hàng ${id} đã hết hạn trước khi đơn được thanh toán; hàng đã được trả lại để bán`,
    );
  return refused(
    'reservation_released',
    `Reservation ${id} was already released; it cannot be committed`,
    `Giữ hàng ${id} đã được huỷ; không thể xác nhận`,
  );
}

/**
 * Release (a compensation): done whenever nothing stays held, i.e. released now or before, never
 * held, or lapsed; refused only once committed (a paid order's stock is not put back this way).
 */
function releaseAnswer(id: string, closed: CloseResult): Answer {
  if (closed.outcome !== 'refused' || closed.reservation.status !== 'committed') return DONE;
  return refused(
    'reservation_committed',
    `Reservation ${id} is already committed; it cannot be released`,
    `Giữ hàng ${id} đã được xác nhận; không thể huỷ`,
  );
}

/** The English and Vietnamese words for a reservation's state, as a restock refusal names it. */
const STATE = {
  held: { en: 'still held (the order is not confirmed)', vi: 'vẫn đang được giữ (đơn chưa được xác nhận)' },
  released: { en: 'released', vi: 'đã được huỷ' },
  expired: { en: 'expired', vi: 'đã hết hạn' },
  committed: { en: 'committed', vi: 'đã được xác nhận' },
} as const;

/** A restock's result as the saga's answer: done with the units put back, or a bilingual refusal. */
function restockAnswer(cmd: Restock, result: RestockResult): Answer {
  const id = cmd.reservation_id;
  switch (result.outcome) {
    case 'done':
    case 'replayed':
      return { ...DONE, restocked: result.restocked };
    case 'missing':
      return refused(
        'not_committed',
        `There is no committed reservation ${id} to restock`,
        `Không có giữ hàng đã xác nhận ${id} để nhập lại kho`,
      );
    case 'not_committed':
      return refused(
        'not_committed',
        `Reservation ${id} is ${STATE[result.status].en}, not committed; nothing can be restocked`,
        `Giữ hàng ${id} ${STATE[result.status].vi}, chưa được xác nhận; không thể nhập lại kho`,
      );
    case 'conflict':
      return refused(
        'restock_conflict',
        `Restock ${cmd.restock_id} of reservation ${id} was already made with different lines`,
        `Lần nhập lại kho ${cmd.restock_id} của giữ hàng ${id} đã được thực hiện với các dòng khác`,
      );
    case 'invalid': {
      const en = [
        ...(result.duplicated.length ? [`listed twice: ${naming(result.duplicated, 'en')}`] : []),
        ...(result.notReserved.length ? [`not on the reservation: ${naming(result.notReserved, 'en')}`] : []),
      ];
      const vi = [
        ...(result.duplicated.length ? [`có trên nhiều dòng: ${naming(result.duplicated, 'vi')}`] : []),
        ...(result.notReserved.length
          ? [`không có trong giữ hàng: ${naming(result.notReserved, 'vi')}`]
          : []),
      ];
      return refused(
        'invalid_lines',
        `The lines cannot be restocked (${en.join('; ')})`,
        `Không thể nhập lại kho các dòng này (${vi.join('; ')})`,
      );
    }
  }
}

/** Puts units of a committed reservation back into the lots they came from, once per restock id. */
async function restock(deps: StockSagaDeps, cmd: Restock, event: TuoiCloudEvent, tx: Tx): Promise<Answer> {
  const result = await deps
    .reservationsIn(tx)
    .restock(
      { reservationId: cmd.reservation_id, restockId: cmd.restock_id, lines: cmd.lines },
      { actor: event.source, correlationId: cmd.order_id },
    );
  return { ...restockAnswer(cmd, result), restock_id: cmd.restock_id };
}

/** Carries out one command and says how it went (throws only on a transient failure). */
async function answer(deps: StockSagaDeps, cmd: Command, event: TuoiCloudEvent, tx: Tx): Promise<Answer> {
  if (cmd.action === 'reserve') return reserve(deps, cmd, event);
  if (cmd.action === 'restock') return restock(deps, cmd, event, tx);
  const to = cmd.action === 'commit' ? 'committed' : 'released';
  const closed = await deps.reservationsIn(tx).close(cmd.reservation_id, to, {
    actor: event.source,
    correlationId: cmd.order_id,
    markUnknown: true,
  });
  return cmd.action === 'commit'
    ? commitAnswer(cmd.reservation_id, closed)
    : releaseAnswer(cmd.reservation_id, closed);
}

/**
 * The stock-requested handler. The reply's id derives from the command's, so a command re-run
 * after a failed consumer transaction replies under the same id and the order function drops it.
 */
export function stockSagaHandler(deps: StockSagaDeps): EventHandler {
  return sagaReplier(stockReplied, deps.schema, async (event, tx) => {
    const cmd = event.data as Command;
    return { ...(await answer(deps, cmd, event, tx)), reservation_id: cmd.reservation_id };
  });
}
