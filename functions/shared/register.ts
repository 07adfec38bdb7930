/**
 * How a function's index.ts hands its definition to whichever host runs it. By default that is
 * @google-cloud/functions-framework (`functions-framework --target=<name>`); the lean host
 * (host.ts) switches registration off first and serves the same definition on node:http.
 */
import * as ff from '@google-cloud/functions-framework';
import { ConfigError } from './config';
import { createLogger } from './log';
import { createRuntime, writeResponse, type FunctionDefinition } from './runtime';

const definitions = new Map<string, FunctionDefinition>();
let frameworkHost = true;
const log = createLogger('host');

/** Called by the lean host before it loads a function module. */
export function useLeanHost(): void {
  frameworkHost = false;
}

/** The definition a loaded module registered under `name`. */
export function definitionOf(name: string): FunctionDefinition | undefined {
  return definitions.get(name);
}

/** Prints which variables are wrong and stops the process (config is validated at start). */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    // Written whatever LOG_LEVEL says: this is the one line an operator needs.
    process.stderr.write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'error',
        msg: err.message,
        problems: err.problems,
      }) + '\n',
    );
    process.exit(78);
  }
  throw err;
}

/** Registers a function: with functions-framework, unless the lean host is loading it. */
export function register(def: FunctionDefinition): void {
  definitions.set(def.name, def);
  if (!frameworkHost) return;
  let runtime: ReturnType<typeof createRuntime>;
  try {
    runtime = createRuntime(def);
  } catch (err) {
    exitOnConfigError(err);
  }
  ff.http(def.name, async (req: ff.Request, res: ff.Response) => {
    const out = await runtime.handle({
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: req.rawBody ?? Buffer.alloc(0),
      remoteAddress: req.socket.remoteAddress,
    });
    writeResponse(res, out);
  });
  takeOverSignals(() => runtime.shutdown());
}

/**
 * functions-framework 5 answers SIGTERM/SIGINT with an immediate process.exit(), dropping requests
 * in flight. When it installs those listeners (once listening), replace them with a draining shutdown.
 */
function takeOverSignals(shutdown: () => Promise<void>): void {
  const drainAndExit = () => {
    void shutdown().then(
      () => process.exit(0),
      (err) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  const watch = (event: string | symbol) => {
    if (event !== 'SIGTERM') return;
    // functions-framework adds its SIGINT and SIGTERM listeners together; swap them once it has.
    process.off('newListener', watch);
    setImmediate(() => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.removeAllListeners(signal);
        process.once(signal, drainAndExit);
      }
    });
  };
  process.on('newListener', watch);
}
