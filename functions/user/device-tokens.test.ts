import { deviceTokens } from './device-tokens';

const SECRET = 'device-token-test-secret-0123456789abcdef';
const OTHER = 'another-secret-of-at-least-32-characters-xyz';
const now = new Date('2026-12-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe('device tokens', () => {
  const tokens = deviceTokens([SECRET], 90 * 86_400);
  const token = tokens.issue('lan@example.vn', now);

  it.each<[string, () => string | undefined, boolean]>([
    ['its own identifier, before expiry', () => tokens.verify(token, 'lan@example.vn', later(60)), true],
    ['another identifier', () => tokens.verify(token, 'mai@example.vn', now), false],
    ['at expiry', () => tokens.verify(token, 'lan@example.vn', later(90 * 86_400)), false],
    ['another secret', () => deviceTokens([OTHER], 60).verify(token, 'lan@example.vn', now), false],
    [
      'the previous secret during a rotation',
      () => deviceTokens([OTHER, SECRET], 60).verify(token, 'lan@example.vn', now),
      true,
    ],
    [
      'a changed expiry',
      () => tokens.verify(token.replace(/\.(\d+)\./, '.9$1.'), 'lan@example.vn', now),
      false,
    ],
    ['garbage', () => tokens.verify('dv1.\u0000', 'lan@example.vn', now), false],
    ['empty', () => tokens.verify('', 'lan@example.vn', now), false],
  ])('%s → accepted: %s', (_, check, accepted) => {
    expect(check() !== undefined).toBe(accepted);
  });

  it('names the device, and a renewal keeps it', () => {
    const id = tokens.verify(token, 'lan@example.vn', now)!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const renewed = tokens.issue('lan@example.vn', later(10), id);
    expect(tokens.verify(renewed, 'lan@example.vn', later(10))).toBe(id);
    expect(tokens.verify(tokens.issue('lan@example.vn', now), 'lan@example.vn', now)).not.toBe(id);
  });
});
