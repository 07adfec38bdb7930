import type { CarrierName } from './carrier';
import { chooseCarriers, DEFAULT_LIMITS, type QuoteAnswer } from './choose';

const now = new Date('2026-12-08T10:00:00Z');
const q = (carrier: CarrierName, feeVnd: number, etaMinutes?: number): QuoteAnswer => ({
  carrier,
  quote: { carrier, service: 'x', feeVnd, ...(etaMinutes !== undefined ? { etaMinutes } : {}) },
});

describe('chooseCarriers', () => {
  it('tries the cheapest first, the zone preference breaking ties', () => {
    const out = chooseCarriers(
      [q('grab', 30_000), q('ahamove', 25_000), q('ghn', 30_000), q('own_fleet', 40_000)],
      ['own_fleet', 'ghn', 'grab', 'ahamove'],
      { weightGrams: 3_000, codVnd: 0 },
      now,
    );
    expect(out.order.map((x) => x.carrier)).toEqual(['ahamove', 'ghn', 'grab', 'own_fleet']);
    expect(out.skipped).toEqual([]);
  });

  it.each([
    [
      'no coverage',
      { carrier: 'grab', quote: undefined } as QuoteAnswer,
      { weightGrams: 1, codVnd: 0 },
      'does not serve this trip',
    ],
    [
      'an outage',
      { carrier: 'grab', error: 'grab unavailable (timeout)' } as QuoteAnswer,
      { weightGrams: 1, codVnd: 0 },
      'no quote: grab unavailable (timeout)',
    ],
    ['too heavy', q('grab', 1), { weightGrams: 30_001, codVnd: 0 }, 'over 30000 g'],
    [
      'GHN cash on delivery over its documented 5,000,000 ₫',
      q('ghn', 1),
      { weightGrams: 1, codVnd: 5_000_001 },
      'cash on delivery over 5000000 ₫',
    ],
    [
      'arrives after the window',
      q('grab', 1, 121),
      { weightGrams: 1, codVnd: 0, windowEnd: new Date('2026-12-08T12:00:00Z') },
      'cannot arrive before the window ends',
    ],
  ] as const)('leaves a carrier out for %s', (_name, answer, trip, reason) => {
    const roomy = { ...DEFAULT_LIMITS, own_fleet: { maxWeightGrams: 1e6, maxCodVnd: 1e9 } };
    const out = chooseCarriers([answer, q('own_fleet', 0)], ['grab', 'own_fleet'], trip, now, roomy);
    expect(out.order.map((x) => x.carrier)).toEqual(['own_fleet']);
    expect(out.skipped).toEqual([{ carrier: answer.carrier, reason }]);
  });

  it('an ETA exactly at the window end is fine', () => {
    const out = chooseCarriers(
      [q('grab', 1, 120)],
      ['grab'],
      { weightGrams: 1, codVnd: 0, windowEnd: new Date('2026-12-08T12:00:00Z') },
      now,
    );
    expect(out.order).toHaveLength(1);
  });
});
