/**
 * The functions the cart asks on every read, over HTTP through the shared outbound client
 * (timeouts, retries for what is safe to repeat, a breaker per peer): promotions for the quote,
 * inventory for stock per line and for the locations that serve each zone.
 */
import { createOutboundClient, type OutboundClient } from '../shared/outbound';

/** A quote request as promotions reads it (see functions/promotions/schemas.ts). */
export interface QuoteRequest {
  lines: ({ sku: string; qty: number } | { sku: string; grams: number })[];
  location?: string;
  coupon_codes?: string[];
  delivery_fee_vnd?: number;
}

/** A promotions quote, passed through to the client as it is. */
export type QuoteAnswer = Record<string, unknown> & {
  coupons: { code: string; status: string }[];
  totals: { total_vnd: number };
};

/** Stock at a location. */
export interface StockLevel {
  sku: string;
  location: string;
  available: number;
}

/** A store or warehouse and the delivery zone it serves. */
export interface LocationInfo {
  id: string;
  kind: 'store' | 'warehouse';
  zone: string;
  name_en: string;
  name_vi: string;
}

/** Prices a cart. */
export interface Pricer {
  /** The quote; `authorization` is the customer's own bearer token (a guest sends none). */
  quote(req: QuoteRequest, authorization?: string): Promise<QuoteAnswer>;
}

/** Reads stock and locations. */
export interface StockReader {
  levels(items: { sku: string; location: string }[]): Promise<StockLevel[]>;
  locations(): Promise<LocationInfo[]>;
}

/** A peer answered with something the cart cannot use. */
export class PeerAnswerError extends Error {
  constructor(
    readonly peer: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${peer} answered ${status}`);
  }
}

function expectOk(peer: string, res: { status: number; text: string }): void {
  if (res.status !== 200) throw new PeerAnswerError(peer, res.status, res.text.slice(0, 500));
}

/** The promotions client at `baseUrl`. */
export function httpPricer(baseUrl: string, opts: { timeoutMs: number }): Pricer & { close(): void } {
  const client: OutboundClient = createOutboundClient({
    provider: 'promotions',
    baseUrl,
    timeoutMs: opts.timeoutMs,
    retries: 1,
  });
  return {
    async quote(req, authorization) {
      const res = await client.request({
        method: 'POST',
        path: '/pricing/quote',
        body: req,
        headers: authorization ? { authorization } : {},
        // A quote changes nothing: repeating it is safe.
        safe: true,
      });
      expectOk('promotions', res);
      return res.json<QuoteAnswer>();
    },
    close: () => client.close(),
  };
}

/** The inventory client at `baseUrl`; locations are remembered for `locationsTtlMs`. */
export function httpStock(
  baseUrl: string,
  opts: { timeoutMs: number; locationsTtlMs: number },
): StockReader & { close(): void } {
  const client = createOutboundClient({
    provider: 'inventory',
    baseUrl,
    timeoutMs: opts.timeoutMs,
    retries: 1,
  });
  let locations: { at: number; value: Promise<LocationInfo[]> } | undefined;
  return {
    async levels(items) {
      if (items.length === 0) return [];
      const res = await client.request({
        method: 'POST',
        path: '/stock/batch',
        body: { items },
        safe: true,
      });
      expectOk('inventory', res);
      return res.json<{ items: StockLevel[] }>().items;
    },
    locations() {
      if (!locations || Date.now() - locations.at > opts.locationsTtlMs) {
        const value = client.request({ method: 'GET', path: '/locations' }).then((res) => {
          expectOk('inventory', res);
          return res.json<{ items: LocationInfo[] }>().items;
        });
        value.catch(() => (locations = undefined));
        locations = { at: Date.now(), value };
      }
      return locations.value;
    },
    close: () => client.close(),
  };
}

/** The customer's own settings the cart follows. */
export interface ProfileReader {
  /** Their default substitution preference (best match when it cannot be read). */
  substitutionDefault(subject: string, authorization: string): Promise<'best_match' | 'none'>;
}

/**
 * The user function's `GET /me` read with the customer's own token, remembered per customer for
 * `ttlMs`; when it cannot be read the default is best match (and the next read tries again).
 */
export function httpProfiles(
  baseUrl: string,
  opts: { timeoutMs: number; ttlMs: number },
): ProfileReader & { close(): void } {
  const client = createOutboundClient({ provider: 'user', baseUrl, timeoutMs: opts.timeoutMs, retries: 1 });
  const remembered = new Map<string, { at: number; value: 'best_match' | 'none' }>();
  return {
    async substitutionDefault(subject, authorization) {
      const hit = remembered.get(subject);
      if (hit && Date.now() - hit.at < opts.ttlMs) return hit.value;
      try {
        const res = await client.request({ method: 'GET', path: '/me', headers: { authorization } });
        expectOk('user', res);
        const value =
          res.json<{ substitution_default?: string }>().substitution_default === 'none'
            ? 'none'
            : 'best_match';
        if (remembered.size >= 100_000) remembered.clear();
        remembered.set(subject, { at: Date.now(), value });
        return value;
      } catch {
        return 'best_match';
      }
    },
    close: () => client.close(),
  };
}
