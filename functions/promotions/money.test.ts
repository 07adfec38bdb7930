import { percentOf, roundVnd, splitLargestRemainder } from './money';

describe('roundVnd / percentOf', () => {
  it.each([
    [1.5, 2],
    [2.5, 3],
    [-1.5, -2],
    [0.49, 0],
  ])('roundVnd(%p) = %p', (x, want) => expect(roundVnd(x)).toBe(want));

  it.each([
    [10_000, 15, 1_500],
    [33_333, 10, 3_333],
    [5, 50, 3],
  ])('percentOf(%p, %p) = %p', (amount, percent, want) => expect(percentOf(amount, percent)).toBe(want));
});

describe('splitLargestRemainder', () => {
  const w = (pairs: [string, number][]) => pairs.map(([key, weight]) => ({ key, weight }));
  it.each<[string, number, [string, number][], Record<string, number>]>([
    [
      'even thirds, tie to the smaller key',
      100,
      [
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ],
      { a: 34, b: 33, c: 33 },
    ],
    [
      'same in another order',
      100,
      [
        ['c', 1],
        ['a', 1],
        ['b', 1],
      ],
      { a: 34, b: 33, c: 33 },
    ],
    [
      'proportional',
      10_000,
      [
        ['a', 30_000],
        ['b', 10_000],
      ],
      { a: 7_500, b: 2_500 },
    ],
    [
      'largest remainder wins',
      10,
      [
        ['a', 2],
        ['b', 1],
      ],
      { a: 7, b: 3 },
    ],
    [
      'zero weight gets nothing',
      50,
      [
        ['a', 0],
        ['b', 5],
      ],
      { a: 0, b: 50 },
    ],
    [
      'total equal to weights',
      7,
      [
        ['a', 3],
        ['b', 4],
      ],
      { a: 3, b: 4 },
    ],
    ['no weight at all', 9, [['a', 0]], { a: 0 }],
  ])('%s', (_name, total, weights, want) => {
    expect(Object.fromEntries(splitLargestRemainder(total, w(weights)))).toEqual(want);
  });

  it('is exact for amounts past 2^53 / weight', () => {
    const parts = splitLargestRemainder(
      9_000_000_000,
      w([
        ['a', 3_000_000_001],
        ['b', 7_000_000_003],
      ]),
    );
    expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(9_000_000_000);
  });

  it('rejects a negative total', () => {
    expect(() => splitLargestRemainder(-1, w([['a', 1]]))).toThrow(RangeError);
  });
});
