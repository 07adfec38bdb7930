/**
 * The lean host: serves a registered function on plain node:http with the same contract as
 * functions-framework (PORT, FUNCTION_TARGET or --target, FUNCTION_SOURCE or --source), for hot
 * functions where the framework's Express stack costs too much. Run: `node dist/functions/shared/host.js --target=pulse`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { createLogger } from './log';
import { definitionOf, exitOnConfigError, useLeanHost } from './register';
import { createRuntime, writeResponse, type FunctionDefinition, type Runtime } from './runtime';

const log = createLogger('host');

/** Reads a body, keeping at most `max + 1` bytes so oversize is detected without buffering it all. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on('data', (chunk: Buffer) => {
      if (kept > max) return;
      chunks.push(chunk);
      kept += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks).subarray(0, max + 1)));
    req.on('error', reject);
  });
}

/** A listening lean server. */
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
  const server = createServer((req, res) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const read =
      declared > runtime.maxBodyBytes
        ? Promise.resolve(Buffer.alloc(runtime.maxBodyBytes + 1)).finally(() =>
            res.setHeader('connection', 'close'),
          )
        : readBody(req, runtime.maxBodyBytes);
    runtime
      .handle(
        read.then((body) => ({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body,
          remoteAddress: req.socket.remoteAddress,
        })),
      )
      .then((out) => writeResponse(res, out))
      .catch((err) => {
        log.error('host failed to answer', { err });
        if (!res.headersSent)
          writeResponse(res, { status: 500, body: { title: 'Internal error', status: 500 } });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port, '0.0.0.0', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    server,
    port,
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

/** Entry point: `node host.js --target=<name> [--source=<module>]`. */
export async function main(argv = process.argv, env = process.env): Promise<void> {
  const target = flag(argv, 'target') ?? env.FUNCTION_TARGET;
  if (!target) {
    log.error('Set FUNCTION_TARGET or --target to the function to serve');
    process.exit(64);
  }
  const source = flag(argv, 'source') ?? env.FUNCTION_SOURCE ?? join(__dirname, '..', target, 'index.js');
  useLeanHost();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(source);
  const def = definitionOf(target);
  if (!def) {
    log.error(`${source} registered no function named ${target}`);
    process.exit(64);
  }
  let lean: LeanServer;
  try {
    lean = await serveLean(def, { port: Number(env.PORT ?? 8080), env });
  } catch (err) {
    exitOnConfigError(err);
  }
  log.info('serving', { function: target, port: lean.port, host: 'lean' });
  const stop = () => void lean.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void main();
