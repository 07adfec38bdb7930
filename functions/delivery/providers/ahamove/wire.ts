/**
 * AhaMove's v3 wire format both ways, as pure functions: our quote and booking requests as
 * AhaMove's JSON (a path of stops, the pickup first), its estimate and order bodies as our types,
 * its order status (with the drop's own status and the order's sub-status) in our vocabulary, and
 * the constant-time check of the webhook's static `apikey` header. No I/O (adapter.ts does the
 * calls); the facts each field follows, and which are unconfirmed, are in README.md.
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
  type QuoteRequest,
} from '../../carrier';
import { sameSecret } from '../common';

/** AhaMove's city codes for the provinces Tươi serves with it (service ids are `<CITY>-BIKE`). */
export const AHAMOVE_CITIES: Readonly<Record<string, string>> = {
  'ho-chi-minh': 'SGN',
  'ha-noi': 'HAN',
  'da-nang': 'DAD',
};

/** A window starting more than this far ahead is booked for then (`order_time`), else now (0). */
export const SCHEDULE_LEAD_MS = 60 * 60_000;

/** The cancel reason sent with every cancel (AhaMove requires one once a driver accepted). */
export const CANCEL_COMMENT = 'Khách hàng muốn hủy đơn';

/** The service for a trip: the quoted one, else the pickup province's bike service; undefined where AhaMove is not used. */
export function ahamoveService(req: QuoteRequest & { service?: string }): string | undefined {
  if (req.service) return req.service;
  const city = AHAMOVE_CITIES[req.origin.province];
  return city ? `${city}-BIKE` : undefined;
}

/** Whether both ends have coordinates (AhaMove's path requires lat/lng). */
export const hasCoordinates = (req: QuoteRequest) => Boolean(req.origin.geo && req.destination.geo);

/** `order_time`: 0 (now), or the window's start in epoch seconds when it is more than an hour away. */
export function orderTime(window: QuoteRequest['window'], now: Date): number {
  if (!window || window.start.getTime() - now.getTime() <= SCHEDULE_LEAD_MS) return 0;
  return Math.floor(window.start.getTime() / 1000);
}

/** E.164 without the plus (`+84901234567` → `84901234567`), as AhaMove's samples write phones. */
export const ahamovePhone = (e164: string) => e164.replace(/^\+/, '');

function stop(p: Party) {
  return {
    lat: p.geo?.lat,
    lng: p.geo?.lng,
    address: `${p.street}, ${p.ward}`,
    short_address: p.ward,
    name: p.name,
    mobile: ahamovePhone(p.phone),
  };
}

/** The stops: the store, then the customer with the COD to collect, the goods' value and our reference. */
function path(req: QuoteRequest, extra: { reference?: string; note?: string } = {}) {
  return [
    stop(req.origin),
    {
      ...stop(req.destination),
      cod: req.codVnd,
      item_value: req.parcel.valueVnd,
      ...(extra.reference ? { tracking_number: extra.reference } : {}),
      ...(extra.note ? { remarks: extra.note } : {}),
    },
  ];
}

/** One package: weight in kilograms (AhaMove's samples), the item list as its description. */
function packageDetail(req: QuoteRequest) {
  const description = req.parcel.items.map((i) => `${i.qty}× ${i.name}`).join(', ');
  return [{ weight: req.parcel.weightGrams / 1000, description: description.slice(0, 500) }];
}

/** The estimate body for one service; Tươi pays from its AhaMove balance. */
export function toAhamoveEstimate(req: QuoteRequest, service: string, now: Date) {
  return {
    order_time: orderTime(req.window, now),
    path: path(req),
    services: [{ _id: service, requests: [] }],
    payment_method: 'BALANCE',
    package_detail: packageDetail(req),
  };
}

/** The create body: our reference as the drop's `tracking_number`. */
export function toAhamoveOrder(req: BookRequest, service: string, now: Date) {
  return {
    service_id: service,
    order_time: orderTime(req.window, now),
    path: path(req, { reference: req.reference, note: req.note }),
    requests: [],
    payment_method: 'BALANCE',
    package_detail: packageDetail(req),
    ...(req.note ? { remarks: req.note } : {}),
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** Epoch seconds (AhaMove's float times; 0 means not yet) as an instant. */
const seconds = (v: unknown) => {
  const n = num(v);
  return n !== undefined && n > 0 ? new Date(Math.round(n * 1000)) : undefined;
};

/** The estimate of `service` in an estimates answer, or undefined when AhaMove does not serve the trip. */
export function fromAhamoveEstimates(body: unknown, service: string): CarrierQuote | undefined {
  const entries = Array.isArray(body) ? body.map(obj) : [];
  const data = obj(entries.find((e) => e.service_id === service)?.data);
  const fee = num(data.total_price) ?? num(data.total_pay);
  if (fee === undefined) return undefined;
  const km = num(data.distance);
  const durationS = num(data.duration);
  return {
    carrier: 'ahamove',
    service,
    feeVnd: Math.round(fee),
    ...(durationS !== undefined ? { etaMinutes: Math.ceil(durationS / 60) } : {}),
    ...(km !== undefined ? { distanceMetres: Math.round(km * 1000) } : {}),
  };
}

/** The customer's stop: the last one of the path. */
const dropOf = (order: Json): Json => {
  const stops = Array.isArray(order.path) ? order.path : [];
  return obj(stops[stops.length - 1]);
};

/**
 * Tươi's status for an order. COMPLETED means the driver finished, not that the goods arrived: the
 * drop's own status says which (COMPLETED delivered, FAILED failed), and the order's sub-status
 * IN_RETURN/RETURNED says the goods are going or went back. ACCEPTED with sub-status BOARDED is a
 * driver near the store: still assigned. An order COMPLETED without a drop status is not applied.
 */
export function ahamoveStatus(order: unknown): DeliveryStatus | undefined {
  const o = obj(order);
  const drop = str(dropOf(o).status);
  switch (o.status) {
    case 'IDLE':
    case 'ASSIGNING':
    case 'CONFIRMING':
    case 'PAYING':
      return 'pending';
    case 'ACCEPTED':
      return 'assigned';
    case 'IN PROCESS':
      return drop === 'FAILED' ? 'failed' : 'in_transit';
    case 'COMPLETED':
      if (o.sub_status === 'RETURNED') return 'returned';
      if (o.sub_status === 'IN_RETURN') return 'returning';
      return drop === 'COMPLETED' ? 'delivered' : drop === 'FAILED' ? 'failed' : undefined;
    case 'CANCELLED':
      return 'cancelled';
    default:
      return undefined;
  }
}

/** The order's status as sent: `STATUS[:SUB_STATUS][ (drop DROP_STATUS)]`, e.g. `COMPLETED (drop FAILED)`. */
export function ahamoveRawStatus(order: unknown): string {
  const o = obj(order);
  const sub = str(o.sub_status);
  const drop = str(dropOf(o).status);
  return `${str(o.status) ?? '?'}${sub ? `:${sub}` : ''}${drop ? ` (drop ${drop})` : ''}`;
}

/** When the order reached its current status, from the time field that status sets. */
function reachedAt(o: Json, status: DeliveryStatus | undefined): Date | undefined {
  const drop = dropOf(o);
  switch (status) {
    case 'pending':
      return seconds(o.create_time);
    case 'assigned':
      return seconds(o.board_time) ?? seconds(o.accept_time);
    case 'in_transit':
      return seconds(o.pickup_time);
    case 'delivered':
      return seconds(drop.complete_time) ?? seconds(o.complete_time);
    case 'failed':
      return seconds(drop.fail_time) ?? seconds(o.complete_time);
    case 'returning':
    case 'returned':
      return seconds(drop.return_time) ?? seconds(o.complete_time);
    case 'cancelled':
      return seconds(o.cancel_time);
    default:
      return undefined;
  }
}

/** An order (GET /v3/orders/{id}, or a callback) as a status update; the drop's COD counts once delivered. */
export function fromAhamoveOrder(order: unknown, now: Date): CarrierUpdate {
  const o = obj(order);
  const drop = dropOf(o);
  const carrierRef = str(o._id);
  if (!carrierRef || !str(o.status))
    throw new CarrierRefusedError('ahamove', 'bad_answer', 'order without _id/status');
  const status = ahamoveStatus(o);
  const reason = status === 'cancelled' ? str(o.cancel_comment) : str(drop.fail_comment);
  const driver =
    str(o.supplier_name) || str(o.supplier_id)
      ? { name: str(o.supplier_name), phone: str(o.supplier_id) }
      : undefined;
  return {
    carrier: 'ahamove',
    carrierRef,
    ...(str(drop.tracking_number) ? { reference: str(drop.tracking_number) } : {}),
    status,
    rawStatus: ahamoveRawStatus(o),
    at: reachedAt(o, status) ?? now,
    ...(driver ? { driver } : {}),
    ...(str(o.shared_link) ? { trackingUrl: str(o.shared_link) } : {}),
    ...(status === 'delivered' ? { codCollectedVnd: num(drop.cod) ?? 0 } : {}),
    ...(reason && status !== 'delivered' ? { reason } : {}),
  };
}

/** One callback (the whole order); throws WebhookFormatError when it is not an order. */
export function fromAhamoveWebhook(body: unknown, now: Date): CarrierUpdate {
  const o = obj(body);
  if (!str(o._id) || !str(o.status)) throw new WebhookFormatError('ahamove', '_id and status are required');
  return fromAhamoveOrder(o, now);
}

/** The booking a create answer (`{order_id, status, shared_link, order}`) describes. */
export function toBooking(body: unknown): Booking {
  const b = obj(body);
  const order = obj(b.order);
  const carrierRef = str(b.order_id) ?? str(order._id);
  if (!carrierRef) throw new CarrierRefusedError('ahamove', 'bad_answer', 'create answered without order_id');
  const rawStatus = str(b.status) ?? str(order.status) ?? 'ASSIGNING';
  const fee = num(order.total_price) ?? num(order.total_pay);
  const link = str(b.shared_link) ?? str(order.shared_link);
  return {
    carrier: 'ahamove',
    carrierRef,
    ...(fee !== undefined ? { feeVnd: Math.round(fee) } : {}),
    ...(link ? { trackingUrl: link } : {}),
    status: ahamoveStatus({ ...order, status: rawStatus }) ?? 'pending',
    rawStatus,
  };
}

/** Checks the static `apikey` header the webhook was registered with; throws WebhookAuthError. */
export function checkAhamoveWebhookAuth(
  headers: Readonly<Record<string, string | undefined>>,
  expectedApiKey: string | undefined,
): void {
  if (!expectedApiKey) throw new WebhookAuthError('ahamove', 'webhook apikey is not configured');
  if (!sameSecret(headers['apikey'], expectedApiKey))
    throw new WebhookAuthError('ahamove', 'apikey does not match');
}

/** A refusal read from a 4xx answer (`{title, description}`, e.g. 406 INVALID_ORDER_STATUS). */
export function ahamoveRefusal(status: number, text: string): CarrierRefusedError {
  let body: Json = {};
  try {
    body = obj(JSON.parse(text));
  } catch {
    // not JSON: the status and text say it all
  }
  const code = str(body.title) ?? str(body.code) ?? `http_${status}`;
  const detail = str(body.description) ?? str(body.message) ?? (text.slice(0, 200) || `HTTP ${status}`);
  return new CarrierRefusedError('ahamove', code, detail);
}
