/**
 * The Grab Express carrier: the `Carrier` port over Grab's partner API, through the shared outbound
 * client (timeouts, retries only for what is safe to repeat, a breaker). An OAuth2
 * client_credentials token is fetched once, kept until near its expiry and fetched again once on a
 * 401. A booking never leaves two live trips under one reference: before each create, and after a
 * create whose answer was lost, every cancellable trip under our reference (Grab's
 * `merchantOrderID`) is cancelled (README.md explains why). Wire formats are in wire.ts.
 */
import { ConfigError, optional, optionalUrl, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import {
  createOutboundClient,
  ProviderUnavailableError,
  type OutboundOverrides,
  type OutboundClient,
  type OutboundRequest,
  type OutboundResponse,
} from '../../../shared/outbound';
import { BookingUncertainError, CarrierRefusedError, WebhookFormatError, type Carrier } from '../../carrier';
import {
  bookingServiceType,
  checkGrabWebhookAuth,
  fromGrabDelivery,
  fromGrabQuotes,
  fromGrabWebhook,
  grabRefusal,
  serviceTypeFor,
  toBooking,
  toGrabDelivery,
  toGrabQuote,
  type GrabServiceType,
} from './wire';

/** What Grab issued us (client id and secret) and what its webhooks must carry. */
export interface GrabCredentials {
  clientId: string;
  clientSecret: string;
  /** The static `Authorization` header value agreed with Grab for webhooks. */
  webhookAuthorization?: string;
  /** The static `Authorization-Id` header value agreed with Grab for webhooks. */
  webhookAuthorizationId?: string;
}

export interface GrabCarrierOptions {
  /** The delivery API base, e.g. `https://partner-api.grab.com/grab-express-sandbox`; the token endpoint is on its host. */
  baseUrl: string;
  credentials: GrabCredentials;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

/** The variables that configure Grab; all unset leaves Grab off. */
export const grabConfigSpec = {
  GRAB_API_URL: optionalUrl(['https:', 'http:']),
  GRAB_CLIENT_ID: optional(),
  GRAB_CLIENT_SECRET: optional(),
  GRAB_WEBHOOK_AUTHORIZATION: optional(),
  GRAB_WEBHOOK_AUTHORIZATION_ID: optional(),
};

/** The Grab carrier from config, or undefined when no GRAB_* variable is set; some but not all is an error. */
export function grabFromConfig(
  config: ConfigOf<typeof grabConfigSpec>,
  opts: { logger?: Logger } = {},
): Carrier | undefined {
  const names = Object.keys(grabConfigSpec) as (keyof typeof grabConfigSpec)[];
  const missing = names.filter((k) => !config[k]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0)
    throw new ConfigError(missing.map((k) => `${k} is required when Grab is configured`));
  return createGrabCarrier({
    baseUrl: config.GRAB_API_URL!,
    credentials: {
      clientId: config.GRAB_CLIENT_ID!,
      clientSecret: config.GRAB_CLIENT_SECRET!,
      webhookAuthorization: config.GRAB_WEBHOOK_AUTHORIZATION,
      webhookAuthorizationId: config.GRAB_WEBHOOK_AUTHORIZATION_ID,
    },
    logger: opts.logger,
  });
}

const TOKEN_PATH = '/grabid/v1/oauth2/token';
const SCOPE = 'grab_express.partner_deliveries';
/** A token is fetched again when less than this is left of it (or a tenth of its life, if shorter). */
const TOKEN_MARGIN_MS = 5 * 60_000;

/** Bearer tokens: one fetch shared by concurrent callers, kept until near expiry. */
function tokenSource(client: OutboundClient, creds: GrabCredentials) {
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const res = await client.request({
      method: 'POST',
      path: TOKEN_PATH,
      body: {
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        grant_type: 'client_credentials',
        scope: SCOPE,
      },
      safe: true, // a token request changes nothing
    });
    if (res.status !== 200) throw grabRefusal(res.status, res.text);
    const { access_token: token, expires_in: ttlS } = res.json<{
      access_token?: string;
      expires_in?: number;
    }>();
    if (!token) throw new CarrierRefusedError('grab', 'bad_answer', 'token answer without access_token');
    const lifeMs = (ttlS ?? 0) * 1000;
    cached = { token, renewAt: Date.now() + lifeMs - Math.min(TOKEN_MARGIN_MS, lifeMs / 10) };
    return token;
  };
  return {
    get(): Promise<string> {
      if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
      inflight ??= fetchToken().finally(() => (inflight = undefined));
      return inflight;
    },
    /** Forgets `token` after Grab refused it (a newer one is kept). */
    drop(token: string) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** Creates the Grab carrier. */
export function createGrabCarrier(opts: GrabCarrierOptions): Carrier {
  const log = opts.logger ?? createLogger('delivery.grab');
  const client = createOutboundClient({
    provider: 'grab',
    baseUrl: opts.baseUrl,
    logger: log,
    ...opts.outbound,
  });
  const tokens = tokenSource(client, opts.credentials);
  const base = new URL(opts.baseUrl).pathname.replace(/\/+$/, '');
  const deliveryPath = (id: string) => `${base}/v1/deliveries/${encodeURIComponent(id)}`;

  /** One call with the Bearer token; a 401 drops the token and is tried once more with a fresh one. */
  const call = async (req: OutboundRequest): Promise<OutboundResponse> => {
    const send = (token: string) =>
      client.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
    const token = await tokens.get();
    const res = await send(token);
    if (res.status !== 401) return res;
    tokens.drop(token);
    return send(await tokens.get());
  };

  const expect2xx = (res: OutboundResponse) => {
    if (res.status < 200 || res.status > 299) throw grabRefusal(res.status, res.text);
    return res;
  };

  /** Cancels every cancellable trip under `reference`; a refusal (nothing cancellable) is only logged. */
  const clearReference = async (reference: string, when: string) => {
    const path = `${base}/v1/merchant/deliveries/${encodeURIComponent(reference)}`;
    const res = await call({ method: 'DELETE', path });
    const cleared = (res.status >= 200 && res.status < 300) || res.status === 404;
    if (res.status >= 200 && res.status < 300) log.info('grab trips cleared', { reference, when });
    else if (res.status !== 404)
      log.warn('grab trips not cleared', {
        reference,
        when,
        refusal: grabRefusal(res.status, res.text).message,
      });
    return cleared;
  };

  const track = async (carrierRef: string) => {
    const res = expect2xx(await call({ method: 'GET', path: deliveryPath(carrierRef) }));
    return fromGrabDelivery(res.json(), new Date());
  };

  const create = async (req: Parameters<Carrier['book']>[0], serviceType: GrabServiceType) => {
    try {
      return await call({
        method: 'POST',
        path: `${base}/v1/deliveries`,
        body: toGrabDelivery(req, serviceType),
      });
    } catch (err) {
      // Timed out, cut off or 5xx: Grab may have created the trip. Cancel it, then say we failed.
      if (err instanceof ProviderUnavailableError && err.reason !== 'circuit-open') {
        const cleared = await clearReference(req.reference, 'after an unanswered create').catch((cleanup) => {
          log.warn('grab cleanup after an unanswered create failed', {
            reference: req.reference,
            err: cleanup,
          });
          return false;
        });
        if (!cleared)
          throw new BookingUncertainError('grab', 'the create went unanswered and the clean-up failed', {
            cause: err,
          });
        // A create cut off in flight may still land after the clean-up: only a later booking
        // here (which clears the reference first) or releaseReference can rule that out.
        if (err.reason === 'timeout' || err.reason === 'network')
          throw new BookingUncertainError('grab', 'the create went unanswered and may still land', {
            cause: err,
          });
      }
      throw err;
    }
  };

  return {
    name: 'grab',
    webhookTrusted: true,

    async quote(req) {
      const serviceType = serviceTypeFor(req.window, new Date());
      const res = expect2xx(
        await call({
          method: 'POST',
          path: `${base}/v1/deliveries/quotes`,
          body: toGrabQuote(req, serviceType),
          safe: true, // a quote books nothing
        }),
      );
      return fromGrabQuotes(res.json(), serviceType, new Date());
    },

    async releaseReference(reference) {
      return clearReference(reference, 'before another carrier').catch(() => false);
    },

    async book(req) {
      await clearReference(req.reference, 'before booking');
      const res = expect2xx(await create(req, bookingServiceType(req, new Date())));
      return toBooking(res.json());
    },

    async cancel(carrierRef) {
      const res = await call({ method: 'DELETE', path: deliveryPath(carrierRef) });
      if (res.status >= 200 && res.status < 300) return;
      const refusal = grabRefusal(res.status, res.text);
      // Grab refuses to cancel what is past pickup, and maybe what is already cancelled: look.
      const now = res.status === 404 ? undefined : await track(carrierRef).catch(() => undefined);
      if (now?.status !== 'cancelled') throw refusal;
    },

    track,

    parseWebhook(req) {
      checkGrabWebhookAuth(req.headers, {
        authorization: opts.credentials.webhookAuthorization,
        authorizationId: opts.credentials.webhookAuthorizationId,
      });
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        throw new WebhookFormatError('grab', 'body is not JSON');
      }
      return [fromGrabWebhook(body, new Date())];
    },

    close: () => client.close(),
  };
}
