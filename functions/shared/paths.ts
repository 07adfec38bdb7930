/** Locates the repository root, so SQL and fixtures resolve the same from source and from dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The nearest folder above this file that holds package.json. */
export function repoRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}
