import { refusalError, type WriteRefusal } from './writes';

describe('refusalError', () => {
  it.each<[WriteRefusal, number, string]>([
    [{ refused: 'exists', sku: 'TU-000001' }, 409, 'Product TU-000001 already exists'],
    [{ refused: 'missing', sku: 'TU-000001' }, 404, 'No product TU-000001'],
    [
      { refused: 'stale', sku: 'TU-000001', version: 3 },
      412,
      'Product TU-000001 is at version 3; read it again',
    ],
    [{ refused: 'unknown-category', category: 'sua' }, 400, 'The product is not valid'],
  ])('%o → %i', (refusal, status, message) => {
    const err = refusalError(refusal);
    expect([err.status, err.message]).toEqual([status, message]);
  });
});
