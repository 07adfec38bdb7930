/**
 * Builds the shop's browser assets (`make build`): the client script bundled and minified by
 * esbuild, the stylesheet minified, each named by its content hash (served immutable for a year)
 * and stored with brotli and gzip copies beside it, plus `manifest.json` mapping `app.js` and
 * `app.css` to their hashed names. Output: dist/functions/storefront/assets/.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { repoRoot } from '../functions/shared/paths';

/** Where the shop reads its assets from (STOREFRONT_ASSETS_DIR overrides it). */
export const ASSETS_DIR = join(repoRoot(), 'dist/functions/storefront/assets');

/** One built asset: its logical name, hashed file name and bytes. */
export interface BuiltAsset {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

function bundle(entry: string, loader: 'ts' | 'css'): Buffer {
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    target: loader === 'ts' ? ['es2020'] : ['chrome90', 'safari14'],
    format: loader === 'ts' ? 'iife' : undefined,
    legalComments: 'none',
    logLevel: 'error',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

/** Builds every asset into `dir` (emptied first) and returns what it wrote. */
export function buildStorefrontAssets(dir = ASSETS_DIR): BuiltAsset[] {
  const src = join(repoRoot(), 'functions/storefront/client');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const built: BuiltAsset[] = [];
  for (const [name, entry, loader] of [
    ['app.js', join(src, 'app.ts'), 'ts'],
    ['app.css', join(src, 'app.css'), 'css'],
  ] as const) {
    const bytes = bundle(entry, loader);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const [base, ext] = name.split('.') as [string, string];
    const file = `${base}.${hash}.${ext}`;
    const gz = gzipSync(bytes, { level: 9 });
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    writeFileSync(join(dir, file), bytes);
    writeFileSync(join(dir, `${file}.gz`), gz);
    writeFileSync(join(dir, `${file}.br`), br);
    built.push({ name, file, bytes: bytes.length, gzipBytes: gz.length, brotliBytes: br.length });
  }
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(Object.fromEntries(built.map((a) => [a.name, a])), null, 2) + '\n',
  );
  return built;
}

if (require.main === module) {
  const built = buildStorefrontAssets();
  for (const a of built)
    console.log(`storefront ${a.file}: ${a.bytes} B, ${a.brotliBytes} B brotli, ${a.gzipBytes} B gzip`);
}
