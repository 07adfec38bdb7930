import { editDistance, maxEditsFor, Vocabulary } from './spelling';

describe('editDistance', () => {
  it.each([
    ['milk', 'milk', 0],
    ['mlik', 'milk', 1], // transposition is one edit
    ['tuoii', 'tuoi', 1],
    ['vinamlik', 'vinamilk', 1],
    ['sua', 'sau', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });

  it('stops at the cut-off', () => expect(editDistance('kitten', 'sitting', 1)).toBe(2));
});

describe('maxEditsFor', () => {
  it.each([
    ['bo', 0],
    ['sua', 0],
    ['milk', 1],
    ['vinamil', 1],
    ['vinamilk', 2],
  ])('%s allows %i', (w, n) => expect(maxEditsFor(w)).toBe(n));
});

describe('Vocabulary', () => {
  const vocab = new Vocabulary(
    new Map([
      ['milk', 900],
      ['silk', 3],
      ['sua', 500],
      ['tuoi', 400],
      ['vinamilk', 300],
    ]),
  );

  it('ranks by distance, then frequency', () => {
    expect(vocab.corrections('mlik').map((c) => c.word)).toEqual(['milk']);
    expect(vocab.corrections('xilk').map((c) => c.word)).toEqual(['milk', 'silk']);
  });

  it('never corrects short words', () => expect(vocab.corrections('suo')).toEqual([]));

  it('proposes a corrected query only when a word is unknown', () => {
    expect(vocab.didYouMean(['sua', 'tuoii'])).toBe('sua tuoi');
    expect(vocab.didYouMean(['vinamlik'])).toBe('vinamilk');
    expect(vocab.didYouMean(['sua', 'tuoi'])).toBeUndefined();
    expect(vocab.didYouMean(['zzzzzzz'])).toBeUndefined();
  });

  it('learns new words', () => {
    const v = new Vocabulary(new Map());
    v.add(['rau', 'muong']);
    expect(v.has('muong')).toBe(true);
    expect(v.corrections('muongg').map((c) => c.word)).toEqual(['muong']);
  });
});
