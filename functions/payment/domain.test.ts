import fc from 'fast-check';
import {
  applyReport,
  captureRefusal,
  idempotencyKey,
  refundRefusal,
  statusOf,
  voidRefusal,
  type PaymentFacts,
} from './domain';
import { RAIL_STATUSES, type RailState, type RailStatus } from './rail';

const at = new Date('2026-12-08T03:00:00Z');
const facts = (extra: Partial<PaymentFacts> = {}): PaymentFacts => ({
  amountVnd: 500_000,
  stage: 'pending',
  authorisedVnd: 0,
  capturedVnd: 0,
  refundedVnd: 0,
  ...extra,
});
const report = (status: RailStatus, extra: Partial<RailState> = {}): RailState => ({
  status,
  authorisedVnd: 0,
  capturedVnd: 0,
  refundedVnd: 0,
  at,
  ...extra,
});
const held = facts({ stage: 'authorised', authorisedVnd: 500_000 });
const taken = facts({ stage: 'captured', authorisedVnd: 500_000, capturedVnd: 460_000 });

describe('statusOf', () => {
  it.each([
    ['pending', facts(), 'pending'],
    ['held', held, 'authorised'],
    ['captured in full', facts({ stage: 'captured', capturedVnd: 500_000 }), 'captured'],
    ['captured less (a short pick)', taken, 'partially_captured'],
    ['partly refunded', { ...taken, refundedVnd: 60_000 }, 'partially_refunded'],
    ['fully refunded', { ...taken, refundedVnd: 460_000 }, 'refunded'],
    ['voided', facts({ stage: 'voided' }), 'voided'],
  ] as const)('%s', (_name, p, status) => expect(statusOf(p)).toBe(status));
});

describe('applyReport', () => {
  it.each([
    [
      'a hold',
      facts(),
      report('authorised', { authorisedVnd: 500_000 }),
      { stage: 'authorised', authorisedVnd: 500_000 },
    ],
    [
      'a charge on a rail without holds',
      facts(),
      report('captured', { capturedVnd: 500_000 }),
      { stage: 'captured', capturedVnd: 500_000 },
    ],
    [
      'capture after the hold',
      held,
      report('captured', { capturedVnd: 460_000 }),
      { stage: 'captured', capturedVnd: 460_000 },
    ],
    [
      'a refund',
      taken,
      report('captured', { capturedVnd: 460_000, refundedVnd: 60_000 }),
      { refundedVnd: 60_000 },
    ],
    ['a lapsed hold', held, report('expired'), { stage: 'expired' }],
  ] as const)('moves forward on %s', (_name, p, r, expected) => {
    expect(applyReport(p, r)).toMatchObject(expected);
  });

  it.each([
    ['a late "authorised" after capture', taken, report('authorised', { authorisedVnd: 500_000 })],
    ['a repeat', held, report('authorised', { authorisedVnd: 500_000 })],
    ['"pending" after a hold (the redirect racing the notification)', held, report('pending')],
    ['anything after a void', facts({ stage: 'voided' }), report('captured', { capturedVnd: 500_000 })],
    ['"expired" after capture', taken, report('expired')],
    [
      'a smaller refund total than known',
      { ...taken, refundedVnd: 100_000 },
      report('captured', { capturedVnd: 460_000, refundedVnd: 60_000 }),
    ],
  ] as const)('changes nothing on %s', (_name, p, r) => {
    expect(applyReport(p, r)).toBeUndefined();
  });

  it('never refunds past what was captured', () => {
    expect(
      applyReport(taken, report('captured', { capturedVnd: 460_000, refundedVnd: 999_999 }))?.refundedVnd,
    ).toBe(460_000);
  });

  it('converges whatever order and repeats the reports of one payment arrive in (property)', () => {
    // The provider's true history of one payment: held, captured less, then two refunds.
    const history: RailState[] = [
      report('pending'),
      report('authorised', { authorisedVnd: 500_000 }),
      report('captured', { capturedVnd: 460_000 }),
      report('captured', { capturedVnd: 460_000, refundedVnd: 60_000 }),
      report('captured', { capturedVnd: 460_000, refundedVnd: 100_000 }),
    ];
    const final = history.reduce((p, r) => applyReport(p, r) ?? p, facts());
    expect(statusOf(final)).toBe('partially_refunded');
    // Every report arrives at least once, some twice or more, in any order.
    const arrivals = fc
      .array(fc.integer({ min: 0, max: history.length - 1 }), { maxLength: 15 })
      .chain((extra) => {
        const all = [...history.keys(), ...extra];
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      });
    fc.assert(
      fc.property(arrivals, (order) => {
        const end = order.map((i) => history[i]!).reduce((p, r) => applyReport(p, r) ?? p, facts());
        expect(end).toEqual(final);
      }),
    );
  });

  it('amounts never shrink and an ended payment stays ended (property)', () => {
    const stage = fc.constantFrom(...RAIL_STATUSES);
    const amount = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(fc.array(fc.tuple(stage, amount, amount, amount), { maxLength: 30 }), (reports) => {
        let p = facts({ amountVnd: 1_000_000 });
        for (const [s, a, c, r] of reports) {
          const next = applyReport(p, report(s, { authorisedVnd: a, capturedVnd: c, refundedVnd: r })) ?? p;
          expect(next.authorisedVnd).toBeGreaterThanOrEqual(p.authorisedVnd);
          expect(next.capturedVnd).toBeGreaterThanOrEqual(p.capturedVnd);
          expect(next.refundedVnd).toBeGreaterThanOrEqual(p.refundedVnd);
          expect(next.refundedVnd).toBeLessThanOrEqual(next.capturedVnd);
          if (['voided', 'failed', 'expired'].includes(p.stage)) expect(next.stage).toBe(p.stage);
          p = next;
        }
      }),
    );
  });
});

describe('refusals before any provider is asked', () => {
  it.each([
    ['capture the whole hold', captureRefusal(held, 500_000), undefined],
    ['capture less', captureRefusal(held, 1), undefined],
    ['capture above the hold', captureRefusal(held, 500_001)?.code, 'over_hold'],
    ['capture a fraction of a đồng', captureRefusal(held, 10.5)?.code, 'amount'],
    ['capture a negative amount', captureRefusal(held, -1)?.code, 'amount'],
    ['capture before the hold', captureRefusal(facts(), 1)?.code, 'not_authorised'],
    ['capture twice', captureRefusal(taken, 1)?.code, 'not_authorised'],
    [
      'take less of a charge on a rail without holds (VNPay)',
      captureRefusal(taken, 400_000, false),
      undefined,
    ],
    ['take more than was charged', captureRefusal(taken, 460_001, false)?.code, 'over_hold'],
    ['take less before the charge', captureRefusal(facts(), 1, false)?.code, 'not_authorised'],
    [
      'take less after a refund',
      captureRefusal({ ...taken, refundedVnd: 1 }, 1, false)?.code,
      'not_authorised',
    ],
    ['void a hold', voidRefusal(held), undefined],
    ['void before the customer paid', voidRefusal(facts()), undefined],
    ['void after capture', voidRefusal(taken)?.code, 'not_authorised'],
    ['void twice', voidRefusal(facts({ stage: 'voided' }))?.code, 'ended'],
    ['refund part', refundRefusal(taken, 60_000), undefined],
    ['refund the rest exactly', refundRefusal({ ...taken, refundedVnd: 60_000 }, 400_000), undefined],
    [
      'refund one đồng more than is left',
      refundRefusal({ ...taken, refundedVnd: 60_000 }, 400_001)?.code,
      'over_captured',
    ],
    ['refund a held payment', refundRefusal(held, 1)?.code, 'not_captured'],
    [
      'refund a fully refunded payment',
      refundRefusal({ ...taken, refundedVnd: 460_000 }, 1)?.code,
      'over_captured',
    ],
  ])('%s', (_name, got, expected) => expect(got).toEqual(expected));

  it('partial refunds until fully refunded: the total never passes what was captured (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 30 }), (asks) => {
        let p = taken;
        for (const a of asks) if (!refundRefusal(p, a)) p = { ...p, refundedVnd: p.refundedVnd + a };
        expect(p.refundedVnd).toBeLessThanOrEqual(p.capturedVnd);
      }),
    );
  });
});

describe('idempotencyKey', () => {
  it('is stable per (payment, operation, attempt), distinct otherwise, and fits every rail', () => {
    const k = idempotencyKey('pay-1', 'capture', 1);
    expect(k).toBe(idempotencyKey('pay-1', 'capture', 1));
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    const others = [
      idempotencyKey('pay-1', 'capture', 2),
      idempotencyKey('pay-1', 'refund', 1),
      idempotencyKey('pay-2', 'capture', 1),
      // No ambiguity from joining: ("pay-1c", "apture") is not ("pay-1", "capture").
      idempotencyKey('pay-1\u0000capture', 'capture', 1),
    ];
    expect(new Set([k, ...others]).size).toBe(5);
  });
});
