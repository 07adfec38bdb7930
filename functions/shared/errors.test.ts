import { ConflictError, TransientError, ValidationError, isTransient, toProblem } from './errors';

describe('toProblem', () => {
  it('maps our errors with bilingual titles and extensions', () => {
    const err = new ValidationError('bad', [{ field: '/qty', code: 'minimum', message: 'must be >= 1' }]);
    expect(toProblem(err, 'en', '/x')).toEqual({
      type: 'https://tuoi.vn/problems/validation',
      title: 'Your request is not valid',
      status: 400,
      detail: 'bad',
      instance: '/x',
      errors: [{ field: '/qty', code: 'minimum', message: 'must be >= 1' }],
    });
    expect(toProblem(new ConflictError('dup'), 'vi').title).toBe('Xung đột với trạng thái hiện tại');
  });

  it.each([
    [{ code: '40001' }, true],
    [{ code: '40P01' }, true],
    [{ code: '08006' }, true],
    [{ code: '57P01' }, true],
    [{ code: '57014' }, true], // statement_timeout
    [{ code: '55P03' }, false], // lock_not_available: a conflict, not a wait
    [{ code: 'ECONNREFUSED' }, true],
    [Object.assign(new Error('timeout'), { name: 'TimeoutError' }), true], // Elasticsearch client
    [Object.assign(new Error('no node'), { name: 'ConnectionError' }), true],
    [Object.assign(new Error('bad query'), { name: 'ResponseError' }), false],
    [{ code: '23505' }, false],
    [new TransientError('x'), true],
    [new ConflictError('x'), false],
    [new Error('bug'), false],
  ])('isTransient(%j) = %s', (err, want) => expect(isTransient(err)).toBe(want));

  it('turns transient infrastructure errors into 503 and bugs into an opaque 500', () => {
    expect(toProblem(Object.assign(new Error('x'), { code: '40P01' }), 'en').status).toBe(503);
    expect(toProblem(new Error('password=hunter2'), 'en')).toEqual({
      type: 'https://tuoi.vn/problems/internal',
      title: 'Something went wrong on our side',
      status: 500,
    });
  });
});
