/**
 * The AhaMove carrier: the `Carrier` port over AhaMove's partner API v3, through the shared
 * outbound client (timeouts, retries only for what is safe to repeat, a breaker), authenticated by
 * the partner token as a Bearer header. A booking never leaves two live orders under one reference:
 * before each create, and after a create whose answer was lost, the orders holding our reference
 * (the drop's `tracking_number`) are cancelled (README.md explains why). Wire formats are in wire.ts.
 */
import { ConfigError, optional, optionalUrl, type ConfigOf } from '../../../shared/config';
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
  type Carrier,
} from '../../carrier';
import {
  ahamoveRefusal,
  ahamoveService,
  CANCEL_COMMENT,
  checkAhamoveWebhookAuth,
  fromAhamoveEstimates,
  fromAhamoveOrder,
  fromAhamoveWebhook,
  hasCoordinates,
  toAhamoveEstimate,
  toAhamoveOrder,
  toBooking,
} from './wire';

/** The partner token AhaMove issued us, and the `apikey` its webhooks must carry. */
export interface AhamoveCredentials {
  /** The partner token (a year-long JWT in production), sent as `Authorization: Bearer`. */
  apiToken: string;
  /** The static `apikey` header value registered with AhaMove for webhooks. */
  webhookApiKey?: string;
}

export interface AhamoveCarrierOptions {
  /** The API host, e.g. `https://partner-apistg.ahamove.com` (staging). */
  baseUrl: string;
  credentials: AhamoveCredentials;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

/** The variables that configure AhaMove; all unset leaves AhaMove off. */
export const ahamoveConfigSpec = {
  AHAMOVE_API_URL: optionalUrl(['https:', 'http:']),
  AHAMOVE_API_KEY: optional(),
  AHAMOVE_WEBHOOK_APIKEY: optional(),
};

/** The AhaMove carrier from config, or undefined when no AHAMOVE_* variable is set; some but not all is an error. */
export function ahamoveFromConfig(
  config: ConfigOf<typeof ahamoveConfigSpec>,
  opts: { logger?: Logger } = {},
): Carrier | undefined {
  const names = Object.keys(ahamoveConfigSpec) as (keyof typeof ahamoveConfigSpec)[];
  const missing = names.filter((k) => !config[k]);
  if (missing.length === names.length) return undefined;
  if (missing.length > 0)
    throw new ConfigError(missing.map((k) => `${k} is required when AhaMove is configured`));
  return createAhamoveCarrier({
    baseUrl: config.AHAMOVE_API_URL!,
    credentials: { apiToken: config.AHAMOVE_API_KEY!, webhookApiKey: config.AHAMOVE_WEBHOOK_APIKEY },
    logger: opts.logger,
  });
}

/** Creates the AhaMove carrier. */
export function createAhamoveCarrier(opts: AhamoveCarrierOptions): Carrier {
  const log = opts.logger ?? createLogger('delivery.ahamove');
  const client = createOutboundClient({
    provider: 'ahamove',
    baseUrl: opts.baseUrl,
    headers: { authorization: `Bearer ${opts.credentials.apiToken}` },
    logger: log,
    ...opts.outbound,
  });
  const base = new URL(opts.baseUrl).pathname.replace(/\/+$/, '');
  const orderPath = (id: string) => `${base}/v3/orders/${encodeURIComponent(id)}`;

  const expect2xx = (res: OutboundResponse) => {
    if (res.status < 200 || res.status > 299) throw ahamoveRefusal(res.status, res.text);
    return res;
  };

  /** Cancels the orders holding `reference`; a refusal (none left to cancel) is only logged. */
  const clearReference = async (reference: string, when: string) => {
    const res = await client.request({
      method: 'DELETE',
      path: `${base}/v3/orders/tracks`,
      body: { tracking_number: reference, comment: CANCEL_COMMENT },
    });
    const cleared = (res.status >= 200 && res.status < 300) || res.status === 404;
    if (res.status >= 200 && res.status < 300) log.info('ahamove orders cleared', { reference, when });
    else if (res.status !== 404)
      log.warn('ahamove orders not cleared', {
        reference,
        when,
        refusal: ahamoveRefusal(res.status, res.text).message,
      });
    return cleared;
  };

  const track = async (carrierRef: string) => {
    const res = expect2xx(await client.request({ method: 'GET', path: orderPath(carrierRef) }));
    return fromAhamoveOrder(res.json(), new Date());
  };

  const create = async (req: BookRequest, service: string) => {
    try {
      return await client.request({
        method: 'POST',
        path: `${base}/v3/orders`,
        body: toAhamoveOrder(req, service, new Date()),
      });
    } catch (err) {
      // Timed out, cut off or 5xx: AhaMove may have created the order. Cancel it, then say we failed.
      if (err instanceof ProviderUnavailableError && err.reason !== 'circuit-open') {
        const cleared = await clearReference(req.reference, 'after an unanswered create').catch((cleanup) => {
          log.warn('ahamove cleanup after an unanswered create failed', {
            reference: req.reference,
            err: cleanup,
          });
          return false;
        });
        if (!cleared)
          throw new BookingUncertainError('ahamove', 'the create went unanswered and the clean-up failed', {
            cause: err,
          });
        // A create cut off in flight may still land after the clean-up: only a later booking
        // here (which clears the reference first) or releaseReference can rule that out.
        if (err.reason === 'timeout' || err.reason === 'network')
          throw new BookingUncertainError('ahamove', 'the create went unanswered and may still land', {
            cause: err,
          });
      }
      throw err;
    }
  };

  return {
    name: 'ahamove',
    webhookTrusted: true,

    async quote(req) {
      const service = ahamoveService(req);
      if (!service || !hasCoordinates(req)) return undefined;
      const res = expect2xx(
        await client.request({
          method: 'POST',
          path: `${base}/v3/orders/estimates`,
          body: toAhamoveEstimate(req, service, new Date()),
          safe: true, // an estimate books nothing
        }),
      );
      return fromAhamoveEstimates(res.json(), service);
    },

    async releaseReference(reference) {
      return clearReference(reference, 'before another carrier').catch(() => false);
    },

    async book(req) {
      const service = ahamoveService(req);
      if (!service || !hasCoordinates(req))
        throw new CarrierRefusedError(
          'ahamove',
          'not_served',
          'no AhaMove service or no coordinates for this trip',
        );
      await clearReference(req.reference, 'before booking');
      const res = expect2xx(await create(req, service));
      return toBooking(res.json());
    },

    async cancel(carrierRef) {
      const res = await client.request({
        method: 'DELETE',
        path: orderPath(carrierRef),
        body: { comment: CANCEL_COMMENT },
      });
      if (res.status >= 200 && res.status < 300) return;
      const refusal = ahamoveRefusal(res.status, res.text);
      // 406 INVALID_ORDER_STATUS covers both "past pickup" and "already cancelled": look.
      const now = res.status === 404 ? undefined : await track(carrierRef).catch(() => undefined);
      if (now?.status !== 'cancelled') throw refusal;
    },

    track,

    parseWebhook(req) {
      checkAhamoveWebhookAuth(req.headers, opts.credentials.webhookApiKey);
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        throw new WebhookFormatError('ahamove', 'body is not JSON');
      }
      return [fromAhamoveWebhook(body, new Date())];
    },

    close: () => client.close(),
  };
}
