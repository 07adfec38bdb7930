/**
 * GHN (Giao Hàng Nhanh) behind the `Carrier` port. GHN's public API lives under
 * `/shiip/public-api`, takes the headers `Token` and `ShopId`, and answers `{code, message, data}`
 * (code 200 on success, 400 on a refusal). Every call goes through the shared outbound client.
 *
 * - Districts: GHN wants `to_district_id` + `to_ward_code`; Tươi's addresses have a province and a
 *   ward only (2025 reform). The codes come from a location-code table given as data
 *   (`<province>|<wardKey>` → `{districtId, wardCode}`); a ward not in it is not served.
 * - Booking: `client_order_code` is our reference. A create whose answer is lost is found again
 *   with `detail-by-client-code` instead of being sent twice.
 * - Webhooks: GHN signs nothing, so the URL we register carries a secret `token` query parameter,
 *   and `webhookTrusted` is false: the function re-reads the status with `track` before acting.
 *
 * Which of these facts are confirmed, community or assumed: README.md beside this file.
 */
import { ConfigError, optional, optionalUrl, secret, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import {
  ProviderUnavailableError,
  createOutboundClient,
  type OutboundOptions,
} from '../../../shared/outbound';
import {
  CarrierRefusedError,
  WebhookAuthError,
  WebhookFormatError,
  type Booking,
  type BookRequest,
  type Carrier,
  type CarrierUpdate,
  type DeliveryStatus,
  type Party,
  type QuoteRequest,
  type WebhookRequest,
} from '../../carrier';
import { areaKey, areaTable, isRecord, localPhone, readJsonOrFile, sameSecret } from '../common';

/** GHN's codes for one ward: the (pre-reform) district id and the ward code. */
export interface GhnAreaCode {
  districtId: number;
  wardCode: string;
}

/** What `createGhnCarrier` needs. */
export interface GhnOptions {
  /** The gateway, e.g. `https://online-gateway.ghn.vn` (`/shiip/public-api` is added if missing). */
  baseUrl: string;
  credentials: {
    /** The account's API token (header `Token`). */
    token: string;
    /** The shop (header `ShopId`); its registered address is the pickup when the origin is unmapped. */
    shopId: number;
    /** The secret in the `token` query parameter of the webhook URL registered with GHN. */
    webhookToken: string;
  };
  /** `areaKey(province, ward)` → GHN codes; see `ghnAreaCodes`. */
  areaCodes: ReadonlyMap<string, GhnAreaCode>;
  /** GHN `service_type_id`: 2 light goods / e-commerce (default), 5 heavy goods. */
  serviceTypeId?: number;
  /** GHN `payment_type_id`; 1 (default) is read as "the shop pays the fee" (semantics unconfirmed). */
  paymentTypeId?: number;
  /** GHN `required_note` (default `KHONGCHOXEMHANG`, "no inspection before paying"). */
  requiredNote?: string;
  /** Box size sent with every parcel (GHN prices the larger of weight and L×W×H/5000 kg). */
  parcelCm?: { length: number; width: number; height: number };
  outbound?: Pick<OutboundOptions, 'timeoutMs' | 'retries' | 'backoff' | 'breaker'>;
  logger?: Logger;
}

const BASE_PATH = '/shiip/public-api';
/** GHN insures declared values up to 5,000,000 đ (fee and create docs). */
const MAX_INSURANCE_VND = 5_000_000;
const DEFAULT_PARCEL_CM = { length: 20, width: 20, height: 15 };
/** Create answers carry no status; a new GHN order is `ready_to_pick` (webhook sample, Type create). */
const NEW_ORDER_STATUS = 'ready_to_pick';

/** GHN status words (community list, identical in ≥5 adapters) → Tươi's statuses. */
export const GHN_STATUSES: ReadonlyMap<string, DeliveryStatus> = new Map([
  ['ready_to_pick', 'pending'],
  ['picking', 'assigned'],
  ['money_collect_picking', 'assigned'],
  ['picked', 'picked_up'],
  ['storing', 'in_transit'],
  ['transporting', 'in_transit'],
  ['sorting', 'in_transit'],
  ['delivering', 'in_transit'],
  ['money_collect_delivering', 'in_transit'],
  ['delivered', 'delivered'],
  ['delivery_fail', 'failed'],
  ['waiting_to_return', 'returning'],
  ['return', 'returning'],
  ['return_transporting', 'returning'],
  ['return_sorting', 'returning'],
  ['returning', 'returning'],
  ['return_fail', 'returning'],
  ['returned', 'returned'],
  ['cancel', 'cancelled'],
  // Incidents: GHN gives no outcome with them, so the delivery is treated as failed.
  ['exception', 'failed'],
  ['damage', 'failed'],
  ['lost', 'failed'],
]);

/** Tươi's status for a GHN status word; `undefined` for a word we do not know. */
export function ghnStatus(raw: string): DeliveryStatus | undefined {
  return GHN_STATUSES.get(raw);
}

/** Webhook `Type`s that report a status (compared lower-case; the docs capitalise, the sample does not). */
const STATUS_TYPES = new Set(['create', 'switch_status']);

/**
 * Validates a location-code table `{"<province>|<ward name>": {districtId, wardCode}}`; keys are
 * normalised with `areaKey`, so "ho-chi-minh|Phường Bến Thành" and "ho-chi-minh|ben thanh" are one.
 */
export function ghnAreaCodes(table: unknown): Map<string, GhnAreaCode> {
  return areaTable(table, '{districtId, wardCode}', (v) =>
    Number.isInteger(v.districtId) &&
    (v.districtId as number) > 0 &&
    typeof v.wardCode === 'string' &&
    v.wardCode !== ''
      ? { districtId: v.districtId as number, wardCode: v.wardCode }
      : undefined,
  );
}

/** An instant from GHN's ISO text; GHN writes "0001-01-01T00:00:00Z" for "none". */
function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || at.getUTCFullYear() < 2000 ? undefined : at;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** GHN's answer envelope. */
interface GhnAnswer {
  code?: number;
  message?: string;
  code_message?: string;
  data?: unknown;
}

/** An order as GHN's detail endpoints describe it (the fields we read). */
interface GhnOrder {
  order_code?: string;
  client_order_code?: string;
  status?: string;
  cod_amount?: number;
  total_fee?: number;
  updated_date?: string;
  log?: { status?: string; updated_date?: string }[];
}

/** GHN's codes for a trip's two ends; `from` is absent when the store's ward is not in the table. */
interface Route {
  to: GhnAreaCode;
  from?: GhnAreaCode;
}

/** Creates the GHN carrier. */
export function createGhnCarrier(opts: GhnOptions): Carrier {
  const log = opts.logger ?? createLogger('delivery-ghn');
  const gateway = new URL(opts.baseUrl);
  const prefix = gateway.pathname.replace(/\/+$/, '').replace(new RegExp(`${BASE_PATH}$`), '') + BASE_PATH;
  const client = createOutboundClient({
    provider: 'ghn',
    baseUrl: gateway.origin,
    headers: { token: opts.credentials.token, shopid: String(opts.credentials.shopId) },
    logger: log,
    ...opts.outbound,
  });
  const serviceTypeId = opts.serviceTypeId ?? 2;
  const parcelCm = opts.parcelCm ?? DEFAULT_PARCEL_CM;

  /** POSTs to GHN and returns `data`; a refusal (4xx, or a code other than 200) is thrown. */
  async function call(path: string, body: unknown, safe: boolean): Promise<unknown> {
    const res = await client.request({ method: 'POST', path: prefix + path, body, safe });
    let answer: GhnAnswer;
    try {
      answer = res.json<GhnAnswer>();
    } catch (err) {
      // Not GHN speaking (a proxy page, a truncated body): treat it as an outage.
      throw new ProviderUnavailableError('ghn', 'status', 1, res.status, { cause: err });
    }
    if (res.status === 200 && answer.code === 200) return answer.data;
    if (res.status === 401 || res.status === 403 || answer.code === 401)
      throw new CarrierRefusedError('ghn', 'unauthorized', answer.message ?? `HTTP ${res.status}`);
    throw new CarrierRefusedError(
      'ghn',
      answer.code_message ?? `code_${answer.code ?? res.status}`,
      answer.message ?? `HTTP ${res.status}`,
    );
  }

  const codesOf = (party: Party) => opts.areaCodes.get(areaKey(party.province, party.ward));
  const routeOf = (req: QuoteRequest): Route | undefined => {
    const to = codesOf(req.destination);
    return to && { to, from: codesOf(req.origin) };
  };

  /** The parcel and money fields fee and create share. */
  const parcelFields = (req: QuoteRequest) => ({
    weight: req.parcel.weightGrams,
    ...parcelCm,
    insurance_value: Math.min(req.parcel.valueVnd, MAX_INSURANCE_VND),
  });

  /** From-fields when the store's ward is in the table; else GHN uses the shop's registered address. */
  const fromFields = (req: QuoteRequest, route: Route, withContact: boolean) =>
    route.from
      ? {
          from_district_id: route.from.districtId,
          from_ward_code: route.from.wardCode,
          ...(withContact && {
            from_name: req.origin.name,
            from_phone: localPhone(req.origin.phone),
            from_address: `${req.origin.street}, ${req.origin.ward}`,
          }),
        }
      : {};

  const serviceOf = (service: string | undefined): number => {
    if (service === undefined) return serviceTypeId;
    const id = Number(service);
    if (!Number.isInteger(id) || id <= 0)
      throw new CarrierRefusedError('ghn', 'bad_service', `"${service}" is not a GHN service type`);
    return id;
  };

  const createBody = (req: BookRequest, route: Route) => ({
    payment_type_id: opts.paymentTypeId ?? 1,
    required_note: opts.requiredNote ?? 'KHONGCHOXEMHANG',
    client_order_code: req.reference,
    note: req.note ?? '',
    ...fromFields(req, route, true),
    to_name: req.destination.name,
    to_phone: localPhone(req.destination.phone),
    to_address: `${req.destination.street}, ${req.destination.ward}`,
    to_ward_code: route.to.wardCode,
    to_district_id: route.to.districtId,
    cod_amount: req.codVnd,
    content: req.parcel.items
      .map((i) => `${i.qty} × ${i.name}`)
      .join(', ')
      .slice(0, 2000),
    ...parcelFields(req),
    service_type_id: serviceOf(req.service),
    items: req.parcel.items.map((i) => ({ name: i.name, quantity: i.qty })),
  });

  const bookingOf = (order: GhnOrder): Booking => {
    const raw = order.status ?? NEW_ORDER_STATUS;
    return {
      carrier: 'ghn',
      carrierRef: order.order_code!,
      feeVnd: num(order.total_fee),
      status: ghnStatus(raw) ?? 'pending',
      rawStatus: raw,
    };
  };

  /** The order booked under our reference, if GHN has one (a refusal reads as "none"). */
  async function findByReference(reference: string): Promise<Booking | undefined> {
    try {
      const data = await call(
        '/v2/shipping-order/detail-by-client-code',
        { client_order_code: reference },
        true,
      );
      // The docs' sample wraps the order in a one-element array; accept a bare object too.
      const order = (Array.isArray(data) ? data[0] : data) as GhnOrder | undefined;
      return order?.order_code ? bookingOf(order) : undefined;
    } catch (err) {
      if (err instanceof CarrierRefusedError && err.code !== 'unauthorized') return undefined;
      throw err;
    }
  }

  /** The update a detail answer describes: its status at the time its log gives for that status. */
  const updateOf = (order: GhnOrder, carrierRef: string): CarrierUpdate => {
    const raw = order.status ?? '';
    const status = ghnStatus(raw);
    const logged = [...(order.log ?? [])].reverse().find((l) => l.status === raw);
    const cod = num(order.cod_amount) ?? 0;
    return {
      carrier: 'ghn',
      carrierRef: order.order_code ?? carrierRef,
      reference: order.client_order_code || undefined,
      status,
      rawStatus: raw,
      at: instant(logged?.updated_date) ?? instant(order.updated_date) ?? new Date(),
      codCollectedVnd: status === 'delivered' && cod > 0 ? cod : undefined,
    };
  };

  const carrier: Carrier = {
    name: 'ghn',
    webhookTrusted: false,

    async quote(req) {
      const route = routeOf(req);
      if (!route) return undefined;
      const body = {
        service_type_id: serviceTypeId,
        ...fromFields(req, route, false),
        to_district_id: route.to.districtId,
        to_ward_code: route.to.wardCode,
        ...parcelFields(req),
        cod_value: req.codVnd,
      };
      let data: unknown;
      try {
        data = await call('/v2/shipping-order/fee', body, true);
      } catch (err) {
        if (!(err instanceof CarrierRefusedError) || err.code === 'unauthorized') throw err;
        log.warn('ghn declined to price a trip', { code: err.code, detail: err.message });
        return undefined;
      }
      const total = isRecord(data) ? num(data.total) : undefined;
      if (total === undefined) throw new Error('ghn fee answer has no total');
      return { carrier: 'ghn', service: String(serviceTypeId), feeVnd: Math.round(total) };
    },

    async book(req) {
      const route = routeOf(req);
      if (!route)
        throw new CarrierRefusedError(
          'ghn',
          'unmapped_area',
          `no GHN codes for ${req.destination.province}|${req.destination.ward}`,
        );
      const body = createBody(req, route);
      const earlier = await findByReference(req.reference);
      if (earlier) return earlier;
      try {
        const data = await call('/v2/shipping-order/create', body, false);
        if (!isRecord(data) || typeof data.order_code !== 'string')
          throw new Error('ghn create answer has no order_code');
        return bookingOf({ order_code: data.order_code, total_fee: num(data.total_fee) });
      } catch (err) {
        // The answer was lost (timeout, outage) or GHN refused, e.g. a client_order_code it already
        // holds: if the order exists, it is ours. Never send the create a second time here.
        if (!(err instanceof ProviderUnavailableError || err instanceof CarrierRefusedError)) throw err;
        const found = await findByReference(req.reference).catch(() => undefined);
        if (found) return found;
        throw err;
      }
    },

    async cancel(carrierRef) {
      let why: string;
      try {
        const rows = await call('/v2/switch-status/cancel', { order_codes: [carrierRef] }, true);
        const row = Array.isArray(rows)
          ? (rows as { order_code?: string; result?: boolean; message?: string }[]).find(
              (r) => r.order_code === carrierRef,
            )
          : undefined;
        if (row?.result === true) return;
        why = row?.message ?? 'no result for the order';
      } catch (err) {
        if (!(err instanceof CarrierRefusedError) || err.code === 'unauthorized') throw err;
        why = err.message;
      }
      // GHN's answer for an order already cancelled is undocumented: success is what GHN now says.
      if ((await carrier.track(carrierRef)).rawStatus === 'cancel') return;
      throw new CarrierRefusedError('ghn', 'cancel_refused', why);
    },

    async track(carrierRef) {
      const data = await call('/v2/shipping-order/detail', { order_code: carrierRef }, true);
      if (!isRecord(data) || typeof data.status !== 'string')
        throw new Error('ghn detail answer has no status');
      return updateOf(data as GhnOrder, carrierRef);
    },

    parseWebhook(req: WebhookRequest) {
      const token = req.query.token;
      if (!token) throw new WebhookAuthError('ghn', 'missing token');
      if (!sameSecret(token, opts.credentials.webhookToken)) throw new WebhookAuthError('ghn', 'wrong token');
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        throw new WebhookFormatError('ghn', 'body is not JSON');
      }
      if (!isRecord(body) || typeof body.OrderCode !== 'string' || body.OrderCode === '')
        throw new WebhookFormatError('ghn', 'no OrderCode');
      const type = String(body.Type ?? '').toLowerCase();
      if (!STATUS_TYPES.has(type)) {
        // Update_weight / Update_cod / Update_fee change amounts, not the status: nothing to apply.
        const fields = { type: body.Type, orderCode: body.OrderCode, codAmount: body.CODAmount };
        if (type === 'update_cod') log.warn('ghn changed the COD amount of an order', fields);
        else log.info('ghn webhook without a status change', fields);
        return [];
      }
      if (typeof body.Status !== 'string' || body.Status === '')
        throw new WebhookFormatError('ghn', 'no Status');
      const status = ghnStatus(body.Status);
      const cod = num(body.CODAmount) ?? 0;
      const reason = typeof body.Reason === 'string' && body.Reason !== '' ? body.Reason : undefined;
      return [
        {
          carrier: 'ghn',
          carrierRef: body.OrderCode,
          reference:
            typeof body.ClientOrderCode === 'string' && body.ClientOrderCode
              ? body.ClientOrderCode
              : undefined,
          status,
          rawStatus: body.Status,
          at: instant(body.Time) ?? new Date(),
          codCollectedVnd: status === 'delivered' && cod > 0 ? cod : undefined,
          reason,
        },
      ];
    },

    close: () => client.close(),
  };
  return carrier;
}

/** GHN's variables; all optional: GHN is off unless GHN_API_URL is set. */
export const ghnConfigSpec = {
  /** `https://online-gateway.ghn.vn` (prod), `https://dev-online-gateway.ghn.vn` (dev), or the simulator. */
  GHN_API_URL: optionalUrl(['https:', 'http:']),
  GHN_TOKEN: optional(),
  GHN_SHOP_ID: optional(),
  /** The secret put in the `token` query parameter of the webhook URL registered with GHN. */
  GHN_WEBHOOK_TOKEN: optional(),
  /** The location-code table: JSON, or the path of a JSON file. */
  GHN_AREA_CODES: optional(),
};
export type GhnConfig = ConfigOf<typeof ghnConfigSpec>;

/** The GHN carrier from config, or `undefined` when GHN_API_URL is unset; names every missing piece. */
export function ghnFromConfig(config: GhnConfig, deps: { logger?: Logger } = {}): Carrier | undefined {
  if (!config.GHN_API_URL) return undefined;
  const problems: string[] = [];
  const attempt = <T>(name: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
      return undefined;
    }
  };
  const token = attempt('GHN_TOKEN', () => secret(8).read(config.GHN_TOKEN));
  const shopId = attempt('GHN_SHOP_ID', () => {
    const id = Number(config.GHN_SHOP_ID);
    if (!Number.isInteger(id) || id <= 0)
      throw new Error(`must be a positive integer, got "${config.GHN_SHOP_ID ?? ''}"`);
    return id;
  });
  const webhookToken = attempt('GHN_WEBHOOK_TOKEN', () => secret(16).read(config.GHN_WEBHOOK_TOKEN));
  const areaCodes = attempt('GHN_AREA_CODES', () => {
    if (!config.GHN_AREA_CODES) throw new Error('is required when GHN_API_URL is set');
    return ghnAreaCodes(readJsonOrFile(config.GHN_AREA_CODES));
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return createGhnCarrier({
    baseUrl: config.GHN_API_URL,
    credentials: { token: token!, shopId: shopId!, webhookToken: webhookToken! },
    areaCodes: areaCodes!,
    logger: deps.logger,
  });
}
