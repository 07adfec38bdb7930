/**
 * The payment rail port: what the payment function asks of MoMo, VNPay, Stripe or cash on
 * delivery — authorise (hold, or charge where the rail has no hold), capture an amount up to the
 * hold, void, refund, read the provider's state, and verify and parse a provider notification.
 * Each adapter in `providers/<rail>/` translates these to its provider's fields and signatures and
 * calls out through the shared outbound client; the function never sees a wire format. Money is
 * integer đồng. Every mutating call carries an idempotency key derived by the caller from
 * (payment, operation, attempt), so a retry after a timeout can never move money twice.
 */

/** The rails Tươi takes payment on. */
export const RAILS = ['momo', 'vnpay', 'stripe', 'cod'] as const;
export type RailName = (typeof RAILS)[number];

/**
 * A payment's state as a provider reports it, in Tươi's words:
 * `pending` (created, waiting for the customer) → `requires_action` (3-D Secure, app confirm) →
 * `authorised` (held) → `captured` (money taken; for rails without a hold, `captured` directly),
 * or `voided` (hold released), `failed` (declined, cancelled by the customer), `expired` (never
 * completed, or a hold that lapsed).
 */
export const RAIL_STATUSES = [
  'pending',
  'requires_action',
  'authorised',
  'captured',
  'voided',
  'failed',
  'expired',
] as const;
export type RailStatus = (typeof RAIL_STATUSES)[number];

/** Starting a payment. */
export interface AuthoriseRequest {
  /**
   * Our payment id: MoMo `orderId`, Stripe `metadata.payment_id`; VNPay's `vnp_TxnRef` is built
   * from it and the create date (see its README). A new attempt is a new payment.
   */
  paymentId: string;
  /** Our attempt id (a payment may need several): with the operation, the idempotency key. */
  attemptId: string;
  amountVnd: number;
  /** Shown to the customer by the provider ("Tươi order 123"). */
  description: string;
  /** Where the provider sends the browser back (never trusted for state). */
  returnUrl: string;
  /** Where the provider posts its server-to-server notification. */
  notifyUrl: string;
  lang: 'vi' | 'en';
  /** The customer's IP address (VNPay requires it). */
  customerIp?: string;
  /** When the payment page stops accepting (VNPay `vnp_ExpireDate`). */
  expiresAt?: Date;
  idempotencyKey: string;
}

/** How the customer completes a payment. */
export type AuthoriseResult =
  /** Send the browser to the provider's page (MoMo `payUrl`, VNPay signed URL). */
  | { kind: 'redirect'; url: string; providerRef?: string; status: RailStatus }
  /** The client confirms with the provider's SDK (Stripe PaymentIntent client secret). */
  | { kind: 'client_secret'; clientSecret: string; providerRef: string; status: RailStatus }
  /** Nothing to do now (cash on delivery). */
  | { kind: 'none'; status: RailStatus };

/** A provider's view of one payment. */
export interface RailState {
  /** The provider's id (MoMo `transId`, VNPay our `vnp_TxnRef`, Stripe `pi_…`), once known. */
  providerRef?: string;
  status: RailStatus;
  /** Held and not yet captured or released. */
  authorisedVnd: number;
  capturedVnd: number;
  refundedVnd: number;
  /** The provider's code and message when it failed. */
  failure?: { code: string; message: string };
  /** When the hold lapses, if the provider says (cards ≈ 7 days). */
  holdExpiresAt?: Date;
  /** The provider's time for this state. */
  at: Date;
}

/** A refund as the provider reports it. */
export interface RefundResult {
  /** The provider's refund id (MoMo `transId`, VNPay transaction, Stripe `re_…`). */
  refundRef: string;
  status: 'succeeded' | 'pending' | 'failed';
  amountVnd: number;
  failure?: { code: string; message: string };
}

/** A provider notification as it arrived: exact body, lower-cased headers, the query. */
export interface NotificationRequest {
  method: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: string;
}

/** A verified notification. */
export interface RailNotification {
  rail: RailName;
  /** The provider's event or transaction id: the inbox key (duplicates share it). */
  eventId: string;
  /** Our payment id, as the provider echoes it. */
  paymentId: string;
  /** The amount the provider says it concerns, checked against ours before anything is applied. */
  amountVnd: number;
  state: RailState;
}

/**
 * What the function made of a notification, for the provider's answer. `provider_ref_conflict`:
 * it names a provider reference another payment already has; not applied, ours to reconcile.
 */
export type NotificationVerdict =
  | 'applied'
  | 'duplicate'
  | 'unknown_payment'
  | 'amount_mismatch'
  | 'provider_ref_conflict'
  | 'bad_signature'
  | 'error';

/** The notification's signature or credential is wrong (nothing is changed). */
export class NotificationAuthError extends Error {
  constructor(
    readonly rail: RailName,
    detail: string,
  ) {
    super(`${rail} notification refused: ${detail}`);
    this.name = 'NotificationAuthError';
  }
}

/** The notification is not what the provider sends (nothing is changed). */
export class NotificationFormatError extends Error {
  constructor(
    readonly rail: RailName,
    detail: string,
  ) {
    super(`${rail} notification malformed: ${detail}`);
    this.name = 'NotificationFormatError';
  }
}

/** The provider refused an operation on its merits (declined, over the hold, already refunded). */
export class RailRefusedError extends Error {
  constructor(
    readonly rail: RailName,
    readonly code: string,
    detail: string,
  ) {
    super(`${rail} refused: ${code}: ${detail}`);
    this.name = 'RailRefusedError';
  }
}

/**
 * One rail. Outages surface as the outbound client's `ProviderUnavailableError`; a refusal on
 * the merits as `RailRefusedError`. Every mutating call is idempotent by its key: the same key
 * returns the first answer and never moves money again.
 */
export interface Rail {
  readonly name: RailName;
  /** Whether the rail can hold money and capture less later (MoMo, Stripe); VNPay and COD cannot. */
  readonly holds: boolean;
  /** The largest single payment the rail takes, in đồng (MoMo wallet 50,000,000; Stripe 99,999,999). */
  readonly maxAmountVnd: number;
  authorise(req: AuthoriseRequest): Promise<AuthoriseResult>;
  /** Captures `amountVnd` ≤ the hold; the rest of the hold is released. */
  capture(p: {
    paymentId: string;
    providerRef?: string;
    amountVnd: number;
    idempotencyKey: string;
  }): Promise<RailState>;
  /** Releases the whole hold. */
  void(p: { paymentId: string; providerRef?: string; idempotencyKey: string }): Promise<RailState>;
  /** Refunds part or all of what was captured; repeatable up to the captured amount. */
  refund(p: {
    paymentId: string;
    providerRef?: string;
    refundId: string;
    amountVnd: number;
    reason: string;
    idempotencyKey: string;
  }): Promise<RefundResult>;
  /** The provider's current view of the payment (reconciliation, re-reads). */
  status(p: { paymentId: string; providerRef?: string }): Promise<RailState>;
  /** Verifies and parses one notification; throws NotificationAuthError or NotificationFormatError. */
  parseNotification(req: NotificationRequest): RailNotification;
  /** The HTTP answer the provider expects for a verdict (MoMo 204; VNPay's RspCode JSON; Stripe 2xx). */
  acknowledge(verdict: NotificationVerdict): {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
  };
  close(): void;
}
