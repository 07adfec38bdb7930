import fc from 'fast-check';
import { join, SEALED, sealer, split } from './seal';
import { backoffMs } from './sender';

const token = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

describe('sealing secrets', () => {
  it('takes every secret out of the stored data and puts it back exactly', () => {
    fc.assert(
      fc.property(token, fc.option(token, { nil: undefined }), fc.string(), (verify, reset, name) => {
        const data = {
          user_id: 'u1',
          name,
          verification: { token: verify, expires_at: '2026-12-08T09:00:00Z' },
          ...(reset ? { reset: { token: reset, expires_at: '2026-12-08T09:00:00Z' } } : {}),
        };
        const { plain, secrets } = split(data);
        const stored = JSON.stringify(plain);
        expect(stored).not.toContain(verify);
        if (reset) expect(stored).not.toContain(reset);
        expect((plain.verification as { token: string }).token).toBe(SEALED);
        const s = sealer('key-1');
        const sealed = s.seal(secrets)!;
        expect(sealed.toString('latin1')).not.toContain(verify);
        expect(join(plain, s.open(sealed))).toEqual(data);
      }),
    );
  });

  it('seals nothing for data without secrets', () => {
    const { plain, secrets } = split({ order_id: 'o1' });
    expect(plain).toEqual({ order_id: 'o1' });
    expect(sealer('k').seal(secrets)).toBeNull();
    expect(sealer('k').open(null)).toEqual({});
  });

  it('refuses sealed bytes that were changed or sealed under another key', () => {
    const sealed = sealer('key-1').seal({ verification: 'x'.repeat(43) })!;
    expect(() => sealer('key-2').open(sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(() => sealer('key-1').open(tampered)).toThrow();
  });
});

describe('retry backoff', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [6, 960_000],
    [7, 1_800_000],
    [20, 1_800_000],
  ])('after attempt %i waits %i ms', (attempts, ms) => expect(backoffMs(attempts)).toBe(ms));
});
