/**
 * HTTP routes of the payment function. Checkout creates, captures and voids payments
 * (payments:write); the customer reads their own (one, or an order's with `?order_id=`) and says "I paid" (which re-reads the provider);
 * staff read any payment and the cash reconciliation (payments:read) and refund
 * (payments:refund); providers post notifications to `/payment/webhooks/<rail>` on the webhook
 * host (VNPay's IPN is a GET).
 */
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
        async handle(req) {
          return answer(await payments.refund(req.params.id!, req.body as RefundBody), refundView, true);
        },
      }),
    ),
    webhook('POST'),
    webhook('GET'),
  ];
}
