import fc from 'fast-check';
import { afterQuietHours, DEFAULT_PREFERENCES, inQuietHours, plan, type Preferences } from './policy';

const vn = (local: string) => new Date(`${local}+07:00`);
const QUIET = DEFAULT_PREFERENCES.quiet;

describe('notification policy', () => {
  it.each([
    ['2026-12-08T20:59:00', false],
    ['2026-12-08T21:00:00', true],
    ['2026-12-08T23:30:00', true],
    ['2026-12-09T00:10:00', true],
    ['2026-12-09T07:59:00', true],
    ['2026-12-09T08:00:00', false],
    ['2026-12-09T12:00:00', false],
  ])('%s Vietnam time is quiet: %s', (at, quiet) => {
    expect(inQuietHours(vn(at), QUIET)).toBe(quiet);
  });

  it('holds a message sent at night until 08:00, Vietnam time', () => {
    expect(afterQuietHours(vn('2026-12-08T22:15:30'), QUIET)).toEqual(vn('2026-12-09T08:00:00'));
    expect(afterQuietHours(vn('2026-12-09T06:00:00'), QUIET)).toEqual(vn('2026-12-09T08:00:00'));
    expect(afterQuietHours(vn('2026-12-09T09:00:00'), QUIET)).toEqual(vn('2026-12-09T09:00:00'));
    expect(afterQuietHours(vn('2026-12-09T23:00:00'), null)).toEqual(vn('2026-12-09T23:00:00'));
  });

  const night = vn('2026-12-08T23:00:00');
  const reach = { email: 'lan@example.vn', phone: '+84901234567' };

  it.each([
    [
      'a code asked for by phone goes by SMS at once, even at night',
      { category: 'account', urgent: true, channel: 'phone' },
      DEFAULT_PREFERENCES,
      reach,
      ['sms'],
      false,
    ],
    [
      'an order message goes on the chosen channels, held until morning',
      { category: 'order', urgent: false },
      DEFAULT_PREFERENCES,
      reach,
      ['email', 'inapp'],
      true,
    ],
    [
      'an urgent order message (a substitute) is not held',
      { category: 'order', urgent: true },
      DEFAULT_PREFERENCES,
      reach,
      ['email', 'inapp'],
      false,
    ],
    [
      'marketing without opt-in goes nowhere',
      { category: 'marketing', urgent: false },
      DEFAULT_PREFERENCES,
      reach,
      [],
      true,
    ],
    [
      'marketing with opt-in by SMS',
      { category: 'marketing', urgent: false },
      { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels, marketing: ['sms'] } },
      reach,
      ['sms'],
      true,
    ],
    [
      'order messages still reach a customer who turned every channel off (in-app)',
      { category: 'order', urgent: false },
      { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels, order: [] } },
      reach,
      ['inapp'],
      true,
    ],
    [
      'a channel the customer cannot be reached on is skipped',
      { category: 'order', urgent: false },
      { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels, order: ['sms', 'email'] } },
      { phone: '+84901234567' },
      ['sms'],
      true,
    ],
  ] as const)('%s', (_what, m, prefs, r, channels, held) => {
    const p = plan(m, prefs as Preferences, r, night);
    expect(p.channels).toEqual(channels);
    expect(p.held).toBe(held);
  });

  it('property: a held message is sent at the first minute outside quiet hours, within 24 h', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2027-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 1_439 }),
        fc.integer({ min: 0, max: 1_439 }),
        (at, from, to) => {
          const quiet = { from, to };
          const next = afterQuietHours(at, quiet);
          expect(inQuietHours(next, quiet)).toBe(false);
          expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime() - 60_000);
          expect(next.getTime() - at.getTime()).toBeLessThanOrEqual(86_400_000);
        },
      ),
    );
  });
});
