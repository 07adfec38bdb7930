/**
 * The GoSend (Gojek) carrier, for Tươi's stores in Indonesia and Singapore: the `Carrier` port over
 * GoSend's integration API, through the shared outbound client (timeouts, retries only for what is
 * safe to repeat, a breaker). Every call carries the static `Client-ID` and `Pass-Key` headers.
 * A booking never leaves two live trips under one reference: GoSend finds a booking by our
 * `storeOrderId`, so before each create, and after a create whose answer was lost, the adapter
 * looks our reference up and adopts a live trip instead of creating another (README.md). Prices
 * come in the market's currency, never in đồng. Wire formats are in wire.ts.
 */
import {
  ConfigError,
  oneOf,
  optional,
  optionalUrl,
  type ConfigOf,
  type VarReader,
} from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import {
  createOutboundClient,
  ProviderUnavailableError,
  type OutboundOverrides,
  type OutboundResponse,
} from '../../../shared/outbound';
import {
  BookingUncertainError,
  CarrierRefusedError,
  WebhookFormatError,
  type BookRequest,
  type Booking,
  type Carrier,
  type CarrierUpdate,
} from '../../carrier';
import {
  bookingOf,
  checkGoSendWebhookAuth,
  fromGoSendPrice,
  fromGoSendStatus,
  fromGoSendWebhook,
  gosendRefusal,
  isDead,
  latLong,
  MARKETS,
  priceQuery,
  shipmentMethod,
  toBooking,
  toGoSendBooking,
  type GoSendMarket,
} from './wire';

/** What GoSend issued us and what its webhooks must carry. */
export interface GoSendCredentials {
  clientId: string;
  passKey: string;
  /** The header GoSend is configured to send on webhooks (default `Authorization`). */
  webhookAuthHeader?: string;
  /** Its value, agreed with GoSend. */
  webhookAuthToken?: string;
}

export interface GoSendCarrierOptions {
  /** API host, e.g. `https://integration-kilat-api.gojekapi.com` (staging) or `https://kilat-api.gojekapi.com`. */
  baseUrl: string;
  credentials: GoSendCredentials;
  /** The account's country: phones and the quote's currency follow it. */
  market: GoSendMarket;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

/** GOSEND_MARKET: `ID` or `SG`, unset when GoSend is off. */
const market: VarReader<GoSendMarket | undefined> = {
  read: (raw) => (raw ? oneOf(Object.keys(MARKETS) as GoSendMarket[]).read(raw) : undefined),
};

/** The variables that configure GoSend; all unset leaves GoSend off. */
export const gosendConfigSpec = {
  GOSEND_API_URL: optionalUrl(['https:', 'http:']),
  GOSEND_CLIENT_ID: optional(),
  GOSEND_PASS_KEY: optional(),
  GOSEND_MARKET: market,
  GOSEND_WEBHOOK_AUTH_TOKEN: optional(),
  /** Optional even when GoSend is on: the header name defaults to `Authorization`. */
  GOSEND_WEBHOOK_AUTH_HEADER: optional(),
};

/** The GoSend carrier from config, or undefined when no GOSEND_* variable is set; some but not all is an error. */
export function gosendFromConfig(
  config: ConfigOf<typeof gosendConfigSpec>,
  opts: { logger?: Logger } = {},
): Carrier | undefined {
  const names = Object.keys(gosendConfigSpec) as (keyof typeof gosendConfigSpec)[];
  if (names.every((k) => !config[k])) return undefined;
  const missing = names.filter((k) => k !== 'GOSEND_WEBHOOK_AUTH_HEADER' && !config[k]);
  if (missing.length > 0)
    throw new ConfigError(missing.map((k) => `${k} is required when GoSend is configured`));
  return createGoSendCarrier({
    baseUrl: config.GOSEND_API_URL!,
    market: config.GOSEND_MARKET!,
    credentials: {
      clientId: config.GOSEND_CLIENT_ID!,
      passKey: config.GOSEND_PASS_KEY!,
      webhookAuthToken: config.GOSEND_WEBHOOK_AUTH_TOKEN,
      webhookAuthHeader: config.GOSEND_WEBHOOK_AUTH_HEADER,
    },
    logger: opts.logger,
  });
}

const API = '/gokilat/v10';

/** Creates the GoSend carrier. */
export function createGoSendCarrier(opts: GoSendCarrierOptions): Carrier {
  const log = opts.logger ?? createLogger('delivery.gosend');
  const client = createOutboundClient({
    provider: 'gosend',
    baseUrl: opts.baseUrl,
    logger: log,
    headers: { 'client-id': opts.credentials.clientId, 'pass-key': opts.credentials.passKey },
    ...opts.outbound,
  });
  const base = new URL(opts.baseUrl).pathname.replace(/\/+$/, '') + API;
  const refusal = (res: OutboundResponse) =>
    gosendRefusal(res.status, res.text, res.headers.get('error-message'));
  const expect2xx = (res: OutboundResponse) => {
    if (res.status < 200 || res.status > 299) throw refusal(res);
    return res;
  };

  const track = async (carrierRef: string) => {
    const path = `${base}/booking/orderno/${encodeURIComponent(carrierRef)}`;
    return fromGoSendStatus(expect2xx(await client.request({ method: 'GET', path })).json(), new Date());
  };

  /** The booking GoSend holds under our reference, or undefined when it has none (404). */
  const lookup = async (reference: string): Promise<CarrierUpdate | undefined> => {
    const path = `${base}/booking/storeOrderId/${encodeURIComponent(reference)}`;
    const res = await client.request({ method: 'GET', path });
    return res.status === 404 ? undefined : fromGoSendStatus(expect2xx(res).json(), new Date());
  };

  /** The live booking under our reference, if any (a cancelled or returned one does not count). */
  const liveUnder = async (reference: string) => {
    const found = await lookup(reference);
    return found && !isDead(found.rawStatus) ? found : undefined;
  };

  const cancel = async (carrierRef: string) => {
    const res = await client.request({
      method: 'PUT',
      path: `${base}/booking/cancel`,
      body: { orderNo: carrierRef },
    });
    if (res.status >= 200 && res.status < 300) return;
    // GoSend refuses to cancel what is past pickup, and maybe what is already cancelled: look.
    const now = res.status === 404 ? undefined : await track(carrierRef).catch(() => undefined);
    if (now?.status !== 'cancelled') throw refusal(res);
  };

  /** A create whose answer was lost: adopt the trip it made, or say why we cannot know there is none. */
  const afterLostCreate = async (req: BookRequest, err: ProviderUnavailableError): Promise<Booking> => {
    let found: CarrierUpdate | undefined;
    try {
      found = await liveUnder(req.reference);
    } catch (lookupErr) {
      log.warn('gosend lookup after an unanswered create failed', {
        reference: req.reference,
        err: lookupErr,
      });
      throw new BookingUncertainError('gosend', 'the create went unanswered and the lookup failed', {
        cause: err,
      });
    }
    if (found) {
      log.info('gosend trip of an unanswered create adopted', {
        reference: req.reference,
        orderNo: found.carrierRef,
      });
      return bookingOf(found);
    }
    // Nothing yet; a create cut off in flight, or left running behind a gateway (502, 504), may still land.
    if (err.reason !== 'status' || err.lastStatus === 502 || err.lastStatus === 504)
      throw new BookingUncertainError('gosend', 'the create went unanswered and may still land', {
        cause: err,
      });
    throw err; // GoSend itself answered 5xx, and holds nothing under our reference
  };

  return {
    name: 'gosend',
    webhookTrusted: true,

    async quote(req) {
      const origin = latLong(req.origin);
      const destination = latLong(req.destination);
      // No cash collection through the API, and GoSend prices by coordinates only.
      if (req.codVnd > 0 || !origin || !destination) return undefined;
      const path = `${base}/calculate/price?${priceQuery(origin, destination)}`;
      const res = expect2xx(await client.request({ method: 'GET', path }));
      return fromGoSendPrice(res.json(), 'Instant', opts.market); // SameDay has no pickup window to honour
    },

    async releaseReference(reference) {
      try {
        const found = await liveUnder(reference);
        if (found) await cancel(found.carrierRef);
        return true;
      } catch (err) {
        log.warn('gosend reference not released', { reference, err });
        return false;
      }
    },

    async book(req) {
      if (req.codVnd > 0)
        throw new CarrierRefusedError('gosend', 'cod_unsupported', 'GoSend API bookings cannot collect cash');
      if (!req.origin.geo || !req.destination.geo)
        throw new CarrierRefusedError('gosend', 'no_coordinates', 'GoSend books by coordinates only');
      const existing = await liveUnder(req.reference);
      if (existing) return bookingOf(existing); // a retry, or a create that landed late
      const body = toGoSendBooking(req, opts.market, shipmentMethod(req));
      let res: OutboundResponse;
      try {
        res = await client.request({ method: 'POST', path: `${base}/booking`, body });
      } catch (err) {
        if (err instanceof ProviderUnavailableError && err.reason !== 'circuit-open')
          return afterLostCreate(req, err);
        throw err;
      }
      return toBooking(expect2xx(res).json());
    },

    cancel,
    track,

    parseWebhook(req) {
      checkGoSendWebhookAuth(req.headers, {
        header: opts.credentials.webhookAuthHeader ?? 'authorization',
        token: opts.credentials.webhookAuthToken,
      });
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        throw new WebhookFormatError('gosend', 'body is not JSON');
      }
      return [fromGoSendWebhook(body, new Date())];
    },

    close: () => client.close(),
  };
}
