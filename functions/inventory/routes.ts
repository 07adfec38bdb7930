/**
 * HTTP routes of the inventory function. Stock levels and locations are public reads; lots,
 * receiving, adjusting and thresholds need an access token with inventory:write (staff), and
 * reservations one with inventory:reserve (the checkout service, staff): checkout reserves on a
 * customer's behalf, customers never do directly.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LOCATION_PATTERN, SKU_PATTERN } from '../../events';
import { guarded, type Verifier } from '../shared/auth/verifier';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { route, type HttpRequest, type Route } from '../shared/http';
import { validate } from '../shared/validate';
import { requestHash, type ReserveOutcome, type ReserveRequest } from './domain';
import type { LotResult, Reservations, StockOperations, StockReads } from './ports';
import { AdjustBody, BatchBody, ReceiveBody, ReserveBody, ThresholdBody, TTL_SECONDS } from './schemas';
import { LocationView, LotView, ReservationView, SkuLotsView, SkuStockView, StockLevelView } from './views';

/** What the routes need. */
export interface InventoryDeps {
  reads: StockReads;
  operations: Pick<StockOperations, 'receive' | 'adjust' | 'setThreshold'>;
  reservations: Pick<Reservations, 'get' | 'close'>;
  /** Submits a reservation to the batcher (group commit). */
  reserve(req: ReserveRequest): Promise<ReserveOutcome>;
}

/** The edge's one mapping of a staff operation's result: the lot, or a 400/409 problem. */
function lotOrThrow(result: LotResult) {
  if (result.ok) return result;
  if (result.kind === 'invalid') throw new ValidationError(result.message, result.errors);
  throw new ConflictError(result.message, result.extensions);
}

/** The edge's one mapping of a reservation outcome to a response or a 400/409 problem. */
function reservationResponse(outcome: ReserveOutcome) {
  switch (outcome.kind) {
    case 'held':
      return {
        status: outcome.replayed ? 200 : 201,
        headers: { location: `/reservations/${outcome.reservation.id}` },
        body: outcome.reservation,
      };
    case 'refused':
      throw new ConflictError('Not enough stock for every line; nothing was held', {
        shortfall: outcome.shortfall,
      });
    case 'invalid':
      throw new ValidationError('The reservation is not valid', outcome.errors);
    case 'conflict':
      throw new ConflictError(outcome.message);
    case 'released':
      throw new ConflictError(outcome.message, { reason: 'reservation_released' });
  }
}

const SkuParam = Type.Object({ sku: Type.String({ pattern: SKU_PATTERN }) });
const IdParam = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' }) });
const LocationQuery = Type.Object(
  {
    location: Type.Optional(
      Type.String({
        pattern: LOCATION_PATTERN,
        description: 'A location id; unknown is a 400. All when absent',
      }),
    ),
    lang: Type.Optional(
      Type.Union([Type.Literal('en'), Type.Literal('vi')], { description: 'Overrides Accept-Language' }),
    ),
  },
  { additionalProperties: false },
);
const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('vi')])) },
  { additionalProperties: false },
);

/** The header that ties ledger entries to the saga or request behind them. */
const CORRELATION = {
  'X-Correlation-Id': {
    description: "Recorded on the ledger entries it makes (a saga's id, say); the request id when absent",
  },
};

const query = (req: HttpRequest<unknown, unknown>) => validate(LocationQuery, req.query, 'query string');
/** Who did it, for the ledger: the token's subject (a user id or `client:<id>`). */
const actorOf = (req: HttpRequest<unknown, unknown>) => req.auth?.sub ?? 'unknown';

function counting(soldBy: 'piece' | 'weight') {
  return soldBy === 'weight' ? 'g' : 'piece';
}

/** Every route of the function. */
export function inventoryRoutes(deps: InventoryDeps, check: Verifier): Route[] {
  const known = async (sku: string) => {
    const row = await deps.reads.sku(sku);
    if (!row) throw new NotFoundError(`No SKU ${sku}`);
    return row;
  };
  const knownLocation = async (location: string | undefined) => {
    if (location === undefined) return;
    const places = await deps.reads.locations();
    if (!places.some((p) => p.id === location))
      throw new ValidationError('Unknown location', [
        { field: '/location', code: 'unknown', message: `No location ${location}` },
      ]);
  };

  return [
    route({
      method: 'GET',
      path: '/locations',
      query: LangQuery,
      doc: {
        summary: 'Stores and warehouses that hold stock',
        responses: {
          200: { description: 'Every location', body: Type.Object({ items: Type.Array(LocationView) }) },
        },
      },
      async handle(req) {
        const rows = await deps.reads.locations();
        return {
          status: 200,
          headers: { 'cache-control': 'public, max-age=300' },
          body: {
            items: rows.map((l) => ({
              id: l.id,
              kind: l.kind,
              name: req.lang === 'vi' ? l.name_vi : l.name_en,
              name_en: l.name_en,
              name_vi: l.name_vi,
              zone: l.zone,
            })),
          },
        };
      },
    }),
    route({
      method: 'POST',
      path: '/stock/batch',
      body: BatchBody,
      doc: {
        summary: 'Stock levels of up to 200 (SKU, location) pairs',
        description: 'A pair listed twice, an unknown SKU or an unknown location is a 400.',
        responses: {
          200: {
            description: 'One level per pair, in the order asked',
            body: Type.Object({ items: Type.Array(StockLevelView) }),
          },
        },
      },
      async handle(req) {
        const items = (req.body as BatchBody).items;
        const pairs = new Set<string>();
        const errors = items.flatMap((it, i) => {
          const key = `${it.sku} ${it.location}`;
          const dup = pairs.has(key);
          pairs.add(key);
          return dup ? [{ field: `/items/${i}`, code: 'duplicate', message: `${key} is listed twice` }] : [];
        });
        const [knownSkus, places] = await Promise.all([
          deps.reads.knownSkus(items.map((i) => i.sku)),
          deps.reads.locations(),
        ]);
        const knownPlaces = new Set(places.map((p) => p.id));
        items.forEach((it, i) => {
          if (!knownSkus.has(it.sku))
            errors.push({ field: `/items/${i}/sku`, code: 'unknown', message: `No SKU ${it.sku}` });
          if (!knownPlaces.has(it.location))
            errors.push({
              field: `/items/${i}/location`,
              code: 'unknown',
              message: `No location ${it.location}`,
            });
        });
        if (errors.length) throw new ValidationError('Some pairs are not valid', errors);
        return { status: 200, body: { items: await deps.reads.levels(items) } };
      },
    }),
    guarded(
      check,
      { scope: 'inventory:write' },
      {
        method: 'POST',
        path: '/stock/receive',
        body: ReceiveBody,
        doc: {
          summary: 'Receive a lot into a location',
          description:
            'Idempotent by lot_id: the same request again answers 200 with the first answer; the id with ' +
            'another request, or an existing lot, is a 409. A perishable SKU needs an expiry date not past.',
          responses: {
            201: {
              description: 'Received: the new lot',
              headers: { location: "The SKU's lots: `/stock/{sku}/lots`" },
              body: LotView,
            },
            200: {
              description: 'A replay: the answer the first request got',
              headers: { location: "The SKU's lots: `/stock/{sku}/lots`" },
              body: LotView,
            },
          },
          problems: [409],
        },
        async handle(req) {
          const { lot, replayed } = lotOrThrow(
            await deps.operations.receive(req.body as ReceiveBody, { actor: actorOf(req) }),
          );
          return { status: replayed ? 200 : 201, headers: { location: `/stock/${lot.sku}/lots` }, body: lot };
        },
      },
    ),
    guarded(
      check,
      { scope: 'inventory:write' },
      {
        method: 'POST',
        path: '/stock/adjust',
        body: AdjustBody,
        doc: {
          summary: 'Correct a lot after a count, or write off damaged or expired units',
          description:
            'Idempotent by id: the same request again answers with the first answer; the id with another ' +
            'request is a 409.',
          responses: {
            200: { description: 'The lot after the adjustment (or the replayed answer)', body: LotView },
          },
          problems: [409],
        },
        async handle(req) {
          const { lot } = lotOrThrow(
            await deps.operations.adjust(req.body as AdjustBody, { actor: actorOf(req) }),
          );
          return { status: 200, body: lot };
        },
      },
    ),
    route({
      method: 'GET',
      path: '/stock/:sku',
      params: SkuParam,
      query: LocationQuery,
      doc: {
        summary: 'Stock of a SKU per location and in total',
        description:
          'Quantities count pieces, or grams for products sold by weight; an unknown location is a 400.',
        responses: { 200: { description: "The SKU's stock", body: SkuStockView } },
        problems: [404],
      },
      async handle(req) {
        const { sku } = validate(SkuParam, req.params, 'path');
        const { location } = query(req);
        const row = await known(sku);
        await knownLocation(location);
        const levels = location
          ? await deps.reads.levels([{ sku, location }])
          : await deps.reads.levelsOfSku(sku);
        const total = levels.reduce(
          (t, l) => ({
            on_hand: t.on_hand + l.on_hand,
            held: t.held + l.held,
            available: t.available + l.available,
          }),
          { on_hand: 0, held: 0, available: 0 },
        );
        return {
          status: 200,
          headers: { 'cache-control': 'no-store' },
          body: {
            sku,
            unit: counting(row.sold_by),
            locations: levels.map(({ sku: _s, ...l }) => l),
            total,
          },
        };
      },
    }),
    guarded(
      check,
      { scope: 'inventory:write' },
      {
        method: 'GET',
        path: '/stock/:sku/lots',
        params: SkuParam,
        doc: {
          summary: 'Lots of a SKU that still hold stock',
          query: LocationQuery,
          responses: { 200: { description: 'The lots', body: SkuLotsView } },
          problems: [404],
        },
        async handle(req) {
          const { sku } = validate(SkuParam, req.params, 'path');
          const { location } = query(req);
          const row = await known(sku);
          await knownLocation(location);
          return {
            status: 200,
            body: { sku, unit: counting(row.sold_by), items: await deps.reads.lots(sku, location) },
          };
        },
      },
    ),
    guarded(
      check,
      { scope: 'inventory:write' },
      {
        method: 'PUT',
        path: '/stock/:sku/threshold',
        params: SkuParam,
        body: ThresholdBody,
        doc: {
          summary: "Set a SKU's low-stock threshold",
          responses: {
            200: {
              description: 'The threshold now in force',
              body: Type.Object({ sku: Type.String(), low_threshold: Type.Integer() }),
            },
          },
          problems: [404],
        },
        async handle(req) {
          const { sku } = validate(SkuParam, req.params, 'path');
          const { low_threshold } = req.body as Static<typeof ThresholdBody>;
          if (!(await deps.operations.setThreshold(sku, low_threshold)))
            throw new NotFoundError(`No SKU ${sku}`);
          return { status: 200, body: { sku, low_threshold } };
        },
      },
    ),
    guarded(
      check,
      { scope: 'inventory:reserve' },
      {
        method: 'POST',
        path: '/reservations',
        body: ReserveBody,
        doc: {
          summary: 'Hold stock for a checkout',
          description:
            'Idempotent by id: the same request again answers 200 with the reservation; the id with another ' +
            'request is a 409. Without allow_partial, a shortfall on any line holds nothing and is a 409 ' +
            'with `shortfall`. The hold expires after ttl_seconds (default 900) unless committed.',
          headers: CORRELATION,
          responses: {
            201: {
              description: 'Held',
              headers: { location: 'The reservation: `/reservations/{id}`' },
              body: ReservationView,
            },
            200: {
              description: 'A replay of the same request: the reservation as it is now',
              headers: { location: 'The reservation: `/reservations/{id}`' },
              body: ReservationView,
            },
          },
          problems: [409],
        },
        async handle(req) {
          const b = req.body as ReserveBody;
          const seen = new Set<string>();
          const dups = b.lines.flatMap((l, i) => {
            const dup = seen.has(l.sku);
            seen.add(l.sku);
            return dup
              ? [{ field: `/lines/${i}/sku`, code: 'duplicate', message: `${l.sku} is on an earlier line` }]
              : [];
          });
          if (dups.length) throw new ValidationError('Each SKU may appear on one line only', dups);
          const request = {
            owner: b.owner ?? b.id,
            location: b.location,
            lines: b.lines,
            ttl_seconds: b.ttl_seconds ?? TTL_SECONDS.fallback,
            allow_partial: b.allow_partial ?? false,
          };
          const outcome = await deps.reserve({
            id: b.id,
            owner: request.owner,
            location: request.location,
            lines: request.lines,
            ttlSeconds: request.ttl_seconds,
            allowPartial: request.allow_partial,
            hash: requestHash(request),
            actor: actorOf(req),
            correlationId: req.headers['x-correlation-id'] ?? req.requestId,
          });
          return reservationResponse(outcome);
        },
      },
    ),
    guarded(
      check,
      { scope: 'inventory:reserve' },
      {
        method: 'GET',
        path: '/reservations/:id',
        params: IdParam,
        doc: {
          summary: 'A reservation by id',
          responses: { 200: { description: 'The reservation', body: ReservationView } },
          problems: [404],
        },
        async handle(req) {
          const { id } = validate(IdParam, req.params, 'path');
          const reservation = await deps.reservations.get(id);
          if (!reservation) throw new NotFoundError(`No reservation ${id}`);
          return { status: 200, body: reservation };
        },
      },
    ),
    ...(['commit', 'release'] as const).map((action) =>
      guarded(
        check,
        { scope: 'inventory:reserve' },
        {
          method: 'POST',
          path: `/reservations/:id/${action}`,
          params: IdParam,
          doc: {
            summary:
              action === 'commit'
                ? 'Commit a held reservation: its units leave the stock'
                : 'Release a held reservation: its units are free again',
            description: `Repeating it answers 200 again; a reservation in another final state is a 409.`,
            headers: CORRELATION,
            responses: { 200: { description: 'The reservation after it', body: ReservationView } },
            problems: [404, 409],
          },
          async handle(req) {
            const { id } = validate(IdParam, req.params, 'path');
            const to = action === 'commit' ? 'committed' : 'released';
            const closed = await deps.reservations.close(id, to, {
              actor: actorOf(req),
              correlationId: req.headers['x-correlation-id'] ?? req.requestId,
            });
            if (closed.outcome === 'missing') throw new NotFoundError(`No reservation ${id}`);
            if (closed.outcome === 'refused')
              throw new ConflictError(
                `Reservation ${id} is ${closed.reservation.status}; it cannot be ${to}`,
                {
                  reservation_status: closed.reservation.status,
                },
              );
            return { status: 200, body: closed.reservation };
          },
        },
      ),
    ),
  ];
}
