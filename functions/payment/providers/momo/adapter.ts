/**
 * The MoMo rail: the payment `Rail` port over MoMo's All-in-One gateway (API v2), through the
 * shared outbound client. A payment is a wallet hold (`captureWallet`, `autoCapture: false`):
 * the customer approves in the MoMo app (9000 Authorized), `capture` confirms an amount up to the
 * hold, `void` cancels it, `refund` sends a new orderId against the original transId. Every
 * mutating POST carries MoMo's idempotency key (`requestId`, from our key), so the outbound client
 * may retry it and MoMo replays the first answer. Wire formats are in wire.ts; facts in README.md.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, optional, optionalUrl, type ConfigOf } from '../../../shared/config';
import { createLogger, type Logger } from '../../../shared/log';
import { createOutboundClient, type OutboundOverrides, type OutboundRequest } from '../../../shared/outbound';
import {
  NotificationFormatError,
  RailRefusedError,
  type NotificationVerdict,
  type Rail,
  type RailState,
} from '../../rail';
import {
  checkAmount,
  fromQuery,
  fromRefund,
  momoRefusal,
  parseIpn,
  stateOf,
  toConfirmBody,
  toCreateBody,
  toQueryBody,
  toRefundBody,
  MAX_VND,
  type MomoCredentials,
} from './wire';

export interface MomoRailOptions {
  /** The gateway host, e.g. `https://test-payment.momo.vn` (paths `/v2/gateway/api/...` are added). */
  baseUrl: string;
  credentials: MomoCredentials;
  outbound?: OutboundOverrides;
  logger?: Logger;
}

/** Shortest secret key accepted (MoMo's are 32 characters). */
const MIN_SECRET = 16;
/** MoMo asks callers to wait at least 30 s on create, confirm, refund and query. */
const TIMEOUT_MS = 30_000;

/** The variables that configure MoMo; all unset leaves MoMo off. */
export const momoConfigSpec = {
  MOMO_API_URL: optionalUrl(['https:', 'http:']),
  MOMO_PARTNER_CODE: optional(),
  MOMO_ACCESS_KEY: optional(),
  MOMO_SECRET_KEY: optional(),
};

/** The MoMo rail from config, or undefined when no MOMO_* variable is set; some but not all is an error. */
export function momoFromConfig(
  config: ConfigOf<typeof momoConfigSpec>,
  opts: { logger?: Logger; outbound?: OutboundOverrides } = {},
): Rail | undefined {
  const names = Object.keys(momoConfigSpec) as (keyof typeof momoConfigSpec)[];
  const missing = names.filter((k) => !config[k]);
  if (missing.length === names.length) return undefined;
  const problems = missing.map((k) => `${k} is required when MoMo is configured`);
  if (config.MOMO_SECRET_KEY && config.MOMO_SECRET_KEY.length < MIN_SECRET)
    problems.push(`MOMO_SECRET_KEY must have at least ${MIN_SECRET} characters`);
  if (problems.length > 0) throw new ConfigError(problems);
  return createMomoRail({
    baseUrl: config.MOMO_API_URL!,
    credentials: {
      partnerCode: config.MOMO_PARTNER_CODE!,
      accessKey: config.MOMO_ACCESS_KEY!,
      secretKey: config.MOMO_SECRET_KEY!,
    },
    ...opts,
  });
}

/** Creates the MoMo rail. */
export function createMomoRail(opts: MomoRailOptions): Rail {
  const log = opts.logger ?? createLogger('payment.momo');
  const creds = opts.credentials;
  const client = createOutboundClient({
    provider: 'momo',
    baseUrl: opts.baseUrl,
    logger: log,
    timeoutMs: TIMEOUT_MS,
    ...opts.outbound,
  });
  const base = new URL(opts.baseUrl).pathname.replace(/\/+$/, '');

  /** POSTs to `/v2/gateway/api/<api>`; answers MoMo's JSON body with the HTTP status. */
  const post = async (api: string, body: { requestId: string }, mode: Pick<OutboundRequest, 'safe'> = {}) => {
    const res = await client.request({
      method: 'POST',
      path: `${base}/v2/gateway/api/${api}`,
      body,
      // MoMo dedupes POSTs by requestId: a retry with the same one is safe (the header is ignored).
      ...(mode.safe ? { safe: true } : { idempotencyKey: body.requestId }),
    });
    let json: Record<string, unknown> = {};
    try {
      json = res.json<Record<string, unknown>>() ?? {};
    } catch {
      throw momoRefusal(res.status, {}, res.text);
    }
    return { status: res.status, body: json };
  };

  const query = async (orderId: string): Promise<RailState> => {
    const res = await post('query', toQueryBody(orderId, `q-${randomUUID()}`, creds), { safe: true });
    return fromQuery(res.body, new Date());
  };

  const confirm = async (p: Parameters<typeof toConfirmBody>[0]): Promise<RailState> => {
    const res = await post('confirm', toConfirmBody(p, creds));
    if (res.body.resultCode !== 0) throw momoRefusal(res.status, res.body);
    const at = typeof res.body.responseTime === 'number' ? new Date(res.body.responseTime) : new Date();
    const resultCode = p.requestType === 'capture' ? 0 : 1017;
    return stateOf(
      { resultCode, amount: p.amountVnd, transId: res.body.transId, message: 'cancelled by partner' },
      at,
    );
  };

  return {
    name: 'momo',
    holds: true,
    maxAmountVnd: MAX_VND,

    async authorise(req) {
      const res = await post('create', toCreateBody(req, creds));
      const payUrl = res.body.payUrl;
      if (res.body.resultCode !== 0 || typeof payUrl !== 'string' || !payUrl)
        throw momoRefusal(res.status, res.body);
      return { kind: 'redirect', url: payUrl, status: 'pending' };
    },

    async capture(p) {
      // Capturing less than the hold is our choice (unconfirmed at MoMo): README.md.
      checkAmount(p.amountVnd, 1);
      return confirm({
        orderId: p.paymentId,
        requestType: 'capture',
        amountVnd: p.amountVnd,
        idempotencyKey: p.idempotencyKey,
        description: '',
      });
    },

    async void(p) {
      // Confirm needs the held amount, which only a query tells.
      const now = await query(p.paymentId);
      if (now.status === 'voided') return now;
      if (now.status !== 'authorised')
        throw new RailRefusedError(
          'momo',
          `state_${now.status}`,
          `nothing held on ${p.paymentId} to release`,
        );
      return confirm({
        orderId: p.paymentId,
        requestType: 'cancel',
        amountVnd: now.authorisedVnd,
        idempotencyKey: p.idempotencyKey,
        description: 'Tươi released the hold',
      });
    },

    async refund(p) {
      const transId = p.providerRef ?? (await query(p.paymentId)).providerRef;
      if (!transId) throw new RailRefusedError('momo', 'no_transaction', `${p.paymentId} was never paid`);
      const res = await post('refund', toRefundBody({ ...p, transId }, creds));
      return fromRefund(res.status, res.body);
    },

    status: (p) => query(p.paymentId),

    parseNotification(req) {
      if (req.method.toUpperCase() !== 'POST') throw new NotificationFormatError('momo', 'an IPN is a POST');
      return parseIpn(req.rawBody, creds, new Date());
    },

    acknowledge(verdict: NotificationVerdict) {
      // MoMo wants 204 within 15 s to know we received it. Unknown payments and amount mismatches
      // are ours to reconcile (a retry cannot fix them); a bad signature or our own error is not
      // acknowledged, so that a real IPN is sent again once the key or the fault is fixed.
      if (verdict === 'bad_signature') return { status: 401 };
      if (verdict === 'error') return { status: 500 };
      return { status: 204 };
    },

    close: () => client.close(),
  };
}
