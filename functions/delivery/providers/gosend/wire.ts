/**
 * GoSend's wire format both ways, as pure functions: the price query and booking body from our
 * requests, GoSend's price, booking, status and webhook bodies as our types, its status words (two
 * vocabularies: snake_case in webhooks, display words in status reads), phones and money by market,
 * and the constant-time check of the webhook's auth header. No I/O (adapter.ts does the calls); the
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
  type Party,
} from '../../carrier';
import { isRecord, sameSecret } from '../common';

/** The markets GoSend serves Tươi in: the currency it prices in and the country's dialling code. */
export const MARKETS = {
  ID: { currency: 'IDR', minorPerUnit: 1, dial: '62' }, // rupiah: no minor unit in practice
  SG: { currency: 'SGD', minorPerUnit: 100, dial: '65' }, // cents
} as const;
export type GoSendMarket = keyof typeof MARKETS;

/** GoSend's `shipment_method`s. Tươi books Instant unless a SameDay quote was taken. */
export type ShipmentMethod = 'Instant' | 'SameDay';

/** `paymentType` 3: corporate billing (GoSend invoices monthly); the only one the API offers without COD. */
export const PAYMENT_TYPE = 3;

/** GoSend's status words, folded (lower case, spaces as `_`), in Tươi's vocabulary; others are unknown. */
export const GOSEND_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  confirmed: 'pending',
  finding_driver: 'pending',
  allocated: 'assigned',
  driver_allocated: 'assigned',
  out_for_pickup: 'assigned',
  enroute_pickup: 'assigned',
  picked: 'picked_up',
  item_picked: 'picked_up',
  out_for_delivery: 'in_transit',
  enroute_drop: 'in_transit',
  on_hold: 'failed', // recipient unreachable, weather…: the attempt is held; delivery may resume
  delivered: 'delivered',
  completed: 'delivered',
  cancelled: 'cancelled',
  no_driver: 'cancelled', // GoSend ends the booking when no driver takes it
  driver_not_found: 'cancelled',
  rejected: 'returned', // drop-off failed, the driver brings the goods back; GoSend's last word
};

/** A status word folded: `Driver not found` → `driver_not_found`. */
const fold = (raw: string) =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Tươi's status for a GoSend status word (either vocabulary), or undefined when unknown. */
export function gosendStatus(raw: string): DeliveryStatus | undefined {
  const key = fold(raw);
  return Object.hasOwn(GOSEND_STATUSES, key) ? GOSEND_STATUSES[key] : undefined;
}

/** Whether a booking in this status no longer serves the reference (a new one may be booked). */
export function isDead(raw: string): boolean {
  const status = gosendStatus(raw);
  return status === 'cancelled' || status === 'returned';
}

/** E.164 as GoSend writes phones: digits with the country code (`+6281234567890` → `6281234567890`). */
export function gosendPhone(phone: string, market: GoSendMarket): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits.slice(1);
  return digits.startsWith('0') ? MARKETS[market].dial + digits.slice(1) : digits;
}

/** `lat,long` as GoSend's query and booking take it; undefined without coordinates. */
export const latLong = (p: Party) => (p.geo ? `${p.geo.lat},${p.geo.lng}` : undefined);

/** The method to book: the quoted one when given, else Instant. */
export const shipmentMethod = (req: Pick<BookRequest, 'service'>): ShipmentMethod =>
  req.service === 'SameDay' ? 'SameDay' : 'Instant';

/** The price query string (both ends need coordinates; the caller checks). */
export function priceQuery(origin: string, destination: string): string {
  return new URLSearchParams({ origin, destination, paymentType: String(PAYMENT_TYPE) }).toString();
}

/** The booking body: one route, our reference as `storeOrderId`, the item list as `item`. */
export function toGoSendBooking(req: BookRequest, market: GoSendMarket, method: ShipmentMethod) {
  const items = req.parcel.items.map((i) => `${i.qty}x ${i.name}`).join(', ');
  const address = (p: Party) => `${p.street}, ${p.ward}`;
  return {
    paymentType: PAYMENT_TYPE,
    collection_location: 'pickup',
    shipment_method: method,
    routes: [
      {
        originName: req.origin.name,
        originNote: '',
        originContactName: req.origin.name,
        originContactPhone: gosendPhone(req.origin.phone, market),
        originLatLong: latLong(req.origin),
        originAddress: address(req.origin),
        destinationName: req.destination.name,
        destinationNote: req.note ?? '',
        destinationContactName: req.destination.name,
        destinationContactPhone: gosendPhone(req.destination.phone, market),
        destinationLatLong: latLong(req.destination),
        destinationAddress: address(req.destination),
        item: (items || 'Groceries').slice(0, 250),
        storeOrderId: req.reference,
        insuranceDetails: { applied: 'false', fee: '0', product_description: '', product_price: '0' },
      },
    ],
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (isRecord(v) ? v : {});
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** An instant from epoch milliseconds or seconds (maybe as digits) or an ISO 8601 string. */
export function parseInstant(v: unknown): Date | undefined {
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) return new Date(n < 1e12 ? n * 1000 : n);
  const parsed = typeof n === 'string' ? Date.parse(n) : NaN;
  return Number.isFinite(parsed) ? new Date(parsed) : undefined;
}

/**
 * The quote for `method` in a price answer (`{Instant: {...}, SameDay: {...}}`, or the same entries
 * under `data`), or undefined when GoSend does not serve the trip (not serviceable or not active).
 * The fee is in the market's currency: whole rupiah, or cents.
 */
export function fromGoSendPrice(
  body: unknown,
  method: ShipmentMethod,
  market: GoSendMarket,
): CarrierQuote | undefined {
  const root = obj(body);
  const entries = [...Object.entries(root), ...Object.entries(obj(root.data))];
  const entry = entries
    .map(([k, v]) => [k, obj(v)] as const)
    .find(([k, v]) => {
      const name = str(v.shipment_method) ?? k;
      return name.toLowerCase() === method.toLowerCase();
    })?.[1];
  if (!entry || entry.serviceable !== true || entry.active === false) return undefined;
  const price = num(obj(entry.price).total_price) ?? num(entry.price);
  if (price === undefined) return undefined;
  const km = num(entry.distance);
  const { currency, minorPerUnit } = MARKETS[market];
  return {
    carrier: 'gosend',
    service: method,
    feeVnd: 0, // not đồng: the rules skip a quote in another currency
    currency,
    fee: Math.round(price * minorPerUnit),
    ...(km !== undefined ? { distanceMetres: Math.round(km * 1000) } : {}),
  };
}

/** The booking a create answer (`{id, orderNo, bookingType, storeOrderId}`) describes. */
export function toBooking(body: unknown): Booking {
  const orderNo = str(obj(body).orderNo);
  if (!orderNo) throw new CarrierRefusedError('gosend', 'bad_answer', 'create answered without an orderNo');
  return { carrier: 'gosend', carrierRef: orderNo, status: 'pending', rawStatus: 'confirmed' };
}

/** The latest of a status answer's stamps (the moment its current status was reached). */
function latest(d: Json): Date | undefined {
  const keys = ['orderCreatedTime', 'orderDispatchTime', 'orderArrivalTime', 'orderClosedTime'];
  const times = keys.map((k) => parseInstant(d[k])).filter((t): t is Date => t !== undefined);
  return times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : undefined;
}

function driverOf(name: unknown, phone: unknown, plate: unknown): CarrierUpdate['driver'] {
  if (!str(name) && !str(phone)) return undefined;
  return { name: str(name), phone: str(phone), ...(str(plate) ? { plate: str(plate) } : {}) };
}

function update(
  f: { ref: string; reference?: string; rawStatus: string; at: Date; reason?: string },
  extra: Partial<CarrierUpdate>,
): CarrierUpdate {
  const status = gosendStatus(f.rawStatus);
  const ending = status === 'failed' || status === 'cancelled' || status === 'returned';
  const noDriver = ['no_driver', 'driver_not_found'].includes(fold(f.rawStatus));
  const reason = f.reason ?? (noDriver ? 'no_driver' : undefined);
  return {
    carrier: 'gosend',
    carrierRef: f.ref,
    ...(f.reference ? { reference: f.reference } : {}),
    status,
    rawStatus: f.rawStatus,
    at: f.at,
    ...(ending && reason ? { reason } : {}),
    ...extra,
  };
}

/** A booking as GET /booking/orderno/{orderNo} (or /storeOrderId/{id}) answers it. */
export function fromGoSendStatus(body: unknown, now: Date): CarrierUpdate {
  const d = obj(body);
  const ref = str(d.orderNo);
  const rawStatus = str(d.status);
  if (!ref || !rawStatus)
    throw new CarrierRefusedError('gosend', 'bad_answer', 'booking without orderNo/status');
  const driver = driverOf(d.driverName, d.driverPhone, d.vehicleNumber);
  return update(
    {
      ref,
      reference: str(d.storeOrderId),
      rawStatus,
      at: latest(d) ?? now,
      reason: str(d.cancelDescription),
    },
    {
      ...(driver ? { driver } : {}),
      ...(str(d.liveTrackingUrl) ? { trackingUrl: str(d.liveTrackingUrl) } : {}),
    },
  );
}

/** The booking a status read describes (a trip found under our reference is adopted as booked). */
export function bookingOf(u: CarrierUpdate): Booking {
  return {
    carrier: 'gosend',
    carrierRef: u.carrierRef,
    status: u.status ?? 'pending',
    rawStatus: u.rawStatus,
    ...(u.trackingUrl ? { trackingUrl: u.trackingUrl } : {}),
  };
}

/** One webhook body (`booking_id`/`entity_id`, `status`, `event_date` in ms); throws WebhookFormatError. */
export function fromGoSendWebhook(body: unknown, now: Date): CarrierUpdate {
  const w = obj(body);
  const ref = str(w.booking_id) ?? str(w.entity_id);
  const rawStatus = str(w.status) ?? str(w.booking_status);
  if (!ref || !rawStatus) throw new WebhookFormatError('gosend', 'booking_id and status are required');
  const driver = driverOf(w.driver_name, w.driver_phone, w.vehicle_number);
  return update(
    {
      ref,
      reference: str(w.store_order_id) ?? str(w.storeOrderId),
      rawStatus,
      at: parseInstant(w.event_date) ?? now,
      reason: str(w.cancellation_reason),
    },
    {
      ...(driver ? { driver } : {}),
      ...(str(w.live_tracking_url) ? { trackingUrl: str(w.live_tracking_url) } : {}),
    },
  );
}

/** Checks the agreed auth header (name lower-cased) against its value; throws WebhookAuthError. */
export function checkGoSendWebhookAuth(
  headers: Readonly<Record<string, string | undefined>>,
  expected: { header: string; token?: string },
): void {
  if (!expected.token) throw new WebhookAuthError('gosend', 'webhook credential is not configured');
  if (!sameSecret(headers[expected.header.toLowerCase()], expected.token))
    throw new WebhookAuthError('gosend', `${expected.header} does not match`);
}

/** A refusal read from a 4xx answer: `{errors: [{code, message}]}`, `{message}`, or the Error-Message header. */
export function gosendRefusal(
  status: number,
  text: string,
  errorHeader?: string | null,
): CarrierRefusedError {
  let body: Json = {};
  try {
    body = obj(JSON.parse(text));
  } catch {
    // not JSON: the status, header and text say it all
  }
  const first = obj(Array.isArray(body.errors) ? body.errors[0] : undefined);
  const code = str(first.code) ?? str(body.code) ?? `http_${status}`;
  const detail =
    str(first.message) ?? str(body.message) ?? (errorHeader || text.slice(0, 200) || `HTTP ${status}`);
  return new CarrierRefusedError('gosend', code, detail);
}
