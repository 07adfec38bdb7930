/**
 * One function instance inside a host: builds it from the environment (config validated at
 * start), counts requests in flight, and shuts down by draining them before closing pools.
 */
import type { ServerResponse } from 'node:http';
import { baseConfigSpec, parseConfig } from './config';
import { handleHttp, type HttpResponse, type IncomingHttp, type Route } from './http';
import { createLogger } from './log';
import type { TransportLimits } from './transport';

/** What a function's `create` returns: its routes, optional CloudEvent endpoint, readiness and cleanup. */
export interface FunctionInstance {
  routes: Route[];
  events?: (incoming: IncomingHttp, ctx: { requestId: string }) => Promise<HttpResponse>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** A function as its index.ts declares it; `create` throws ConfigError on bad configuration. */
export interface FunctionDefinition {
  name: string;
  create(env: NodeJS.ProcessEnv): FunctionInstance;
}

/** A live instance with its request pipeline and lifecycle. */
export interface Runtime {
  /** Runs one request's whole life (reading its body included) counted as in flight, so shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Answers a request that has been read. */
  handle(incoming: IncomingHttp): Promise<HttpResponse>;
  maxBodyBytes: number;
  /** Header and request timeouts of the host's server. */
  transport: TransportLimits;
  shutdown(): Promise<void>;
}

const log = createLogger('runtime');

/** Creates the instance and wraps it with in-flight tracking and draining shutdown. */
export function createRuntime(def: FunctionDefinition, env: NodeJS.ProcessEnv = process.env): Runtime {
  const base = parseConfig(
    {
      MAX_BODY_BYTES: baseConfigSpec.MAX_BODY_BYTES,
      SHUTDOWN_GRACE_MS: baseConfigSpec.SHUTDOWN_GRACE_MS,
      MAX_INFLIGHT: baseConfigSpec.MAX_INFLIGHT,
      HEADERS_TIMEOUT_MS: baseConfigSpec.HEADERS_TIMEOUT_MS,
      REQUEST_TIMEOUT_MS: baseConfigSpec.REQUEST_TIMEOUT_MS,
    },
    env,
  );
  const instance = def.create(env);
  let inflight = 0;
  let admitted = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  let closed: Promise<void> | undefined;
  const app = {
    name: def.name,
    routes: instance.routes,
    maxBodyBytes: base.MAX_BODY_BYTES,
    events: instance.events,
    ready: () => instance.ready(),
    draining: () => draining,
    admit:
      base.MAX_INFLIGHT > 0
        ? () => {
            if (admitted >= base.MAX_INFLIGHT) return undefined;
            admitted++;
            return () => void admitted--;
          }
        : undefined,
  };
  const track = async <T>(work: Promise<T>): Promise<T> => {
    inflight++;
    try {
      return await work;
    } finally {
      inflight--;
      if (inflight === 0) idle?.();
    }
  };
  return {
    maxBodyBytes: base.MAX_BODY_BYTES,
    transport: { headersTimeoutMs: base.HEADERS_TIMEOUT_MS, requestTimeoutMs: base.REQUEST_TIMEOUT_MS },
    track,
    handle: (incoming) => track(handleHttp(app, incoming)),
    shutdown() {
      closed ??= (async () => {
        draining = true;
        log.info('draining', { inflight });
        if (inflight > 0)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, base.SHUTDOWN_GRACE_MS);
            idle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        await instance.close();
        log.info('stopped', { abandoned: inflight });
      })();
      return closed;
    },
  };
}

/** Writes a pipeline response to a node (or express) response. */
export function writeResponse(res: ServerResponse, out: HttpResponse): void {
  const headers: Record<string, string | string[]> = { ...out.headers };
  if (out.cookies?.length) headers['set-cookie'] = out.cookies;
  let payload: Buffer | undefined;
  if (out.body !== undefined && out.status !== 204 && out.status !== 304) {
    payload = Buffer.isBuffer(out.body) ? out.body : Buffer.from(JSON.stringify(out.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
    headers['content-length'] = String(payload.length);
  }
  res.writeHead(out.status, headers);
  res.end(payload);
}
