/**
 * Payments as pure rules: a payment's status follows from its amounts (held, captured, refunded)
 * and how it ended; a provider's report is applied only when it moves the payment forward, so
 * notifications that arrive late, twice or out of order (and the browser's redirect racing the
 * server notification) converge on one state; capture, void and refund are decided here before
 * any provider is called; idempotency keys are derived from (payment, operation, attempt), so a
 * retry after a timeout reuses the key and can never move money twice. No I/O, no clock.
 */
import { createHash } from 'node:crypto';
import type { RailState, RailStatus } from './rail';

/** A payment's status as the API shows it. */
export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'authorised',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
  'expired',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What the rules read of a payment. */
export interface PaymentFacts {
  /** What the order asked for (the hold on rails that hold; the charge on those that do not). */
  amountVnd: number;
  /** The provider's stage: how far the money has gone. */
  stage: RailStatus;
  authorisedVnd: number;
  capturedVnd: number;
  refundedVnd: number;
}

/** How far along a provider stage is; voided, failed and expired end a payment before capture. */
const STAGE_RANK: Record<RailStatus, number> = {
  pending: 0,
  requires_action: 1,
  authorised: 2,
  captured: 3,
  voided: 4,
  failed: 4,
  expired: 4,
};

/** Stages nothing follows (a captured payment can still be refunded: refunds are amounts). */
const ENDED: ReadonlySet<RailStatus> = new Set(['voided', 'failed', 'expired']);

/** The status shown for a payment's facts. */
export function statusOf(p: PaymentFacts): PaymentStatus {
  if (p.stage !== 'captured') return p.stage;
  if (p.refundedVnd > 0) return p.refundedVnd >= p.capturedVnd ? 'refunded' : 'partially_refunded';
  return p.capturedVnd < p.amountVnd ? 'partially_captured' : 'captured';
}

/**
 * Applies a provider's report: the stage only moves forward (an `authorised` arriving after
 * `captured` changes nothing), amounts only grow, and an ended payment stays ended. Returns the
 * new facts, or undefined when the report changes nothing.
 */
export function applyReport(p: PaymentFacts, r: RailState): PaymentFacts | undefined {
  const stageMoves =
    !ENDED.has(p.stage) && p.stage !== 'captured' && STAGE_RANK[r.status] > STAGE_RANK[p.stage];
  // A hold can lapse or be released only before capture; after capture, only refunds move.
  const stage = stageMoves ? r.status : p.stage;
  const capturedVnd = stage === 'captured' ? Math.max(p.capturedVnd, r.capturedVnd) : p.capturedVnd;
  const next: PaymentFacts = {
    ...p,
    stage,
    // What was held is a fact of the past: a late "authorised" still records it.
    authorisedVnd: r.status === 'authorised' ? Math.max(p.authorisedVnd, r.authorisedVnd) : p.authorisedVnd,
    capturedVnd,
    // Refunds only grow, and never past what was captured.
    refundedVnd: Math.max(p.refundedVnd, Math.min(r.refundedVnd, capturedVnd)),
  };
  const changed =
    next.stage !== p.stage ||
    next.authorisedVnd !== p.authorisedVnd ||
    next.capturedVnd !== p.capturedVnd ||
    next.refundedVnd !== p.refundedVnd;
  return changed ? next : undefined;
}

/** Why an operation is refused before any provider is asked. */
export type Refusal =
  | { code: 'not_authorised'; message: string }
  | { code: 'over_hold'; message: string }
  | { code: 'over_captured'; message: string }
  | { code: 'not_captured'; message: string }
  | { code: 'ended'; message: string }
  | { code: 'amount'; message: string };

const whole = (n: number) => Number.isSafeInteger(n) && n > 0;

/**
 * Whether `amountVnd` may be captured now: ≤ the hold, on an authorised payment. On a rail with
 * no hold (VNPay) the estimate was charged, so "capturing" less means refunding the difference:
 * allowed once, on a charged payment nothing was refunded from yet, up to what was charged.
 */
export function captureRefusal(p: PaymentFacts, amountVnd: number, holds = true): Refusal | undefined {
  if (!whole(amountVnd)) return { code: 'amount', message: 'The amount is whole đồng above 0' };
  if (!holds) {
    if (p.stage !== 'captured' || p.refundedVnd > 0)
      return { code: 'not_authorised', message: `The payment is ${statusOf(p)}, not charged` };
    if (amountVnd > p.capturedVnd)
      return {
        code: 'over_hold',
        message: `Only ${p.capturedVnd} ₫ was charged; ${amountVnd} ₫ cannot be taken`,
      };
    return undefined;
  }
  if (p.stage !== 'authorised')
    return { code: 'not_authorised', message: `The payment is ${statusOf(p)}, not authorised` };
  if (amountVnd > p.authorisedVnd)
    return {
      code: 'over_hold',
      message: `Only ${p.authorisedVnd} ₫ is held; ${amountVnd} ₫ cannot be captured`,
    };
  return undefined;
}

/** Whether the payment may be voided now (before capture, not ended). */
export function voidRefusal(p: PaymentFacts): Refusal | undefined {
  if (p.stage === 'captured')
    return { code: 'not_authorised', message: 'The payment was captured: refund it instead' };
  if (ENDED.has(p.stage)) return { code: 'ended', message: `The payment is already ${p.stage}` };
  return undefined;
}

/** Whether `amountVnd` may be refunded now (≤ what was captured and not yet refunded). */
export function refundRefusal(p: PaymentFacts, amountVnd: number): Refusal | undefined {
  if (!whole(amountVnd)) return { code: 'amount', message: 'The amount is whole đồng above 0' };
  if (p.stage !== 'captured')
    return { code: 'not_captured', message: `The payment is ${statusOf(p)}: nothing was captured to refund` };
  const left = p.capturedVnd - p.refundedVnd;
  if (amountVnd > left)
    return { code: 'over_captured', message: `Only ${left} ₫ of what was captured is left to refund` };
  return undefined;
}

/** The operations that move money, each with its own idempotency key space. */
export type Operation = 'authorise' | 'capture' | 'void' | 'refund' | 'status';

/**
 * The provider idempotency key of an operation: the same (payment, operation, attempt) always
 * gives the same key, so a retry after a timeout is recognised by the provider. 32 hex characters
 * fit every rail's limit (MoMo `requestId` ≤ 50, VNPay `vnp_RequestId` ≤ 32, Stripe ≤ 255).
 */
export function idempotencyKey(paymentId: string, operation: Operation, attempt: string | number): string {
  return createHash('sha256')
    .update(`${paymentId}\u0000${operation}\u0000${attempt}`)
    .digest('hex')
    .slice(0, 32);
}
