/** A provider's refusal code in the shape the saga's reasons take (`^[a-z][a-z0-9_]{0,63}$`). */
import { reasonCode } from './saga';

const SHAPE = /^[a-z][a-z0-9_]{0,63}$/;

describe('reasonCode', () => {
  it.each([
    ['card_declined', 'stripe', 'card_declined'],
    ['state_pending', 'momo', 'state_pending'],
    ['1006', 'momo', 'momo_1006'],
    ['vnpay_94', 'vnpay', 'vnpay_94'],
    ['Over-Captured!', 'vnpay', 'over_captured'],
    ['', 'momo', 'momo_refused'],
    ['x'.repeat(80), 'stripe', 'x'.repeat(64)],
  ] as const)('%s on %s is %s', (code, rail, expected) => {
    expect(reasonCode(code, rail)).toBe(expected);
    expect(reasonCode(code, rail)).toMatch(SHAPE);
  });
});
