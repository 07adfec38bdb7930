/**
 * The Twilio SMS adapter: the `SmsSender` port over Programmable Messaging (`POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json`), through the official SDK (`twilio`).
 *
 * The SDK takes an `httpClient` option: any object with RequestClient's `request(opts)` that
 * answers a twilio `Response`. Ours (a RequestClient subclass, so the types hold without casts)
 * performs the request with the platform's outbound client: per-attempt timeout, per-provider
 * circuit breaker, redacted logs. It also points the SDK's fixed `https://api.twilio.com` at
 * TWILIO_API_URL, which is how contract tests aim it at a Prism mock of Twilio's own OpenAPI
 * document. Creating a message has no idempotency key, so the outbound client never retries it:
 * the sender does, with backoff, when this adapter throws anything but `Rejected`.
 *
 * Every message carries a StatusCallback URL built from our notification id, so a delivery
 * receipt finds its log row. A message goes from TWILIO_MESSAGING_SERVICE_SID (Twilio picks the
 * sender from the service's pool) and/or TWILIO_FROM (an E.164 number or an alphanumeric sender
 * ID; with both, From must belong to the service). Neither the auth token nor a body is logged.
 */
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import Response from 'twilio/lib/http/response';
import { ConfigError, optional, url, type ConfigOf } from '../../shared/config';
import { createLogger, type Logger } from '../../shared/log';
import { maskNumbers } from '../../shared/outbound-redact';
import {
  createOutboundClient,
  ProviderUnavailableError,
  type OutboundClient,
  type OutboundOverrides,
} from '../../shared/outbound';
import { Rejected, type Accepted, type SmsMessage, type SmsSender } from '../channels';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Where `https://api.twilio.com` is sent instead (a mock in tests); default Twilio itself. */
  apiUrl?: string;
  /** At least one of `from` and `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /** The StatusCallback URL for a notification. */
  statusCallbackUrl: (notificationId: string) => string;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

const PROVIDER = 'twilio';
const TWILIO_API = 'https://api.twilio.com';
/** Twilio answers a create in well under a second; 10 s leaves room for a slow day. */
const TIMEOUT_MS = 10_000;

/** The variables that configure Twilio; no account SID and token leaves SMS off. */
export const twilioConfigSpec = {
  TWILIO_ACCOUNT_SID: optional(),
  TWILIO_AUTH_TOKEN: optional(),
  TWILIO_API_URL: url(['https:', 'http:'], TWILIO_API),
  TWILIO_FROM: optional(),
  TWILIO_MESSAGING_SERVICE_SID: optional(),
};

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
/** E.164, or an alphanumeric sender ID (up to 11 letters, digits and spaces, at least one letter). */
const SENDER = /^(\+[1-9]\d{6,14}|(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;

/** What is wrong with a Twilio config (empty: nothing). */
export function twilioConfigProblems(config: ConfigOf<typeof twilioConfigSpec>): string[] {
  const problems: string[] = [];
  if (!config.TWILIO_ACCOUNT_SID) problems.push('TWILIO_ACCOUNT_SID is required when Twilio is configured');
  else if (!ACCOUNT_SID.test(config.TWILIO_ACCOUNT_SID))
    problems.push('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits');
  if (!config.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN is required when Twilio is configured');
  if (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID)
    problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when Twilio is configured');
  if (config.TWILIO_FROM && !SENDER.test(config.TWILIO_FROM))
    problems.push('TWILIO_FROM must be an E.164 number or an alphanumeric sender ID of up to 11 characters');
  if (config.TWILIO_MESSAGING_SERVICE_SID && !SERVICE_SID.test(config.TWILIO_MESSAGING_SERVICE_SID))
    problems.push('TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hex digits');
  return problems;
}

/** The Twilio sender from config, or undefined when neither TWILIO_ACCOUNT_SID nor TWILIO_AUTH_TOKEN is set. */
export function twilioFromConfig(
  config: ConfigOf<typeof twilioConfigSpec>,
  statusCallbackUrl: (notificationId: string) => string,
  opts: { logger?: Logger; outbound?: OutboundOverrides } = {},
): SmsSender | undefined {
  if (!config.TWILIO_ACCOUNT_SID && !config.TWILIO_AUTH_TOKEN) return undefined;
  const problems = twilioConfigProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return createTwilioSender({
    accountSid: config.TWILIO_ACCOUNT_SID!,
    authToken: config.TWILIO_AUTH_TOKEN!,
    apiUrl: config.TWILIO_API_URL,
    from: config.TWILIO_FROM,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    statusCallbackUrl,
    ...opts,
  });
}

/** Creates the Twilio sender. */
export function createTwilioSender(opts: TwilioOptions): SmsSender {
  const log = opts.logger ?? createLogger('notification.twilio');
  const outbound = createOutboundClient({
    provider: PROVIDER,
    baseUrl: opts.apiUrl ?? TWILIO_API,
    logger: quietBodies(log),
    timeoutMs: TIMEOUT_MS,
    ...opts.outbound,
  });
  const client = twilio(opts.accountSid, opts.authToken, {
    httpClient: new OutboundRequestClient(outbound, opts.apiUrl ?? TWILIO_API),
  });

  return {
    provider: PROVIDER,
    async send(message: SmsMessage): Promise<Accepted> {
      try {
        const created = await client.messages.create({
          to: message.to,
          body: message.body,
          statusCallback: opts.statusCallbackUrl(message.notificationId),
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.messagingServiceSid ? { messagingServiceSid: opts.messagingServiceSid } : {}),
        });
        return created.sid ? { providerId: created.sid } : {};
      } catch (err) {
        throw classify(err);
      }
    },
  };
}

/**
 * The SDK's failure as the port's: RestException and TwilioServiceException carry the HTTP
 * `status`; a 4xx other than 408/429 is Twilio's verdict on the message. Anything else (the
 * outbound client's ProviderUnavailableError, a status it let through) stays transient.
 */
function classify(err: unknown): unknown {
  if (err instanceof ProviderUnavailableError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; detail?: unknown };
  if (typeof e.status !== 'number') return err;
  if (e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) {
    const detail = [e.code, typeof e.detail === 'string' ? e.detail : e.message].filter(Boolean).join(' ');
    return new Rejected(PROVIDER, e.status, maskNumbers(detail) || `HTTP ${e.status}`);
  }
  return new ProviderUnavailableError(PROVIDER, 'status', 1, e.status, { cause: err });
}

/**
 * A RequestClient whose `request` goes through the outbound client: the URL re-based from
 * api.twilio.com to `apiUrl`, Basic auth from the SDK's username and password, the data
 * form-encoded (repeated keys for lists, as the SDK's own client does).
 */
export class OutboundRequestClient extends RequestClient {
  constructor(
    private readonly outbound: OutboundClient,
    private readonly apiUrl: string,
  ) {
    super();
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    if (opts.username && opts.password)
      headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    else if (opts.authStrategy) headers.Authorization = await opts.authStrategy.getAuthString();
    const url = this.rebase(opts.uri);
    for (const [k, v] of formEntries(opts.params)) url.searchParams.append(k, v);
    const res = await this.outbound.request({
      method: opts.method.toUpperCase(),
      path: url.toString(),
      headers,
      body: encodeBody(opts.data, headers['Content-Type']),
      ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
    });
    return new Response(res.status, res.text as TData, Object.fromEntries(res.headers));
  }

  /** The SDK's URL with api.twilio.com replaced by `apiUrl` (which may carry a path prefix). */
  private rebase(uri: string): URL {
    const u = new URL(uri);
    if (u.origin !== TWILIO_API) return u;
    const base = this.apiUrl.replace(/\/+$/, '');
    return new URL(`${base}${u.pathname}${u.search}`);
  }
}

/** The SDK's data as its own client sends it: JSON when it says so, else a form (Twilio's default). */
function encodeBody(data: unknown, contentType: string | undefined): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (contentType === 'application/json') return JSON.stringify(data);
  const fields = formEntries(data);
  return fields.length > 0 ? new URLSearchParams(fields).toString() : undefined;
}

/** Form fields of the SDK's data or params: undefined skipped, lists as repeated keys. */
function formEntries(data: unknown): [string, string][] {
  if (!data || typeof data !== 'object') return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) out.push([k, String(item)]);
  }
  return out;
}

/** The logger without request bodies: the outbound client logs them at debug, and ours are texts. */
function quietBodies(log: Logger): Logger {
  return {
    ...log,
    debug: (msg, fields) =>
      log.debug(msg, fields && { ...fields, body: fields.body === undefined ? undefined : '[omitted]' }),
  };
}
