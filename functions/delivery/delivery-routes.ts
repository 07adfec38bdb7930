/**
 * HTTP routes of deliveries and pickups: checkout and staff create them (delivery:reserve), the
 * customer and staff read them, staff run the own fleet and the pickup counter (delivery:write),
 * and carriers post their webhooks to `/delivery/webhooks/<carrier>` on the webhook host.
 */
import { Type } from '@sinclair/typebox';
import { DELIVERY_ID_PATTERN } from '../../events';
import { hasScope } from '../shared/auth/principal';
import { guarded, type Verifier } from '../shared/auth/verifier';
import {
  BadGatewayError,
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../shared/errors';
import { route, type Route } from '../shared/http';
import {
  CarrierRefusedError,
  CARRIERS,
  WebhookAuthError,
  WebhookFormatError,
  type CarrierName,
} from './carrier';
import type { DeliveryRow } from './delivery-store';
import type { DeliveryUseCases } from './deliveries';
import { CollectBody, CreateDeliveryBody, StatusBody } from './schemas';
import { DeliveryView, DeliveryWithHistory, WebhookAnswer } from './views';

const IdParam = Type.Object({ id: Type.String({ pattern: DELIVERY_ID_PATTERN }) });
const CarrierParam = Type.Object({ carrier: Type.Union(CARRIERS.map((c) => Type.Literal(c))) });

/** A delivery as the API shows it (never the pickup code's hash). */
export const deliveryView = (d: DeliveryRow) => ({
  id: d.id,
  order_id: d.order_id,
  customer_id: d.customer_id,
  kind: d.kind,
  location: d.location,
  zone: d.zone,
  hold_id: d.hold_id,
  status: d.status,
  carrier: d.carrier,
  service: d.service,
  carrier_ref: d.carrier_ref,
  fee_vnd: d.fee_vnd,
  cod_vnd: d.cod_vnd,
  cod_collected_vnd: d.cod_collected_vnd,
  tracking_url: d.tracking_url,
  eta_at: d.eta_at?.toISOString() ?? null,
  driver: d.driver,
  fallbacks: d.fallbacks,
  version: d.version,
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
});

/** Every delivery route. `configured` names the carriers this deployment has credentials for. */
export function deliveryRoutes(
  deps: { deliveries: DeliveryUseCases; configured: ReadonlySet<CarrierName> },
  check: Verifier,
): Route[] {
  const { deliveries } = deps;
  const staff = (r: Route) => guarded(check, { scope: 'delivery:write' }, r);
  const found = (d: DeliveryRow | undefined, id: string) => {
    if (!d) throw new NotFoundError(`No delivery ${id}`);
    return d;
  };

  return [
    guarded(
      check,
      { scope: 'delivery:reserve' },
      route({
        method: 'POST',
        path: '/deliveries',
        body: CreateDeliveryBody,
        doc: {
          summary: "Create an order's delivery or pickup and book its carrier",
          description:
            "Idempotent by `id`: the same request again answers 200 with the delivery; a different request under the same id, or a second delivery for the order, is a 409. The slot hold must be booked and be the customer's. A delivery nobody could take yet stays `booking` and is retried.",
          responses: {
            200: {
              description: 'The same delivery again (a replay)',
              body: DeliveryView,
              headers: { location: 'The delivery: `/deliveries/{id}`' },
            },
            201: {
              description: 'Created (and booked with a carrier when one took it)',
              body: DeliveryView,
              headers: { location: 'The delivery: `/deliveries/{id}`' },
            },
          },
          problems: [409],
        },
        async handle(req) {
          const b = req.body as CreateDeliveryBody;
          const out = await deliveries.create({
            id: b.id,
            order_id: b.order_id,
            customer_id: b.customer_id,
            kind: b.kind,
            hold_id: b.hold_id,
            ...(b.destination ? { destination: b.destination } : {}),
            parcel: {
              weightGrams: b.parcel.weight_grams,
              valueVnd: b.parcel.value_vnd,
              items: b.parcel.items,
            },
            cod_vnd: b.cod_vnd,
          });
          if (out.kind === 'invalid')
            throw new ValidationError(out.message, [
              { field: out.field, code: out.code, message: out.message },
            ]);
          if (out.kind === 'conflict') throw new ConflictError(out.message);
          return {
            status: out.replayed ? 200 : 201,
            headers: { location: `/deliveries/${out.delivery.id}` },
            body: deliveryView(out.delivery),
          };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/deliveries/:id',
        params: IdParam,
        doc: {
          summary: 'A delivery or pickup with its status history',
          description:
            "The delivery's customer, or a caller with delivery:reserve or delivery:write; anyone else gets 404.",
          responses: { 200: { description: 'The delivery', body: DeliveryWithHistory } },
          problems: [404],
        },
        async handle(req) {
          const d = await deliveries.get(req.params.id!);
          const caller = req.auth!;
          const mayRead =
            hasScope(caller, 'delivery:reserve') ||
            hasScope(caller, 'delivery:write') ||
            d?.customer_id === caller.sub;
          if (!d || !mayRead) throw new NotFoundError(`No delivery ${req.params.id}`);
          const history = (await deliveries.history(d.id)).map((h) => ({ ...h, at: h.at.toISOString() }));
          return {
            status: 200,
            headers: { 'cache-control': 'no-store' },
            body: { ...deliveryView(d), history },
          };
        },
      }),
    ),
    guarded(
      check,
      { scope: 'delivery:reserve' },
      route({
        method: 'POST',
        path: '/deliveries/:id/cancel',
        params: IdParam,
        doc: {
          summary: 'Cancel a delivery or pickup (and its carrier trip)',
          description:
            'Cancelling a cancelled delivery answers it as it is. When the carrier refuses to cancel its ' +
            'trip (the parcel is already picked up, say), the answer is a 409 with `code` carrier_refused ' +
            'and nothing changes.',
          responses: { 200: { description: 'The delivery', body: DeliveryView } },
          problems: [404, 409, 502, 503],
        },
        async handle(req) {
          const id = req.params.id!;
          try {
            return { status: 200, body: deliveryView(found(await deliveries.cancel(id), id)) };
          } catch (err) {
            if (!(err instanceof CarrierRefusedError)) throw err;
            // Our credentials, not the trip: the caller can do nothing about it.
            if (err.code === 'unauthorized')
              throw new BadGatewayError(
                `The carrier ${err.carrier} did not accept our credentials`,
                {},
                {
                  cause: err,
                },
              );
            throw new ConflictError(
              `The carrier ${err.carrier} refused to cancel the trip of delivery ${id}; it stays as it is`,
              { code: 'carrier_refused', carrier: err.carrier, carrier_code: err.code },
              { cause: err },
            );
          }
        },
      }),
    ),
    staff(
      route({
        method: 'POST',
        path: '/deliveries/:id/status',
        params: IdParam,
        body: StatusBody,
        doc: {
          summary: "Set an own-fleet delivery's status (the riders' app)",
          description: 'A status that does not move the delivery forward is a 409 with its `code`.',
          responses: { 200: { description: 'The delivery', body: DeliveryView } },
          problems: [404, 409],
        },
        async handle(req) {
          const b = req.body as StatusBody;
          const out = await deliveries.setStatus(req.params.id!, {
            status: b.status as Parameters<DeliveryUseCases['setStatus']>[1]['status'],
            ...(b.driver ? { driver: b.driver } : {}),
            ...(b.reason ? { reason: b.reason } : {}),
            ...(b.cod_collected_vnd !== undefined ? { cod_collected_vnd: b.cod_collected_vnd } : {}),
          });
          if (out.kind === 'not_found') throw new NotFoundError(`No delivery ${req.params.id}`);
          if (out.kind === 'conflict') throw new ConflictError(out.message);
          if (out.kind === 'ignored')
            throw new ConflictError(`That status does not move the delivery forward (${out.why})`, {
              code: out.why,
            });
          if (out.kind === 'unknown_delivery') throw new NotFoundError(`No delivery ${req.params.id}`);
          return { status: 200, body: deliveryView(out.delivery) };
        },
      }),
    ),
    staff(
      route({
        method: 'POST',
        path: '/deliveries/:id/ready',
        params: IdParam,
        doc: {
          summary: 'Mark a pickup ready at the counter (the customer gets its code)',
          description: 'Marking a ready pickup ready again answers it as it is.',
          responses: { 200: { description: 'The pickup', body: DeliveryView } },
          problems: [404, 409],
        },
        async handle(req) {
          const out = await deliveries.ready(req.params.id!);
          if (out.kind === 'not_found') throw new NotFoundError(`No pickup ${req.params.id}`);
          if (out.kind === 'conflict') throw new ConflictError(out.message);
          return { status: 200, body: deliveryView(out.delivery) };
        },
      }),
    ),
    staff(
      route({
        method: 'POST',
        path: '/deliveries/:id/collect',
        params: IdParam,
        body: CollectBody,
        doc: {
          summary: 'Hand a ready pickup over against its code',
          description: 'A wrong code is a 400 saying how many tries are left.',
          responses: { 200: { description: 'The collected pickup', body: DeliveryView } },
          problems: [404, 409],
        },
        async handle(req) {
          const out = await deliveries.collect(req.params.id!, (req.body as CollectBody).code, req.auth!.sub);
          if (out.kind === 'not_found') throw new NotFoundError(`No pickup ${req.params.id}`);
          if (out.kind === 'conflict') throw new ConflictError(out.message);
          if (out.kind === 'wrong_code')
            throw new ValidationError('That is not the pickup code', [
              { field: '/code', code: 'wrong', message: `Wrong code; ${out.left} tries left` },
            ]);
          return { status: 200, body: deliveryView(out.delivery) };
        },
      }),
    ),
    route({
      method: 'POST',
      path: '/delivery/webhooks/:carrier',
      params: CarrierParam,
      doc: {
        summary: "A carrier's status webhook",
        description:
          "Each carrier posts its own JSON payload, authenticated its own way (a signature header, a shared secret, or a `token` query parameter); updates are deduplicated, and GHN's are re-read from its API before they apply. 404 for a carrier not configured here (and for own_fleet).",
        query: Type.Object({
          token: Type.Optional(
            Type.String({
              description: 'GHN only: the secret token of the webhook URL GHN was given (401 when it is not)',
            }),
          ),
        }),
        requestBody: {
          contentTypes: ['application/json'],
          description: "The carrier's webhook payload, in its own format",
          required: true,
        },
        responses: {
          200: {
            description: 'Taken: how many updates it carried and how many changed a delivery',
            body: WebhookAnswer,
          },
        },
        problems: [401, 404, 503],
      },
      async handle(req) {
        const name = req.params.carrier as CarrierName;
        if (!deps.configured.has(name) || name === 'own_fleet')
          throw new NotFoundError(`No ${name} account is configured here`);
        try {
          const results = await deliveries.webhook(name, {
            headers: req.headers,
            query: req.query as Record<string, string | undefined>,
            rawBody: req.rawBody.toString('utf8'),
          });
          return {
            status: 200,
            body: { received: results.length, applied: results.filter((r) => r.kind === 'applied').length },
          };
        } catch (err) {
          if (err instanceof WebhookAuthError) throw new UnauthorizedError(err.message);
          if (err instanceof WebhookFormatError) throw new ValidationError(err.message);
          throw err;
        }
      },
    }),
  ];
}
