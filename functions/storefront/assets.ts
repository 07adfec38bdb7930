/**
 * The shop's built browser assets (scripts/build-storefront.ts), read once at start and served
 * from memory: content-hashed names, immutable for a year, brotli or gzip as the browser accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/config';
import type { HttpResponse } from '../shared/http';
import { repoRoot } from '../shared/paths';

/** Where `make build` writes the assets. */
export const DEFAULT_ASSETS_DIR = join(repoRoot(), 'dist/functions/storefront/assets');

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

interface Entry {
  raw: Buffer;
  br: Buffer;
  gz: Buffer;
  type: string;
}

/** The assets: URLs for the pages and the answer for `/assets/<file>`. */
export interface Assets {
  /** `/assets/app.<hash>.js` and `/assets/app.<hash>.css`. */
  urls: { js: string; css: string };
  /** The answer for one file, or undefined when there is no such file. */
  serve(file: string, acceptEncoding: string | undefined): HttpResponse | undefined;
}

/** Loads the assets in `dir`; a missing build is a configuration error naming the fix. */
export function loadAssets(dir: string = DEFAULT_ASSETS_DIR): Assets {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new ConfigError([`STOREFRONT_ASSETS_DIR: no ${manifestPath}; run make build`]);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string }>;
  const files = new Map<string, Entry>();
  for (const { file } of Object.values(manifest)) {
    const ext = file.slice(file.lastIndexOf('.') + 1);
    files.set(file, {
      raw: readFileSync(join(dir, file)),
      br: readFileSync(join(dir, `${file}.br`)),
      gz: readFileSync(join(dir, `${file}.gz`)),
      type: TYPES[ext] ?? 'application/octet-stream',
    });
  }
  const url = (name: string) => {
    const entry = manifest[name];
    if (!entry) throw new ConfigError([`STOREFRONT_ASSETS_DIR: the build has no ${name}`]);
    return `/assets/${entry.file}`;
  };
  return {
    urls: { js: url('app.js'), css: url('app.css') },
    serve(file, acceptEncoding) {
      const entry = files.get(file);
      if (!entry) return undefined;
      const encoding = chooseEncoding(acceptEncoding);
      const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gz : entry.raw;
      return {
        status: 200,
        headers: {
          'content-type': entry.type,
          'cache-control': 'public, max-age=31536000, immutable',
          vary: 'Accept-Encoding',
          'x-content-type-options': 'nosniff',
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
        body,
      };
    },
  };
}

/** The best encoding an Accept-Encoding header allows: brotli, then gzip, else none. */
export function chooseEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}
