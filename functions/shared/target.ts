/**
 * The request target as every server reads it (transport.ts, the gateway, the request pipeline in
 * http.ts): a pure parser with no server behind it, so the pipeline and the transport share it
 * without importing each other.
 */

/** A request target split into its path and query, or why it is refused. */
export type Target = { ok: true; pathname: string; search: string; params: URLSearchParams } | { ok: false };

/**
 * Reads a request target (origin-form `/a?b`, or absolute-form `http://host/a?b` as RFC 9112
 * requires servers to accept) without resolving it against a base: `//[x]/a` is a path here, not
 * a protocol-relative URL with a bad host. Refuses other forms, bad ports and paths whose
 * percent-encoding does not decode.
 */
export function parseTarget(raw: string | undefined): Target {
  if (!raw) return { ok: false };
  let url: URL;
  if (raw.startsWith('/')) {
    if (!URL.canParse(`http://target.local${raw}`)) return { ok: false };
    url = new URL(`http://target.local${raw}`);
  } else if (/^https?:\/\//i.test(raw)) {
    if (!URL.canParse(raw)) return { ok: false };
    url = new URL(raw);
  } else return { ok: false };
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return { ok: false };
  }
  return { ok: true, pathname: url.pathname, search: url.search, params: url.searchParams };
}
