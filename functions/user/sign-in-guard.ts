/**
 * Sign-in guard: whether one more password check for an identifier may run now, decided on plain
 * data (the remembered failures, the client, the time) with no store and no clock.
 *
 * Two counts, both of failures, never a hard lock:
 * - per (identifier, client): after `clientFailures` failures in `clientWindowMs`, that client is
 *   refused for this identifier until its window ends; other clients are not affected;
 * - per identifier (all clients): after `freeFailures`, each further check waits a delay after the
 *   last failure that doubles per failure, from `firstDelayMs` up to `maxDelayMs`; failures are
 *   forgotten `memoryMs` after the last one.
 *
 * A trusted client (one that presents a device token from an earlier successful sign-in to this
 * identifier) skips the per-identifier delay, so a stranger hammering cannot starve the owner; its
 * own failures still count, and its own per-client limit still applies.
 *
 * A check is counted as a failure when it is admitted (so concurrent attempts cannot all slip into
 * one free slot) and refunded when the password was right.
 */

/** The numbers of the guard. */
export interface GuardPolicy {
  /** Failures one client may make for one identifier per window, then it waits for the window. */
  clientFailures: number;
  clientWindowMs: number;
  /** Failures of one identifier, from all clients, before checks are spaced out. */
  freeFailures: number;
  /** Wait after the first failure beyond the free ones; doubles per failure up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** An identifier's failures are forgotten this long after its last one. */
  memoryMs: number;
}

/** The defaults, as documented in the README: 5 per client per 15 min; 10 free, then 1 s … 15 min. */
export const DEFAULT_GUARD_POLICY: GuardPolicy = {
  clientFailures: 5,
  clientWindowMs: 15 * 60_000,
  freeFailures: 10,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  memoryMs: 24 * 3_600_000,
};

/** One client's failures for one identifier in its current window. */
export interface ClientCount {
  n: number;
  /** When its window started (epoch ms). */
  since: number;
}

/** What is remembered of one identifier. */
export interface GuardState {
  /** Failures from all clients (admitted checks not refunded). */
  failures: number;
  /** When the last check was admitted (epoch ms; 0 for never). */
  lastAt: number;
  /** By client key (`ip:…` or `d:<device id>`). */
  clients: Record<string, ClientCount>;
}

/** Nothing remembered. */
export const FRESH: GuardState = Object.freeze({ failures: 0, lastAt: 0, clients: Object.freeze({}) });

/** Who is trying: a client key and whether it proved an earlier sign-in to this identifier. */
export interface GuardClient {
  key: string;
  trusted: boolean;
}

/** The decision on one attempt. */
export type GuardVerdict =
  { kind: 'check'; next: GuardState } | { kind: 'wait'; reason: 'client' | 'account'; retryAfterMs: number };

/** The wait before the next check once `failures` are remembered (0 while they are free). */
export function delayAfter(failures: number, policy: GuardPolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.firstDelayMs * 2 ** (failures - policy.freeFailures), policy.maxDelayMs);
}

/** The state with what has expired by `now` dropped: forgotten failures, ended client windows. */
export function prune(state: GuardState, now: number, policy: GuardPolicy): GuardState {
  const forgotten = now - state.lastAt >= policy.memoryMs;
  const clients: Record<string, ClientCount> = {};
  for (const [key, count] of Object.entries(state.clients))
    if (now - count.since < policy.clientWindowMs) clients[key] = count;
  return forgotten ? { failures: 0, lastAt: 0, clients } : { ...state, clients };
}

/** Whether a check may run now; when it may, the state with it counted as a failure. */
export function admit(
  state: GuardState,
  client: GuardClient,
  now: number,
  policy: GuardPolicy,
): GuardVerdict {
  const s = prune(state, now, policy);
  const mine = s.clients[client.key];
  if (mine && mine.n >= policy.clientFailures)
    return { kind: 'wait', reason: 'client', retryAfterMs: mine.since + policy.clientWindowMs - now };
  if (!client.trusted) {
    const readyAt = s.lastAt + delayAfter(s.failures, policy);
    if (now < readyAt) return { kind: 'wait', reason: 'account', retryAfterMs: readyAt - now };
  }
  return {
    kind: 'check',
    next: {
      failures: s.failures + 1,
      lastAt: now,
      clients: {
        ...s.clients,
        [client.key]: mine ? { n: mine.n + 1, since: mine.since } : { n: 1, since: now },
      },
    },
  };
}

/**
 * The state after a right password: the admitted check is refunded and this client's own count
 * cleared. Other failures stay: the owner signing in must not hand a guesser fresh free tries.
 */
export function refund(state: GuardState, clientKey: string, now: number, policy: GuardPolicy): GuardState {
  const s = prune(state, now, policy);
  const clients = { ...s.clients };
  delete clients[clientKey];
  return { ...s, failures: Math.max(0, s.failures - 1), clients };
}

/**
 * The most guesses clients without a device token can make at one identifier within `windowMs`
 * from a fresh start, each as soon as the guard allows (any number of addresses, so the per-client
 * limit never binds). This is the documented guessing bound.
 */
export function guessingBound(windowMs: number, policy: GuardPolicy): number {
  let state: GuardState = FRESH;
  let now = 0;
  let guesses = 0;
  for (;;) {
    const verdict = admit(state, { key: `ip:${guesses}`, trusted: false }, now, policy);
    if (verdict.kind === 'wait') {
      now += verdict.retryAfterMs;
      continue;
    }
    if (now >= windowMs) return guesses;
    guesses++;
    state = verdict.next;
  }
}
