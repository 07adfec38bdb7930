/**
 * Grab Express's wire format both ways, as pure functions: our quote and booking requests as
 * Grab's JSON, Grab's quote, delivery and webhook bodies as our types, its status words, and the
 * constant-time check of the webhook's static headers. No I/O (adapter.ts does the calls); the
 * facts each field follows, and which are unconfirmed, are in README.md.
 */
import {
  CarrierRefusedError,
  WebhookAuthError,
  WebhookFormatError,
  type BookRequest,
  type Booking,
  type CarrierQuote,
  type CarrierUpdate,
  type DeliveryStatus,
  type Parcel,
  type Party,
  type QuoteRequest,
} from '../../carrier';
import { sameSecret } from '../common';

/** The services Tươi books: INSTANT now, SAME_DAY with a pickup schedule. */
export type GrabServiceType = 'INSTANT' | 'SAME_DAY';

/** A window starting more than this far ahead is booked SAME_DAY, picked up within the window. */
export const SAME_DAY_LEAD_MS = 60 * 60_000;

/** Grab's status words in Tươi's vocabulary; any other word is unknown (kept raw, never applied). */
export const GRAB_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  ALLOCATING: 'pending',
  PENDING_PICKUP: 'assigned',
  PICKING_UP: 'assigned',
  PENDING_DROP_OFF: 'picked_up',
  IN_DELIVERY: 'in_transit',
  COMPLETED: 'delivered',
  CANCELED: 'cancelled',
  FAILED: 'failed',
  IN_RETURN: 'returning',
  RETURNED: 'returned',
};

/** Tươi's status for a Grab status word, or undefined when Grab sent one we do not know. */
export function grabStatus(raw: string): DeliveryStatus | undefined {
  return Object.hasOwn(GRAB_STATUSES, raw) ? GRAB_STATUSES[raw] : undefined;
}

/** SAME_DAY when the customer's window starts more than an hour from `now`, else INSTANT. */
export function serviceTypeFor(window: QuoteRequest['window'], now: Date): GrabServiceType {
  return window && window.start.getTime() - now.getTime() > SAME_DAY_LEAD_MS ? 'SAME_DAY' : 'INSTANT';
}

/** The service for a booking: the quoted one when given (SAME_DAY only with a window), else by window. */
export function bookingServiceType(req: BookRequest, now: Date): GrabServiceType {
  if (req.service === 'SAME_DAY' && req.window) return 'SAME_DAY';
  if (req.service === 'INSTANT') return 'INSTANT';
  return serviceTypeFor(req.window, now);
}

/** E.164 without the plus (`+84901234567` → `84901234567`). */
export const grabPhone = (e164: string) => e164.replace(/^\+/, '');

function place(p: Party) {
  return {
    address: `${p.street}, ${p.ward}`,
    keywords: p.ward,
    ...(p.geo ? { coordinates: { latitude: p.geo.lat, longitude: p.geo.lng } } : {}),
  };
}

/** One package for the whole bag: Grab's weight is whole grams; the item list is its description. */
function packages(parcel: Parcel) {
  const description = parcel.items.map((i) => `${i.qty}× ${i.name}`).join(', ');
  return [
    {
      name: 'Thực phẩm',
      description: description.slice(0, 500),
      quantity: 1,
      price: parcel.valueVnd,
      dimensions: { weight: Math.round(parcel.weightGrams) },
    },
  ];
}

/** The quote body: Tươi pays the fee (CASHLESS); COD only when there is cash to collect. */
export function toGrabQuote(req: QuoteRequest, serviceType: GrabServiceType) {
  return {
    serviceType,
    vehicleType: 'BIKE',
    paymentMethod: 'CASHLESS',
    packages: packages(req.parcel),
    origin: place(req.origin),
    destination: place(req.destination),
    ...(req.codVnd > 0 ? { codType: 'REGULAR', cashOnDelivery: { amount: req.codVnd } } : {}),
    ...(serviceType === 'SAME_DAY' && req.window
      ? {
          schedule: {
            pickupTimeFrom: req.window.start.toISOString(),
            pickupTimeTo: req.window.end.toISOString(),
          },
        }
      : {}),
  };
}

/** The create body: the quote body plus our reference as `merchantOrderID` and both contacts. */
export function toGrabDelivery(req: BookRequest, serviceType: GrabServiceType) {
  return {
    merchantOrderID: req.reference,
    ...toGrabQuote(req, serviceType),
    payer: 'SENDER',
    sender: { firstName: req.origin.name, phone: grabPhone(req.origin.phone), smsEnabled: false },
    recipient: {
      firstName: req.destination.name,
      phone: grabPhone(req.destination.phone),
      smsEnabled: true,
      ...(req.note ? { instruction: req.note } : {}),
    },
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** An instant from epoch seconds, epoch milliseconds (either maybe as digits) or ISO 8601. */
export function parseInstant(v: unknown): Date | undefined {
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) return new Date(n < 1e12 ? n * 1000 : n);
  const parsed = typeof n === 'string' ? Date.parse(n) : NaN;
  return Number.isFinite(parsed) ? new Date(parsed) : undefined;
}

/** The quote for `serviceType` in a quotes answer, or undefined when Grab offers none (out of coverage). */
export function fromGrabQuotes(
  body: unknown,
  serviceType: GrabServiceType,
  now: Date,
): CarrierQuote | undefined {
  const quotes = Array.isArray(obj(body).quotes) ? (obj(body).quotes as unknown[]).map(obj) : [];
  const typeOf = (q: Json) => str(q.service) ?? str(obj(q.service).type);
  const q = quotes.find((x) => typeOf(x) === serviceType) ?? quotes[0];
  const amount = q && num(q.amount);
  if (!q || amount === undefined) return undefined;
  const dropoff = parseInstant(obj(q.estimatedTimeline).dropoff);
  const distance = num(q.distance);
  return {
    carrier: 'grab',
    service: typeOf(q) ?? serviceType,
    feeVnd: Math.round(amount),
    ...(dropoff ? { etaMinutes: Math.max(0, Math.round((dropoff.getTime() - now.getTime()) / 60_000)) } : {}),
    ...(distance !== undefined ? { distanceMetres: Math.round(distance) } : {}),
  };
}

/** The booking a create answer describes. */
export function toBooking(body: unknown): Booking {
  const d = obj(body);
  const carrierRef = str(d.deliveryID);
  if (!carrierRef)
    throw new CarrierRefusedError('grab', 'bad_answer', 'create answered without a deliveryID');
  const rawStatus = str(d.status) ?? 'ALLOCATING';
  const fee = num(obj(d.quote).amount);
  return {
    carrier: 'grab',
    carrierRef,
    ...(fee !== undefined ? { feeVnd: Math.round(fee) } : {}),
    ...(str(d.trackingURL) ? { trackingUrl: str(d.trackingURL) } : {}),
    status: grabStatus(rawStatus) ?? 'pending',
    rawStatus,
  };
}

function driverOf(d: Json): CarrierUpdate['driver'] {
  if (!str(d.name) && !str(d.phone)) return undefined;
  const plate = str(d.licensePlate) ?? str(obj(d.vehicle).licensePlate);
  return { name: str(d.name), phone: str(d.phone), ...(plate ? { plate } : {}) };
}

/** The latest instant in a timeline object (the moment the current status was reached). */
function latest(timeline: unknown): Date | undefined {
  const times = Object.values(obj(timeline))
    .map(parseInstant)
    .filter((t): t is Date => t !== undefined);
  return times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : undefined;
}

function update(
  fields: { ref: string; reference?: string; rawStatus: string; at: Date; reason?: string },
  extra: Partial<CarrierUpdate>,
): CarrierUpdate {
  const status = grabStatus(fields.rawStatus);
  const failing =
    status === 'failed' || status === 'cancelled' || status === 'returning' || status === 'returned';
  return {
    carrier: 'grab',
    carrierRef: fields.ref,
    ...(fields.reference ? { reference: fields.reference } : {}),
    status,
    rawStatus: fields.rawStatus,
    at: fields.at,
    ...(failing && fields.reason ? { reason: fields.reason } : {}),
    ...extra,
  };
}

/** A delivery as GET /v1/deliveries/{id} answers it; the COD asked for counts as collected once COMPLETED. */
export function fromGrabDelivery(body: unknown, now: Date): CarrierUpdate {
  const d = obj(body);
  const ref = str(d.deliveryID);
  const rawStatus = str(d.status);
  if (!ref || !rawStatus)
    throw new CarrierRefusedError('grab', 'bad_answer', 'delivery without deliveryID/status');
  const driver = driverOf(obj(d.courier));
  return update(
    {
      ref,
      reference: str(d.merchantOrderID),
      rawStatus,
      at: latest(d.timeline) ?? now,
      reason: str(obj(d.advanceInfo).failedReason) ?? str(d.failedReason),
    },
    {
      ...(driver ? { driver } : {}),
      ...(str(d.trackingURL) ? { trackingUrl: str(d.trackingURL) } : {}),
      ...(rawStatus === 'COMPLETED' ? { codCollectedVnd: num(obj(d.cashOnDelivery).amount) ?? 0 } : {}),
    },
  );
}

/** One webhook body; throws WebhookFormatError when it is not Grab's shape. */
export function fromGrabWebhook(body: unknown, now: Date): CarrierUpdate {
  const w = obj(body);
  const ref = str(w.deliveryID);
  const rawStatus = str(w.status);
  if (!ref || !rawStatus) throw new WebhookFormatError('grab', 'deliveryID and status are required');
  const driver = driverOf(obj(w.driver));
  return update(
    {
      ref,
      reference: str(w.merchantOrderID),
      rawStatus,
      at: parseInstant(w.timestamp) ?? now,
      reason: str(w.failedReason),
    },
    { ...(driver ? { driver } : {}), ...(str(w.trackURL) ? { trackingUrl: str(w.trackURL) } : {}) },
  );
}

/** Checks the static `Authorization` and `Authorization-Id` headers; throws WebhookAuthError. */
export function checkGrabWebhookAuth(
  headers: Readonly<Record<string, string | undefined>>,
  expected: { authorization?: string; authorizationId?: string },
): void {
  if (!expected.authorization || !expected.authorizationId)
    throw new WebhookAuthError('grab', 'webhook credentials are not configured');
  const auth = sameSecret(headers['authorization'], expected.authorization);
  const id = sameSecret(headers['authorization-id'], expected.authorizationId);
  if (!auth || !id) throw new WebhookAuthError('grab', 'Authorization/Authorization-Id do not match');
}

/** A refusal read from a 4xx answer: Grab's `{code, message}` or OAuth's `{error, error_description}`. */
export function grabRefusal(status: number, text: string): CarrierRefusedError {
  let body: Json = {};
  try {
    body = obj(JSON.parse(text));
  } catch {
    // not JSON: the status and text say it all
  }
  const code = str(body.code) ?? str(body.error) ?? `http_${status}`;
  const detail = str(body.message) ?? str(body.error_description) ?? (text.slice(0, 200) || `HTTP ${status}`);
  return new CarrierRefusedError('grab', code, detail);
}
