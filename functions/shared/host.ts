/**
 * The lean host: serves a registered function on plain node:http with the same contract as
 * functions-framework (PORT, FUNCTION_TARGET or --target, FUNCTION_SOURCE or --source), for hot
 * functions where the framework's Express stack costs too much. Run: `node dist/functions/shared/host.js --target=pulse`.
 * Requests pass the shared transport guard first (transport.ts): bounded bodies, timeouts, problem+json.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { toProblem } from './errors';
import { createLogger } from './log';
import { initTracing } from './tracing';
import { initMetrics, startMetricsServer, type MetricsServer } from './metrics';
import { definitionOf, exitOnConfigError } from './register';
import { createRuntime, writeResponse, type FunctionDefinition, type Runtime } from './runtime';
import { acceptRequest, hardenServer } from './transport';

const log = createLogger('host');

/** Answers a request whose handling threw past the pipeline (a bug) with an opaque 500 problem. */
export function answerCrash(res: ServerResponse, err: unknown): void {
  log.error('host failed to answer', { err });
  if (res.headersSent) res.destroy();
  else
    writeResponse(res, {
      status: 500,
      headers: { 'content-type': 'application/problem+json' },
      body: toProblem(err, 'en'),
    });
}

/** A listening host server. */
export interface LeanServer {
  server: Server;
  port: number;
  runtime: Runtime;
  close(): Promise<void>;
}

/** Serves `def` on `port` (0 = any free port); `close` drains and closes the function. */
export async function serveLean(
  def: FunctionDefinition,
  opts: { port: number; env?: NodeJS.ProcessEnv },
): Promise<LeanServer> {
  const runtime = createRuntime(def, opts.env);
  const server = hardenServer(
    createServer((req, res) => {
      runtime
        .track(
          acceptRequest(req, res, runtime.maxBodyBytes).then(async (incoming) => {
            if (incoming) writeResponse(res, await runtime.handle(incoming));
          }),
        )
        .catch((err) => answerCrash(res, err));
    }),
    runtime.transport,
  );
  return listen(server, runtime, opts.port);
}

/** Listens on `port` (0 = any) on every interface; `close` drains the function, then closes the server. */
export async function listen(server: Server, runtime: Runtime, port: number): Promise<LeanServer> {
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    runtime,
    close: async () => {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await runtime.shutdown();
      server.closeAllConnections();
      await closing;
    },
  };
}

function flag(argv: string[], name: string): string | undefined {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

/** How a host serves a loaded function definition. */
export type Serve = (
  def: FunctionDefinition,
  opts: { port: number; env: NodeJS.ProcessEnv },
) => Promise<LeanServer>;

/**
 * Runs a host process: loads the function module named by `--target`/FUNCTION_TARGET (from
 * `--source`/FUNCTION_SOURCE or dist/functions/<target>/index.js), serves it on PORT, and drains
 * on SIGTERM/SIGINT before exiting. A bad configuration exits with 78 and the variables named.
 */
export async function runHost(
  serve: Serve,
  hostName: string,
  argv = process.argv,
  env = process.env,
): Promise<void> {
  const target = flag(argv, 'target') ?? env.FUNCTION_TARGET;
  if (!target) {
    log.error('Set FUNCTION_TARGET or --target to the function to serve');
    process.exit(64);
  }
  const source = flag(argv, 'source') ?? env.FUNCTION_SOURCE ?? join(__dirname, '..', target, 'index.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(source);
  const def = definitionOf(target);
  if (!def) {
    log.error(`${source} registered no function named ${target}`);
    process.exit(64);
  }
  let served: LeanServer;
  try {
    served = await serve(def, { port: Number(env.PORT ?? 8080), env });
  } catch (err) {
    exitOnConfigError(err);
  }
  // Prometheus metrics on their own port (METRICS_PORT, 9464 by default; `off` disables them).
  initMetrics(target);
  // Traces to OTLP when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT); off otherwise.
  const tracing = initTracing(target, env);
  // A metrics port that cannot be opened (taken, invalid) costs the metrics, never the function.
  const metrics: MetricsServer | undefined = await startMetricsServer(env).catch((err) => {
    log.error('metrics server failed to start; serving without /metrics', {
      err,
      METRICS_PORT: env.METRICS_PORT,
    });
    return undefined;
  });
  log.info('serving', { function: target, port: served.port, host: hostName, metricsPort: metrics?.port });
  const stop = () =>
    void served
      .close()
      .then(() => metrics?.close())
      .then(() => tracing?.shutdown())
      .then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void runHost(serveLean, 'lean');
