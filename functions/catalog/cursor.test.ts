import { decodeCursor, encodeCursor, fingerprint, type KeyKind } from './cursor';

describe('keyset cursors', () => {
  const f = fingerprint([{ dietary: [] }, 'price', 'vi']);

  it.each<[KeyKind, string]>([
    ['integer', '35000'],
    ['integer', '0'],
    ['timestamp', '2026-11-22T03:04:05.123456Z'],
    ['text', 'rau muong 12'],
    ['text', ''],
    ['text', 'nuoc mam "phu quoc", 500ml'],
  ])('round-trips a %s key %j', (kind, key) => {
    const cursor = encodeCursor({ key, sku: 'TU-000123' }, f);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, f, kind)).toEqual({ key, sku: 'TU-000123' });
  });

  const raw = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it.each<[string, string, KeyKind, string]>([
    ['not base64url', 'abc+/=', 'integer', 'not a cursor'],
    ['too long', 'a'.repeat(1201), 'integer', 'not a cursor'],
    ['not JSON', Buffer.from('{').toString('base64url'), 'integer', 'not a cursor'],
    ['JSON null', raw(null), 'integer', 'not a cursor'],
    ['missing the key', raw({ s: 'TU-1', f }), 'integer', 'not a cursor'],
    ['a numeric key', raw({ k: 1, s: 'TU-001', f }), 'integer', 'not a cursor'],
    ['a bad SKU', raw({ k: '1', s: "x'; --", f }), 'integer', 'not a cursor'],
    ['another query', encodeCursor({ key: '1', sku: 'TU-001' }, 'other'), 'integer', 'different query'],
    ['a text key for a price', encodeCursor({ key: 'abc', sku: 'TU-001' }, f), 'integer', 'not a cursor'],
    [
      'a SQL key for a price',
      encodeCursor({ key: '1) OR (1=1', sku: 'TU-001' }, f),
      'integer',
      'not a cursor',
    ],
    [
      'a date without microseconds',
      encodeCursor({ key: '2026-11-22', sku: 'TU-001' }, f),
      'timestamp',
      'not a cursor',
    ],
    ['a NUL in a name key', encodeCursor({ key: 'a\u0000', sku: 'TU-001' }, f), 'text', 'not a cursor'],
  ])('rejects %s with a 400 on /cursor', (_name, cursor, kind, message) => {
    try {
      decodeCursor(cursor, f, kind);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toMatchObject({ status: 400, errors: [{ field: '/cursor', code: 'cursor' }] });
      expect((err as { errors: { message: string }[] }).errors[0]!.message).toContain(message);
    }
  });

  it('fingerprints differ by filters, sort and language and are stable', () => {
    const a = fingerprint([{ dietary: ['vegan'] }, 'price', 'vi']);
    expect(fingerprint([{ dietary: ['vegan'] }, 'price', 'vi'])).toBe(a);
    expect(fingerprint([{ dietary: ['vegan'] }, 'price', 'en'])).not.toBe(a);
    expect(fingerprint([{ dietary: ['vegan'] }, 'name', 'vi'])).not.toBe(a);
    expect(fingerprint([{ dietary: [] }, 'price', 'vi'])).not.toBe(a);
  });
});
