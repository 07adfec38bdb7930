import { passwordHasher, passwordProblem } from './passwords';
import { normalizeEmail, normalizePhone, parseIdentifier } from './identifiers';

describe('password policy', () => {
  it.each([
    ['short1!', 'too-short'],
    ['password123', 'too-common'],
    ['QWERTYUIOP', 'too-common'],
    ['1234567890', 'too-common'],
    ['x'.repeat(257), 'too-long'],
  ])('refuses %j (%s)', (pw, code) => expect(passwordProblem(pw)?.code).toBe(code));

  it.each(['cà phê sữa đá mỗi sáng', 'tuoi-grocery-2026!', 'x'.repeat(256)])('accepts %j', (pw) =>
    expect(passwordProblem(pw)).toBeUndefined(),
  );
});

describe('argon2id hasher', () => {
  const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

  it('stores its parameters in the hash and verifies only the right password', async () => {
    const hasher = passwordHasher(cheap);
    const hash = await hasher.hash('mật khẩu rất dài');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    await expect(hasher.verify(hash, 'mật khẩu rất dài')).resolves.toEqual({ ok: true, rehash: false });
    await expect(hasher.verify(hash, 'mat khau rat dai')).resolves.toEqual({ ok: false, rehash: false });
    await expect(hasher.verify('not-a-hash', 'x')).resolves.toEqual({ ok: false, rehash: false });
  });

  it('asks for a rehash when the configured cost changed', async () => {
    const old = await passwordHasher(cheap).hash('correct horse battery');
    const stronger = passwordHasher({ ...cheap, memoryCost: 2048 });
    await expect(stronger.verify(old, 'correct horse battery')).resolves.toEqual({ ok: true, rehash: true });
  });
});

describe('identifiers', () => {
  it.each([
    ['0912 345 678', '+84912345678'],
    ['+84 912-345-678', '+84912345678'],
    ['84382345678', '+84382345678'],
    ['(090) 123.4567', '+84901234567'],
  ])('normalises phone %j', (raw, want) => expect(normalizePhone(raw)).toBe(want));

  it.each(['0212345678', '+8491234567', '091234567890', '+1 912 345 678', 'abc'])('refuses phone %j', (raw) =>
    expect(normalizePhone(raw)).toBeUndefined(),
  );

  it.each([
    [' Lan.Nguyen@Example.VN ', 'lan.nguyen@example.vn'],
    ['a+tag@sub.example.com', 'a+tag@sub.example.com'],
  ])('normalises email %j', (raw, want) => expect(normalizeEmail(raw)).toBe(want));

  it.each(['no-at', 'a@b', 'a..b@example.vn', '.a@example.vn', 'a b@example.vn', `${'a'.repeat(65)}@x.vn`])(
    'refuses email %j',
    (raw) => expect(normalizeEmail(raw)).toBeUndefined(),
  );

  it('tells email from phone by the @', () => {
    expect(parseIdentifier('0912345678')).toEqual({ channel: 'phone', value: '+84912345678' });
    expect(parseIdentifier('LAN@example.vn')).toEqual({ channel: 'email', value: 'lan@example.vn' });
    expect(parseIdentifier('lan@')).toBeUndefined();
  });
});
