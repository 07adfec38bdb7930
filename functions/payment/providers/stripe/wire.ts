/**
 * Stripe's wire format both ways, as pure functions: our amounts checked against Stripe's VND limits,
 * the create/capture/refund parameters, PaymentIntent, Charge and Refund objects as our types, Stripe
 * error objects as our refusals, and the webhook signature check (stripe-node's own
 * `webhooks.constructEvent`). No I/O (adapter.ts does the calls); README.md cites each fact.
 */
import Stripe from 'stripe';
import {
  NotificationAuthError,
  NotificationFormatError,
  RailRefusedError,
  type AuthoriseRequest,
  type RailNotification,
  type RailState,
  type RailStatus,
  type RefundResult,
} from '../../rail';

/** Stripe amounts have at most 8 digits; VND is zero-decimal, so this is đồng. */
export const STRIPE_MAX_VND = 99_999_999;
/** US$0.50 equivalent is ≈ 13,000 ₫; 15,000 ₫ leaves room for the exchange rate to move. */
export const STRIPE_MIN_VND = 15_000;
/** Stripe's `constructEvent` default and ours: a signature older than this is refused. */
export const SIGNATURE_TOLERANCE_S = 300;

/** Throws RailRefusedError unless `amountVnd` is whole đồng within Stripe's limits (`min` for charges). */
export function checkAmount(amountVnd: number, min = STRIPE_MIN_VND): void {
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0)
    throw new RailRefusedError('stripe', 'amount_invalid', `amount must be whole đồng, got ${amountVnd}`);
  if (amountVnd < min)
    throw new RailRefusedError('stripe', 'amount_too_small', `${amountVnd} ₫ is below Stripe's ${min} ₫`);
  if (amountVnd > STRIPE_MAX_VND)
    throw new RailRefusedError('stripe', 'amount_too_large', `${amountVnd} ₫ is above ${STRIPE_MAX_VND} ₫`);
}

/** Stripe keys are at most 255 characters. */
export function checkIdempotencyKey(key: string): string {
  if (!key || key.length > 255)
    throw new RailRefusedError(
      'stripe',
      'idempotency_key_invalid',
      'idempotency key must be 1–255 characters',
    );
  return key;
}

/** The create parameters: a manual-capture card PaymentIntent in VND tagged with our ids. */
export function toCreateParams(req: AuthoriseRequest): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountVnd,
    currency: 'vnd',
    capture_method: 'manual',
    description: req.description.slice(0, 1000),
    metadata: { payment_id: req.paymentId, attempt_id: req.attemptId },
  };
}

/** Stripe's refund `reason` when ours names one of its three; the words always go in metadata. */
export function toRefundReason(reason: string): Stripe.RefundCreateParams.Reason | undefined {
  const r = reason.trim().toLowerCase();
  return r === 'duplicate' || r === 'fraudulent' || r === 'requested_by_customer' ? r : undefined;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);
const epoch = (v: unknown) => (typeof v === 'number' && v > 0 ? new Date(v * 1000) : undefined);

/** A PaymentIntent status in our words; a decline leaves `requires_payment_method` with an error. */
export function piStatus(pi: Json): RailStatus {
  switch (pi.status) {
    case 'requires_action':
      return 'requires_action';
    case 'requires_capture':
      return 'authorised';
    case 'succeeded':
      return 'captured';
    case 'canceled':
      return pi.cancellation_reason === 'expired' ? 'expired' : 'voided';
    case 'requires_payment_method':
      return pi.last_payment_error ? 'failed' : 'pending';
    default:
      return 'pending'; // requires_confirmation, processing
  }
}

/** A PaymentIntent (its `latest_charge` maybe expanded) as our state. */
export function fromPaymentIntent(body: unknown, now: Date): RailState {
  const pi = obj(body);
  const ref = str(pi.id);
  if (!ref || !str(pi.status))
    throw new RailRefusedError('stripe', 'bad_answer', 'no PaymentIntent id/status');
  const charge = obj(pi.latest_charge);
  const error = obj(pi.last_payment_error);
  const status = piStatus(pi);
  return {
    providerRef: ref,
    status,
    authorisedVnd: int(pi.amount_capturable),
    capturedVnd: int(pi.amount_received),
    refundedVnd: int(charge.amount_refunded),
    ...(status === 'failed'
      ? {
          failure: {
            code: str(error.decline_code) ?? str(error.code) ?? 'payment_failed',
            message: str(error.message) ?? 'payment failed',
          },
        }
      : {}),
    ...(status === 'authorised' && epoch(obj(obj(charge.payment_method_details).card).capture_before)
      ? { holdExpiresAt: epoch(obj(obj(charge.payment_method_details).card).capture_before) }
      : {}),
    at: epoch(pi.canceled_at) ?? now,
  };
}

/** A Charge (the `charge.refunded` object) as our state: captured, with what is refunded so far. */
export function fromCharge(body: unknown, now: Date): RailState {
  const ch = obj(body);
  return {
    providerRef: str(ch.payment_intent),
    status: ch.captured === false ? 'authorised' : 'captured',
    authorisedVnd: 0,
    capturedVnd: int(ch.amount_captured),
    refundedVnd: int(ch.amount_refunded),
    at: now,
  };
}

/** A Refund object as our result. */
export function fromRefund(body: unknown): RefundResult {
  const re = obj(body);
  const ref = str(re.id);
  if (!ref) throw new RailRefusedError('stripe', 'bad_answer', 'refund answer without an id');
  const status = re.status === 'succeeded' ? 'succeeded' : re.status === 'pending' ? 'pending' : 'failed';
  return {
    refundRef: ref,
    status: re.status === 'requires_action' ? 'pending' : status,
    amountVnd: int(re.amount),
    ...(status === 'failed'
      ? {
          failure: {
            code: str(re.failure_reason) ?? String(re.status),
            message: `refund ${String(re.status)}`,
          },
        }
      : {}),
  };
}

/**
 * Verifies `Stripe-Signature` over the raw body (any `v1` may match, at most `toleranceS` old, as of
 * `receivedAt`) and returns the parsed event; throws NotificationAuthError.
 */
export function verifyStripeEvent(
  rawBody: string,
  header: string | undefined,
  secret: string | undefined,
  opts: { toleranceS?: number; receivedAt?: Date } = {},
): Json {
  if (!secret) throw new NotificationAuthError('stripe', 'STRIPE_WEBHOOK_SECRET is not configured');
  if (!header) throw new NotificationAuthError('stripe', 'no Stripe-Signature header');
  try {
    return obj(
      Stripe.webhooks.constructEvent(
        rawBody,
        header,
        secret,
        opts.toleranceS ?? SIGNATURE_TOLERANCE_S,
        undefined,
        opts.receivedAt ? Math.floor(opts.receivedAt.getTime()) : undefined,
      ),
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new NotificationAuthError('stripe', err.message);
    throw new NotificationFormatError('stripe', `body is not a Stripe event: ${(err as Error).message}`);
  }
}

/** The event types parsed: every `payment_intent.*` (object: PaymentIntent) and `charge.refunded`. */
export const HANDLED_EVENTS = /^payment_intent\.|^charge\.refunded$/;

/** A verified event as our notification; throws NotificationFormatError for other shapes. */
export function fromStripeEvent(event: Json, now: Date): RailNotification {
  const eventId = str(event.id);
  const type = str(event.type);
  const object = obj(obj(event.data).object);
  if (!eventId || !type) throw new NotificationFormatError('stripe', 'event without id/type');
  if (!HANDLED_EVENTS.test(type))
    throw new NotificationFormatError('stripe', `event type ${type} is not handled`);
  const paymentId = str(obj(object.metadata).payment_id);
  if (!paymentId)
    throw new NotificationFormatError('stripe', `${type} ${String(object.id)} has no metadata.payment_id`);
  const at = epoch(event.created) ?? now;
  const state =
    object.object === 'charge' ? fromCharge(object, at) : { ...fromPaymentIntent(object, at), at };
  return { rail: 'stripe', eventId, paymentId, amountVnd: int(object.amount), state };
}

/** An error object from Stripe (`{type, code, decline_code, message}`) as a refusal. */
export function stripeRefusal(e: { type?: string; code?: string; decline_code?: string; message?: string }) {
  const code = e.code ?? e.type ?? 'stripe_error';
  const detail = e.message ?? code;
  return new RailRefusedError('stripe', code, e.decline_code ? `${detail} (${e.decline_code})` : detail);
}
