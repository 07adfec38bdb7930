/**
 * The carrier port: what the delivery function asks of Grab Express, AhaMove, GHN, ViettelPost or
 * the store's own riders — quote, book, cancel, track, and read a webhook. Each adapter in
 * `providers/<carrier>/` translates these to its carrier's fields, auth and status vocabulary and
 * calls out through the shared outbound client; the function never sees a carrier's wire format.
 * Money is integer đồng, weights grams, times instants.
 */

/** The carriers Tươi books. `own_fleet` is the stores' riders, dispatched by staff. */
export const CARRIERS = ['own_fleet', 'grab', 'ahamove', 'ghn', 'viettelpost', 'gosend'] as const;
export type CarrierName = (typeof CARRIERS)[number];

/**
 * A delivery's status in Tươi's vocabulary, in the order a delivery normally moves:
 * `pending` (booked, finding a driver) → `assigned` → `picked_up` → `in_transit` → `delivered`;
 * or `failed` (an attempt failed; a carrier may try again) → `returning` → `returned`; or
 * `cancelled`. See `status.ts` for the ranking that keeps a late webhook from moving it back.
 */
export const DELIVERY_STATUSES = [
  'pending',
  'assigned',
  'picked_up',
  'in_transit',
  'failed',
  'returning',
  'returned',
  'delivered',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One end of a trip: a store or a customer. */
export interface Party {
  name: string;
  /** E.164, e.g. +84901234567. */
  phone: string;
  /** Street line as the customer wrote it ("12 Lê Lợi"). */
  street: string;
  /** Ward name after the 2025 reform ("Phường Bến Thành"); no district. */
  ward: string;
  /** Province id as the address book writes it (`ho-chi-minh`). */
  province: string;
  geo?: { lat: number; lng: number };
}

/** What travels. */
export interface Parcel {
  weightGrams: number;
  /** Declared goods value (insurance), đồng. */
  valueVnd: number;
  items: readonly { name: string; qty: number }[];
}

/** Enough to price a trip. */
export interface QuoteRequest {
  origin: Party;
  destination: Party;
  parcel: Parcel;
  /** Cash the rider collects from the customer, đồng (0 when paid online). */
  codVnd: number;
  /** The window the customer booked; carriers that schedule use it for the pickup time. */
  window?: { start: Date; end: Date };
}

/** A carrier's price for a trip; `undefined` from `quote` means it does not serve the trip. */
export interface CarrierQuote {
  carrier: CarrierName;
  /** The carrier's service code (Grab `INSTANT`, AhaMove `SGN-BIKE`, GHN service type, VTP `MA_DV_CHINH`). */
  service: string;
  /** The fee in whole đồng; a carrier pricing in another currency sets `currency` and `fee` instead. */
  feeVnd: number;
  /**
   * ISO 4217 code when the carrier prices in another currency (GoSend: IDR or SGD); absent means
   * VND. Tươi's money is đồng, so the rules do not book such a quote in a Vietnamese zone.
   */
  currency?: string;
  /** The fee in that currency's minor units, when `currency` is set. */
  fee?: number;
  /** Minutes from booking to drop-off, when the carrier says. */
  etaMinutes?: number;
  /** Trip length in metres, when the carrier says. */
  distanceMetres?: number;
}

/** A booking request: our delivery id is the carrier's merchant reference, so a retry finds it. */
export interface BookRequest extends QuoteRequest {
  /** Our delivery id; sent as the carrier's client/merchant order reference. */
  reference: string;
  /** The service code from the quote, when one was taken. */
  service?: string;
  note?: string;
}

/** A carrier's booking. */
export interface Booking {
  carrier: CarrierName;
  /** The carrier's own id (Grab deliveryID, AhaMove order id, GHN order_code, VTP ORDER_NUMBER). */
  carrierRef: string;
  feeVnd?: number;
  trackingUrl?: string;
  status: DeliveryStatus;
  /** The carrier's own status word, kept as sent. */
  rawStatus: string;
}

/** A status the carrier reports (track answer or webhook), normalized. */
export interface CarrierUpdate {
  carrier: CarrierName;
  carrierRef: string;
  /** Our delivery id when the carrier echoes it. */
  reference?: string;
  /** `undefined` when the carrier sent a status we do not know: kept raw and flagged, never applied. */
  status: DeliveryStatus | undefined;
  rawStatus: string;
  /** When the carrier says it happened (its timestamp), else when we heard. */
  at: Date;
  driver?: { name?: string; phone?: string; plate?: string };
  trackingUrl?: string;
  etaAt?: Date;
  /** Cash the rider collected, đồng, when the carrier reports it with a delivery. */
  codCollectedVnd?: number;
  /** The carrier's reason for a failure or cancellation. */
  reason?: string;
}

/** A webhook request as it arrived: exact body bytes, lower-cased headers, the query. */
export interface WebhookRequest {
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: string;
}

/** The webhook's credential is missing or wrong (401; nothing is changed). */
export class WebhookAuthError extends Error {
  constructor(
    readonly carrier: CarrierName,
    detail: string,
  ) {
    super(`${carrier} webhook refused: ${detail}`);
    this.name = 'WebhookAuthError';
  }
}

/** The webhook's body is not what the carrier sends (400; nothing is changed). */
export class WebhookFormatError extends Error {
  constructor(
    readonly carrier: CarrierName,
    detail: string,
  ) {
    super(`${carrier} webhook malformed: ${detail}`);
    this.name = 'WebhookFormatError';
  }
}

/** The carrier refused a booking or cancel on its merits (not an outage): do not retry it as is. */
export class CarrierRefusedError extends Error {
  constructor(
    readonly carrier: CarrierName,
    readonly code: string,
    detail: string,
  ) {
    super(`${carrier} refused: ${code}: ${detail}`);
    this.name = 'CarrierRefusedError';
  }
}

/**
 * The carrier may have booked the trip and we could neither confirm nor cancel it (its answer was
 * lost and it offers no lookup, or the clean-up failed). Booking another carrier now could send
 * two riders: the function keeps the delivery with this carrier, retries it, and adopts the trip
 * when the carrier's webhook names our reference.
 */
export class BookingUncertainError extends Error {
  constructor(
    readonly carrier: CarrierName,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${carrier} may have booked the trip: ${detail}`, options);
    this.name = 'BookingUncertainError';
  }
}

/**
 * One carrier. Outages surface as the outbound client's `ProviderUnavailableError` (transient);
 * a refusal on the merits as `CarrierRefusedError`.
 */
export interface Carrier {
  readonly name: CarrierName;
  /**
   * Whether a webhook's word is enough to act on. False where the carrier's webhook credential is
   * weak (GHN signs nothing): the function then re-reads the status with `track` before acting.
   */
  readonly webhookTrusted: boolean;
  /** The carrier's price, or `undefined` when it does not serve this trip. */
  quote(req: QuoteRequest): Promise<CarrierQuote | undefined>;
  /**
   * Books the trip; booking the same `reference` twice must not create two trips. Throws
   * `BookingUncertainError` when the trip may exist but could not be confirmed or cancelled.
   */
  book(req: BookRequest): Promise<Booking>;
  /**
   * Cancels whatever trip exists under our reference; true when none is left. Lets the function
   * move a delivery whose booking was uncertain to another carrier. Absent where the carrier
   * offers no lookup or cancel by our reference (ViettelPost).
   */
  releaseReference?(reference: string): Promise<boolean>;
  /** Cancels the trip; cancelling one already cancelled succeeds. */
  cancel(carrierRef: string): Promise<void>;
  /** The trip's current status as the carrier's API reports it. */
  track(carrierRef: string): Promise<CarrierUpdate>;
  /**
   * Authenticates and parses one webhook; throws `WebhookAuthError` (bad credential) or
   * `WebhookFormatError`. Returns the updates it carries (usually one).
   */
  parseWebhook(req: WebhookRequest): CarrierUpdate[];
  /** Stops timers (the outbound client's breaker). */
  close(): void;
}
