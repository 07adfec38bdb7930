/**
 * Test helpers for CloudEvent deliveries: one local issuer per test process, the variables that
 * make a function trust it, and `signedDelivery`, which posts an event the way the local router
 * does (binary mode, with the Trigger's bearer token).
 */
import type { TuoiCloudEvent } from '../../../events';
import { triggers } from '../../registry';
import { toBinaryHttp } from './dispatcher';
import { createEventIssuer, deliveryToken, senderEnv, type EventIssuer } from './local-issuer';

/** The issuer every test in this process signs with. */
export const testIssuer: EventIssuer = createEventIssuer();

/** EVENTS_OIDC_* for function `fn`, trusting `testIssuer`. */
export const eventAuthEnv = (fn: string): Record<string, string> => senderEnv(testIssuer, fn);

/** The bearer token of the first Trigger that delivers `type` to `fn` (or any of fn's Triggers). */
export function routerToken(fn: string, type?: string): string {
  const mine = triggers().filter((t) => t.subscriber === fn);
  const trigger = mine.find((t) => t.type === type) ?? mine[0] ?? { name: `${fn}--test`, subscriber: fn };
  return deliveryToken(testIssuer, trigger);
}

/**
 * Posts `event` to `${base}/cloudevents` as the router's delivery to `fn` (binary mode); `token`
 * replaces the router's token (null sends none), `headers` adds or overrides headers.
 */
export function signedDelivery(
  base: string,
  fn: string,
  event: TuoiCloudEvent,
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { headers, body } = toBinaryHttp(event);
  const token = opts.token === undefined ? routerToken(fn, event.type) : opts.token;
  return fetch(`${base}/cloudevents`, {
    method: 'POST',
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
    body,
  });
}
