import { ValidationError } from './errors';
import { hashRequest, idempotencyKeyFrom } from './idempotency';

describe('hashRequest', () => {
  it.each([
    ['key order', { a: 1, b: [1, { y: 2, x: 1 }] }, { b: [1, { x: 1, y: 2 }], a: 1 }, true],
    ['undefined members', { a: 1, b: undefined }, { a: 1 }, true],
    ['a changed value', { a: 1 }, { a: 2 }, false],
    ['array order', [1, 2], [2, 1], false],
    ['a string and a number', { a: '1' }, { a: 1 }, false],
  ])('%s', (_, x, y, same) => {
    expect(hashRequest(x) === hashRequest(y)).toBe(same);
  });
});

describe('idempotencyKeyFrom', () => {
  it.each([
    [{}, undefined],
    [{ 'idempotency-key': '5f0c7a1e-8a3b-4a86-9d6b-0f3c1f6b2a11' }, '5f0c7a1e-8a3b-4a86-9d6b-0f3c1f6b2a11'],
    [{ 'idempotency-key': 'x'.repeat(255) }, 'x'.repeat(255)],
  ])('%j → %s', (headers, key) => {
    expect(idempotencyKeyFrom(headers)).toBe(key);
  });

  it.each(['', ' ', 'has space', 'x'.repeat(256), 'khóa'])('refuses %j', (key) => {
    expect(() => idempotencyKeyFrom({ 'idempotency-key': key })).toThrow(ValidationError);
  });
});
