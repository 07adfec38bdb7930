import { Redis, type RedisOptions } from 'ioredis';

/** Options for {@link createRedis}. */
export interface CreateRedisOptions {
  /** Connection URL, e.g. `redis://127.0.0.1:56379` (see `REDIS_URL` in infra/services.env). */
  url: string;
  /** Extra ioredis options (e.g. `retryStrategy`, `keyPrefix`); they win over the defaults. */
  options?: RedisOptions;
}

/**
 * Creates an ioredis client for `opts.url`. It starts connecting right away and queues
 * commands until connected; call `quit()` when done so the process can exit.
 */
export function createRedis(opts: CreateRedisOptions): Redis {
  return new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 3, ...opts.options });
}

/**
 * Resolves `true` when the server answers PING with PONG within `timeoutMs`, `false` on any
 * error or timeout. Never rejects, so it suits health checks.
 */
export async function pingRedis(client: Redis, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([client.ping().then((reply) => reply === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
