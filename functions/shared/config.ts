/**
 * Typed configuration from the environment, validated once at start. Each function declares the
 * variables it needs with the small readers below; `parseConfig(spec, env)` takes `env` as an
 * argument so tests pass plain objects.
 */

/** Reads one variable: returns the value or throws a message saying what is wrong with it. */
export interface VarReader<T> {
  read(raw: string | undefined): T;
}

/** Thrown when one or more variables are missing or invalid; names every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function reader<T>(parse: (raw: string) => T, fallback?: T): VarReader<T> {
  return {
    read(raw) {
      if (raw === undefined || raw === '') {
        if (fallback !== undefined) return fallback;
        throw new Error('is required but not set');
      }
      return parse(raw);
    },
  };
}

/** A non-empty string, optionally defaulted. */
export const str = (fallback?: string): VarReader<string> => reader((raw) => raw, fallback);

/** An optional string: `undefined` when unset. */
export const optional = (): VarReader<string | undefined> => ({
  read: (raw) => (raw === '' ? undefined : raw),
});

/** A required secret of at least `min` characters (its value never appears in errors). */
export const secret = (min: number): VarReader<string> =>
  reader((raw) => {
    if (raw.length < min) throw new Error(`must have at least ${min} characters, got ${raw.length}`);
    return raw;
  });

/** An integer within [min, max]. */
export const int = (opts: { fallback?: number; min?: number; max?: number } = {}): VarReader<number> =>
  reader((raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new Error(`must be an integer, got "${raw}"`);
    if (opts.min !== undefined && value < opts.min) throw new Error(`must be >= ${opts.min}, got ${value}`);
    if (opts.max !== undefined && value > opts.max) throw new Error(`must be <= ${opts.max}, got ${value}`);
    return value;
  }, opts.fallback);

/** A URL with one of the given protocols (e.g. `postgres:`). */
export const url = (protocols: string[], fallback?: string): VarReader<string> =>
  reader((raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new Error(`must be a URL, got "${raw}"`);
    }
    if (!protocols.includes(parsed.protocol))
      throw new Error(`must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    return raw;
  }, fallback);

/** An optional URL with one of the given protocols: unset (or empty) is undefined. */
export const optionalUrl = (protocols: string[]): VarReader<string | undefined> => ({
  read: (raw) => (raw ? url(protocols).read(raw) : undefined),
});

/** One of a fixed set of words. */
export const oneOf = <T extends string>(values: readonly T[], fallback?: T): VarReader<T> =>
  reader((raw) => {
    if (!(values as readonly string[]).includes(raw))
      throw new Error(`must be one of ${values.join('|')}, got "${raw}"`);
    return raw as T;
  }, fallback);

/** A comma-separated list of host:port pairs. */
export const hostList = (fallback?: string[]): VarReader<string[]> =>
  reader((raw) => {
    const hosts = raw.split(',').map((h) => h.trim());
    for (const host of hosts)
      if (!/^[\w.-]+:\d{1,5}$/.test(host)) throw new Error(`"${host}" is not host:port`);
    return hosts;
  }, fallback);

type Spec = Record<string, VarReader<unknown>>;
/** The typed result of a spec. */
export type ConfigOf<S extends Spec> = { [K in keyof S]: S[K] extends VarReader<infer T> ? T : never };

/** Reads every variable of `spec` from `env`; throws one ConfigError naming all bad variables. */
export function parseConfig<S extends Spec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, r] of Object.entries(spec)) {
    try {
      out[name] = r.read(env[name]);
    } catch (err) {
      problems.push(`${name} ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** The variables every function reads. */
export const baseConfigSpec = {
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
  MAX_BODY_BYTES: int({ fallback: 1_048_576, min: 1024, max: 33_554_432 }),
  DB_POOL_SIZE: int({ fallback: 10, min: 1, max: 200 }),
  SHUTDOWN_GRACE_MS: int({ fallback: 10_000, min: 0, max: 600_000 }),
  /**
   * Routed requests one instance handles at once; the next gets a 503 with Retry-After at once
   * (0: no limit). Probes and CloudEvent deliveries are never refused.
   */
  MAX_INFLIGHT: int({ fallback: 0, min: 0, max: 100_000 }),
  /** The request line and headers must arrive within this (408 after). */
  HEADERS_TIMEOUT_MS: int({ fallback: 10_000, min: 100, max: 120_000 }),
  /** The whole request, body included, must arrive within this (408 after). */
  REQUEST_TIMEOUT_MS: int({ fallback: 60_000, min: 100, max: 600_000 }),
};
