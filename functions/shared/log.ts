/**
 * Structured JSON logs, one object per line on stdout. Request id, `traceparent` and CloudEvent id
 * travel in an AsyncLocalStorage context, so every line written while serving a request carries them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Correlation fields attached to every line logged within a request or event. */
export interface LogContext {
  requestId?: string;
  traceparent?: string;
  /** W3C `tracestate`, passed on with `traceparent` (events built here carry both). */
  tracestate?: string;
  ceId?: string;
  ceType?: string;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` attached to every log line it writes. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  // A field given as undefined keeps the outer value (an event without a trace keeps the request's).
  const defined = Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined));
  return storage.run({ ...storage.getStore(), ...defined }, fn);
}

/** The context of the current request, if any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** A logger bound to one component name. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

let threshold: Level | 'silent' = (process.env.LOG_LEVEL as Level | 'silent' | undefined) ?? 'info';
let sink: (line: string) => void = (line) => process.stdout.write(line + '\n');

/** Sets the minimum level and, for tests, where lines go. */
export function configureLogging(opts: { level?: Level | 'silent'; sink?: (line: string) => void }): void {
  if (opts.level) threshold = opts.level;
  if (opts.sink) sink = opts.sink;
}

function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
}

/** Whether lines at `level` are written (so a caller can skip building an expensive one). */
export function logsAt(level: Level): boolean {
  return threshold !== 'silent' && RANK[level] >= RANK[threshold];
}

/** Creates a logger whose lines carry `service`. */
export function createLogger(service: string): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < RANK[threshold]) return;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service,
      msg,
      ...storage.getStore(),
    };
    if (fields) for (const [k, v] of Object.entries(fields)) line[k] = k === 'err' ? serializeError(v) : v;
    sink(JSON.stringify(line));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
