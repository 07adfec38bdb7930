/**
 * Deliveries and pickups of orders. Creating one checks the order's booked slot hold; a delivery
 * is then booked with a carrier chosen by the rules (choose.ts), falling back down the list when a
 * booking fails. The carrier is called outside any transaction, under a claim on the row, so a
 * crash or a retry never books two trips; a delivery left unbooked is retried by the job. Carrier
 * statuses (webhooks, re-reads, staff for the own fleet) are deduplicated and applied only when
 * they move the delivery forward (status.ts). Pickups get a six-digit code when ready; staff hand
 * the order over against it, once.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import {
  codCollected,
  deliveryBooked,
  deliveryStatusChanged,
  pickupCollected,
  pickupReady,
} from '../../events';
import type { Queryable } from '../shared/db';
import { buildEvent } from '../shared/eventing/outbox';
import { hashRequest } from '../shared/idempotency';
import { createLogger } from '../shared/log';
import type { UnitOfWork, Work } from '../shared/unit-of-work';
import {
  BookingUncertainError,
  type Carrier,
  type CarrierName,
  type CarrierUpdate,
  type DeliveryStatus,
  type Parcel,
  type Party,
  type WebhookRequest,
} from './carrier';
import { chooseCarriers, type QuoteAnswer } from './choose';
import type { DeliveryRow, DeliveryStore } from './delivery-store';
import type { SlotStore } from './slot-store';
import { advance } from './status';
import type { ZoneStore } from './zone-store';

const log = createLogger('delivery');

/** What a caller asks for. */
export interface CreateDelivery {
  id: string;
  order_id: string;
  customer_id: string;
  kind: 'delivery' | 'pickup';
  /** The order's booked slot hold (a delivery window, or a pickup window). */
  hold_id: string;
  destination?: Party;
  parcel: Parcel;
  cod_vnd: number;
}

/** What creating comes to. */
export type CreateResult =
  | { kind: 'ok'; delivery: DeliveryRow; replayed: boolean }
  | { kind: 'invalid'; field: string; code: string; message: string }
  | { kind: 'conflict'; message: string };

/** What applying a carrier status comes to. */
export type ApplyResult =
  | { kind: 'applied'; delivery: DeliveryRow }
  | { kind: 'ignored'; why: string }
  | { kind: 'unknown_delivery' };

/** The epoch: a delivery's carrier time before the carrier has said anything. */
const NEVER = new Date(0);
/** How long one caller may spend booking carriers before another may try. */
const CLAIM_MS = 60_000;
/** Wrong pickup codes tried before the code is locked (staff then check the customer's ID). */
export const MAX_CODE_ATTEMPTS = 5;

const codeHash = (id: string, code: string) => createHash('sha256').update(`${id}:${code}`).digest();

/** What the use cases run on. */
export interface DeliveryDeps {
  work: UnitOfWork;
  db: Queryable;
  deliveries: DeliveryStore;
  slots: SlotStore;
  zones: ZoneStore;
  carriers: ReadonlyMap<CarrierName, Carrier>;
}

/** The delivery use cases. */
export function deliveryUseCases(deps: DeliveryDeps) {
  const { work, db, deliveries, slots, zones, carriers } = deps;

  /** Applies one status under the row lock: dedupe (webhooks), rank, log, events. */
  async function applyIn(
    { tx, emit }: Work,
    row: DeliveryRow,
    u: CarrierUpdate,
    source: string,
    now: Date,
  ): Promise<ApplyResult> {
    if (u.status === undefined) {
      await deliveries.log(tx, {
        delivery_id: row.id,
        source,
        raw_status: u.rawStatus,
        status: null,
        at: u.at,
        outcome: 'unknown_status',
      });
      log.warn('carrier sent a status we do not know; kept raw and flagged', {
        carrier: u.carrier,
        raw: u.rawStatus,
        delivery: row.id,
      });
      return { kind: 'ignored', why: 'unknown_status' };
    }
    const current = row.status === 'booking' ? 'pending' : (row.status as DeliveryStatus);
    const verdict = advance({ status: current, at: row.status_at }, { status: u.status, at: u.at });
    await deliveries.log(tx, {
      delivery_id: row.id,
      source,
      raw_status: u.rawStatus,
      status: u.status,
      at: u.at,
      outcome: verdict.apply ? 'applied' : verdict.why,
    });
    if (!verdict.apply) return { kind: 'ignored', why: verdict.why };
    const collected =
      u.status === 'delivered' && row.cod_vnd > 0 ? (u.codCollectedVnd ?? row.cod_vnd) : undefined;
    const updated = await deliveries.update(
      tx,
      row.id,
      {
        status: u.status,
        status_at: u.at,
        ...(u.trackingUrl ? { tracking_url: u.trackingUrl } : {}),
        ...(u.driver ? { driver: u.driver } : {}),
        ...(u.etaAt ? { eta_at: u.etaAt } : {}),
        ...(collected !== undefined ? { cod_collected_vnd: collected } : {}),
      },
      now,
    );
    emit(
      buildEvent(deliveryStatusChanged, {
        delivery_id: row.id,
        order_id: row.order_id,
        customer_id: row.customer_id,
        carrier: row.carrier!,
        status: u.status,
        previous: current,
        raw_status: u.rawStatus.slice(0, 64),
        reason: u.reason?.slice(0, 500) ?? null,
        tracking_url: updated.tracking_url,
        eta_at: updated.eta_at?.toISOString() ?? null,
        at: u.at.toISOString(),
        version: updated.version,
      }),
    );
    if (collected !== undefined)
      emit(
        buildEvent(codCollected, {
          delivery_id: row.id,
          order_id: row.order_id,
          carrier: row.carrier!,
          amount_vnd: collected,
          expected_vnd: row.cod_vnd,
          collected_at: u.at.toISOString(),
        }),
      );
    return { kind: 'applied', delivery: updated };
  }

  /** Books a carrier for a delivery waiting for one (under a claim); returns the row as it ends up. */
  async function book(id: string, now = new Date()): Promise<DeliveryRow> {
    if (!(await deliveries.claimBooking(db, id, now, CLAIM_MS))) return (await deliveries.get(db, id))!;
    const row = (await deliveries.get(db, id))!;
    const zone = row.zone ? await zones.zone(db, row.zone) : undefined;
    const hold = await slots.hold(db, row.hold_id);
    const slot = hold ? await slots.get(db, hold.slot) : undefined;
    // A carrier that may already hold the trip is the only one tried, unless it confirms that
    // nothing is left under our reference.
    let stuckWith = row.carrier;
    const stuck = stuckWith ? carriers.get(stuckWith) : undefined;
    if (stuck?.releaseReference && (await stuck.releaseReference(row.id))) stuckWith = null;
    const allowed = stuckWith ? [stuckWith] : (zone?.carriers ?? ['own_fleet']);
    const names = allowed.filter((c) => carriers.has(c) && (c === 'own_fleet' || zone?.origin));
    const origin: Party = zone?.origin ?? {
      name: row.location,
      phone: '',
      street: '',
      ward: '',
      province: zone?.province ?? '',
    };
    const request = {
      origin,
      destination: row.destination!,
      parcel: row.parcel,
      codVnd: row.cod_vnd,
      ...(slot ? { window: { start: slot.starts_at, end: slot.ends_at } } : {}),
    };
    const answers = await Promise.all(
      names.map(async (name): Promise<QuoteAnswer> => {
        try {
          return { carrier: name, quote: await carriers.get(name)!.quote(request) };
        } catch (err) {
          return { carrier: name, error: (err as Error).message };
        }
      }),
    );
    const choice = chooseCarriers(
      answers,
      zone?.carriers ?? ['own_fleet'],
      {
        weightGrams: row.parcel.weightGrams,
        codVnd: row.cod_vnd,
        ...(slot ? { windowEnd: slot.ends_at } : {}),
      },
      now,
    );
    const fallbacks: { carrier: CarrierName; reason: string }[] = [...row.fallbacks];
    for (const quote of choice.order) {
      try {
        const booking = await carriers
          .get(quote.carrier)!
          .book({ ...request, reference: row.id, service: quote.service });
        return await work((w) =>
          recordBooking(
            w,
            row,
            { ...booking, feeVnd: booking.feeVnd ?? quote.feeVnd },
            quote.service,
            fallbacks,
            now,
          ),
        );
      } catch (err) {
        if (err instanceof BookingUncertainError) {
          // Another carrier now could send two riders: stay with this one until it says (a retry
          // or its webhook naming our reference).
          log.warn('carrier may hold the trip; waiting for it', {
            carrier: quote.carrier,
            delivery: row.id,
            err,
          });
          const waiting = [...fallbacks, { carrier: quote.carrier, reason: err.message.slice(0, 500) }];
          return work(({ tx }) =>
            deliveries.update(
              tx,
              row.id,
              {
                carrier: quote.carrier,
                service: quote.service,
                fee_vnd: quote.feeVnd,
                fallbacks: waiting.slice(-20),
              },
              now,
            ),
          );
        }
        log.warn('carrier booking failed; trying the next', {
          carrier: quote.carrier,
          delivery: row.id,
          err,
        });
        fallbacks.push({ carrier: quote.carrier, reason: (err as Error).message.slice(0, 500) });
      }
    }
    // Nobody took it: keep it waiting (the job retries once the claim lapses) and say why.
    const skipped = choice.skipped.map((s) => ({ carrier: s.carrier, reason: s.reason }));
    return work(({ tx }) =>
      deliveries.update(
        tx,
        row.id,
        { carrier: stuckWith, fallbacks: [...fallbacks, ...skipped].slice(-20) },
        now,
      ),
    );
  }

  /** Writes a carrier's booking on the delivery and announces it (in the caller's unit of work). */
  async function recordBooking(
    { tx, emit }: Work,
    row: DeliveryRow,
    booking: {
      carrier: CarrierName;
      carrierRef: string;
      status: DeliveryStatus;
      rawStatus: string;
      feeVnd?: number;
      trackingUrl?: string;
    },
    service: string,
    fallbacks: { carrier: CarrierName; reason: string }[],
    now: Date,
  ): Promise<DeliveryRow> {
    const updated = await deliveries.update(
      tx,
      row.id,
      {
        status: booking.status,
        status_at: NEVER,
        carrier: booking.carrier,
        service,
        carrier_ref: booking.carrierRef,
        fee_vnd: booking.feeVnd ?? null,
        tracking_url: booking.trackingUrl ?? null,
        fallbacks,
      },
      now,
    );
    await deliveries.log(tx, {
      delivery_id: row.id,
      source: 'booking',
      raw_status: booking.rawStatus,
      status: booking.status,
      at: now,
      outcome: 'applied',
    });
    const hold = await slots.hold(tx, row.hold_id);
    emit(
      buildEvent(deliveryBooked, {
        delivery_id: row.id,
        order_id: row.order_id,
        customer_id: row.customer_id,
        carrier: booking.carrier,
        service,
        carrier_ref: booking.carrierRef,
        tracking_url: booking.trackingUrl ?? null,
        fee_vnd: updated.fee_vnd ?? 0,
        cod_vnd: row.cod_vnd,
        slot: hold?.slot ?? null,
        fallbacks: fallbacks.slice(-10),
        booked_at: now.toISOString(),
      }),
    );
    return updated;
  }

  return {
    get: (id: string) => deliveries.get(db, id),
    history: (id: string) => deliveries.history(db, id),
    book,

    /** Creates the delivery or pickup of an order (idempotent by id) and books its carrier. */
    async create(input: CreateDelivery, now = new Date()): Promise<CreateResult> {
      const hash = hashRequest({ ...input, id: undefined });
      const hold = await slots.hold(db, input.hold_id);
      if (!hold || hold.owner !== input.customer_id)
        return {
          kind: 'invalid',
          field: '/hold_id',
          code: 'unknown',
          message: `No hold ${input.hold_id} for this customer`,
        };
      const slot = (await slots.get(db, hold.slot))!;
      const calendar = (await zones.calendar(db, slot.calendar))!;
      if (calendar.kind !== input.kind)
        return {
          kind: 'invalid',
          field: '/hold_id',
          code: 'kind',
          message: `Hold ${hold.id} is for a ${calendar.kind} window`,
        };
      if ((input.kind === 'delivery') !== (input.destination !== undefined))
        return {
          kind: 'invalid',
          field: '/destination',
          code: input.kind === 'delivery' ? 'required' : 'not_allowed',
          message: 'A delivery has a destination; a pickup has none',
        };
      const existing = await deliveries.get(db, input.id);
      if (!existing) {
        if (hold.state !== 'booked')
          return { kind: 'conflict', message: `Hold ${hold.id} is ${hold.state}: book it first` };
        const inserted = await deliveries.insert(
          db,
          {
            id: input.id,
            order_id: input.order_id,
            customer_id: input.customer_id,
            kind: input.kind,
            location: calendar.location,
            zone: input.kind === 'delivery' ? calendar.id : null,
            hold_id: hold.id,
            request_hash: hash,
            destination: input.destination ?? null,
            parcel: input.parcel,
            cod_vnd: input.cod_vnd,
            status: input.kind === 'delivery' ? 'booking' : 'pending',
          },
          now,
        );
        if (!inserted && !(await deliveries.get(db, input.id)))
          return { kind: 'conflict', message: `Order ${input.order_id} already has a ${input.kind}` };
      }
      const row = (await deliveries.get(db, input.id))!;
      if (row.request_hash !== hash)
        return { kind: 'conflict', message: `Delivery ${input.id} exists with a different request` };
      const replayed = existing !== undefined;
      if (row.status !== 'booking') return { kind: 'ok', delivery: row, replayed };
      return { kind: 'ok', delivery: await book(row.id, now), replayed };
    },

    /** Books the deliveries left waiting (crash, every carrier down); returns how many were tried. */
    async retryUnbooked(now = new Date()): Promise<number> {
      const ids = await deliveries.unbooked(db, now, 20);
      for (const id of ids) await book(id, now);
      return ids.length;
    },

    /**
     * A carrier's webhook: authenticated and parsed by its adapter (throws WebhookAuthError or
     * WebhookFormatError before anything is written), each update deduplicated and, for carriers
     * whose webhooks prove nothing, replaced by a fresh read of the carrier's API.
     */
    async webhook(name: CarrierName, req: WebhookRequest, now = new Date()): Promise<ApplyResult[]> {
      const carrier = carriers.get(name)!;
      const results: ApplyResult[] = [];
      for (const heard of carrier.parseWebhook(req)) {
        const update = carrier.webhookTrusted ? heard : await carrier.track(heard.carrierRef);
        results.push(
          await work(async (w) => {
            let row = await deliveries.byCarrierRef(w.tx, name, heard.carrierRef, true);
            if (!row && heard.reference) {
              // A trip whose booking went unconfirmed: its first webhook names our reference.
              const waiting = await deliveries.get(w.tx, heard.reference, true);
              // A cancelled trip is one our clean-up (or the carrier) ended: nothing to adopt.
              const live = update.status !== undefined && update.status !== 'cancelled';
              if (live && waiting?.status === 'booking' && waiting.carrier === name) {
                const service = waiting.service ?? 'unconfirmed';
                const trip = {
                  carrier: name,
                  carrierRef: heard.carrierRef,
                  status: 'pending' as const,
                  rawStatus: 'adopted_from_webhook',
                  ...(waiting.fee_vnd !== null ? { feeVnd: waiting.fee_vnd } : {}),
                };
                row = await recordBooking(w, waiting, trip, service, waiting.fallbacks, now);
              }
            }
            if (!row) return { kind: 'unknown_delivery' as const };
            if (!(await deliveries.firstSeen(w.tx, name, heard.carrierRef, heard.rawStatus, heard.at)))
              return { kind: 'ignored' as const, why: 'repeat' };
            return applyIn(w, row, update, carrier.webhookTrusted ? 'webhook' : 'webhook+track', now);
          }),
        );
      }
      return results;
    },

    /** Staff set an own-fleet trip's status (the riders' app). */
    async setStatus(
      id: string,
      input: {
        status: DeliveryStatus;
        driver?: { name?: string; phone?: string; plate?: string };
        reason?: string;
        cod_collected_vnd?: number;
      },
      now = new Date(),
    ): Promise<ApplyResult | { kind: 'not_found' } | { kind: 'conflict'; message: string }> {
      return work(async (w) => {
        const row = await deliveries.get(w.tx, id, true);
        if (!row || row.kind !== 'delivery') return { kind: 'not_found' as const };
        if (row.carrier !== 'own_fleet')
          return {
            kind: 'conflict' as const,
            message: `Delivery ${id} is with ${row.carrier ?? 'no carrier yet'}: its statuses come from the carrier`,
          };
        return applyIn(
          w,
          row,
          {
            carrier: 'own_fleet',
            carrierRef: row.carrier_ref!,
            status: input.status,
            rawStatus: input.status,
            at: now,
            ...(input.driver ? { driver: input.driver } : {}),
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.cod_collected_vnd !== undefined ? { codCollectedVnd: input.cod_collected_vnd } : {}),
          },
          'staff',
          now,
        );
      });
    },

    /** Cancels a delivery's trip with its carrier (or a pickup); cancelling twice is a no-op. */
    async cancel(id: string, now = new Date()): Promise<DeliveryRow | undefined> {
      const row = await deliveries.get(db, id);
      if (!row) return undefined;
      if (row.status === 'cancelled') return row;
      if (row.carrier && row.carrier_ref) await carriers.get(row.carrier)?.cancel(row.carrier_ref);
      return work(async (w) => {
        const locked = (await deliveries.get(w.tx, id, true))!;
        if (locked.kind === 'pickup' || locked.status === 'booking') {
          if (locked.status === 'collected') return locked;
          return deliveries.update(w.tx, id, { status: 'cancelled', status_at: now }, now);
        }
        const out = await applyIn(
          w,
          locked,
          {
            carrier: locked.carrier!,
            carrierRef: locked.carrier_ref!,
            status: 'cancelled',
            rawStatus: 'cancelled_by_tuoi',
            at: new Date(Math.max(now.getTime(), locked.status_at.getTime())),
          },
          'cancel',
          now,
        );
        return out.kind === 'applied' ? out.delivery : (await deliveries.get(w.tx, id))!;
      });
    },

    /** Marks a pickup ready and gives it a code (sent to the customer in pickup.ready). */
    async ready(
      id: string,
      now = new Date(),
    ): Promise<
      | { kind: 'ok'; delivery: DeliveryRow; replayed: boolean }
      | { kind: 'not_found' }
      | { kind: 'conflict'; message: string }
    > {
      return work(async ({ tx, emit }) => {
        const row = await deliveries.get(tx, id, true);
        if (!row || row.kind !== 'pickup') return { kind: 'not_found' as const };
        if (row.status === 'ready') return { kind: 'ok' as const, delivery: row, replayed: true };
        if (row.status !== 'pending')
          return { kind: 'conflict' as const, message: `Pickup ${id} is ${row.status}` };
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const updated = await deliveries.update(
          tx,
          id,
          { status: 'ready', status_at: now, pickup_code_hash: codeHash(id, code).toString('hex') },
          now,
        );
        const hold = await slots.hold(tx, row.hold_id);
        const slot = (await slots.get(tx, hold!.slot))!;
        emit(
          buildEvent(pickupReady, {
            delivery_id: id,
            order_id: row.order_id,
            customer_id: row.customer_id,
            location: row.location,
            window_starts_at: slot.starts_at.toISOString(),
            window_ends_at: slot.ends_at.toISOString(),
            pickup_code: code,
            ready_at: now.toISOString(),
          }),
        );
        return { kind: 'ok' as const, delivery: updated, replayed: false };
      });
    },

    /** Staff hand a ready pickup over against its code, once; wrong codes are counted and lock it. */
    async collect(
      id: string,
      code: string,
      staff: string,
      now = new Date(),
    ): Promise<
      | { kind: 'ok'; delivery: DeliveryRow }
      | { kind: 'not_found' }
      | { kind: 'wrong_code'; left: number }
      | { kind: 'conflict'; message: string }
    > {
      return work(async ({ tx, emit }) => {
        const row = await deliveries.get(tx, id, true);
        if (!row || row.kind !== 'pickup') return { kind: 'not_found' as const };
        if (row.status === 'collected')
          return { kind: 'conflict' as const, message: `Pickup ${id} was already collected` };
        if (row.status !== 'ready')
          return { kind: 'conflict' as const, message: `Pickup ${id} is ${row.status}, not ready` };
        if (row.code_attempts >= MAX_CODE_ATTEMPTS)
          return {
            kind: 'conflict' as const,
            message: `Too many wrong codes for pickup ${id}: check the customer's order in the app`,
          };
        const expected = Buffer.from(row.pickup_code_hash!, 'hex');
        if (!timingSafeEqual(expected, codeHash(id, code))) {
          await deliveries.update(tx, id, { code_attempts: row.code_attempts + 1 }, now);
          return { kind: 'wrong_code' as const, left: MAX_CODE_ATTEMPTS - row.code_attempts - 1 };
        }
        const updated = await deliveries.update(
          tx,
          id,
          {
            status: 'collected',
            status_at: now,
            collected_by: staff,
            ...(row.cod_vnd > 0 ? { cod_collected_vnd: row.cod_vnd } : {}),
          },
          now,
        );
        emit(
          buildEvent(pickupCollected, {
            delivery_id: id,
            order_id: row.order_id,
            customer_id: row.customer_id,
            location: row.location,
            collected_at: now.toISOString(),
            collected_by: staff,
          }),
        );
        // Cash on delivery of a pickup is paid at the counter as the order is handed over: the
        // store's own staff collected it (payment settles the order's COD payment from this).
        if (row.cod_vnd > 0)
          emit(
            buildEvent(codCollected, {
              delivery_id: id,
              order_id: row.order_id,
              carrier: 'own_fleet',
              amount_vnd: row.cod_vnd,
              expected_vnd: row.cod_vnd,
              collected_at: now.toISOString(),
            }),
          );
        return { kind: 'ok' as const, delivery: updated };
      });
    },
  };
}

export type DeliveryUseCases = ReturnType<typeof deliveryUseCases>;
