/**
 * HTTP routes of the payment function. Checkout creates, captures and voids payments
 * (payments:write); the customer reads their own (one, or an order's with `?order_id=`) and says "I paid" (which re-reads the provider);
 * staff read any payment and the cash reconciliation (payments:read) and refund
 * (payments:refund); providers post notifications to `/payment/webhooks/<rail>` on the webhook
 * host (VNPay's IPN is a GET).
 */
import { Type } from '@sinclair/typebox';
import { hasScope, type Principal } from '../shared/auth/principal';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { route, type HttpRequest, type Route } from '../shared/http';
import { isLocalDate } from '../shared/vietnam-time';
import { statusOf } from './domain';
import type { PaymentRow, RefundRow } from './payment-store';
import type { Outcome, PaymentUseCases } from './payments';
import { NotificationAuthError, NotificationFormatError, type Rail, type RailName } from './rail';
import {
  CaptureBody,
  CashQuery,
  CreatePaymentBody,
  IdParam,
  OrderQuery,
  RailParam,
  RefundBody,
} from './schemas';
import {
  PaymentView,
  PaymentWithRefunds,
  Reconciliation,
  RefundView,
  StripeWebhookAnswer,
  VnpayIpnAnswer,
} from './views';

/** A payment as the API shows it. */
export const paymentView = (p: PaymentRow) => ({
  id: p.id,
  order_id: p.order_id,
  customer_id: p.customer_id,
  rail: p.rail,
  status: statusOf(p),
  amount_vnd: p.amountVnd,
  authorised_vnd: p.authorisedVnd,
  captured_vnd: p.capturedVnd,
  refunded_vnd: p.refundedVnd,
  next_action: p.next_action,
  failure: p.failure,
  hold_expires_at: p.hold_expires_at?.toISOString() ?? null,
  version: p.version,
  created_at: p.created_at.toISOString(),
  updated_at: p.updated_at.toISOString(),
});

export const refundView = (r: RefundRow) => ({
  id: r.id,
  payment_id: r.payment_id,
  amount_vnd: r.amount_vnd,
  reason: r.reason,
  status: r.status,
  created_at: r.created_at.toISOString(),
});

/** The edge's one mapping of a command's outcome. */
function answer<T>(out: Outcome<T>, view: (v: T) => unknown, created = false) {
  switch (out.kind) {
    case 'ok':
      return { status: created && !out.replayed ? 201 : 200, body: view(out.value) };
    case 'not_found':
      throw new NotFoundError('No such payment');
    case 'conflict':
      throw new ConflictError(out.message);
    case 'refused':
      if (out.refusal.code === 'amount')
        throw new ValidationError(out.refusal.message, [
          { field: '/amount_vnd', code: 'amount', message: out.refusal.message },
        ]);
      throw new ConflictError(out.refusal.message, { code: out.refusal.code });
  }
}

const mayRead = (p: Principal, row: PaymentRow) =>
  hasScope(p, 'payments:read') || hasScope(p, 'payments:write') || row.customer_id === p.sub;

/**
 * The refusals of a notification as the providers expect them, not problem details. (A `rail` that
 * is none of the rails is still a problem+json 400 from the pipeline; this document cannot say both.)
 */
const NOT_PROBLEMS = {
  400: {
    description: 'Stripe: a bad or missing signature (Stripe sends the event again)',
    body: StripeWebhookAnswer,
  },
  401: {
    description: 'MoMo: a bad signature or an unreadable IPN, with no body (MoMo sends it again)',
    empty: true,
  },
};
/** VNPay's IPN query string, as far as this function reads it (all signed by vnp_SecureHash). */
const VnpayIpnQuery = Type.Object(
  {
    vnp_TmnCode: Type.Optional(Type.String({ description: 'Our merchant code at VNPay' })),
    vnp_TxnRef: Type.Optional(Type.String({ description: 'Our payment id' })),
    vnp_TransactionNo: Type.Optional(Type.String({ description: "VNPay's transaction number" })),
    vnp_PayDate: Type.Optional(Type.String({ description: 'When it was paid, yyyyMMddHHmmss in Vietnam' })),
    vnp_Amount: Type.Optional(Type.String({ description: 'The amount in đồng times 100' })),
    vnp_ResponseCode: Type.Optional(Type.String({ description: "VNPay's result code (00 paid)" })),
    vnp_TransactionStatus: Type.Optional(
      Type.String({ description: "VNPay's transaction status (00 paid)" }),
    ),
    vnp_SecureHash: Type.Optional(Type.String({ description: 'HMAC-SHA512 of the other vnp_* parameters' })),
  },
  { description: 'Other vnp_* parameters are signed and passed through' },
);

/** Every payment route. */
export function paymentRoutes(
  deps: { payments: PaymentUseCases; rails: ReadonlyMap<RailName, Rail> },
  check: Verifier,
): Route[] {
  const { payments } = deps;
  const own = async (req: HttpRequest<unknown, unknown>) => {
    const row = await payments.get(req.params.id!);
    if (!row || !mayRead(req.auth!, row)) throw new NotFoundError('No such payment');
    return row;
  };
  const webhook = (method: 'GET' | 'POST') =>
    route({
      method,
      path: '/payment/webhooks/:rail',
      params: RailParam,
      doc:
        method === 'GET'
          ? {
              summary: "A payment provider's notification sent as GET (VNPay's IPN)",
              description:
                'VNPay signs the query string (`vnp_*` parameters, `vnp_SecureHash`) and is always answered 200 with its `RspCode` (00 applied, 02 already confirmed, 01 unknown payment, 04 amount mismatch, 97 bad signature, 99 error). A GET to momo is answered 401 with no body, to stripe 400 `{ "received": false }` (not problem details). 404 for a rail not configured here and for cod.',
              query: VnpayIpnQuery,
              responses: {
                200: { description: "VNPay's answer, whatever the verdict", body: VnpayIpnAnswer },
                ...NOT_PROBLEMS,
              },
              problems: [404],
            }
          : {
              summary: "A payment provider's notification (MoMo IPN, Stripe webhook)",
              description:
                'MoMo: a signed JSON IPN, answered 204 with no body once taken (unknown payments, amount mismatches and a `transId` another payment already has included: those change nothing and are left to staff), 401 with no body for a bad signature. Stripe: a signed event (`stripe-signature`), answered 200 `{ "received": true }`, or 400 `{ "received": false }` for a bad signature (not problem details). VNPay\'s IPN is a GET: a POST is answered 200 `{ "RspCode": "97" }`. Our own failure: 500. 404 for a rail not configured here and for cod.',
              requestBody: {
                contentTypes: ['application/json'],
                description: "The provider's notification, in its own format and signed its own way",
                required: true,
              },
              responses: {
                200: {
                  description: 'Stripe: taken; VNPay: its `RspCode` answer',
                  body: Type.Union([StripeWebhookAnswer, VnpayIpnAnswer]),
                },
                204: { description: 'MoMo: taken', empty: true },
                ...NOT_PROBLEMS,
              },
              problems: [404],
            },
      async handle(req) {
        const name = req.params.rail as RailName;
        const rail = deps.rails.get(name);
        if (!rail || name === 'cod') throw new NotFoundError(`No ${name} account is configured here`);
        try {
          const verdict = await payments.notify(name, {
            method: req.method,
            headers: req.headers,
            query: req.query as Record<string, string | undefined>,
            rawBody: req.rawBody.toString('utf8'),
          });
          return rail.acknowledge(verdict);
        } catch (err) {
          if (err instanceof NotificationAuthError || err instanceof NotificationFormatError)
            return rail.acknowledge('bad_signature');
          throw err;
        }
      },
    });

  return [
    // Before /payments/:id, which would otherwise take `reconciliation` for an id.
    guarded(
      check,
      { scope: 'payments:read' },
      route({
        method: 'GET',
        path: '/payments/reconciliation',
        query: CashQuery,
        doc: {
          summary: "A day's cash on delivery, and the payments that need attention",
          description:
            'Cash collected per carrier on `date`; payments waiting on the customer for over 15 minutes, holds lapsing within a day, provider operations left unfinished (up to 100 each).',
          responses: { 200: { description: 'The reconciliation', body: Reconciliation } },
        },
        async handle(req) {
          const date = (req.query as { date: string }).date;
          if (!isLocalDate(date))
            throw new ValidationError('Not a calendar date', [
              { field: '/query/date', code: 'date', message: `${date} is not a date` },
            ]);
          const [cash, attention] = await Promise.all([payments.cashReport(date), payments.attention()]);
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: {
              date,
              cash_on_delivery: cash,
              waiting: attention.waiting.map(paymentView),
              holds_expiring: attention.expiring.map(paymentView),
              unfinished_operations: attention.unfinished.map((o) => ({
                payment_id: o.payment_id,
                operation: o.operation,
                attempt: o.attempt,
                amount_vnd: o.amount_vnd,
              })),
            },
          };
        },
      }),
    ),
    guarded(
      check,
      { scope: 'payments:write' },
      route({
        method: 'POST',
        path: '/payments',
        body: CreatePaymentBody,
        doc: {
          summary: "Start an order's payment on a rail",
          description:
            "Idempotent by `id`: the same request again answers 200 with the payment; a different request under the same id is a 409. `next_action` says how the customer completes it. An amount over the rail's limit is a 400; a rail not offered here (`rail_unavailable`) or a refusal by the provider a 409 with its `code`.",
          responses: {
            200: {
              description: 'The same payment again (a replay)',
              body: PaymentView,
              headers: { location: 'The payment: `/payments/{id}`' },
            },
            201: {
              description: 'Started',
              body: PaymentView,
              headers: { location: 'The payment: `/payments/{id}`' },
            },
          },
          problems: [409, 503],
        },
        async handle(req) {
          const b = req.body as CreatePaymentBody;
          const out = await payments.create({
            id: b.id,
            order_id: b.order_id,
            customer_id: b.customer_id,
            rail: b.rail,
            amount_vnd: b.amount_vnd,
            return_url: b.return_url,
            lang: b.lang ?? req.lang,
            ...(b.customer_ip ? { customer_ip: b.customer_ip } : {}),
          });
          const res = answer(out, paymentView, true);
          return { ...res, headers: { location: `/payments/${b.id}` } };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/payments/:id',
        params: IdParam,
        doc: {
          summary: 'A payment with its refunds',
          description:
            "The payment's customer, or a caller with payments:read or payments:write; anyone else gets 404.",
          responses: { 200: { description: 'The payment', body: PaymentWithRefunds } },
          problems: [404],
        },
        async handle(req) {
          const row = await own(req);
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: { ...paymentView(row), refunds: (await payments.refunds(row.id)).map(refundView) },
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/payments',
        query: OrderQuery,
        doc: {
          summary: "An order's payments",
          description:
            'Only the payments the caller may read: their own, or all with payments:read or payments:write (an empty list otherwise).',
          responses: {
            200: { description: 'The payments', body: Type.Object({ items: Type.Array(PaymentView) }) },
          },
        },
        async handle(req) {
          const orderId = (req.query as { order_id: string }).order_id;
          const rows = (await payments.ofOrder(orderId)).filter((p) => mayRead(req.auth!, p));
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: { items: rows.map(paymentView) },
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/payments/:id/confirm',
        params: IdParam,
        doc: {
          summary: '"I paid": re-read a waiting payment from its provider',
          description:
            "The payment's customer, or a caller with payments:read or payments:write; anyone else gets 404. A payment not waiting on the customer is answered as it is. When the provider reports a reference (MoMo `transId`) that another payment already has, nothing changes and the answer is a 502 with `code` provider_ref_conflict (the provider's data and ours disagree; staff reconcile it).",
          responses: { 200: { description: 'The payment', body: PaymentView } },
          problems: [404, 502, 503],
        },
        async handle(req) {
          const row = await own(req);
          return { status: 200, body: paymentView((await payments.confirm(row.id)) ?? row) };
        },
      }),
    ),
    guarded(
      check,
      { scope: 'payments:write' },
      route({
        method: 'POST',
        path: '/payments/:id/capture',
        params: IdParam,
        body: CaptureBody,
        doc: {
          summary: 'Capture an amount up to the hold (the rest is released)',
          description:
            'A payment not authorised, an amount over the hold (`over_hold`) or a refusal by the provider is a 409 with its `code`. A provider reference another payment already has is a 502 with `code` provider_ref_conflict, and nothing changes.',
          responses: { 200: { description: 'The payment', body: PaymentView } },
          problems: [404, 409, 502, 503],
        },
        async handle(req) {
          return answer(
            await payments.capture(req.params.id!, (req.body as CaptureBody).amount_vnd),
            paymentView,
          );
        },
      }),
    ),
    guarded(
      check,
      { scope: 'payments:write' },
      route({
        method: 'POST',
        path: '/payments/:id/void',
        params: IdParam,
        doc: {
          summary: "Release a payment's hold",
          description:
            'A captured or ended payment, or a refusal by the provider, is a 409 with its `code`. A provider reference another payment already has is a 502 with `code` provider_ref_conflict, and nothing changes.',
          responses: { 200: { description: 'The payment', body: PaymentView } },
          problems: [404, 409, 502, 503],
        },
        async handle(req) {
          return answer(await payments.void(req.params.id!), paymentView);
        },
      }),
    ),
    guarded(
      check,
      { scope: 'payments:refund' },
      route({
        method: 'POST',
        path: '/payments/:id/refunds',
        params: IdParam,
        body: RefundBody,
        doc: {
          summary: 'Refund part or all of what was captured',
          description:
            "Idempotent by the refund's `id`: the same request again answers 200 with the refund. Nothing captured, an amount over what is left to refund (`over_captured`) or a refusal by the provider is a 409 with its `code`; a different request under the same id too.",
          responses: {
            200: { description: 'The same refund again (a replay)', body: RefundView },
            201: { description: 'Refunded, or sent to the provider (`status`)', body: RefundView },
          },
          problems: [404, 409, 503],
        },
        async handle(req) {
          return answer(await payments.refund(req.params.id!, req.body as RefundBody), refundView, true);
        },
      }),
    ),
    webhook('POST'),
    webhook('GET'),
  ];
}
