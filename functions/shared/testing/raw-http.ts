/** Test helper: speaks HTTP/1.1 over a raw socket, for requests no HTTP client will send. */
import { connect, type Socket } from 'node:net';

/** What came back on the socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (FIN or reset) before `waitMs` ran out. */
  closed: boolean;
  /** Milliseconds from connecting until the status line arrived (or the wait ended). */
  ms: number;
}

/**
 * Connects to 127.0.0.1:`port`, writes each part of `parts` (a string or bytes; a number pauses
 * that many ms), and collects the answer until the server closes or `waitMs` passes.
 */
export function rawRequest(
  port: number,
  parts: (string | Buffer | number)[],
  waitMs = 3_000,
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let firstLineAt: number | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = data.toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: Buffer.from(rest.join('\r\n\r\n'), 'latin1').toString('utf8'),
        closed,
        ms: (firstLineAt ?? Date.now()) - started,
      });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => {
      firstLineAt ??= Date.now();
      data = Buffer.concat([data, chunk]);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    void (async () => {
      for (const part of parts) {
        if (done) return;
        if (typeof part === 'number') await new Promise((r) => setTimeout(r, part));
        else if (!socket.write(part)) await new Promise((r) => socket.once('drain', r));
      }
    })().catch(() => finish(true));
  });
}
