import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEvent, envelopeIssues } from './check';
import { contracts, contractFor, EVENT_TYPE, sourceOf } from './index';

const FIXTURES = join(__dirname, 'fixtures');

function fixtures(type: string, kind: 'valid' | 'invalid'): [string, Record<string, unknown>][] {
  const dir = join(FIXTURES, type, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
}

describe('event contract', () => {
  it('has a fixture folder for every contract and a contract for every fixture folder', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(contracts.map((c) => c.type).sort());
  });

  describe.each(contracts.map((c) => [c.type, c] as const))('%s', (type, contract) => {
    it('is reverse-DNS and versioned', () => expect(type).toMatch(EVENT_TYPE));

    it('has at least one valid and one invalid fixture', () => {
      expect(fixtures(type, 'valid').length).toBeGreaterThan(0);
      expect(fixtures(type, 'invalid').length).toBeGreaterThan(0);
    });

    it.each(fixtures(type, 'valid'))('accepts valid/%s', (_name, event) => {
      const verdict = checkEvent(event);
      expect(verdict).toEqual({ ok: true, event });
      expect(event.type).toBe(type);
      expect(event.source).toBe(sourceOf(contract.producer));
      expect(typeof contract.key(event.data as never)).toBe('string');
    });

    it.each(fixtures(type, 'invalid'))('rejects invalid/%s', (_name, event) => {
      const verdict = checkEvent(event);
      expect(verdict.ok).toBe(false);
    });
  });

  it('rejects an unknown type', () => {
    const verdict = checkEvent({
      specversion: '1.0',
      id: '1',
      source: '/x',
      type: 'io.tuoi.nope.v1',
      data: {},
    });
    expect(verdict).toMatchObject({ ok: false, reason: 'unknown-type' });
    expect(contractFor('io.tuoi.nope.v1')).toBeUndefined();
  });

  it.each([
    ['missing source', { specversion: '1.0', id: '1', type: 't' }, '/source'],
    ['empty id', { specversion: '1.0', id: '', source: '/s', type: 't' }, '/id'],
    [
      'upper-case extension',
      { specversion: '1.0', id: '1', source: '/s', type: 't', TraceParent: 'x' },
      '/TraceParent',
    ],
    [
      'extension name with a dash',
      { specversion: '1.0', id: '1', source: '/s', type: 't', 'my-ext': 'x' },
      '/my-ext',
    ],
    ['object extension', { specversion: '1.0', id: '1', source: '/s', type: 't', ext: { a: 1 } }, '/ext'],
    ['array extension', { specversion: '1.0', id: '1', source: '/s', type: 't', ext: [1] }, '/ext'],
    ['fractional extension', { specversion: '1.0', id: '1', source: '/s', type: 't', ext: 1.5 }, '/ext'],
    ['64-bit extension', { specversion: '1.0', id: '1', source: '/s', type: 't', ext: 2 ** 40 }, '/ext'],
    ['NUL in id', { specversion: '1.0', id: 'a\u0000b', source: '/s', type: 't' }, '/id'],
    ['newline in source', { specversion: '1.0', id: '1', source: '/s\n', type: 't' }, '/source'],
    [
      'C1 control in subject',
      { specversion: '1.0', id: '1', source: '/s', type: 't', subject: 'x\u0085' },
      '/subject',
    ],
    [
      'lone surrogate in an extension',
      { specversion: '1.0', id: '1', source: '/s', type: 't', ext: '\ud800' },
      '/ext',
    ],
    ['noncharacter in type', { specversion: '1.0', id: '1', source: '/s', type: 't\uffff' }, '/type'],
    ['number as subject', { specversion: '1.0', id: '1', source: '/s', type: 't', subject: 7 }, '/subject'],
    ['bad time', { specversion: '1.0', id: '1', source: '/s', type: 't', time: 'noon' }, '/time'],
  ])('envelope: %s', (_name, event, field) => {
    expect(envelopeIssues(event).map((i) => i.field)).toContain(field);
  });

  it.each([
    ['a 21-character extension name (SHOULD, not MUST, be 20 or fewer)', { abcdefghijklmnopqrstu: 'x' }],
    ['primitive extension values', { flag: true, count: -2147483648, note: 'Phở bò 🍜' }],
    ['a paired surrogate (an emoji) in subject', { subject: '🍜' }],
  ])('envelope accepts %s', (_name, extra) => {
    expect(envelopeIssues({ specversion: '1.0', id: '1', source: '/s', type: 't', ...extra })).toEqual([]);
  });
});
