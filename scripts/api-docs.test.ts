import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderApiDocs } from './api-docs';

describe('docs/api.md', () => {
  it('is up to date with the registry and the event contract (run `make docs`)', () => {
    expect(readFileSync(join(__dirname, '..', 'docs/api.md'), 'utf8')).toBe(renderApiDocs());
  });
});
