import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { buildStorefrontAssets, type BuiltAsset } from '../../scripts/build-storefront';
import { ConfigError } from '../shared/config';
import { chooseEncoding, loadAssets, type Assets } from './assets';

describe('chooseEncoding', () => {
  it.each<[string | undefined, 'br' | 'gzip' | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['gzip, deflate, br', 'br'],
    ['br', 'br'],
    ['BR', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate', 'gzip'],
    ['deflate', undefined],
    ['identity', undefined],
    ['br;q=0, gzip', 'gzip'],
    ['br; q=0, gzip;q=0.5', 'gzip'],
    ['gzip;q=1.0, br;q=0.1', 'br'],
    ['br;q=0, gzip;q=0', undefined],
    ['gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['*;q=0, gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0, gzip;q=0, *', undefined],
    ['identity;q=1, *;q=0', undefined],
    ['gzip;q=0.001', 'gzip'],
  ])('chooseEncoding(%j) is %j', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it('never throws and only answers br, gzip or nothing (property)', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        expect([undefined, 'br', 'gzip']).toContain(chooseEncoding(header));
      }),
    );
  });
});

describe('loadAssets', () => {
  let dir: string;
  let built: BuiltAsset[];
  let assets: Assets;
  const fileOf = (name: string) => built.find((b) => b.name === name)!.file;

  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'storefront-assets-')), 'assets');
    built = buildStorefrontAssets(dir);
    assets = loadAssets(dir);
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('names each file by its content hash', () => {
    expect(assets.urls.js).toMatch(/^\/assets\/app\.[0-9a-f]{12}\.js$/);
    expect(assets.urls.css).toMatch(/^\/assets\/app\.[0-9a-f]{12}\.css$/);
    expect(assets.urls.js).toBe(`/assets/${fileOf('app.js')}`);
    expect(assets.urls.css).toBe(`/assets/${fileOf('app.css')}`);
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['brotli when accepted', 'gzip, deflate, br', 'br'],
    ['gzip when brotli is not accepted', 'gzip', 'gzip'],
    ['gzip when brotli is refused', 'br;q=0, gzip', 'gzip'],
    ['the raw file without Accept-Encoding', undefined, undefined],
    ['the raw file for identity only', 'identity', undefined],
  ])('serves the script with %s', (_what, accept, encoding) => {
    const file = fileOf('app.js');
    const raw = readFileSync(join(dir, file));
    const res = assets.serve(file, accept)!;
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    const body = res.body as Buffer;
    const decoded =
      encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
    expect(decoded.equals(raw)).toBe(true);
  });

  it('serves the stylesheet as CSS', () => {
    const res = assets.serve(fileOf('app.css'), 'br')!;
    expect(res.headers).toMatchObject({
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'content-encoding': 'br',
    });
    expect(brotliDecompressSync(res.body as Buffer).toString('utf8')).toBe(
      readFileSync(join(dir, fileOf('app.css')), 'utf8'),
    );
  });

  it.each([
    'app.js',
    'app.css',
    'manifest.json',
    'app.000000000000.js',
    '../package.json',
    '__proto__',
    'constructor',
    '',
  ])('answers nothing for %j, which is not a built file', (file) => {
    expect(assets.serve(file, 'br')).toBeUndefined();
  });

  it('answers nothing for the compressed copies by name', () => {
    expect(assets.serve(`${fileOf('app.js')}.br`, undefined)).toBeUndefined();
    expect(assets.serve(`${fileOf('app.js')}.gz`, undefined)).toBeUndefined();
  });

  it('is a ConfigError naming the fix when the directory has no manifest', () => {
    const empty = mkdtempSync(join(tmpdir(), 'storefront-empty-'));
    try {
      expect(() => loadAssets(empty)).toThrow(ConfigError);
      expect(() => loadAssets(empty)).toThrow(/STOREFRONT_ASSETS_DIR.*manifest\.json.*make build/);
      expect(() => loadAssets(join(empty, 'missing'))).toThrow(ConfigError);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is a ConfigError when the manifest lacks the stylesheet', () => {
    const partial = mkdtempSync(join(tmpdir(), 'storefront-partial-'));
    try {
      mkdirSync(partial, { recursive: true });
      for (const suffix of ['', '.br', '.gz']) writeFileSync(join(partial, `app.abc.js${suffix}`), 'x');
      writeFileSync(join(partial, 'manifest.json'), JSON.stringify({ 'app.js': { file: 'app.abc.js' } }));
      expect(() => loadAssets(partial)).toThrow(ConfigError);
      expect(() => loadAssets(partial)).toThrow(/app\.css/);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });
});
