/**
 * HTTP routes of an order after confirmation: staff (`orders:fulfil`) pick lines, report them short
 * with a substitute, pack and refund; the customer answers a proposed substitute. Checkout and the
 * reads are in routes.ts.
 */
import type { Static } from '@sinclair/typebox';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { route, type HttpRequest, type Route } from '../shared/http';
import { orderView } from './model';
import type { OrderRow } from './order-store';
import { DecisionBody, IdParam, LineParam, PickBody, RefundBody, ShortBody } from './schemas';
import { peerRefusal, type Preflight } from './preflight';
import type { OrderUseCases } from './orders';
import type { SubstituteAsk } from './fulfilment';
import { OrderView } from './views';

/** Picking, substitutions, packing and refunds (staff `orders:fulfil`; the customer decides substitutes). */
export function fulfilmentRoutes(
  deps: { orders: OrderUseCases; preflight: Preflight },
  check: Verifier,
  own: (req: HttpRequest<unknown, unknown>) => Promise<OrderRow>,
): Route[] {
  const { orders } = deps;
  const after = orders.after;
  const done = (o: OrderRow | undefined, req: HttpRequest<unknown, unknown>) => {
    if (!o) throw new NotFoundError('No such order');
    return { status: 200, body: orderView(o, req.lang) };
  };
  /** The amount a body gives for a line sold `by`: grams for weight, pieces otherwise. */
  const amountOf = (b: { qty?: number | undefined; grams?: number | undefined }, by: 'piece' | 'weight') => {
    const field = by === 'weight' ? 'grams' : 'qty';
    const other = by === 'weight' ? 'qty' : 'grams';
    if (b[other] !== undefined || b[field] === undefined)
      throw new ValidationError(
        `This item is sold by ${by === 'weight' ? 'weight: give grams' : 'the piece: give qty'}`,
        [{ field: `/${field}`, code: 'required', message: `${field} is required, ${other} is not allowed` }],
      );
    return b[field]!;
  };
  const staff = { scope: 'orders:fulfil' } as const;
  return [
    guarded(
      check,
      staff,
      route({
        method: 'POST',
        path: '/orders/:id/picking',
        params: IdParam,
        doc: {
          summary: 'Start picking a confirmed order',
          responses: { 200: { description: 'The order, picking', body: OrderView } },
          problems: [404, 409],
        },
        handle: async (req) => done(await after.startPicking((await own(req)).id), req),
      }),
    ),
    guarded(
      check,
      staff,
      route({
        method: 'POST',
        path: '/orders/:id/lines/:sku/pick',
        params: LineParam,
        body: PickBody,
        doc: {
          summary: 'Record what was picked for a line',
          description: 'Give `qty` for a line sold by the piece, `grams` for one sold by weight.',
          responses: { 200: { description: 'The order', body: OrderView } },
          problems: [404, 409],
        },
        async handle(req) {
          const order = await own(req);
          const line = order.lines.find((l) => l.sku === req.params.sku);
          if (!line) throw new NotFoundError(`The order has no line ${req.params.sku}`);
          const amount = amountOf(req.body as Static<typeof PickBody>, line.sold_by);
          return done(await after.pick(order.id, line.sku, amount), req);
        },
      }),
    ),
    guarded(
      check,
      staff,
      route({
        method: 'POST',
        path: '/orders/:id/lines/:sku/short',
        params: LineParam,
        body: ShortBody,
        doc: {
          summary: 'Report a line short, optionally proposing a substitute',
          description:
            'A substitute must be on sale (read from the catalog); give its `qty` or `grams` as it is sold. The customer is asked to approve it.',
          responses: { 200: { description: 'The order', body: OrderView } },
          problems: [403, 404, 409, 503],
        },
        async handle(req) {
          const order = await own(req);
          const b = req.body as Static<typeof ShortBody>;
          let substitute: SubstituteAsk | undefined;
          if (b.substitute) {
            const read = await deps.preflight.product(req.headers.authorization!, b.substitute.sku);
            if (!read.ok) peerRefusal('product', '/substitute/sku', read);
            const p = read.value;
            if (p.status && p.status !== 'active')
              throw new ValidationError(`${p.sku} is not on sale`, [
                { field: '/substitute/sku', code: 'not_on_sale', message: `${p.sku} is ${p.status}` },
              ]);
            substitute = {
              sku: b.substitute.sku,
              name: { en: p.name_en, vi: p.name_vi ?? p.name_en },
              sold_by: p.sold_by,
              amount: amountOf(b.substitute, p.sold_by),
            };
          }
          return done(await after.short(order.id, req.params.sku!, substitute), req);
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/orders/:id/substitutions/:sku',
        params: LineParam,
        body: DecisionBody,
        doc: {
          summary: 'Approve or reject a proposed substitute',
          description:
            "Only the order's customer (others who may read the order get 403, anyone else 404); 404 when no substitute is proposed for the line.",
          responses: { 200: { description: 'The order', body: OrderView } },
          problems: [403, 404, 409],
        },
        async handle(req) {
          const order = await own(req);
          if (order.customer_id !== req.auth!.sub)
            throw new ForbiddenError('Only the customer answers a proposal');
          const { decision } = req.body as Static<typeof DecisionBody>;
          return done(
            await after.decide(order.id, req.params.sku!, decision === 'approve' ? 'approved' : 'rejected'),
            req,
          );
        },
      }),
    ),
    guarded(
      check,
      staff,
      route({
        method: 'POST',
        path: '/orders/:id/pack',
        params: IdParam,
        doc: {
          summary: 'Pack a picked order (the final bill is made)',
          description: 'Every line must be picked or short with its substitute decided, else 409.',
          responses: { 200: { description: 'The packed order with its bill', body: OrderView } },
          problems: [404, 409],
        },
        handle: async (req) => done(await after.pack((await own(req)).id), req),
      }),
    ),
    guarded(
      check,
      staff,
      route({
        method: 'POST',
        path: '/orders/:id/refunds',
        params: IdParam,
        body: RefundBody,
        doc: {
          summary: 'Refund whole lines or an amount of a delivered or collected order',
          description:
            "Give `skus` or `amount_vnd`, not both; `id` makes a retry safe. The refund is sent to payment: see the order's `refunds`.",
          responses: { 202: { description: 'Accepted: the order with the refund', body: OrderView } },
          problems: [404, 409],
        },
        async handle(req) {
          const order = await own(req);
          const b = req.body as Static<typeof RefundBody>;
          if ((b.skus === undefined) === (b.amount_vnd === undefined))
            throw new ValidationError('Refund whole lines (skus) or an amount (amount_vnd), not both', [
              { field: '/skus', code: 'one_of', message: 'Give skus or amount_vnd' },
            ]);
          const out = await after.refund(order.id, {
            id: b.id,
            reason: b.reason,
            ...(b.skus ? { skus: b.skus } : {}),
            ...(b.amount_vnd !== undefined ? { amount_vnd: b.amount_vnd } : {}),
          });
          const r = done(out, req);
          return { ...r, status: 202 };
        },
      }),
    ),
  ];
}
