/**
 * The functions-framework host: serves a registered function with @google-cloud/functions-framework's
 * own Express server (`getServer`, reached through the package's `testing` export, the only public
 * way to it), fronted by the shared transport guard. The framework alone buffers any body up to
 * 1 GiB before our limit applies, never times a request out and answers parser and media-type
 * errors as HTML; behind the guard the body is read only up to MAX_BODY_BYTES (body-parser skips a
 * request whose body is already consumed), slow requests get 408 and every refusal is problem+json.
 * Run: `node dist/functions/shared/framework-host.js --target=user`.
 */
import * as ff from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { answerCrash, listen, runHost, type LeanServer } from './host';
import type { IncomingHttp } from './http';
import { createRuntime, writeResponse, type FunctionDefinition } from './runtime';
import { acceptRequest, hardenServer } from './transport';

/** Paths functions-framework answers itself with an empty 404 for HTTP functions: ours answer them. */
const FRAMEWORK_RESERVED = new Set(['/favicon.ico', '/robots.txt']);

type GuardedRequest = IncomingMessage & { rawBody?: Buffer };

/** Serves `def` under functions-framework on `port` (0 = any); `close` drains and closes the function. */
export async function serveFramework(
  def: FunctionDefinition,
  opts: { port: number; env?: NodeJS.ProcessEnv },
): Promise<LeanServer> {
  const runtime = createRuntime(def, opts.env);
  ff.http(def.name, async (req: ff.Request, res: ff.Response) => {
    const incoming: IncomingHttp = {
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: req.rawBody ?? Buffer.alloc(0),
      remoteAddress: req.socket.remoteAddress,
    };
    writeResponse(res, await runtime.handle(incoming));
  });
  const server = getTestServer(def.name);
  const framework = server.listeners('request')[0] as RequestListener;
  server.removeAllListeners('request');
  const guarded = async (req: GuardedRequest, res: ServerResponse) => {
    const incoming = await acceptRequest(req, res, runtime.maxBodyBytes);
    if (!incoming) return;
    const path = incoming.url.split('?')[0] as string;
    if (FRAMEWORK_RESERVED.has(path)) return writeResponse(res, await runtime.handle(incoming));
    req.url = incoming.url;
    req.rawBody = incoming.body;
    const done = new Promise<void>((resolve) => res.once('close', resolve));
    framework(req, res);
    await done;
  };
  server.on('request', (req: GuardedRequest, res: ServerResponse) => {
    runtime.track(guarded(req, res)).catch((err) => answerCrash(res, err));
  });
  hardenServer(server, runtime.transport);
  return listen(server, runtime, opts.port);
}

if (require.main === module) void runHost(serveFramework, 'functions-framework');
