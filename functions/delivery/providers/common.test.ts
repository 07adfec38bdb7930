/**
 * The helpers the carrier adapters share (common.ts): area keys and location-code tables, JSON
 * inline or from a file, local phone numbers, and the constant-time secret compare.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { areaKey, areaTable, isRecord, localPhone, readJsonOrFile, sameSecret } from './common';

describe('areaKey', () => {
  it('keys a ward by trimmed lower-case province and folded name, with or without its unit word', () => {
    expect(areaKey('ho-chi-minh', 'Phường Bến Thành')).toBe(areaKey(' ho-chi-minh ', 'ben  thanh'));
    expect(areaKey('HO-CHI-MINH', 'BẾN THÀNH')).toBe(areaKey('ho-chi-minh', 'Bến Thành'));
    expect(areaKey('ho-chi-minh', 'Bến Thành')).not.toBe(areaKey('ha-noi', 'Bến Thành'));
    expect(areaKey('ho-chi-minh', 'Bến Thành')).toMatch(/^ho-chi-minh\|/);
  });
});

describe('isRecord', () => {
  it.each([[{}], [{ a: 1 }], [Object.create(null)]])('accepts %p', (v) => expect(isRecord(v)).toBe(true));
  it.each([[null], [undefined], [[]], [[1]], ['{}'], [1]])('refuses %p', (v) =>
    expect(isRecord(v)).toBe(false),
  );
});

describe('areaTable', () => {
  /** Codes of the shape `{id: positive integer}`. */
  const readId = (v: Record<string, unknown>) =>
    Number.isInteger(v.id) && (v.id as number) > 0 ? { id: v.id as number } : undefined;

  it('keys entries with areaKey and keeps what `read` returns', () => {
    const table = areaTable(
      { 'ho-chi-minh|Phường Bến Thành': { id: 1, extra: 'dropped' }, 'ha-noi|Cửa Nam': { id: 2 } },
      '{id}',
      readId,
    );
    expect(table.size).toBe(2);
    expect(table.get(areaKey('ho-chi-minh', 'BẾN THÀNH'))).toEqual({ id: 1 });
    expect(table.get(areaKey('ha-noi', 'Phường Cửa Nam'))).toEqual({ id: 2 });
  });

  it('accepts an empty table', () => {
    expect(areaTable({}, '{id}', readId).size).toBe(0);
  });

  it('names every key without both halves, with a bad entry, or repeated once normalised, in order', () => {
    let err: unknown;
    try {
      areaTable(
        {
          'ho-chi-minh|Bến Thành': { id: 1 },
          'ho-chi-minh|phuong ben thanh': { id: 1 },
          'no-bar': { id: 2 },
          '|Cửa Nam': { id: 3 },
          'ha-noi|': { id: 4 },
          'ha-noi|Hoàn Kiếm': { id: '5' },
          'ha-noi|Hàng Bạc': [6],
          'ha-noi|Đồng Xuân': 7,
          'ha-noi|Tràng Tiền': { id: 8 },
        },
        '{id}',
        readId,
      );
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toBe(
      'has bad or repeated entries: ho-chi-minh|phuong ben thanh, no-bar, |Cửa Nam, ha-noi|, ' +
        'ha-noi|Hoàn Kiếm, ha-noi|Hàng Bạc, ha-noi|Đồng Xuân',
    );
  });

  it('does not ask `read` about entries that are not objects', () => {
    const read = jest.fn(readId);
    expect(() => areaTable({ 'a|b': null, 'a|c': [], 'a|d': 'x' }, '{id}', read)).toThrow(/bad or repeated/);
    expect(read).not.toHaveBeenCalled();
  });

  it.each([[[]], [null], ['{}'], [42]])('refuses %p as a table, naming the shape of an entry', (table) =>
    expect(() => areaTable(table, '{id}', readId)).toThrow(
      'must be a JSON object of "<province>|<ward>": {id}',
    ),
  );
});

describe('readJsonOrFile', () => {
  const json = '{"ho-chi-minh|Bến Thành": {"id": 1}}';

  it('parses JSON text, leading blanks allowed', () => {
    expect(readJsonOrFile(json)).toEqual({ 'ho-chi-minh|Bến Thành': { id: 1 } });
    expect(readJsonOrFile(`\n  ${json}`)).toEqual({ 'ho-chi-minh|Bến Thành': { id: 1 } });
  });

  it('reads anything else as the path of a JSON file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'providers-common-')), 'areas.json');
    writeFileSync(file, json);
    expect(readJsonOrFile(file)).toEqual({ 'ho-chi-minh|Bến Thành': { id: 1 } });
    expect(() => readJsonOrFile(join(tmpdir(), 'no-such-dir-7f3a', 'areas.json'))).toThrow(/ENOENT/);
  });

  it('throws on text that is not JSON', () => {
    expect(() => readJsonOrFile('{not json')).toThrow(SyntaxError);
  });
});

describe('localPhone', () => {
  it.each([
    ['+84901234567', '0901234567'],
    ['+84 90 123 4567', '0901234567'],
    ['+84-90.123.4567', '0901234567'],
    ['0901234567', '0901234567'],
    ['+6591234567', '6591234567'],
  ])('writes %s as %s', (e164, local) => expect(localPhone(e164)).toBe(local));
});

describe('sameSecret', () => {
  const SECRET = 'webhook-secret-0123456789';

  it('compares secrets of any length exactly', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('short', SECRET)).toBe(false);
    expect(sameSecret(`${SECRET}x`, SECRET)).toBe(false);
    expect(sameSecret(SECRET.toUpperCase(), SECRET)).toBe(false);
  });

  it('is false when no secret was given, even against an empty one', () => {
    expect(sameSecret(undefined, SECRET)).toBe(false);
    expect(sameSecret(undefined, '')).toBe(false);
  });
});
