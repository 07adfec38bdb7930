/**
 * The SendGrid email adapter: the `EmailSender` port over SendGrid's v3 Mail Send, through the
 * official SDK (`@sendgrid/mail` on a dedicated `@sendgrid/client`, never the global singleton,
 * so two configurations cannot share an API key by accident).
 *
 * The SDK's HTTP call goes through the platform's outbound client: `@sendgrid/client` hands its
 * default request to axios, and axios takes an `adapter` function in the request config (its
 * documented extension point: the adapter performs the request and settles it against
 * `validateStatus`). Ours performs it with `createOutboundClient`, so SendGrid gets the same
 * per-attempt timeout, per-provider circuit breaker and redacted logs as every other provider.
 * Mail Send has no idempotency key, so the outbound client never retries it: the sender does,
 * with backoff, when this adapter throws anything but `Rejected`.
 *
 * The wire body keeps plain text before HTML (SendGrid requires that order) and carries our
 * notification id as `tuoi_notification_id` in the personalization's `custom_args`, which every
 * event webhook echoes. It sits in the personalization, not at the top level: SendGrid's own spec
 * types the top-level `custom_args` as a string (the SDK sends an object there), while the
 * personalization's is an object in both, so only that form passes a contract test.
 * Neither the API key nor a message body is ever logged (see `quietBodies`).
 */
import { Client } from '@sendgrid/client';
import type { ClientRequest } from '@sendgrid/client/src/request';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import { ConfigError, oneOf, optional, str, url, type ConfigOf } from '../../shared/config';
import { createLogger, type Logger } from '../../shared/log';
import { maskNumbers } from '../../shared/outbound-redact';
import {
  createOutboundClient,
  ProviderUnavailableError,
  type OutboundClient,
  type OutboundOverrides,
} from '../../shared/outbound';
import { Rejected, type Accepted, type EmailMessage, type EmailSender } from '../channels';

/** A sender address as SendGrid takes it. */
export interface FromAddress {
  email: string;
  name?: string;
}

export interface SendgridOptions {
  apiKey: string;
  /** `https://api.sendgrid.com` (or the EU host, or a contract-test mock); `/v3/mail/send` is added. */
  baseUrl: string;
  from: FromAddress;
  /** SendGrid validates the message and sends nothing (mail_settings.sandbox_mode). */
  sandbox?: boolean;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

/** SendGrid answers Mail Send in well under a second; 10 s leaves room for a slow day. */
const TIMEOUT_MS = 10_000;
const PROVIDER = 'sendgrid';

/** The variables that configure SendGrid; no API key leaves email off. */
export const sendgridConfigSpec = {
  SENDGRID_API_KEY: optional(),
  SENDGRID_API_URL: url(['https:', 'http:'], 'https://api.sendgrid.com'),
  NOTIFY_EMAIL_FROM: str('Tươi <no-reply@tuoi.vn>'),
  SENDGRID_SANDBOX: oneOf(['on', 'off'] as const, 'off'),
};

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Parses `Name <email>` or a bare `email`; throws a message saying what is wrong. */
export function parseFromAddress(raw: string): FromAddress {
  const trimmed = raw.trim();
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  const email = (named ? named[2]! : trimmed).trim();
  const name = named?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  if (!EMAIL.test(email)) throw new Error(`"${raw}" is not an email address or Name <email>`);
  return name ? { email, name } : { email };
}

/** The SendGrid sender from config, or undefined when SENDGRID_API_KEY is unset. */
export function sendgridFromConfig(
  config: ConfigOf<typeof sendgridConfigSpec>,
  opts: { logger?: Logger; outbound?: OutboundOverrides } = {},
): EmailSender | undefined {
  if (!config.SENDGRID_API_KEY) return undefined;
  let from: FromAddress;
  try {
    from = parseFromAddress(config.NOTIFY_EMAIL_FROM);
  } catch (err) {
    throw new ConfigError([`NOTIFY_EMAIL_FROM ${(err as Error).message}`]);
  }
  return createSendgridSender({
    apiKey: config.SENDGRID_API_KEY,
    baseUrl: config.SENDGRID_API_URL,
    from,
    sandbox: config.SENDGRID_SANDBOX === 'on',
    ...opts,
  });
}

/** Creates the SendGrid sender. */
export function createSendgridSender(opts: SendgridOptions): EmailSender {
  const log = opts.logger ?? createLogger('notification.sendgrid');
  const outbound = createOutboundClient({
    provider: PROVIDER,
    baseUrl: opts.baseUrl,
    logger: quietBodies(log),
    timeoutMs: TIMEOUT_MS,
    ...opts.outbound,
  });
  const client = new Client();
  client.setApiKey(opts.apiKey); // resets baseUrl to the region's host: set ours after it
  // `adapter` is axios's, which @sendgrid/client passes through but does not declare.
  client.setDefaultRequest({
    baseUrl: opts.baseUrl,
    adapter: axiosAdapter(outbound),
  } as unknown as ClientRequest);
  const mail = new MailService();
  mail.setClient(client);

  return {
    provider: PROVIDER,
    async send(message: EmailMessage): Promise<Accepted> {
      try {
        const [response] = await mail.send(toMailData(message, opts));
        const id = headerOf(response.headers as Record<string, unknown>, 'x-message-id');
        return id ? { providerId: id } : {};
      } catch (err) {
        throw classify(err);
      }
    },
  };
}

/** The Mail Send request for one message, in the SDK's camelCase (it sends snake_case). */
export function toMailData(
  message: EmailMessage,
  opts: Pick<SendgridOptions, 'from' | 'sandbox'>,
): MailDataRequired {
  return {
    personalizations: [
      { to: [{ email: message.to }], customArgs: { tuoi_notification_id: message.notificationId } },
    ],
    from: opts.from,
    subject: message.subject,
    content: [
      { type: 'text/plain', value: message.text },
      { type: 'text/html', value: message.html },
    ],
    ...(opts.sandbox ? { mailSettings: { sandboxMode: { enable: true } } } : {}),
  };
}

/** The SDK's failure as the port's: `Rejected` for SendGrid's verdict, anything else stays transient. */
function classify(err: unknown): unknown {
  if (err instanceof ProviderUnavailableError) return err;
  const status = (err as { code?: unknown }).code;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429)
    return new Rejected(
      PROVIDER,
      status,
      maskNumbers(detailOf((err as { response?: { body?: unknown } }).response?.body)),
    );
  if (typeof status === 'number') return new ProviderUnavailableError(PROVIDER, 'status', 1, status);
  return err;
}

/** SendGrid's `errors[].message` (field names, never the message itself), else a short form of the body. */
function detailOf(body: unknown): string {
  const errors = (body as { errors?: { message?: unknown; field?: unknown }[] } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0)
    return errors.map((e) => [e.field, e.message].filter((s) => typeof s === 'string').join(': ')).join('; ');
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? '').slice(0, 200);
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return typeof value === 'string' && value ? value : undefined;
}

/** The slice of axios's request config an adapter reads (axios types are not a dependency of ours). */
interface AdapterConfig {
  url?: string;
  baseURL?: string;
  method?: string;
  data?: unknown;
  params?: Record<string, unknown>;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  validateStatus?: ((status: number) => boolean) | null;
}

/**
 * An axios adapter that performs the request with the outbound client. Axios has already run its
 * request transforms (the body is a JSON string); it runs its response transforms (JSON parsing)
 * on what we return. A status `validateStatus` refuses is rejected with the response attached, as
 * axios's own adapters do, so `@sendgrid/client` turns it into its `ResponseError`.
 */
export function axiosAdapter(outbound: OutboundClient) {
  return async (config: AdapterConfig) => {
    const res = await outbound.request({
      method: (config.method ?? 'get').toUpperCase(),
      path: fullUrl(config),
      headers: plainHeaders(config.headers),
      body:
        config.data === undefined || typeof config.data === 'string'
          ? config.data
          : JSON.stringify(config.data),
    });
    const response = {
      data: res.text,
      status: res.status,
      statusText: '',
      headers: Object.fromEntries(res.headers),
      config,
      request: undefined,
    };
    if (config.validateStatus && !config.validateStatus(res.status))
      throw Object.assign(new Error(`Request failed with status code ${res.status}`), { response, config });
    return response;
  };
}

function fullUrl(config: AdapterConfig): string {
  const path = config.url ?? '';
  const joined = /^https?:\/\//i.test(path)
    ? path
    : `${(config.baseURL ?? '').replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const u = new URL(joined);
  for (const [k, v] of Object.entries(config.params ?? {}))
    if (v !== undefined) u.searchParams.append(k, String(v));
  return u.toString();
}

function plainHeaders(headers: AdapterConfig['headers']): Record<string, string> {
  const raw = headers?.toJSON ? headers.toJSON() : (headers ?? {});
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw))
    if (v !== undefined && v !== null && v !== false) out[k] = String(v);
  return out;
}

/** The logger without request bodies: the outbound client logs them at debug, and ours are emails. */
function quietBodies(log: Logger): Logger {
  return {
    ...log,
    debug: (msg, fields) =>
      log.debug(msg, fields && { ...fields, body: fields.body === undefined ? undefined : '[omitted]' }),
  };
}
