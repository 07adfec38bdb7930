import fc from 'fast-check';
import { smsBody, smsLength, unaccented } from './sms';

describe('SMS length', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1], // escape characters count twice
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['Tươi', 'UCS-2', 4, 1],
    ['ư'.repeat(70), 'UCS-2', 70, 1],
    ['ư'.repeat(71), 'UCS-2', 71, 2],
    ['ư'.repeat(134), 'UCS-2', 134, 2],
    ['ư'.repeat(135), 'UCS-2', 135, 3],
    ['🍉', 'UCS-2', 2, 1], // a surrogate pair is two code units
  ] as const)('%j is %s, %i units, %i segment(s)', (text, encoding, units, segments) => {
    expect(smsLength(text)).toEqual({ encoding, units, segments });
  });

  it('writes Vietnamese without marks, đ as d and ₫ as d', () => {
    expect(unaccented('Tươi: đơn đã giao, 125.000 ₫. Cảm ơn bạn!')).toBe(
      'Tuoi: don da giao, 125.000 d. Cam on ban!',
    );
    expect(unaccented('ĐẶT HÀNG')).toBe('DAT HANG');
  });

  it('keeps a Vietnamese message within two segments, or sends it unaccented', () => {
    const short = 'Tươi: đơn ord-1 đã giao thành công.';
    expect(smsBody(short)).toMatchObject({ body: short, unaccented: false, encoding: 'UCS-2', segments: 1 });
    const long = `Tươi: ${'đơn hàng của bạn đã được giao thành công, '.repeat(4)}`;
    expect(smsLength(long).segments).toBeGreaterThan(2);
    const sent = smsBody(long);
    expect(sent).toMatchObject({ unaccented: true, encoding: 'GSM-7' });
    expect(sent.segments).toBeLessThanOrEqual(2);
    expect(smsBody(long, 3).unaccented).toBe(false);
  });

  it('property: unaccented Vietnamese is GSM-7, and never takes more segments than the accented text', () => {
    const letters = [
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ĐƯƠ.,!0123456789',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 400 }), (chars) => {
        const text = chars.join('');
        const plain = unaccented(text);
        expect(smsLength(plain).encoding).toBe('GSM-7');
        expect(smsLength(plain).segments).toBeLessThanOrEqual(smsLength(text).segments);
      }),
    );
  });
});
