/**
 * The client every provider adapter (payment, delivery, notification) calls out through:
 * - a timeout per attempt (the request is aborted, not abandoned);
 * - retries with full-jitter exponential backoff, only for idempotent requests (GET, HEAD, PUT,
 *   DELETE, OPTIONS, or a POST/PATCH carrying an Idempotency-Key), and only for failures a retry
 *   can cure (network errors, timeouts, 408, 429, 5xx);
 * - a circuit breaker (opossum) per provider: after enough failed attempts it opens and calls
 *   fail fast with `ProviderUnavailableError`, then half-opens to let one trial through;
 * - one log line per attempt with the URL, headers and (at debug) body redacted by
 *   `outbound-redact.ts`: no secrets, tokens, Authorization/signature headers, or full card or
 *   phone numbers.
 * Other 4xx answers are the provider's verdict on the request: returned, not retried, and not
 * counted against the breaker.
 */
import CircuitBreaker from 'opossum';
import { TransientError } from './errors';
import { createLogger, logsAt, type Logger } from './log';
import { redactBody, redactHeaders, redactUrl } from './outbound-redact';

/** How an outbound client behaves; every field but `provider` and `baseUrl` has a default. */
export interface OutboundOptions {
  /** Names the provider in logs and errors, e.g. `stripe`. */
  provider: string;
  baseUrl: string;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests only (default 2). */
  retries?: number;
  /** Backoff before retry n: random in [0, min(maxMs, baseMs × 2^(n−1))) (defaults 100 ms, 2 s). */
  backoff?: { baseMs: number; maxMs: number };
  /** Breaker: opens when ≥ `errorPercent` of ≥ `volume` attempts in `windowMs` failed; half-opens after `resetMs`. */
  breaker?: { errorPercent?: number; volume?: number; windowMs?: number; resetMs?: number };
  /** Headers sent with every request (e.g. the API key's Authorization); never logged. */
  headers?: Record<string, string>;
  /** Source of jitter (tests pin it). */
  random?: () => number;
  logger?: Logger;
}

/** The settings an adapter lets a test or a deployment override. */
export type OutboundOverrides = Pick<OutboundOptions, 'timeoutMs' | 'retries' | 'breaker' | 'backoff'>;

/** One request; `body` is sent as JSON unless it is a string. */
export interface OutboundRequest {
  method: string;
  /** Path and query, resolved against `baseUrl`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Makes a POST/PATCH retryable; sent as the Idempotency-Key header. */
  idempotencyKey?: string;
  /** A POST that changes nothing (a read with a body, e.g. a quote): safe to retry, no key sent. */
  safe?: boolean;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

/** A provider's answer (2xx–4xx; failures a retry could cure are thrown). */
export interface OutboundResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** Why a provider call failed after its attempts. */
export type FailureReason = 'timeout' | 'network' | 'status' | 'circuit-open';

/** The provider could not be reached or kept failing: transient (503 at our edge), worth retrying later. */
export class ProviderUnavailableError extends TransientError {
  constructor(
    readonly provider: string,
    readonly reason: FailureReason,
    readonly attempts: number,
    readonly lastStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${provider} unavailable (${reason}${lastStatus ? ` ${lastStatus}` : ''}) after ${attempts} attempt(s)`,
      {},
      options,
    );
  }
}

/** An outbound client bound to one provider. */
export interface OutboundClient {
  request(req: OutboundRequest): Promise<OutboundResponse>;
  /** `closed`, `open` or `half-open`. */
  breakerState(): 'closed' | 'open' | 'half-open';
  /** Stops the breaker's timers. */
  close(): void;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** True when sending `req` twice has the effect of sending it once, so a retry is safe. */
export function isIdempotent(req: Pick<OutboundRequest, 'method' | 'idempotencyKey' | 'safe'>): boolean {
  return (
    IDEMPOTENT_METHODS.has(req.method.toUpperCase()) || req.idempotencyKey !== undefined || req.safe === true
  );
}

/** The wait before retry `n` (1-based): full jitter over a capped exponential. */
export function backoffDelayMs(
  n: number,
  backoff: { baseMs: number; maxMs: number },
  random = Math.random,
): number {
  return Math.floor(random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** (n - 1)));
}

/** A failed attempt as the breaker and the retry loop see it. */
class AttemptFailed extends Error {
  constructor(
    readonly reason: Exclude<FailureReason, 'circuit-open'>,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`attempt failed: ${reason}${status ? ` ${status}` : ''}`, options);
  }
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** Creates a client for one provider. */
export function createOutboundClient(opts: OutboundOptions): OutboundClient {
  const log = opts.logger ?? createLogger('outbound');
  const timeoutMs = opts.timeoutMs ?? 5000;
  const retries = opts.retries ?? 2;
  const backoff = opts.backoff ?? { baseMs: 100, maxMs: 2000 };
  const windowMs = opts.breaker?.windowMs ?? 10_000;

  const attempt = async (req: OutboundRequest, attemptNo: number): Promise<OutboundResponse> => {
    const url = new URL(req.path, opts.baseUrl);
    const headers: Record<string, string> = { ...opts.headers, ...req.headers };
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (typeof req.body !== 'string') headers['content-type'] ??= 'application/json';
    }
    const started = Date.now();
    const line = { provider: opts.provider, method: req.method, url: redactUrl(url), attempt: attemptNo };
    // Redacting headers and body costs, and the line is dropped unless debug is on.
    if (logsAt('debug'))
      log.debug('outbound request', { ...line, headers: redactHeaders(headers), body: redactBody(req.body) });
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(req.timeoutMs ?? timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      log.warn('outbound request failed', { ...line, reason, ms: Date.now() - started });
      throw new AttemptFailed(reason, undefined, { cause: err });
    }
    log.info('outbound response', { ...line, status: res.status, ms: Date.now() - started });
    if (retryableStatus(res.status)) throw new AttemptFailed('status', res.status);
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  };

  const breaker = new CircuitBreaker(attempt, {
    timeout: false, // each attempt aborts itself, so no call outlives its timeout
    errorThresholdPercentage: opts.breaker?.errorPercent ?? 50,
    volumeThreshold: opts.breaker?.volume ?? 10,
    rollingCountTimeout: windowMs,
    rollingCountBuckets: 10,
    resetTimeout: opts.breaker?.resetMs ?? 30_000,
  });
  breaker.on('open', () => log.warn('circuit opened', { provider: opts.provider }));
  breaker.on('halfOpen', () => log.info('circuit half-open', { provider: opts.provider }));
  breaker.on('close', () => log.info('circuit closed', { provider: opts.provider }));

  return {
    async request(req) {
      const maxAttempts = isIdempotent(req) ? retries + 1 : 1;
      for (let n = 1; ; n++) {
        try {
          return await breaker.fire(req, n);
        } catch (err) {
          if ((err as { code?: string }).code === 'EOPENBREAKER')
            throw new ProviderUnavailableError(opts.provider, 'circuit-open', n - 1, undefined, {
              cause: err,
            });
          if (!(err instanceof AttemptFailed)) throw err; // a bug (a bad path), not the provider
          if (n >= maxAttempts)
            throw new ProviderUnavailableError(opts.provider, err.reason, n, err.status, { cause: err });
          await new Promise((r) => setTimeout(r, backoffDelayMs(n, backoff, opts.random)));
        }
      }
    },
    breakerState: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    close: () => breaker.shutdown(),
  };
}
