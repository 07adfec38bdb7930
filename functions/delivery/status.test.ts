import fc from 'fast-check';
import { DELIVERY_STATUSES, type DeliveryStatus } from './carrier';
import { advance, RANK, TERMINAL } from './status';

const at = (s: number) => new Date(Date.UTC(2026, 11, 8, 10, 0, s));
const pos = (status: DeliveryStatus, s: number) => ({ status, at: at(s) });

describe('advance', () => {
  it.each([
    ['forward', pos('pending', 0), pos('assigned', 1), true, undefined],
    ['forward, same carrier time', pos('assigned', 1), pos('picked_up', 1), true, undefined],
    ['skipping steps', pos('pending', 0), pos('delivered', 5), true, undefined],
    ['a repeat', pos('in_transit', 3), pos('in_transit', 3), false, 'same'],
    ['a late earlier status', pos('in_transit', 3), pos('picked_up', 2), false, 'stale'],
    ['backwards with a newer time', pos('in_transit', 3), pos('assigned', 4), false, 'backwards'],
    ['after delivered', pos('delivered', 5), pos('failed', 9), false, 'terminal'],
    ['after cancelled', pos('cancelled', 5), pos('delivered', 9), false, 'terminal'],
    ['a new attempt after a failure', pos('failed', 4), pos('in_transit', 6), true, undefined],
    ['an attempt older than the failure', pos('failed', 4), pos('in_transit', 3), false, 'stale'],
    ['the same instant as the failure', pos('failed', 4), pos('in_transit', 4), false, 'backwards'],
    ['delivered after a failure', pos('failed', 4), pos('delivered', 7), true, undefined],
    ['returning after a failure', pos('failed', 4), pos('returning', 5), true, undefined],
  ] as const)('%s', (_name, current, next, apply, why) => {
    const out = advance(current, next);
    expect(out.apply).toBe(apply);
    if (!out.apply) expect(out.why).toBe(why);
  });

  it('whatever order updates arrive in, a terminal status is final and the rank only drops for a newer retry (property)', () => {
    const status = fc.constantFrom(...DELIVERY_STATUSES);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(status, fc.integer({ min: 0, max: 50 })), { maxLength: 40 }),
        (updates) => {
          let current = pos('pending', 0);
          for (const [s, t] of updates) {
            const next = pos(s, t);
            if (!advance(current, next).apply) continue;
            expect(TERMINAL.has(current.status)).toBe(false);
            expect(next.at.getTime()).toBeGreaterThanOrEqual(current.at.getTime());
            if (RANK[next.status] <= RANK[current.status]) {
              expect(current.status).toBe('failed');
              expect(next.at.getTime()).toBeGreaterThan(current.at.getTime());
            }
            current = next;
          }
        },
      ),
    );
  });
});
