/**
 * Sends hostile cases and judges the answers: no 5xx, every error is problem+json whose `status`
 * equals the HTTP status, and a refused write leaves its function's schema unchanged. A failure
 * carries a curl command that reproduces it.
 */
import { Agent, request } from 'node:http';
import type { HostileCase } from './cases';
import { changedTables, type SchemaChecksum } from './checksum';

const LIMIT = 256 * 1024;

/** What came back. */
export interface Answer {
  status: number;
  contentType: string;
  /** The body's first 256 KiB (problem documents echo the path, which may be long). */
  body: string;
  /** A transport failure instead of an answer (reset, timeout). */
  error?: string;
}

/** One broken promise. */
export interface Failure {
  case: HostileCase;
  rule:
    | '5xx'
    | 'not problem+json'
    | 'status mismatch'
    | 'no answer'
    | 'write changed data'
    | 'CloudEvent 2xx with a body';
  answer: Answer;
  detail?: string;
}

/** Sends one case to `base` with the caller's token; never throws. */
export function send(
  base: string,
  c: HostileCase,
  tokens: Record<string, string>,
  agent: Agent,
  timeoutMs = 15_000,
): Promise<Answer> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...c.headers };
  if (c.caller !== 'none' && headers.authorization === undefined)
    headers.authorization = `Bearer ${tokens[c.caller]}`;
  if (c.body !== undefined) headers['content-length'] = String(c.body.length);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    let req: ReturnType<typeof request>;
    try {
      req = request(
        {
          host: url.hostname,
          port: url.port,
          method: c.method,
          path: c.target,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < LIMIT) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () =>
            done({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).subarray(0, LIMIT).toString('utf8'),
            }),
          );
          res.on('error', (err) => done({ status: 0, contentType: '', body: '', error: err.message }));
        },
      );
    } catch (err) {
      // The client refused to send it (e.g. a header byte Node will not write): not a server fault.
      return done({
        status: -1,
        contentType: '',
        body: '',
        error: `not sendable: ${(err as Error).message}`,
      });
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => done({ status: 0, contentType: '', body: '', error: err.message }));
    req.end(c.body);
  });
}

/**
 * The rule an answer breaks, if any (the data check is the runner's). A CloudEvent delivery's 2xx
 * must have no body: Knative's Kafka broker treats a 2xx with a non-CloudEvent body as a failure.
 * A page (a function that serves HTML to browsers) may refuse with an HTML page instead of a problem.
 */
export function judge(a: Answer, cloudEvent = false, page = false): Failure['rule'] | undefined {
  if (a.status === -1) return undefined;
  if (a.status === 0) return 'no answer';
  if (a.status >= 500) return '5xx';
  if (cloudEvent && a.status >= 200 && a.status < 300 && a.body.trim() !== '')
    return 'CloudEvent 2xx with a body';
  if (a.status >= 400) {
    if (page && /^text\/html\b/i.test(a.contentType)) return undefined;
    if (!/^application\/problem\+json\b/i.test(a.contentType)) return 'not problem+json';
    try {
      const problem = JSON.parse(a.body) as { status?: unknown };
      if (problem.status !== a.status) return 'status mismatch';
    } catch {
      return 'not problem+json';
    }
  }
  return undefined;
}

/** Whether a method writes. */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** Counts and failures of a run. */
export interface RunReport {
  sent: number;
  unsendable: number;
  byStatus: Record<string, number>;
  /** Statuses by route (`GET /products/:sku`), to see how deep the cases got. */
  byRoute: Record<string, Record<string, number>>;
  failures: Failure[];
}

/**
 * Sends a function's cases: reads `concurrency` at a time, then writes one by one with the
 * schema's checksum after each (a refused write must leave it as it was; an accepted one moves it).
 */
export async function runCases(
  base: string,
  cases: readonly HostileCase[],
  tokens: Record<string, string>,
  checksum: (() => Promise<SchemaChecksum>) | undefined,
  concurrency = 4,
): Promise<RunReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const report: RunReport = { sent: 0, unsendable: 0, byStatus: {}, byRoute: {}, failures: [] };
  const record = (c: HostileCase, a: Answer) => {
    if (a.status === -1) {
      report.unsendable++;
      return;
    }
    report.sent++;
    const key = a.status === 0 ? 'none' : String(a.status);
    report.byStatus[key] = (report.byStatus[key] ?? 0) + 1;
    const route = (report.byRoute[`${c.route.method} ${c.route.path}`] ??= {});
    route[key] = (route[key] ?? 0) + 1;
    const rule = judge(a, c.target === '/cloudevents', c.route.fn.pages === true);
    if (rule) report.failures.push({ case: c, rule, answer: a, detail: a.error });
  };
  try {
    const reads = cases.filter((c) => !isWrite(c.method));
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < reads.length) {
          const c = reads[next++]!;
          record(c, await send(base, c, tokens, agent));
        }
      }),
    );
    let before = checksum ? await checksum() : undefined;
    for (const c of cases.filter((x) => isWrite(x.method))) {
      const a = await send(base, c, tokens, agent);
      record(c, a);
      if (!checksum || !before) continue;
      const after = await checksum();
      if ((a.status < 200 || a.status >= 300) && a.status !== -1) {
        const changed = changedTables(before, after);
        if (changed.length)
          report.failures.push({
            case: c,
            rule: 'write changed data',
            answer: a,
            detail: changed.join(', '),
          });
      }
      before = after;
    }
  } finally {
    agent.destroy();
  }
  return report;
}

/** Bash-quotes a string with $'…' escapes for anything unprintable. */
function shellQuote(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s) && !s.includes("'")) return `'${s}'`;
  let out = "$'";
  for (const b of Buffer.from(s, 'utf8')) {
    if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out + "'";
}

function bytesQuote(body: Buffer): string {
  let out = "$'";
  for (const b of body) {
    if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out + "'";
}

/**
 * A curl command that sends the case to `make dev` (tokens as $ADMIN_TOKEN etc.); bodies over
 * 2 KiB are described rather than inlined.
 */
export function curlOf(c: HostileCase, base = 'http://127.0.0.1:8080'): string {
  const parts = ['curl -i --path-as-is', '-X', c.method, shellQuote(base + c.target)];
  for (const [k, v] of Object.entries(c.headers))
    parts.push('-H', shellQuote(`${k}: ${v.length > 300 ? `${v.slice(0, 40)}…(${v.length} chars)` : v}`));
  if (c.caller !== 'none' && c.headers.authorization === undefined)
    parts.push('-H', `"authorization: Bearer $${c.caller.toUpperCase()}_TOKEN"`);
  if (c.body !== undefined)
    parts.push(
      '--data-binary',
      c.body.length <= 2048 ? bytesQuote(c.body) : `'<${c.body.length} bytes: ${c.label.replace(/'/g, '')}>'`,
    );
  return parts.join(' ');
}
