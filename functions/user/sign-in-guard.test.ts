import {
  admit,
  DEFAULT_GUARD_POLICY as P,
  delayAfter,
  FRESH,
  guessingBound,
  prune,
  refund,
  type GuardClient,
  type GuardState,
} from './sign-in-guard';

const T = 1_800_000_000_000;
const MIN = 60_000;
const stranger = (n = 1): GuardClient => ({ key: `ip:198.51.100.${n}`, trusted: false });
const owner: GuardClient = { key: 'd:owner-device', trusted: true };

/** Runs attempts in order; every admitted one fails (the refund is tested on its own). */
function run(attempts: { client: GuardClient; at: number }[], from: GuardState = FRESH) {
  let state = from;
  const answers: string[] = [];
  for (const { client, at } of attempts) {
    const v = admit(state, client, at, P);
    if (v.kind === 'check') state = v.next;
    answers.push(v.kind === 'check' ? 'check' : `${v.reason} ${Math.ceil(v.retryAfterMs / 1000)}s`);
  }
  return { state, answers };
}

const times = (n: number, f: (i: number) => { client: GuardClient; at: number }) =>
  Array.from({ length: n }, (_, i) => f(i));

describe('delayAfter', () => {
  it.each([
    [0, 0],
    [9, 0],
    [10, 1_000],
    [11, 2_000],
    [19, 512_000],
    [20, 900_000],
    [1_000, 900_000],
  ])('after %i failures waits %i ms', (failures, ms) => {
    expect(delayAfter(failures, P)).toBe(ms);
  });
});

describe('admit', () => {
  it.each<[string, { client: GuardClient; at: number }[], string[]]>([
    [
      'one client: five checks, then refused for the rest of its 15-minute window',
      times(6, (i) => ({ client: stranger(), at: T + i * 1000 })),
      ['check', 'check', 'check', 'check', 'check', 'client 895s'],
    ],
    [
      'the client window ends 15 minutes after its first failure',
      [...times(5, (i) => ({ client: stranger(), at: T + i })), { client: stranger(), at: T + 15 * MIN }],
      ['check', 'check', 'check', 'check', 'check', 'check'],
    ],
    [
      'ten free failures from many clients, then the eleventh waits 1 s',
      times(11, (i) => ({ client: stranger(i), at: T })),
      [...Array(10).fill('check'), 'account 1s'],
    ],
    [
      'the delay doubles per failure',
      [
        ...times(10, (i) => ({ client: stranger(i), at: T })),
        { client: stranger(20), at: T + 1_000 },
        { client: stranger(21), at: T + 2_000 },
        { client: stranger(22), at: T + 3_000 },
      ],
      [...Array(10).fill('check'), 'check', 'account 1s', 'check'],
    ],
    [
      "a trusted device skips the identifier's delay",
      [...times(10, (i) => ({ client: stranger(i), at: T })), { client: owner, at: T }],
      [...Array(10).fill('check'), 'check'],
    ],
    [
      'a trusted device is still limited per client',
      times(6, (i) => ({ client: owner, at: T + i })),
      ['check', 'check', 'check', 'check', 'check', 'client 900s'],
    ],
  ])('%s', (_, attempts, expected) => {
    expect(run(attempts).answers).toEqual(expected);
  });

  it('never locks: at the cap, one check per 15 minutes still runs', () => {
    const { state } = run(times(40, (i) => ({ client: stranger(i), at: T + i * 15 * MIN })));
    expect(state.failures).toBe(40);
    const next = T + 40 * 15 * MIN;
    expect(admit(state, stranger(99), next - 1, P)).toMatchObject({ kind: 'wait', reason: 'account' });
    expect(admit(state, stranger(99), next, P).kind).toBe('check');
  });

  it('forgets failures a day after the last one', () => {
    const { state } = run(times(30, (i) => ({ client: stranger(i), at: T })));
    expect(admit(state, stranger(), T + 24 * 60 * MIN - 1, P).kind).toBe('check');
    expect(prune(state, T + 24 * 60 * MIN, P)).toEqual(FRESH);
  });
});

describe('refund', () => {
  it("gives back the admitted check and clears the client's count, not the others'", () => {
    const { state } = run([
      ...times(4, () => ({ client: stranger(1), at: T })),
      ...times(3, () => ({ client: stranger(2), at: T })),
    ]);
    const v = admit(state, stranger(1), T + 1, P);
    if (v.kind !== 'check') throw new Error('should be admitted');
    const after = refund(v.next, stranger(1).key, T + 1, P);
    expect(after.failures).toBe(7);
    expect(after.clients).toEqual({ [stranger(2).key]: { n: 3, since: T } });
  });

  it('never goes below zero', () => {
    expect(refund(FRESH, 'ip:x', T, P).failures).toBe(0);
  });
});

describe('guessingBound (the documented numbers)', () => {
  it.each([
    ['first hour', 60 * MIN, 22],
    ['first day', 24 * 60 * MIN, 114],
  ])('%s: %i guesses', (_, window, bound) => {
    expect(guessingBound(window, P)).toBe(bound);
  });

  it('steady state: 4 per hour, 96 per day', () => {
    expect(guessingBound(25 * 60 * MIN, P) - guessingBound(24 * 60 * MIN, P)).toBe(4);
    expect(guessingBound(48 * 60 * MIN, P) - guessingBound(24 * 60 * MIN, P)).toBe(96);
  });

  it('was 960 a day with the old hard limit of 10 per 15 minutes', () => {
    expect(guessingBound(24 * 60 * MIN, P)).toBeLessThan(960 / 8);
  });
});
