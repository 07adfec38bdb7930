/**
 * The API's own description, served by the gateway: the generated contracts (`make docs`) at
 * `/openapi.json`, `/openapi-webhooks.json` and `/asyncapi.json`, and a reference page at `/docs`
 * rendered in the browser by Redoc, whose bundle is served from here too: no CDN, no outside font,
 * and a Content-Security-Policy that allows nothing else.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MethodNotAllowedError, toProblem } from './errors';
import { repoRoot } from './paths';

/** One file the gateway answers with. */
interface Asset {
  type: string;
  read(): Buffer;
  headers?: Record<string, string>;
}

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Redoc sets its styles at run time and runs its search index in a worker built from a blob.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = (title: string, spec: string) =>
  Buffer.from(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body>
<redoc spec-url="${spec}" hide-download-button="false"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`);

const docsFile = (name: string) => () => readFileSync(join(repoRoot(), 'docs', name));
const json = 'application/json; charset=utf-8';

const ASSETS: Record<string, Asset> = {
  '/openapi.json': { type: json, read: docsFile('openapi.json') },
  '/openapi-webhooks.json': { type: json, read: docsFile('openapi-webhooks.json') },
  '/asyncapi.json': { type: json, read: docsFile('asyncapi.json') },
  '/docs': {
    type: 'text/html; charset=utf-8',
    read: () => page('Tươi API', '/openapi.json'),
    headers: { 'content-security-policy': PAGE_CSP },
  },
  '/docs/webhooks': {
    type: 'text/html; charset=utf-8',
    read: () => page('Tươi provider webhooks', '/openapi-webhooks.json'),
    headers: { 'content-security-policy': PAGE_CSP },
  },
  '/docs/redoc.standalone.js': {
    type: 'text/javascript; charset=utf-8',
    read: () => readFileSync(require.resolve('redoc/bundles/redoc.standalone.js')),
  },
};

/** A file as sent: its bytes and a strong ETag, read once. */
const loaded = new Map<string, { body: Buffer; etag: string }>();

/** What the gateway sends for a reference path; undefined for any other path. */
export interface ReferenceAnswer {
  status: 200 | 304 | 405;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Whether `pathname` is one of the reference's paths. */
export const isReferencePath = (pathname: string): boolean => pathname in ASSETS;

/**
 * The answer for a reference path: GET or HEAD, 304 when `If-None-Match` names the current ETag,
 * 405 with `Allow` for any other method.
 */
export function referenceAnswer(method: string, pathname: string, ifNoneMatch?: string): ReferenceAnswer {
  const asset = ASSETS[pathname]!;
  if (method !== 'GET' && method !== 'HEAD') {
    const problem = toProblem(new MethodNotAllowedError(`${pathname} is read with GET or HEAD`), 'en');
    return {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'application/problem+json' },
      body: Buffer.from(JSON.stringify(problem)),
    };
  }
  let file = loaded.get(pathname);
  if (!file) {
    const body = asset.read();
    file = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    loaded.set(pathname, file);
  }
  const headers = {
    'content-type': asset.type,
    etag: file.etag,
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
    ...asset.headers,
  };
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === file.etag))
    return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'content-length': String(file.body.length) },
    body: method === 'HEAD' ? undefined : file.body,
  };
}
