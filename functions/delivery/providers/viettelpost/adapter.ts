/**
 * ViettelPost behind the `Carrier` port, over its partner API (`/v2/...`, header `Token`, answers
 * `{status, error, message, data}`), called through the shared outbound client.
 *
 * - Auth: `POST /v2/user/Login {USERNAME, PASSWORD}` gives a token, kept and reused; on an auth
 *   failure the adapter logs in again once and repeats the call.
 * - Districts: province/district/ward ids come from a location-code table given as data
 *   (`<province>|<wardKey>` → `{provinceId, districtId?, wardId}`); a ward not in it is not served.
 * - Tracking: no order-status endpoint is documented in any source we have, so `track` refuses
 *   (`track_unsupported`) and statuses arrive by webhook only. For the same reason a create whose
 *   answer is lost cannot be looked up: it is never re-sent by the adapter, and creates carry
 *   `CHECK_UNIQUE` so that a later book of the same reference is refused rather than duplicated.
 * - Webhooks carry a shared secret `TOKEN` in the body (no signature). With no way to re-read a
 *   status, `webhookTrusted` is true: the secret is the only check.
 *
 * What is confirmed, community or assumed: README.md beside this file.
 */
import { ConfigError, optional, optionalUrl, secret, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import {
  ProviderUnavailableError,
  createOutboundClient,
  type OutboundOptions,
  type OutboundResponse,
} from '../../../shared/outbound';
import { fold } from '../../../shared/text';
import {
  BookingUncertainError,
  CarrierRefusedError,
  WebhookAuthError,
  WebhookFormatError,
  type BookRequest,
  type Carrier,
  type CarrierQuote,
  type CarrierUpdate,
  type DeliveryStatus,
  type Party,
  type QuoteRequest,
  type WebhookRequest,
} from '../../carrier';
import { areaKey, areaTable, isRecord, localPhone, readJsonOrFile, sameSecret } from '../common';

/** ViettelPost's ids for one ward; `districtId` may be absent where VTP's post-reform ids have none. */
export interface VtpAreaCode {
  provinceId: number;
  districtId?: number;
  wardId: number;
}

/** What `createViettelpostCarrier` needs. */
export interface ViettelpostOptions {
  /** `https://partner.viettelpost.vn` (prod), `https://partnerdev.viettelpost.vn` (dev), or the simulator. */
  baseUrl: string;
  credentials: {
    username: string;
    password: string;
    /** The secret ViettelPost puts in the webhook body's `TOKEN`. */
    webhookToken: string;
  };
  /** `areaKey(province, ward)` → VTP ids; see `viettelpostAreaCodes`. */
  areaCodes: ReadonlyMap<string, VtpAreaCode>;
  /** The sender's address-book entry (`GROUPADDRESS_ID`), when the account has one. */
  groupAddressId?: number;
  /** A service code (`MA_DV_CHINH`) to always use; without it the cheapest quoted service is taken. */
  service?: string;
  /** Box size sent with every parcel. */
  parcelCm?: { length: number; width: number; height: number };
  outbound?: Pick<OutboundOptions, 'timeoutMs' | 'retries' | 'backoff' | 'breaker'>;
  logger?: Logger;
}

const DEFAULT_PARCEL_CM = { length: 20, width: 20, height: 15 };
/** Create answers carry no status; a new order is "-100 Chưa duyệt" (not yet approved) — assumed. */
const NEW_ORDER_STATUS = '-100';
/** `ORDER_PAYMENT`: 1 collect nothing, 3 collect the goods' price only (the shop pays the fee). */
const PAY_NOTHING = 1;
const COLLECT_GOODS_ONLY = 3;

/**
 * ViettelPost status codes → Tươi's statuses. [H] Haravan's mapping table (community, in the
 * digest); [E] a third-party WooCommerce plugin's 24-code table (community). Codes in neither,
 * or that are not a step of the trip (101 VTP asks to cancel, 202 waybill edited, 550 redelivery
 * asked), stay unknown.
 */
export const VIETTELPOST_STATUSES: ReadonlyMap<number, DeliveryStatus> = new Map([
  [-100, 'pending'], // [H] Chưa duyệt
  [102, 'pending'], // [E] awaiting processing
  [103, 'pending'], // [E] handed to a post office
  [104, 'pending'], // [H] Đã duyệt; [E] given to a pickup courier
  [105, 'picked_up'], // [E] courier picked up
  [107, 'cancelled'], // [H] Đã hủy; [E] partner cancelled via API
  [200, 'in_transit'], // [E] received at the origin post office
  [201, 'cancelled'], // [E] waybill cancelled
  [300, 'in_transit'], // [E] left the origin
  [400, 'in_transit'], // [E] arrived at the destination hub
  [500, 'in_transit'], // [H] Đang giao hàng
  [501, 'delivered'], // [H] Giao thành công; PROVIDERS (community)
  [502, 'returning'], // [E] returned to the origin post office
  [503, 'cancelled'], // [E] cancelled at the customer's request
  [504, 'returned'], // [H] Hoàn thành công
  [505, 'returning'], // [H] Chờ duyệt hoàn
  [506, 'failed'], // [H] Không gặp khách
  [507, 'failed'], // [E] held: the customer is to collect at the post office
  [508, 'in_transit'], // [H] Đang giao hàng (another attempt)
  [509, 'in_transit'], // [E] moved to another post office
  [515, 'returning'], // [H] Duyệt hoàn
]);

/** Tươi's status for a ViettelPost code; `undefined` for a code we do not know. */
export function viettelpostStatus(code: number): DeliveryStatus | undefined {
  return VIETTELPOST_STATUSES.get(code);
}

const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Validates a table `{"<province>|<ward name>": {provinceId, districtId?, wardId}}`, keys normalised. */
export function viettelpostAreaCodes(table: unknown): Map<string, VtpAreaCode> {
  return areaTable(table, '{provinceId, districtId?, wardId}', (v) =>
    isId(v.provinceId) &&
    isId(v.wardId) &&
    (v.districtId === undefined || v.districtId === null || isId(v.districtId))
      ? {
          provinceId: v.provinceId,
          ...(isId(v.districtId) && { districtId: v.districtId }),
          wardId: v.wardId,
        }
      : undefined,
  );
}

/** Vietnam wall-clock fields → instant (UTC+7, no DST); undefined unless a real date and time. */
function vietnamInstant(y: string, mo: string, d: string, h: string, mi: string, s = '0'): Date | undefined {
  const at = new Date(Date.UTC(+y, +mo - 1, +d, +h - 7, +mi, +s));
  const back = new Date(at.getTime() + 7 * 3_600_000);
  return back.getUTCDate() === +d && back.getUTCHours() === +h && back.getUTCMinutes() === +mi
    ? at
    : undefined;
}

/**
 * A ViettelPost time: `dd/MM/yyyy HH:mm:ss` or `yyyy-MM-dd HH:mm:ss` in Vietnam time (both seen in
 * adopters' code), or ISO 8601 with a zone.
 */
export function viettelpostTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (m) return vietnamInstant(m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]);
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (m) return vietnamInstant(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(v)) return undefined;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Minutes in a `THOI_GIAN` such as "24 giờ" or "2 ngày"; undefined when it says no such thing. */
export function etaMinutes(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /(\d+(?:[.,]\d+)?)\s*(gio|h|ngay)\b/.exec(fold(text));
  if (!m) return undefined;
  const n = Number(m[1]!.replace(',', '.'));
  return Math.round(n * (m[2] === 'ngay' ? 1440 : 60));
}

/** ViettelPost's answer envelope (getPriceAll may answer a bare list instead). */
interface VtpAnswer {
  status?: number;
  error?: boolean;
  message?: unknown;
  data?: unknown;
}

/** One priced service of `getPriceAll`. */
interface VtpService {
  MA_DV_CHINH: string;
  GIA_CUOC: number;
  THOI_GIAN?: unknown;
}

/** The message of an answer as one string (validation errors may come as a list). */
const messageOf = (a: VtpAnswer): string =>
  Array.isArray(a.message) ? a.message.map(String).join(' ') : String(a.message ?? '');

/** The services of a price answer: a bare list, `data`, or `data.RESULT` (all three seen). */
function servicesOf(body: unknown): VtpService[] {
  const data = isRecord(body) ? body.data : body;
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.RESULT) ? data.RESULT : [];
  return (list as unknown[]).filter(
    (s): s is VtpService => isRecord(s) && typeof s.MA_DV_CHINH === 'string' && num(s.GIA_CUOC) !== undefined,
  );
}

/** A create refusal's code: a duplicate reference is told apart by its message (wording unconfirmed). */
function createRefusal(a: VtpAnswer): CarrierRefusedError {
  const message = messageOf(a);
  const duplicate = /da ton tai|duplicate|already exist/.test(fold(message));
  return new CarrierRefusedError('viettelpost', duplicate ? 'duplicate_reference' : 'refused', message);
}

/** A cancel refusal that says the order is already cancelled (wording unconfirmed). */
const saysAlreadyCancelled = (message: string) => /da (bi )?huy|already cancel/.test(fold(message));

/** Creates the ViettelPost carrier. */
export function createViettelpostCarrier(opts: ViettelpostOptions): Carrier {
  const log = opts.logger ?? createLogger('delivery-viettelpost');
  const api = new URL(opts.baseUrl);
  const prefix = api.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  const client = createOutboundClient({
    provider: 'viettelpost',
    baseUrl: api.origin,
    logger: log,
    ...opts.outbound,
  });
  const parcelCm = opts.parcelCm ?? DEFAULT_PARCEL_CM;
  let token: Promise<string> | undefined;

  const answerOf = (res: OutboundResponse): VtpAnswer & { list?: unknown[] } => {
    try {
      const body = res.json<unknown>();
      return Array.isArray(body) ? { status: 200, error: false, list: body } : (body as VtpAnswer);
    } catch (err) {
      // Not ViettelPost speaking (a proxy page, a truncated body): treat it as an outage.
      throw new ProviderUnavailableError('viettelpost', 'status', 1, res.status, { cause: err });
    }
  };
  const succeeded = (res: OutboundResponse, a: VtpAnswer) =>
    res.status === 200 && a.error !== true && (a.status === undefined || a.status === 200);
  const authFailed = (res: OutboundResponse, a: VtpAnswer) =>
    res.status === 401 || res.status === 403 || a.status === 401 || a.status === 403;

  async function login(): Promise<string> {
    const res = await client.request({
      method: 'POST',
      path: `${prefix}/v2/user/Login`,
      body: { USERNAME: opts.credentials.username, PASSWORD: opts.credentials.password },
      safe: true, // a login changes nothing we hold
    });
    const a = answerOf(res);
    const t = isRecord(a.data) && typeof a.data.token === 'string' ? a.data.token : undefined;
    if (!succeeded(res, a) || !t) throw new CarrierRefusedError('viettelpost', 'login_failed', messageOf(a));
    return t;
  }

  function currentToken(): Promise<string> {
    if (!token) {
      const attempt = login();
      token = attempt;
      attempt.catch(() => {
        if (token === attempt) token = undefined;
      });
    }
    return token;
  }

  /** A call with the token; an auth failure logs in again once. Returns the answer, refusals included. */
  async function call(
    path: string,
    body: unknown,
    safe: boolean,
  ): Promise<{ ok: boolean; answer: VtpAnswer }> {
    for (let retried = false; ; retried = true) {
      const used = currentToken();
      const res = await client.request({
        method: 'POST',
        path: `${prefix}${path}`,
        body,
        safe,
        headers: { token: await used },
      });
      const answer = answerOf(res);
      if (!authFailed(res, answer)) return { ok: succeeded(res, answer), answer };
      if (token === used) token = undefined;
      if (retried) throw new CarrierRefusedError('viettelpost', 'unauthorized', messageOf(answer));
    }
  }

  const codesOf = (party: Party) => opts.areaCodes.get(areaKey(party.province, party.ward));
  const routeOf = (req: QuoteRequest) => {
    const to = codesOf(req.destination);
    const from = codesOf(req.origin);
    if (to && !from)
      log.warn('viettelpost: the store ward is not in the location-code table', { ward: req.origin.ward });
    return to && from ? { to, from } : undefined;
  };
  type Route = NonNullable<ReturnType<typeof routeOf>>;

  /** The id fields of one end: `side` is SENDER or RECEIVER. */
  const ids = (side: 'SENDER' | 'RECEIVER', c: VtpAreaCode) => ({
    [`${side}_PROVINCE`]: c.provinceId,
    [`${side}_DISTRICT`]: c.districtId ?? null,
    [`${side}_WARD`]: c.wardId,
  });

  const productFields = (req: QuoteRequest) => ({
    PRODUCT_TYPE: 'HH', // goods
    PRODUCT_WEIGHT: req.parcel.weightGrams,
    PRODUCT_PRICE: req.parcel.valueVnd,
    PRODUCT_LENGTH: parcelCm.length,
    PRODUCT_WIDTH: parcelCm.width,
    PRODUCT_HEIGHT: parcelCm.height,
    MONEY_COLLECTION: req.codVnd,
  });

  async function prices(req: QuoteRequest, route: Route): Promise<CarrierQuote | undefined> {
    const body = {
      ...ids('SENDER', route.from),
      ...ids('RECEIVER', route.to),
      ...productFields(req),
      TYPE: 1,
    };
    const { ok, answer } = await call('/v2/order/getPriceAll', body, true);
    if (!ok) {
      log.warn('viettelpost declined to price a trip', { message: messageOf(answer) });
      return undefined;
    }
    const offered = servicesOf('list' in answer ? answer.list : answer);
    // A configured service is a requirement (e.g. express for groceries), not a preference.
    const chosen = opts.service
      ? offered.find((s) => s.MA_DV_CHINH === opts.service)
      : offered.reduce<VtpService | undefined>(
          (best, s) => (!best || s.GIA_CUOC < best.GIA_CUOC ? s : best),
          undefined,
        );
    return (
      chosen && {
        carrier: 'viettelpost',
        service: chosen.MA_DV_CHINH,
        feeVnd: Math.round(chosen.GIA_CUOC),
        etaMinutes: etaMinutes(chosen.THOI_GIAN),
      }
    );
  }

  const createBody = (req: BookRequest, route: Route, service: string) => {
    const items = req.parcel.items;
    return {
      ORDER_NUMBER: req.reference,
      CHECK_UNIQUE: true,
      ...(opts.groupAddressId !== undefined && { GROUPADDRESS_ID: opts.groupAddressId }),
      SENDER_FULLNAME: req.origin.name,
      SENDER_ADDRESS: `${req.origin.street}, ${req.origin.ward}`,
      SENDER_PHONE: localPhone(req.origin.phone),
      ...ids('SENDER', route.from),
      RECEIVER_FULLNAME: req.destination.name,
      RECEIVER_ADDRESS: `${req.destination.street}, ${req.destination.ward}`,
      RECEIVER_PHONE: localPhone(req.destination.phone),
      ...ids('RECEIVER', route.to),
      PRODUCT_NAME: items
        .map((i) => `${i.qty} × ${i.name}`)
        .join(', ')
        .slice(0, 200),
      PRODUCT_QUANTITY: items.reduce((n, i) => n + i.qty, 0),
      ...productFields(req),
      ORDER_PAYMENT: req.codVnd > 0 ? COLLECT_GOODS_ONLY : PAY_NOTHING,
      ORDER_SERVICE: service,
      ORDER_SERVICE_ADD: '',
      ORDER_NOTE: req.note ?? '',
      LIST_ITEM: items.map((i) => ({
        PRODUCT_NAME: i.name,
        PRODUCT_QUANTITY: i.qty,
        PRODUCT_PRICE: 0,
        PRODUCT_WEIGHT: 0,
      })),
    };
  };

  const carrier: Carrier = {
    name: 'viettelpost',
    webhookTrusted: true,

    async quote(req) {
      const route = routeOf(req);
      return route ? prices(req, route) : undefined;
    },

    async book(req) {
      const route = routeOf(req);
      if (!route)
        throw new CarrierRefusedError(
          'viettelpost',
          'unmapped_area',
          `no ViettelPost ids for ${req.origin.ward} → ${req.destination.ward}`,
        );
      const service = req.service ?? opts.service ?? (await prices(req, route))?.service;
      if (!service)
        throw new CarrierRefusedError(
          'viettelpost',
          'not_served',
          'no ViettelPost service offered for this trip',
        );
      // Not retried (no idempotency key) and not looked up after a lost answer (no read endpoint):
      // a lost answer, or a later booking refused as a duplicate, means the trip may exist, and
      // only its first webhook (which names our reference) will tell its waybill.
      let result: Awaited<ReturnType<typeof call>>;
      try {
        result = await call('/v2/order/createOrder', createBody(req, route, service), false);
      } catch (err) {
        if (err instanceof ProviderUnavailableError && err.reason !== 'circuit-open')
          throw new BookingUncertainError('viettelpost', 'the create went unanswered', { cause: err });
        throw err;
      }
      const { ok, answer } = result;
      if (!ok) {
        const refusal = createRefusal(answer);
        if (refusal.code === 'duplicate_reference')
          throw new BookingUncertainError('viettelpost', 'an order with this reference exists', {
            cause: refusal,
          });
        throw refusal;
      }
      const data = isRecord(answer.data) ? answer.data : {};
      const waybill = data.ORDER_NUMBER;
      if (typeof waybill !== 'string' && typeof waybill !== 'number')
        throw new Error('viettelpost create answer has no ORDER_NUMBER');
      return {
        carrier: 'viettelpost',
        carrierRef: String(waybill),
        feeVnd: num(data.MONEY_TOTAL),
        status: 'pending',
        rawStatus: NEW_ORDER_STATUS,
      };
    },

    async cancel(carrierRef) {
      const body = { TYPE: 4, ORDER_NUMBER: carrierRef, NOTE: 'Tươi: đơn giao hàng đã hủy' };
      // Cancelling twice has the effect of cancelling once, so the call may be retried.
      const { ok, answer } = await call('/v2/order/UpdateOrder', body, true);
      if (ok || saysAlreadyCancelled(messageOf(answer))) return;
      throw new CarrierRefusedError('viettelpost', 'cancel_refused', messageOf(answer));
    },

    async track() {
      throw new CarrierRefusedError(
        'viettelpost',
        'track_unsupported',
        'ViettelPost documents no order-status endpoint; its statuses arrive by webhook only',
      );
    },

    parseWebhook(req: WebhookRequest) {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        body = undefined;
      }
      // TOKEN in the body (PROVIDERS); one adopter reports the secret in Authorization instead.
      const inBody =
        isRecord(body) && typeof body.TOKEN === 'string' && body.TOKEN !== '' ? body.TOKEN : undefined;
      const given = inBody ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (!given) throw new WebhookAuthError('viettelpost', 'missing token');
      if (!sameSecret(given, opts.credentials.webhookToken))
        throw new WebhookAuthError('viettelpost', 'wrong token');
      return [updateOf(isRecord(body) ? body.DATA : undefined)];
    },

    close: () => client.close(),
  };
  return carrier;
}

/** One webhook `DATA` as an update. */
function updateOf(data: unknown): CarrierUpdate {
  if (!isRecord(data)) throw new WebhookFormatError('viettelpost', 'no DATA');
  const waybill = data.ORDER_NUMBER;
  if ((typeof waybill !== 'string' && typeof waybill !== 'number') || waybill === '')
    throw new WebhookFormatError('viettelpost', 'no ORDER_NUMBER');
  const code =
    typeof data.ORDER_STATUS === 'string' && /^-?\d+$/.test(data.ORDER_STATUS)
      ? Number(data.ORDER_STATUS)
      : data.ORDER_STATUS;
  if (!Number.isInteger(code)) throw new WebhookFormatError('viettelpost', 'ORDER_STATUS is not a number');
  const status = viettelpostStatus(code as number);
  const cod = num(data.MONEY_COLLECTION) ?? 0;
  const note = typeof data.NOTE === 'string' && data.NOTE !== '' ? data.NOTE : undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const driver = { name: text(data.EMPLOYEE_NAME), phone: text(data.EMPLOYEE_PHONE) };
  return {
    carrier: 'viettelpost',
    carrierRef: String(waybill),
    reference: text(data.ORDER_REFERENCE),
    status,
    rawStatus: String(code),
    at: viettelpostTime(data.ORDER_STATUSDATE) ?? new Date(),
    ...(driver.name || driver.phone ? { driver } : {}),
    codCollectedVnd: status === 'delivered' && cod > 0 ? cod : undefined,
    reason: status === 'failed' || status === 'cancelled' || status === 'returning' ? note : undefined,
  };
}

/** ViettelPost's variables; all optional: ViettelPost is off unless VIETTELPOST_API_URL is set. */
export const viettelpostConfigSpec = {
  VIETTELPOST_API_URL: optionalUrl(['https:', 'http:']),
  VIETTELPOST_USERNAME: optional(),
  VIETTELPOST_PASSWORD: optional(),
  /** The secret configured with ViettelPost for its webhook body's `TOKEN`. */
  VIETTELPOST_WEBHOOK_TOKEN: optional(),
  /** The location-code table: JSON, or the path of a JSON file. */
  VIETTELPOST_AREA_CODES: optional(),
  VIETTELPOST_GROUPADDRESS_ID: optional(),
  /** A service code (`MA_DV_CHINH`) to always book; unset: the cheapest quoted. */
  VIETTELPOST_SERVICE: optional(),
};
export type ViettelpostConfig = ConfigOf<typeof viettelpostConfigSpec>;

/** The ViettelPost carrier from config, or `undefined` when VIETTELPOST_API_URL is unset. */
export function viettelpostFromConfig(
  config: ViettelpostConfig,
  deps: { logger?: Logger } = {},
): Carrier | undefined {
  if (!config.VIETTELPOST_API_URL) return undefined;
  const problems: string[] = [];
  const attempt = <T>(name: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
      return undefined;
    }
  };
  const username = attempt('VIETTELPOST_USERNAME', () => secret(1).read(config.VIETTELPOST_USERNAME));
  const password = attempt('VIETTELPOST_PASSWORD', () => secret(1).read(config.VIETTELPOST_PASSWORD));
  const webhookToken = attempt('VIETTELPOST_WEBHOOK_TOKEN', () =>
    secret(16).read(config.VIETTELPOST_WEBHOOK_TOKEN),
  );
  const areaCodes = attempt('VIETTELPOST_AREA_CODES', () => {
    if (!config.VIETTELPOST_AREA_CODES) throw new Error('is required when VIETTELPOST_API_URL is set');
    return viettelpostAreaCodes(readJsonOrFile(config.VIETTELPOST_AREA_CODES));
  });
  const groupAddressId = attempt('VIETTELPOST_GROUPADDRESS_ID', () => {
    const raw = config.VIETTELPOST_GROUPADDRESS_ID;
    if (raw === undefined) return undefined;
    if (!isId(Number(raw))) throw new Error(`must be a positive integer, got "${raw}"`);
    return Number(raw);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return createViettelpostCarrier({
    baseUrl: config.VIETTELPOST_API_URL,
    credentials: { username: username!, password: password!, webhookToken: webhookToken! },
    areaCodes: areaCodes!,
    groupAddressId,
    service: config.VIETTELPOST_SERVICE,
    logger: deps.logger,
  });
}
