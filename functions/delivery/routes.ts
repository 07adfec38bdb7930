/**
 * HTTP routes of the delivery function's zones, calendars, availability and slot holds. Zones,
 * calendars and availability are public reads; staff write zones and calendars (delivery:write);
 * a signed-in customer holds a place for themselves, checkout and staff for any customer
 * (delivery:reserve).
 */
import { Type } from '@sinclair/typebox';
import { hasScope, type Principal } from '../shared/auth/principal';
import { guarded, type Verifier } from '../shared/auth/verifier';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../shared/errors';
import { DELIVERY_ID_PATTERN } from '../../events';
import { memoByKey } from '../shared/memo';
import { validate } from '../shared/validate';
import { ifMatchVersion, parseJsonBody, route, type HttpRequest, type Route } from '../shared/http';
import { localDateOf } from '../shared/vietnam-time';
import type { AddressBook } from './addresses';
import { windowView, type CalendarUseCases } from './calendars';
import type { HoldRequest, HoldRow } from './holds';
import type { BatchOutcome, HoldUseCases, SettleResult, Who } from './slot-holds';
import type { SlotStore } from './slot-store';
import {
  BookBody,
  CALENDAR_ID_PATTERN,
  HoldBody,
  SlotsQuery,
  TemplateBody,
  templateView,
  toTemplate,
  TTL_SECONDS,
  ZONE_ID_PATTERN,
  ZoneBody,
} from './schemas';
import { CalendarView, DayView, HoldView, ZoneView } from './views';
import { resolveZone } from './zones';
import { pickupCalendarId, type ZoneRow, type ZoneStore } from './zone-store';
import type { Queryable } from '../shared/db';

/** What the routes need. */
export interface SlotRouteDeps {
  db: Queryable;
  zones: ZoneStore;
  slots: SlotStore;
  calendars: CalendarUseCases;
  holds: Pick<HoldUseCases, 'get' | 'book' | 'release'>;
  /** Submits a hold to the batcher (group commit per slot). */
  hold(req: HoldRequest): Promise<BatchOutcome>;
  /** Zones, cached briefly (they change rarely and every address lookup reads them). */
  cachedZones(): Promise<ZoneRow[]>;
  addresses?: AddressBook;
}

const ZoneParam = Type.Object({ id: Type.String({ pattern: ZONE_ID_PATTERN }) });
const CalendarParam = Type.Object({ id: Type.String({ pattern: CALENDAR_ID_PATTERN }) });
const HoldParam = Type.Object({ id: Type.String({ pattern: DELIVERY_ID_PATTERN }) });

/** A zone as the API shows it. */
export const zoneView = (z: ZoneRow) => ({
  id: z.id,
  location: z.location,
  province: z.province,
  name: z.name,
  wards: z.wards,
  polygons: z.polygons ?? null,
  origin: z.origin ?? null,
  carriers: z.carriers,
  version: z.version,
});

/** A hold as the API shows it. */
export const holdView = (h: HoldRow) => ({
  id: h.id,
  slot: h.slot,
  state: h.state,
  units: h.units,
  customer_id: h.owner,
  order_id: h.order_id,
  expires_at: h.expires_at.toISOString(),
  created_at: h.created_at.toISOString(),
  closed_at: h.closed_at?.toISOString() ?? null,
});

const who = (p: Principal): Who => ({ subject: p.sub, service: hasScope(p, 'delivery:reserve') });

const CLOSED_REASONS = {
  past: 'That window has already ended',
  after_cutoff: 'Booking for that window has closed',
  withdrawn: 'That window is no longer offered',
} as const;

/** Every zone, calendar, availability and hold route. */
export function slotRoutes(deps: SlotRouteDeps, check: Verifier): Route[] {
  const now = () => new Date();
  // The next free windows a refusal suggests, remembered for a second per slot: under a rush on a
  // full window every refusal would otherwise read them again (they are a hint; holding decides).
  const suggested = memoByKey(1_000, async (slotId: string): Promise<unknown[]> => {
    const slot = await deps.slots.get(deps.db, slotId);
    if (!slot) return [];
    const at = new Date();
    return (await deps.slots.upcoming(deps.db, slot.calendar, at, 3)).map((s) => windowView(s, at));
  });

  /** The calendar a listing asks for: a zone, the zone of one of the caller's addresses, or a store's pickup. */
  async function calendarOf(req: HttpRequest<unknown, unknown>, q: SlotsQuery): Promise<string> {
    const given = [q.zone, q.address_id, q.pickup].filter((x) => x !== undefined).length;
    if (given !== 1)
      throw new ValidationError('Say where: exactly one of zone, address_id or pickup', [
        { field: '/query', code: 'one_of', message: 'Give exactly one of zone, address_id, pickup' },
      ]);
    if (q.pickup) return pickupCalendarId(q.pickup);
    if (q.zone) return q.zone;
    const authorization = req.headers.authorization;
    if (!authorization)
      throw new ValidationError('address_id needs you to sign in', [
        {
          field: '/query/address_id',
          code: 'sign_in',
          message: 'Sign in to use an address from your address book',
        },
      ]);
    if (!deps.addresses) throw new NotFoundError('Address lookup is not configured here');
    const address = await deps.addresses.get(q.address_id!, authorization);
    const zone = resolveZone(address, await deps.cachedZones());
    if (!zone)
      throw new ValidationError('We do not deliver to that address yet', [
        {
          field: '/query/address_id',
          code: 'outside_zones',
          message: `No delivery zone covers ${address.ward}, ${address.province}`,
        },
      ]);
    return zone.id;
  }

  function holdResponse(outcome: BatchOutcome, nextFree: () => Promise<unknown>) {
    switch (outcome.kind) {
      case 'held':
        return Promise.resolve({
          status: outcome.replayed ? 200 : 201,
          headers: { location: `/slot-holds/${outcome.hold.id}` },
          body: holdView(outcome.hold),
        });
      case 'full':
        return nextFree().then((next) => {
          throw new ConflictError('That window is full', { code: 'slot_full', next_available: next });
        });
      case 'closed':
        throw new ValidationError(CLOSED_REASONS[outcome.reason], [
          { field: '/slot', code: outcome.reason, message: CLOSED_REASONS[outcome.reason] },
        ]);
      case 'unknown_slot':
        throw new ValidationError('No such window', [
          { field: '/slot', code: 'unknown', message: `No window ${outcome.slot}` },
        ]);
      case 'too_many':
        throw new ConflictError(
          `A customer holds at most ${outcome.limit} windows at once; release one first`,
          {
            code: 'too_many_holds',
          },
        );
      case 'conflict':
        throw new ConflictError(outcome.message);
    }
  }

  function settled(result: SettleResult) {
    switch (result.kind) {
      case 'ok':
        return { status: 200, body: holdView(result.hold) };
      case 'not_found':
      case 'forbidden':
      case 'not_the_order':
        throw new NotFoundError('No such hold');
      case 'conflict':
        throw new ConflictError(result.message, { hold: holdView(result.hold) });
    }
  }

  return [
    route({
      method: 'GET',
      path: '/zones',
      doc: {
        summary: 'Every delivery zone',
        responses: {
          200: { description: 'The zones', body: Type.Object({ items: Type.Array(ZoneView) }) },
        },
      },
      async handle() {
        return {
          status: 200,
          headers: { 'cache-control': 'public, max-age=60' },
          body: { items: (await deps.zones.zones(deps.db)).map(zoneView) },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/zones/:id',
      params: ZoneParam,
      doc: {
        summary: 'A delivery zone',
        responses: {
          200: {
            description: 'The zone',
            body: ZoneView,
            headers: { etag: 'The zone\'s version, `"v<version>"`' },
          },
        },
        problems: [404],
      },
      async handle(req) {
        const zone = await deps.zones.zone(deps.db, req.params.id!);
        if (!zone) throw new NotFoundError(`No zone ${req.params.id}`);
        return { status: 200, headers: { etag: `"v${zone.version}"` }, body: zoneView(zone) };
      },
    }),
    guarded(
      check,
      { scope: 'delivery:write' },
      route({
        method: 'PUT',
        path: '/zones/:id',
        params: ZoneParam,
        body: ZoneBody,
        doc: {
          summary: 'Create or replace a delivery zone',
          description:
            "Ids starting `pickup-` are reserved for stores' pickup calendars. With `If-Match` the zone must still be at that version.",
          responses: {
            200: {
              description: 'Replaced',
              body: ZoneView,
              headers: { etag: 'The new version, `"v<version>"`', location: 'The zone: `/zones/{id}`' },
            },
            201: {
              description: 'Created',
              body: ZoneView,
              headers: { etag: 'The new version, `"v1"`', location: 'The zone: `/zones/{id}`' },
            },
          },
          problems: [412],
          ifMatch: true,
        },
        async handle(req) {
          const id = req.params.id!;
          if (id.startsWith('pickup-'))
            throw new ValidationError('Zone ids may not start with pickup-', [
              {
                field: '/id',
                code: 'reserved',
                message: 'pickup-<location> names a store’s pickup calendar',
              },
            ]);
          const body = req.body as ZoneBody;
          const expected = ifMatchVersion(req.headers['if-match'], 'v');
          const current = await deps.zones.zone(deps.db, id);
          if (expected !== undefined && current?.version !== expected)
            throw new PreconditionFailedError(`Zone ${id} is at version ${current?.version ?? 'none'}`);
          const version = await deps.zones.putZone(deps.db, {
            id,
            location: body.location,
            province: body.province,
            name: body.name,
            wards: body.wards,
            ...(body.polygons ? { polygons: body.polygons } : {}),
            ...(body.origin ? { origin: body.origin } : {}),
            carriers: body.carriers,
          });
          const zone = (await deps.zones.zone(deps.db, id))!;
          return {
            status: version === 1 ? 201 : 200,
            headers: { etag: `"v${version}"`, location: `/zones/${id}` },
            body: zoneView(zone),
          };
        },
      }),
    ),
    route({
      method: 'GET',
      path: '/calendars/:id',
      params: CalendarParam,
      doc: {
        summary: "A zone's delivery calendar or a store's pickup calendar (`pickup-<location>`)",
        responses: {
          200: {
            description: 'The calendar and its template',
            body: CalendarView,
            headers: { etag: 'The calendar\'s version, `"v<version>"`' },
          },
        },
        problems: [404],
      },
      async handle(req) {
        const cal = await deps.zones.calendar(deps.db, req.params.id!);
        if (!cal) throw new NotFoundError(`No calendar ${req.params.id}`);
        return {
          status: 200,
          headers: { etag: `"v${cal.version}"` },
          body: {
            id: cal.id,
            kind: cal.kind,
            location: cal.location,
            version: cal.version,
            ...templateView(cal.template),
          },
        };
      },
    }),
    guarded(
      check,
      { scope: 'delivery:write' },
      route({
        method: 'PUT',
        path: '/calendars/:id',
        params: CalendarParam,
        body: TemplateBody,
        doc: {
          summary: "Create or replace a calendar's template",
          description:
            "The id is a zone's (the zone must exist) or `pickup-<location>`. Writing it regenerates the slots of the days ahead, keeping what is held and booked. With `If-Match` the calendar must still be at that version.",
          responses: {
            200: {
              description: 'Replaced',
              body: CalendarView,
              headers: {
                etag: 'The new version, `"v<version>"`',
                location: 'The calendar: `/calendars/{id}`',
              },
            },
            201: {
              description: 'Created',
              body: CalendarView,
              headers: { etag: 'The new version, `"v1"`', location: 'The calendar: `/calendars/{id}`' },
            },
          },
          problems: [404, 412],
          ifMatch: true,
        },
        async handle(req) {
          const id = req.params.id!;
          const expected = ifMatchVersion(req.headers['if-match'], 'v');
          let kind: 'delivery' | 'pickup';
          let location: string;
          if (id.startsWith('pickup-')) {
            kind = 'pickup';
            location = id.slice('pickup-'.length);
          } else {
            const zone = await deps.zones.zone(deps.db, id);
            if (!zone)
              throw new NotFoundError(
                `No zone ${id}: create the zone first, or name a store's pickup calendar pickup-<location>`,
              );
            kind = 'delivery';
            location = zone.location;
          }
          const template = toTemplate(id, req.body as TemplateBody);
          const out = await deps.calendars.put({ id, kind, location, template }, now(), expected);
          if (!out.ok && 'problems' in out)
            throw new ValidationError('The calendar is not valid', out.problems);
          if (!out.ok) throw new PreconditionFailedError(`Calendar ${id} is at version ${out.stale}`);
          return {
            status: out.version === 1 ? 201 : 200,
            headers: { etag: `"v${out.version}"`, location: `/calendars/${id}` },
            body: { id, kind, location, version: out.version, ...templateView(template) },
          };
        },
      }),
    ),
    route({
      method: 'GET',
      path: '/slots',
      query: SlotsQuery,
      auth: {
        required: false,
        note: 'A bearer token is needed only with `address_id` (it is passed to the address book to read that address)',
      },
      doc: {
        summary: "One day's delivery or pickup windows with the places left",
        description:
          'Give exactly one of `zone`, `address_id` (one of your saved addresses; sign in) or `pickup` (a store); `date` defaults to today in Vietnam.',
        responses: { 200: { description: "The day's windows", body: DayView } },
        problems: [404, 503],
      },
      async handle(req) {
        const q = req.query as SlotsQuery;
        const at = now();
        const date = q.date ?? localDateOf(at);
        if (date < localDateOf(at))
          throw new ValidationError('That date has passed', [
            { field: '/query/date', code: 'past', message: `${date} is before today in Vietnam` },
          ]);
        const calendar = await calendarOf(req, q);
        const day = await deps.calendars.day(calendar, date, at);
        if (!day)
          throw new ValidationError('Unknown zone or store', [
            {
              field: q.pickup ? '/query/pickup' : '/query/zone',
              code: 'unknown',
              message: `No calendar ${calendar}`,
            },
          ]);
        return { status: 200, headers: { 'cache-control': 'no-store' }, body: day };
      },
    }),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/slot-holds',
        body: HoldBody,
        doc: {
          summary: 'Hold a place in a delivery or pickup window',
          description:
            'Idempotent by `id`: the same request again answers 200 with the hold. A customer holds for themselves; holding for another `customer_id` needs delivery:reserve, and a service must name the customer. A full window answers 409 with `next_available` windows.',
          responses: {
            200: {
              description: 'The same hold again (a replay)',
              body: HoldView,
              headers: { location: 'The hold: `/slot-holds/{id}`' },
            },
            201: {
              description: 'Held until `expires_at`',
              body: HoldView,
              headers: { location: 'The hold: `/slot-holds/{id}`' },
            },
          },
          problems: [403, 409],
        },
        async handle(req) {
          const body = req.body as HoldBody;
          const caller = req.auth!;
          if (
            body.customer_id !== undefined &&
            body.customer_id !== caller.sub &&
            !hasScope(caller, 'delivery:reserve')
          )
            throw new ForbiddenError('Holding for another customer needs the delivery:reserve permission', {
              scope: 'delivery:reserve',
            });
          const owner = body.customer_id ?? caller.sub;
          if (caller.kind === 'service' && body.customer_id === undefined)
            throw new ValidationError('Say which customer the place is for', [
              { field: '/customer_id', code: 'required', message: 'A service holds for a customer' },
            ]);
          const outcome = await deps.hold({
            id: body.id,
            slot: body.slot,
            ttlSeconds: body.ttl_seconds ?? TTL_SECONDS.fallback,
            units: body.units ?? 0,
            owner,
            actor: caller.sub,
            ...(body.order_id ? { orderId: body.order_id } : {}),
          });
          return holdResponse(outcome, () => suggested.get(body.slot));
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'GET',
        path: '/slot-holds/:id',
        params: HoldParam,
        doc: {
          summary: 'A slot hold',
          description: "The hold's customer, or a caller with delivery:reserve; anyone else gets 404.",
          responses: { 200: { description: 'The hold', body: HoldView } },
          problems: [404],
        },
        async handle(req) {
          const hold = await deps.holds.get(req.params.id!);
          const w = who(req.auth!);
          if (!hold || (!w.service && hold.owner !== w.subject)) throw new NotFoundError('No such hold');
          return { status: 200, body: holdView(hold) };
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/slot-holds/:id/book',
        params: HoldParam,
        doc: {
          summary: 'Book a held place',
          description:
            'The hold\'s customer, or a caller with delivery:reserve. The optional body `{ "order_id" }` links the place to its order. A hold that can no longer be booked answers 409 with the hold.',
          requestBody: {
            contentTypes: ['application/json'],
            description: 'Optional: the order the place is for',
            schema: BookBody,
            required: false,
          },
          responses: { 200: { description: 'The booked hold', body: HoldView } },
          problems: [404, 409],
        },
        async handle(req) {
          // The body is optional: `{ "order_id": ... }` links the booked place to its order.
          const body = req.rawBody.length ? validate(BookBody, parseJsonBody(req.headers, req.rawBody)) : {};
          return settled(await deps.holds.book(req.params.id!, who(req.auth!), now(), body.order_id));
        },
      }),
    ),
    guarded(
      check,
      {},
      route({
        method: 'POST',
        path: '/slot-holds/:id/release',
        params: HoldParam,
        doc: {
          summary: 'Release a held or booked place',
          description:
            "The hold's customer, or a caller with delivery:reserve. A hold that can no longer be released answers 409 with the hold.",
          responses: { 200: { description: 'The released hold', body: HoldView } },
          problems: [404, 409],
        },
        async handle(req) {
          return settled(await deps.holds.release(req.params.id!, who(req.auth!), now()));
        },
      }),
    ),
  ];
}
