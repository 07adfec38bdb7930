/**
 * What every server of Tươi does before a request reaches its handler (the gateway, the lean host
 * and the functions-framework host alike): read the request target without trusting it, read the
 * body only up to its limit, time out slow or stalled headers and bodies, and answer every
 * refusal (also Node's own parser errors) as problem+json. Nothing a client sends can make these
 * throw, so a request can never take a process down.
 */
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  HeadersTooLargeError,
  MalformedRequestError,
  PayloadTooLargeError,
  RequestTimeoutError,
  toProblem,
  type AppError,
} from './errors';
import type { IncomingHttp } from './http';
import { createLogger } from './log';
import { parseTarget } from './target';

/** Transport limits of one server. */
export interface TransportLimits {
  /** The request line and headers must arrive within this (slowloris): 408. */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this: 408. */
  requestTimeoutMs: number;
}

/** Defaults: headers within 10 s, a whole request (a 16 MiB import on a slow line) within 60 s. */
export const DEFAULT_TRANSPORT: TransportLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
};

/** The outcome of reading a body. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads a request body, keeping at most `max` bytes: a declared Content-Length over the limit is
 * refused before a byte is read, and a streamed body is refused as soon as it passes the limit
 * (the rest is never buffered). Resolves `aborted` when the client goes away or the request
 * times out mid-body.
 */
export function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) {
    req.pause();
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const settle = (out: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(out);
    };
    const onData = (chunk: Buffer) => {
      kept += chunk.length;
      if (kept > max) {
        req.pause();
        settle({ ok: false, reason: 'too-large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks, kept) });
    const onClose = () => settle({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
  });
}

const log = createLogger('transport');
/** How long a refused connection keeps discarding what the client still sends before it closes. */
const LINGER_MS = 1_000;

/**
 * Answers a refusal as problem+json and closes the connection: used where the rest of the
 * request (an over-limit body) must not be read. Node closes a `Connection: close` socket as soon
 * as the answer is flushed; with the client still sending, the reset that follows can reach it
 * before it has read the answer. So the close lingers, as nginx's does: our side is shut, what
 * still arrives is discarded for a moment (never buffered), then the socket is destroyed.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, err: AppError): void {
  const payload = Buffer.from(JSON.stringify(toProblem(err, 'en')));
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  if (!res.headersSent)
    res.writeHead(err.status, {
      'content-type': 'application/problem+json',
      'content-length': String(payload.length),
      connection: 'close',
    });
  res.end(payload);
  res.once('finish', () => req.resume());
}

function errorOfClientError(err: NodeJS.ErrnoException): AppError {
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return new HeadersTooLargeError('The request line and headers may take at most 16 KiB');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new RequestTimeoutError('The request headers or body did not arrive in time');
  return new MalformedRequestError(`The request is not valid HTTP/1.1 (${err.code ?? 'parse error'})`);
}

/** A whole HTTP/1.1 response with a problem+json body, for a socket Node's parser gave up on. */
export function rawProblemResponse(err: AppError): string {
  const body = JSON.stringify(toProblem(err, 'en'));
  return (
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\n` +
    'content-type: application/problem+json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'connection: close\r\n\r\n' +
    body
  );
}

/**
 * Applies the transport limits to a server and answers Node's own parser errors (malformed
 * request line or headers, header overflow, header or request timeout) as problem+json instead
 * of Node's bare status lines (headers over Node's 16 KiB default get 431). Call before `listen`.
 */
export function hardenServer(server: Server, limits: TransportLimits = DEFAULT_TRANSPORT): Server {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  // How often Node looks for expired requests (read at listen): often enough for the limits above.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    100,
    Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)),
  );
  server.maxHeadersCount = 200;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const started = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
    if (err.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const refusal = errorOfClientError(err);
    log.debug('refused at the transport', { code: err.code, status: refusal.status });
    socket.end(rawProblemResponse(refusal));
  });
  return server;
}

/**
 * Reads one request for a function host: refuses a target it cannot read (400) or a body over
 * `maxBodyBytes` (413, connection closed) itself and resolves undefined; otherwise resolves the
 * request for the pipeline, its target reduced to path and query.
 */
export async function acceptRequest(
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<IncomingHttp | undefined> {
  const target = parseTarget(req.url);
  if (!target.ok) {
    refuse(req, res, new MalformedRequestError('The request target is not a path this server can read'));
    return undefined;
  }
  const read = await readBody(req, maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'too-large')
      refuse(
        req,
        res,
        new PayloadTooLargeError(`The body is larger than the limit of ${maxBodyBytes} bytes`),
      );
    else res.destroy();
    return undefined;
  }
  return {
    method: req.method ?? 'GET',
    url: target.pathname + target.search,
    headers: req.headers,
    body: read.body,
    remoteAddress: req.socket.remoteAddress,
  };
}
