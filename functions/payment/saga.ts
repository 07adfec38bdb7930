/**
 * Payment's step of the checkout saga: a payment-requested command creates the order's payment,
 * captures its final amount, voids it or refunds part of it through the same use cases as the
 * HTTP routes, and is answered with exactly one payment reply, emitted in the consumer's
 * transaction. The use cases commit in their own units of work and are idempotent by payment id,
 * operation and refund id, so a redelivered command does the same thing once and replies under the
 * same id. Refusals on the merits (rules in domain.ts, a provider's `RailRefusedError`) are
 * replies; anything else (the database, a provider outage) throws: the consumer answers 5xx, the
 * broker redelivers, and the operation recorded with its idempotency key is sent again with it.
 */
import { paymentReplied, paymentRequested, type DataOf } from '../../events';
import type { EventHandler } from '../shared/eventing/consumer';
import { sagaReplier } from '../shared/eventing/saga-reply';
import { formatVnd } from '../shared/words';
import { statusOf, type PaymentStatus } from './domain';
import type { PaymentRow } from './payment-store';
import type { Outcome, PaymentUseCases } from './payments';
import type { Rail, RailName } from './rail';

type Command = DataOf<typeof paymentRequested>;
type Create = Extract<Command, { action: 'create' }>;
type Capture = Extract<Command, { action: 'capture' }>;
type Void = Extract<Command, { action: 'void' }>;
type Refund = Extract<Command, { action: 'refund' }>;
type Reply = DataOf<typeof paymentReplied>;
/** A reply before it is stamped with the command's order, action, payment and the time. */
type Answer = Omit<Reply, 'order_id' | 'action' | 'payment_id' | 'at'>;
type Refused = Extract<Outcome, { kind: 'refused' }>['refusal'];

/** What the saga handler needs: the payment use cases, the rails' limits, the outbox's schema. */
export interface PaymentSagaDeps {
  payments: Pick<PaymentUseCases, 'create' | 'capture' | 'void' | 'refund' | 'get' | 'refunds'>;
  rails: ReadonlyMap<RailName, Pick<Rail, 'holds' | 'maxAmountVnd'>>;
  schema: string;
}

const refused = (code: string, en: string, vi: string, extra: Answer = { outcome: 'refused' }): Answer => ({
  ...extra,
  outcome: 'refused',
  reason: { code, message: { en, vi } },
});

const RAIL_NAME: Record<RailName, { en: string; vi: string }> = {
  momo: { en: 'MoMo', vi: 'MoMo' },
  vnpay: { en: 'VNPay', vi: 'VNPay' },
  stripe: { en: 'Card payment (Stripe)', vi: 'Thanh toán thẻ (Stripe)' },
  cod: { en: 'Cash on delivery', vi: 'Thanh toán khi nhận hàng' },
};

const STATUS_VI: Record<PaymentStatus, string> = {
  pending: 'đang chờ thanh toán',
  requires_action: 'đang chờ khách xác nhận',
  authorised: 'đã được giữ tiền',
  partially_captured: 'đã thu một phần',
  captured: 'đã thu tiền',
  partially_refunded: 'đã hoàn một phần',
  refunded: 'đã hoàn tiền',
  voided: 'đã huỷ',
  failed: 'không thành công',
  expired: 'đã hết hạn',
};

/** Đồng as each language writes them: 50,000,000 ₫ and 50.000.000 ₫. */
const vnd = (n: number) => ({ en: formatVnd(n, 'en'), vi: formatVnd(n, 'vi') });

/** A provider's code in the contract's shape (`^[a-z][a-z0-9_]{0,63}$`): MoMo's `1006` is `momo_1006`. */
export function reasonCode(code: string, rail: RailName): string {
  const clean = code
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[a-z]/.test(clean) ? clean : `${rail}_${clean || 'refused'}`).slice(0, 64);
}

const WHAT = {
  create: { en: 'the payment', vi: 'giao dịch' },
  capture: { en: 'the capture', vi: 'yêu cầu thu tiền' },
  void: { en: 'the cancellation', vi: 'yêu cầu huỷ' },
  refund: { en: 'the refund', vi: 'yêu cầu hoàn tiền' },
};

/** A refusal the provider made (or one this file has no words of its own for). */
function declined(action: Command['action'], rail: RailName, code: string, extra?: Answer): Answer {
  const c = reasonCode(code, rail);
  const name = RAIL_NAME[rail];
  return refused(
    c,
    `${name.en} refused ${WHAT[action].en} (${c})`,
    `${name.vi} từ chối ${WHAT[action].vi} (${c})`,
    extra,
  );
}

const noSuchPayment = (id: string) =>
  refused('not_found', `There is no payment ${id}`, `Không có giao dịch thanh toán ${id}`);

/** A payment that exists, read after its use case refused (it was there a moment ago). */
async function read(deps: PaymentSagaDeps, id: string): Promise<PaymentRow> {
  const row = await deps.payments.get(id);
  if (!row) throw new Error(`payment ${id} vanished after its use case read it`);
  return row;
}

// ------------------------------------------------------------------------------------ create

/** What the customer does next: nothing once the payment no longer waits on them. */
function nextStep(row: PaymentRow): Answer {
  const waiting = row.stage === 'pending' || row.stage === 'requires_action';
  const next = waiting ? row.next_action : null;
  // The client secret stays out of events: the customer reads it from GET /payments/{id}.
  if (next?.kind === 'redirect') return { outcome: 'done', next_action: 'redirect', redirect_url: next.url };
  if (next?.kind === 'client_secret') return { outcome: 'done', next_action: 'client_secret' };
  return { outcome: 'done', next_action: 'none' };
}

/** A created (or replayed) payment: done with its status, refused when the provider declined it. */
function created(row: PaymentRow): Answer {
  const status = statusOf(row);
  if (row.stage === 'failed')
    return declined('create', row.rail, row.failure?.code ?? 'declined', { outcome: 'refused', status });
  return { ...nextStep(row), status };
}

/** Creates the payment exactly as POST /payments does (idempotent by payment id). */
async function create(deps: PaymentSagaDeps, cmd: Create): Promise<Answer> {
  const out = await deps.payments.create({
    id: cmd.payment_id,
    order_id: cmd.order_id,
    customer_id: cmd.customer_id,
    rail: cmd.rail,
    amount_vnd: cmd.amount_vnd,
    return_url: cmd.return_url,
    lang: cmd.lang,
  });
  const name = RAIL_NAME[cmd.rail];
  switch (out.kind) {
    case 'ok':
      return created(out.value);
    case 'conflict':
      return refused(
        'conflict',
        `Payment ${cmd.payment_id} already exists with a different request`,
        `Mã thanh toán ${cmd.payment_id} đã được dùng cho một yêu cầu khác`,
      );
    case 'not_found':
      throw new Error('creating a payment never answers not_found');
    case 'refused':
      return createRefusal(deps, cmd, out.refusal, name);
  }
}

function createRefusal(
  deps: PaymentSagaDeps,
  cmd: Create,
  refusal: Refused,
  name: { en: string; vi: string },
): Answer {
  const max = deps.rails.get(cmd.rail)?.maxAmountVnd;
  if (refusal.code === 'amount' && max !== undefined) {
    const m = vnd(max);
    return refused(
      'amount',
      `${name.en} takes at most ${m.en} per payment`,
      `${name.vi} chỉ nhận tối đa ${m.vi} mỗi giao dịch`,
    );
  }
  if (refusal.code === 'rail_unavailable')
    return refused('rail_unavailable', `${name.en} is not offered here`, `${name.vi} hiện không khả dụng`);
  return declined('create', cmd.rail, refusal.code);
}

// ------------------------------------------------------------------------------------ capture

/** Why a capture was refused, with the payment's amounts as they are now. */
async function captureRefusal(deps: PaymentSagaDeps, cmd: Capture, code: string): Promise<Answer> {
  const row = await read(deps, cmd.payment_id);
  const status = statusOf(row);
  const holds = deps.rails.get(row.rail)?.holds ?? true;
  const asked = vnd(cmd.amount_vnd);
  if (code === 'not_authorised')
    return refused(
      'not_authorised',
      `The payment is ${status.replace(/_/g, ' ')}: nothing is ${holds ? 'held' : 'charged'} to capture`,
      `Khoản thanh toán ${STATUS_VI[status]}: không có tiền ${holds ? 'được giữ' : 'đã thu'} để thu`,
      { outcome: 'refused', status },
    );
  if (code === 'over_hold') {
    const have = vnd(holds ? row.authorisedVnd : row.capturedVnd);
    return refused(
      'over_hold',
      holds
        ? `Only ${have.en} is held; ${asked.en} cannot be captured`
        : `Only ${have.en} was charged; ${asked.en} cannot be taken`,
      holds
        ? `Chỉ giữ ${have.vi}; không thể thu ${asked.vi}`
        : `Chỉ đã thu ${have.vi}; không thể thu ${asked.vi}`,
      { outcome: 'refused', status },
    );
  }
  return declined('capture', row.rail, code, { outcome: 'refused', status });
}

/**
 * Captures as POST /payments/:id/capture does: at most the hold, once. On a rail with no hold
 * (VNPay) the estimate was charged and the difference is refunded; what the order keeps is then
 * the amount asked, which `captured_vnd` says.
 */
async function capture(deps: PaymentSagaDeps, cmd: Capture): Promise<Answer> {
  const out = await deps.payments.capture(cmd.payment_id, cmd.amount_vnd);
  switch (out.kind) {
    case 'ok': {
      const row = out.value;
      const holds = deps.rails.get(row.rail)?.holds ?? true;
      return {
        outcome: 'done',
        status: statusOf(row),
        captured_vnd: holds ? row.capturedVnd : cmd.amount_vnd,
        ...(!holds && row.refundedVnd > 0 ? { refunded_vnd: row.refundedVnd } : {}),
      };
    }
    case 'not_found':
      return noSuchPayment(cmd.payment_id);
    case 'conflict':
      return refused(
        'conflict',
        `Payment ${cmd.payment_id} was already captured for another amount`,
        `Giao dịch ${cmd.payment_id} đã được yêu cầu thu với số tiền khác`,
      );
    case 'refused':
      return captureRefusal(deps, cmd, out.refusal.code);
  }
}

// ------------------------------------------------------------------------------------ void

/**
 * Void (a compensation): done whenever nothing stays held, i.e. released now or before, a
 * payment that failed or expired, one that was never created, or one the customer has not
 * approved (MoMo cannot cancel its page; it lapses). Refused `captured` once money was taken:
 * the saga refunds instead.
 */
async function voidPayment(deps: PaymentSagaDeps, cmd: Void): Promise<Answer> {
  const out = await deps.payments.void(cmd.payment_id);
  if (out.kind === 'ok') return { outcome: 'done', status: statusOf(out.value) };
  if (out.kind === 'not_found') return { outcome: 'done' };
  const row = await read(deps, cmd.payment_id);
  const status = statusOf(row);
  if (row.stage === 'captured')
    return refused(
      'captured',
      'The payment was already captured: it can only be refunded',
      'Khoản thanh toán đã được thu tiền: chỉ có thể hoàn tiền',
      { outcome: 'refused', status },
    );
  if (['voided', 'failed', 'expired', 'pending', 'requires_action'].includes(row.stage))
    return { outcome: 'done', status };
  return declined('void', row.rail, out.kind === 'refused' ? out.refusal.code : 'conflict', {
    outcome: 'refused',
    status,
  });
}

// ------------------------------------------------------------------------------------ refund

/** Why a refund was refused, with what is left to refund now (refunds in flight count). */
async function refundRefusal(deps: PaymentSagaDeps, cmd: Refund, code: string): Promise<Answer> {
  const row = await read(deps, cmd.payment_id);
  const status = statusOf(row);
  const extra: Answer = { outcome: 'refused', status, refund_id: cmd.refund_id };
  if (code === 'not_captured')
    return refused(
      'not_captured',
      `The payment is ${status.replace(/_/g, ' ')}: nothing was captured to refund`,
      `Khoản thanh toán ${STATUS_VI[status]}: chưa thu tiền nên không có gì để hoàn`,
      extra,
    );
  if (code === 'over_captured') {
    const inFlight = (await deps.payments.refunds(row.id))
      .filter((r) => r.status === 'started' || r.status === 'pending')
      .reduce((t, r) => t + r.amount_vnd, 0);
    const left = vnd(Math.max(0, row.capturedVnd - row.refundedVnd - inFlight));
    const asked = vnd(cmd.amount_vnd);
    return refused(
      'over_captured',
      `Only ${left.en} of what was captured is left to refund; ${asked.en} cannot be refunded`,
      `Chỉ còn ${left.vi} đã thu có thể hoàn; không thể hoàn ${asked.vi}`,
      extra,
    );
  }
  return declined('refund', row.rail, code, extra);
}

/** Refunds as POST /payments/:id/refunds does (idempotent by the refund id). */
async function refund(deps: PaymentSagaDeps, cmd: Refund): Promise<Answer> {
  const out = await deps.payments.refund(cmd.payment_id, {
    id: cmd.refund_id,
    amount_vnd: cmd.amount_vnd,
    reason: cmd.reason,
  });
  switch (out.kind) {
    case 'ok':
      return {
        outcome: 'done',
        status: statusOf(await read(deps, cmd.payment_id)),
        refund_id: out.value.id,
        refunded_vnd: out.value.amount_vnd,
      };
    case 'not_found':
      return noSuchPayment(cmd.payment_id);
    case 'conflict':
      return refused(
        'conflict',
        `Refund ${cmd.refund_id} already exists with a different request`,
        `Mã hoàn tiền ${cmd.refund_id} đã được dùng cho một yêu cầu khác`,
        { outcome: 'refused', refund_id: cmd.refund_id },
      );
    case 'refused':
      return refundRefusal(deps, cmd, out.refusal.code);
  }
}

/** Carries out one command and says how it went (throws only on a transient failure). */
function answer(deps: PaymentSagaDeps, cmd: Command): Promise<Answer> {
  switch (cmd.action) {
    case 'create':
      return create(deps, cmd);
    case 'capture':
      return capture(deps, cmd);
    case 'void':
      return voidPayment(deps, cmd);
    case 'refund':
      return refund(deps, cmd);
  }
}

/**
 * The payment-requested handler. The reply's id derives from the command's, so a command re-run
 * after a failed consumer transaction replies under the same id and the order function drops it.
 */
export function paymentSagaHandler(deps: PaymentSagaDeps): EventHandler {
  return sagaReplier(paymentReplied, deps.schema, async (event) => {
    const cmd = event.data as Command;
    return { ...(await answer(deps, cmd)), payment_id: cmd.payment_id };
  });
}
