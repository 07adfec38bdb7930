import { ValidationError } from '../shared/errors';
import { parseSearchParams } from './params';

const ctx = { lang: 'en' as const, knownCategory: () => true };

describe('parseSearchParams: on_promotion', () => {
  it.each([
    ['true', true],
    ['false', false],
  ])('reads on_promotion=%s', (value, expected) => {
    expect(parseSearchParams({ on_promotion: value }, ctx).filters.on_promotion).toBe(expected);
  });

  it('leaves the filter off when absent', () => {
    expect(parseSearchParams({ q: 'sua' }, ctx).filters).not.toHaveProperty('on_promotion');
  });

  it.each(['yes', '1', 'TRUE', ''])('rejects on_promotion=%j with a field error', (value) => {
    try {
      parseSearchParams({ on_promotion: value }, ctx);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).errors).toEqual([
        expect.objectContaining({ field: '/on_promotion', code: 'type:boolean' }),
      ]);
    }
  });
});
